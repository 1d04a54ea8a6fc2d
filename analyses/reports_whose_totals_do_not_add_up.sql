-- Reports whose published totals disagree with their parts (identities I1–I4),
-- with the expected and published figures, for follow-up with the agency.
select
    reports.agency_name,
    reports.report_year,
    reports.source_path,
    quality.check_id,
    quality.check_name,
    quality.subject,
    quality.expected,
    quality.actual
from {{ ref('fct_data_quality') }} as quality
inner join {{ ref('dim_reports') }} as reports
    on reports.report_id = quality.report_id
where quality.check_family = 'identity' and quality.passed = false
order by reports.agency_name, reports.report_year, quality.check_id, quality.subject
