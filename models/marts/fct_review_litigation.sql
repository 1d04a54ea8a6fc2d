{#- A filter of the labelled cells, so a view: the cells are written once, in
    intermediate.int_cells_labelled, not copied again for each cut of them. -#}
{{ config(materialized='view') }}

with cells as (
    select * from {{ ref('int_cells_labelled') }}
    where is_primary and table_no = 4
),

final as (
    select
        cell_id as review_litigation_id,
        report_id,
        row_key as proceeding,
        row_label_zh as proceeding_label_zh,
        row_label_en as proceeding_label_en,
        col_key as result,
        col_label_zh as result_label_zh,
        col_label_en as result_label_en,
        value,
        cell_state,
        raw_text,
        page,
        line_no
    from cells
)

select * from final
