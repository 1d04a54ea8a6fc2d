{#- A filter of the labelled cells, so a view: the cells are written once, in
    intermediate.int_cells_labelled, not copied again for each cut of them. -#}
with cells as (
    select * from {{ ref('int_cells_labelled') }}
    where is_primary
),

final as (
    select
        cell_id,
        report_id,
        {{ report_context() }},
        table_no,
        block,
        row_key,
        col_key,
        row_label_zh,
        row_label_en,
        col_label_zh,
        col_label_en,
        value,
        count_value,
        unit,
        is_total_column,
        raw_text,
        cell_state,
        value_source,
        published_value,
        published_cell_state,
        correction_note,
        page,
        line_no,
        source_format,
        read_method,
        placement,
        ocr_confidence,
        source_row_label,
        is_template_row
    from cells
)

select * from final
