{#- K1: is a corrected report consistent? The identities I1–I4 (macros/identity_checks.sql) judged
    again on the cells with the corrections of corrections.csv applied, for each report that has an
    applied correction: one row per report, actual = the identity checks that still fail. The
    verdict on what the report printed stays in int_identities_checked. -#}
with corrected_reports as (
    select distinct report_id from {{ ref('stg_raw__corrections') }}
    where is_applicable
),

cells as not materialized (
    select * from {{ ref('int_cells_labelled') }}
    where report_id in (select report_id from corrected_reports)
),

{{ identity_checks() }},

final as (
    select
        corrected_reports.report_id,
        'K1' as check_id,
        'identities_with_corrections' as subject,
        0::bigint as expected,
        count(*) filter (where identity_checks.check_status = 'failed') as actual,
        case
            when count(*) filter (where identity_checks.check_status in ('passed', 'failed')) = 0 then 'not_evaluable'
            when count(*) filter (where identity_checks.check_status = 'failed') = 0 then 'passed'
            else 'failed'
        end as check_status
    from corrected_reports
    left join identity_checks
        on identity_checks.report_id = corrected_reports.report_id
    group by corrected_reports.report_id
)

select * from final
