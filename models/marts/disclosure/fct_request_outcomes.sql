{#- 表三 outcomes per report × applicant type (the six types: the 总计 column is in
    fct_published_totals, so sum() never counts a request twice). A filter of the labelled
    cells, so a view: the cells are written once, in intermediate.int_cells_labelled. -#}
with cells as (
    select * from {{ ref('int_cells_labelled') }}
    where is_primary and table_no = 3 and row_role = 'outcome' and not is_total_column
),

final as (
    select
        cell_id as outcome_id,
        report_id,
        {{ report_context() }},
        col_key as applicant_type,
        case when col_key = 'natural_person' then 'natural_person' else 'legal_person_or_other_org' end
            as applicant_group,
        col_label_zh as applicant_label_zh,
        col_label_en as applicant_label_en,
        row_key as outcome_key,
        row_label_zh as outcome_label_zh,
        row_label_en as outcome_label_en,
        outcome_group,
        outcome_group_zh,
        outcome_group_en,
        row_order as outcome_order,
        count_value as value,
        cell_state,
        value_source,
        published_count_value as published_value,
        published_cell_state,
        correction_note,
        raw_text,
        read_method,
        placement,
        page,
        line_no
    from cells
)

select * from final
