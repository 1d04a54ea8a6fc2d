{#- 表四 cases per report × proceeding × result (the four results: the 总计 column is in
    fct_published_totals). A filter of the labelled cells, so a view. -#}
with cells as (
    select * from {{ ref('int_cells_labelled') }}
    where is_primary and table_no = 4 and not is_total_column
),

final as (
    select
        cell_id as review_litigation_id,
        report_id,
        {{ report_context() }},
        row_key as proceeding,
        row_label_zh as proceeding_label_zh,
        row_label_en as proceeding_label_en,
        col_key as result,
        col_label_zh as result_label_zh,
        col_label_en as result_label_en,
        count_value as value,
        cell_state,
        value_source,
        published_count_value as published_value,
        published_cell_state,
        correction_note,
        raw_text,
        page,
        line_no
    from cells
)

select * from final
