{#- A filter of the labelled cells, so a view: the cells are written once, in
    intermediate.int_cells_labelled, not copied again for each cut of them. -#}
{{ config(materialized='view') }}

with cells as (
    select * from {{ ref('int_cells_labelled') }}
    where is_primary and table_no = 3 and row_role = 'outcome'
),

final as (
    select
        cell_id as outcome_id,
        report_id,
        col_key as applicant_type,
        col_label_zh as applicant_label_zh,
        row_key as outcome_key,
        row_label_zh as outcome_label_zh,
        row_label_en as outcome_label_en,
        outcome_group,
        outcome_group_zh,
        outcome_group_en,
        row_order as outcome_order,
        value,
        cell_state,
        raw_text,
        read_method,
        placement,
        page,
        line_no
    from cells
)

select * from final
