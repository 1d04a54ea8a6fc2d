{#- The 总计 (total) column of 表三 and 表四 as each report prints it, one row per report ×
    table × row, beside the sum of its parts and the I3/I4 check of the two (docs/template_spec.md
    §3). The parts are in fct_requests, fct_request_outcomes and fct_review_litigation, which
    leave this column out so that a sum() over them never counts a case twice. published_total is
    always what was printed (the I3/I4 verdict is on it); corrected_total is the total with
    corrections.csv applied (the same number unless value_source = 'correction'). -#}
with totals as (
    select * from {{ ref('int_cells_labelled') }}
    where is_primary and table_no in (3, 4) and is_total_column
),

checks as (
    select report_id, subject, check_id, expected, check_status
    from {{ ref('int_identities_checked') }}
    where check_id in ('I3', 'I4')
),

final as (
    select
        totals.cell_id as published_total_id,
        totals.report_id,
        {{ report_context('totals') }},
        totals.table_no,
        totals.row_key,
        totals.row_label_zh,
        totals.row_label_en,
        totals.published_count_value as published_total,
        totals.published_cell_state as cell_state,
        totals.count_value as corrected_total,
        totals.value_source,
        totals.correction_note,
        totals.raw_text,
        checks.expected::bigint as parts_sum,
        coalesce(checks.check_status, 'not_evaluable') as parts_check_status,
        totals.page,
        totals.line_no
    from totals
    left join checks
        on checks.report_id = totals.report_id
        and checks.subject = totals.row_key
        and checks.check_id = case when totals.table_no = 3 then 'I3' else 'I4' end
)

select * from final
