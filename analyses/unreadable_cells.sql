-- Everything the parser could not read with confidence, by report: the numbers an
-- analyst must check in the source before publishing.
select
    reports.agency_name,
    reports.report_year,
    reports.source_path,
    issues.severity,
    issues.issue_code,
    issues.message,
    issues.line_no,
    issues.page
from {{ ref('fct_parse_issues') }} as issues
inner join {{ ref('dim_reports') }} as reports
    on reports.report_id = issues.report_id
where issues.severity <> 'info'
order by reports.agency_name, reports.report_year, issues.issue_no
