with issues as (
    select * from {{ ref('stg_raw__parse_issues') }}
    where {{ in_build_scope('report_id') }}
),

codes as (
    select * from {{ ref('parse_issue_codes') }}
),

final as (
    select
        issues.parse_issue_id,
        issues.report_id,
        issues.issue_no,
        issues.severity,
        issues.issue_code,
        codes.cells_affected,
        codes.meaning as issue_meaning,
        codes.meaning_zh as issue_meaning_zh,
        issues.message,
        issues.table_no,
        issues.row_key,
        issues.line_no,
        issues.page
    from issues
    left join codes on codes.issue_code = issues.issue_code
)

select * from final
