-- How reconsideration and litigation outcomes changed between years: cases by
-- proceeding and result over all reports of each year, with the correction rate
-- computed as a ratio of sums (纠正 / (总计 − 尚未审结)), never an average of rates.
with cases as (
    select
        reports.report_year,
        litigation.proceeding,
        litigation.proceeding_label_zh,
        sum(litigation.value) filter (where litigation.result = 'upheld') as upheld,
        sum(litigation.value) filter (where litigation.result = 'corrected') as corrected,
        sum(litigation.value) filter (where litigation.result = 'other_result') as other_result,
        sum(litigation.value) filter (where litigation.result = 'pending') as pending,
        sum(litigation.value) filter (where litigation.result = 'total') as total,
        count(distinct litigation.report_id) as reports
    from {{ ref('fct_review_litigation') }} as litigation
    inner join {{ ref('dim_reports') }} as reports
        on reports.report_id = litigation.report_id
    where reports.report_status = 'active'
    group by all
)

select
    *,
    case when total - pending > 0 then round(corrected / (total - pending), 4) end as correction_rate,
    total - pending < 30 as small_n
from cases
order by proceeding, report_year
