{#- Every check of every report, one row per report × check × subject: the five families are
    intermediates of their own (identities I1–I4 and K1 after corrections, completeness C1/C2,
    cross-year S1/S2, duplicates D1), and the list of checks, their family and their names is
    the seed quality_checks. -#}
with checks as (
    select report_id, check_id, subject, expected, actual, check_status from {{ ref('int_identities_checked') }}
    where {{ in_build_scope('report_id') }}
    union all
    select report_id, check_id, subject, expected, actual, check_status from {{ ref('int_completeness_checked') }}
    where {{ in_build_scope('report_id') }}
    union all
    select report_id, check_id, subject, expected, actual, check_status from {{ ref('int_cross_year_checked') }}
    where {{ in_build_scope('report_id') }}
    union all
    select report_id, check_id, subject, expected, actual, check_status from {{ ref('int_duplicates_checked') }}
    where {{ in_build_scope('report_id') }}
    union all
    select report_id, check_id, subject, expected, actual, check_status from {{ ref('int_corrections_checked') }}
    where {{ in_build_scope('report_id') }}
),

check_list as (
    select * from {{ ref('quality_checks') }}
),

ocr as (
    select * from {{ ref('int_identity_ocr_cells_counted') }}
    where {{ in_build_scope('report_id') }}
),

final as (
    select
        checks.report_id || ':' || checks.check_id || ':' || checks.subject as quality_check_id,
        checks.report_id,
        checks.check_id,
        check_list.check_name,
        check_list.check_name_zh,
        check_list.check_family,
        checks.subject,
        checks.expected::bigint as expected,
        checks.actual::bigint as actual,
        case checks.check_status when 'passed' then true when 'failed' then false end as passed,
        checks.check_status,
        ocr.ocr_cells,
        coalesce(checks.check_status = 'failed' and ocr.ocr_cells > 0, false) as failed_with_ocr_cells
    from checks
    left join check_list
        on check_list.check_id = checks.check_id
    left join ocr
        on ocr.report_id = checks.report_id
        and ocr.check_id = checks.check_id
        and ocr.subject = checks.subject
)

select * from final
