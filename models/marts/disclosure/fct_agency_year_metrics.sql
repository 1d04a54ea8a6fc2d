{#-
  Agency × year (× scope): the standard metrics side by side, their measures, a
  <metric>_small_n flag per metric (its own denominator < var small_n_threshold) and
  year-over-year changes. value_source is 'correction' when a metric of the row uses a cell
  corrected in corrections.csv (the notes in correction_note; the printed figures in
  fct_report_metrics.published_*).
  One row per active report; formulas are in seeds/metric_definitions.csv and in the
  column descriptions.
-#}
{%- set metrics = [
    'clearance_ratio', 'carry_over_ratio', 'full_grant_rate', 'substantive_disclosure_rate',
    'merits_disclosure_rate', 'denial_rate',
    'denied_state_secret_share', 'denied_law_prohibited_share', 'denied_security_stability_share',
    'denied_third_party_share', 'denied_internal_affairs_share', 'denied_process_info_share',
    'denied_enforcement_file_share', 'denied_admin_query_share',
    'unable_rate', 'not_held_rate', 'not_processed_rate', 'reconsideration_rate', 'litigation_rate',
    'reconsideration_correction_rate', 'litigation_direct_correction_rate',
    'litigation_after_reconsideration_correction_rate',
] -%}
{%- set measures = [
    'new_received', 'carried_over', 'workload', 'total_processed', 'carried_forward', 'merits_decided',
    'denied', 'reconsideration_cases', 'litigation_cases', 'reconsideration_closed',
    'litigation_direct_closed', 'litigation_after_reconsideration_closed',
] -%}
with reports as (
    select report_id, agency_id, agency_name, report_year, report_scope
    from {{ ref('int_reports_ranked') }}
    where is_primary and agency_name is not null and report_year is not null and {{ in_build_scope('report_id') }}
),

metrics as (
    select * from {{ ref('fct_report_metrics') }}
    where {{ in_build_scope('report_id') }}
),

measures as (
    select * from {{ ref('int_measures_summed') }}
    where {{ in_build_scope('report_id') }}
),

measures_wide as (
    select
        report_id,
        {%- for measure in measures %}
        max(measure_value) filter (where measure_key = '{{ measure }}') as {{ measure }}{{ "," if not loop.last }}
        {%- endfor %}
    from measures
    group by report_id
),

metrics_wide as (
    select
        report_id,
        case when bool_or(value_source = 'correction') then 'correction' else 'published' end as value_source,
        {{ notes_joined('correction_note') }} as correction_note,
        {%- for metric in metrics %}
        max(metric_value) filter (where metric_key = '{{ metric }}') as {{ metric }},
        bool_or(is_small_n) filter (where metric_key = '{{ metric }}') as {{ metric }}_small_n{{ "," if not loop.last }}
        {%- endfor %}
    from metrics
    group by report_id
),

wide as (
    select
        reports.report_id,
        reports.agency_id,
        reports.agency_name,
        reports.report_year,
        reports.report_scope,
        {%- for measure in measures %}
        measures_wide.{{ measure }},
        {%- endfor %}
        {%- for metric in metrics %}
        metrics_wide.{{ metric }},
        metrics_wide.{{ metric }}_small_n,
        {%- endfor %}
        coalesce(metrics_wide.value_source, 'published') as value_source,
        metrics_wide.correction_note
    from reports
    left join measures_wide on measures_wide.report_id = reports.report_id
    left join metrics_wide on metrics_wide.report_id = reports.report_id
),

with_flags as (
    select
        *,
        count(*) over (partition by agency_id, report_scope, report_year) as reports_in_agency_year
    from wide
),

single_years as (
    select * from with_flags where reports_in_agency_year = 1
),

final as (
    select
        this_year.*,
        last_year.new_received as new_received_previous_year,
        case
            when last_year.new_received > 0
                then ((this_year.new_received - last_year.new_received) / last_year.new_received)::double
        end as new_received_yoy_change,
        this_year.substantive_disclosure_rate - last_year.substantive_disclosure_rate
            as substantive_disclosure_rate_yoy_change,
        this_year.denial_rate - last_year.denial_rate as denial_rate_yoy_change,
        this_year.reconsideration_rate - last_year.reconsideration_rate as reconsideration_rate_yoy_change,
        this_year.litigation_rate - last_year.litigation_rate as litigation_rate_yoy_change
    from with_flags as this_year
    {#- one report in each of the two years, or no comparison: the condition on this_year is in the key
        (NULL matches nothing), so the join stays a hash join rather than a nested loop over all rows #}
    left join single_years as last_year
        on last_year.agency_id = case when this_year.reports_in_agency_year = 1 then this_year.agency_id end
        and last_year.report_scope = this_year.report_scope
        and last_year.report_year = this_year.report_year - 1
)

select * from final
