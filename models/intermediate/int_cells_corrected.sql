{#- Every cell as printed (stg_raw__cells) with the applicable corrections of corrections.csv applied:
    value, cell_state and unit are the corrected ones where a correction names the cell, the printed
    ones elsewhere; published_value and published_cell_state always hold what the report printed,
    and raw_text stays the printed text. value_source says which. A view: one join, read by the
    labelled cells and the measures. -#}
with cells as (
    select * from {{ ref('stg_raw__cells') }}
),

corrections as (
    select * from {{ ref('stg_raw__corrections') }}
    where is_applicable
),

final as (
    select
        cells.cell_id,
        cells.report_id,
        cells.table_no,
        cells.row_key,
        cells.col_key,
        case when corrections.cell_id is null then cells.value else corrections.value end as value,
        case when corrections.cell_id is null then cells.cell_state else corrections.cell_state end as cell_state,
        case when corrections.cell_id is null then cells.unit else corrections.unit end as unit,
        cells.value as published_value,
        cells.cell_state as published_cell_state,
        cells.unit as published_unit,
        case when corrections.cell_id is null then 'published' else 'correction' end as value_source,
        corrections.correction_id,
        corrections.correction_note,
        cells.raw_text,
        cells.page,
        cells.line_no,
        cells.read_method,
        cells.placement,
        cells.ocr_confidence,
        cells.source_row_label
    from cells
    left join corrections
        on corrections.cell_id = cells.cell_id
)

select * from final
