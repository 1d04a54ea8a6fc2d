-- Which agencies deny requests most often, and why: the denial rate with its
-- denominator, and each reason's share of the denials. Small denominators are flagged,
-- and reports that are not internally consistent are shown with their status.
select
    metrics.agency_name,
    metrics.report_year,
    reports.quality_status,
    metrics.total_processed,
    metrics.denied,
    round(metrics.denial_rate, 4) as denial_rate,
    metrics.denial_rate_small_n as small_n,
    round(metrics.denied_state_secret_share, 4) as share_state_secret,
    round(metrics.denied_law_prohibited_share, 4) as share_law_prohibited,
    round(metrics.denied_security_stability_share, 4) as share_security_stability,
    round(metrics.denied_third_party_share, 4) as share_third_party,
    round(metrics.denied_internal_affairs_share, 4) as share_internal_affairs,
    round(metrics.denied_process_info_share, 4) as share_process_info,
    round(metrics.denied_enforcement_file_share, 4) as share_enforcement_file,
    round(metrics.denied_admin_query_share, 4) as share_admin_query
from {{ ref('fct_agency_year_metrics') }} as metrics
inner join {{ ref('dim_reports') }} as reports
    on reports.report_id = metrics.report_id
where metrics.denial_rate is not null
order by metrics.denial_rate desc, metrics.total_processed desc
