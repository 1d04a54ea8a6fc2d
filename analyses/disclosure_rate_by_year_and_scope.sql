-- The substantive disclosure rate ((予以公开 + 部分公开) / 总计) for each year and report
-- scope, aggregated as sum(numerator) / sum(denominator) over the reports where both are
-- known, with the number of reports behind each figure.
select
    report_year,
    report_scope,
    count(*) filter (where numerator is not null and denominator is not null) as reports_counted,
    count(*) filter (where numerator is null or denominator is null) as reports_not_computable,
    sum(numerator) filter (where numerator is not null and denominator is not null) as disclosed,
    sum(denominator) filter (where numerator is not null and denominator is not null) as total_processed,
    round(
        sum(numerator) filter (where numerator is not null and denominator is not null)
        / nullif(sum(denominator) filter (where numerator is not null and denominator is not null), 0),
        4
    ) as substantive_disclosure_rate
from {{ ref('fct_report_metrics') }}
where metric_key = 'substantive_disclosure_rate'
group by report_year, report_scope
order by report_year, report_scope
