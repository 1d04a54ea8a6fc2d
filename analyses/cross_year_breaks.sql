-- Where an agency's numbers do not carry from one year to the next: last year's
-- 结转下年度 against this year's 上年结转 (S1), and 现行有效件数 rolled forward (S2).
select
    reports.agency_name,
    reports.report_year,
    quality.check_id,
    quality.check_name,
    quality.subject,
    quality.expected as expected_from_last_year,
    quality.actual as published_this_year
from {{ ref('fct_data_quality') }} as quality
inner join {{ ref('dim_reports') }} as reports
    on reports.report_id = quality.report_id
where quality.check_family = 'cross_year' and quality.passed = false
order by reports.agency_name, reports.report_year, quality.check_id, quality.subject
