-- How reconsideration and litigation outcomes changed between years: cases by
-- proceeding and result over all reports of each year, with the correction rate
-- computed as a ratio of sums (纠正 / (总计 − 尚未审结)), never an average of rates.
-- The parts come from fct_review_litigation, the published 总计 from fct_published_totals.
with parts as (
    select
        report_year,
        proceeding,
        any_value(proceeding_label_zh) as proceeding_label_zh,
        sum(value) filter (where result = 'upheld') as upheld,
        sum(value) filter (where result = 'corrected') as corrected,
        sum(value) filter (where result = 'other_result') as other_result,
        sum(value) filter (where result = 'pending') as pending,
        count(distinct report_id) as reports
    from {{ ref('fct_review_litigation') }}
    group by report_year, proceeding
),

totals as (
    select report_year, row_key as proceeding, sum(published_total) as total
    from {{ ref('fct_published_totals') }}
    where table_no = 4
    group by report_year, row_key
)

select
    parts.*,
    totals.total,
    case when totals.total - parts.pending > 0
        then round(parts.corrected / (totals.total - parts.pending), 4) end as correction_rate,
    totals.total - parts.pending < 30 as small_n
from parts
left join totals using (report_year, proceeding)
order by proceeding, report_year
