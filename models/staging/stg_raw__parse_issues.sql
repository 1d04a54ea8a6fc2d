with source as (
    select * from {{ source('raw', 'parse_issues') }}
),

final as (
    select
        report_id || ':' || issue_no as parse_issue_id,
        report_id,
        issue_no,
        severity,
        code as issue_code,
        message,
        table_no,
        row_key,
        line_no,
        page
    from source
)

select * from final
