with issues as (
    select * from {{ ref('stg_raw__parse_issues') }}
    where {{ in_build_scope('report_id') }}
),

final as (
    select
        parse_issue_id,
        report_id,
        issue_no,
        severity,
        issue_code,
        message,
        table_no,
        row_key,
        line_no,
        page
    from issues
)

select * from final
