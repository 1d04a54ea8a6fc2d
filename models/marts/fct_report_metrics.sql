{#-
  Report × standard metric, as a ratio of sums with its numerator and denominator.
  Aggregate at any level with sum(numerator) / sum(denominator) over rows where both
  are not NULL (never average the ratios).
-#}
with definitions as (
    select * from {{ ref('metric_definitions') }}
),

measures as (
    select * from {{ ref('int_report_measures') }}
),

reports as (
    select report_id, agency_id, agency_name, report_year, report_scope
    from {{ ref('int_reports') }}
    where is_primary
),

final as (
    select
        reports.report_id || ':' || definitions.metric_key as report_metric_id,
        reports.report_id,
        reports.agency_id,
        reports.agency_name,
        reports.report_year,
        reports.report_scope,
        definitions.metric_key,
        definitions.label_en as metric_label_en,
        definitions.label_zh as metric_label_zh,
        definitions.formula,
        numerator.measure_value as numerator,
        denominator.measure_value as denominator,
        case
            when numerator.measure_value is not null and denominator.measure_value > 0
                then (numerator.measure_value / denominator.measure_value)::double
        end as metric_value,
        denominator.measure_value < {{ var('small_n_threshold') }} as is_small_n
    from reports
    cross join definitions
    left join measures as numerator
        on numerator.report_id = reports.report_id
        and numerator.measure_key = definitions.numerator_measure
    left join measures as denominator
        on denominator.report_id = reports.report_id
        and denominator.measure_key = definitions.denominator_measure
)

select * from final
