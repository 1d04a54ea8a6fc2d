{#-
  Report × standard metric, as a ratio of sums with its numerator and denominator.
  Aggregate at any level with sum(numerator) / sum(denominator) over rows where both
  are not NULL (never average the ratios). Corrected cells (corrections.csv) are used where
  there are any: value_source = 'correction', with the published_* figures the report printed.
-#}
with definitions as (
    select * from {{ ref('metric_definitions') }}
),

measures as (
    select * from {{ ref('int_measures_summed') }}
    where {{ in_build_scope('report_id') }}
),

reports as (
    select report_id, agency_id, agency_name, report_year, report_scope
    from {{ ref('int_reports_ranked') }}
    where is_primary and {{ in_build_scope('report_id') }}
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
        denominator.measure_value < {{ var('small_n_threshold') }} as is_small_n,
        case when 'correction' in (numerator.value_source, denominator.value_source) then 'correction'
            else 'published' end as value_source,
        numerator.published_measure_value as published_numerator,
        denominator.published_measure_value as published_denominator,
        case
            when numerator.published_measure_value is not null and denominator.published_measure_value > 0
                then (numerator.published_measure_value / denominator.published_measure_value)::double
        end as published_metric_value,
        nullif(concat_ws('; ', numerator.correction_note,
            case when denominator.correction_note is distinct from numerator.correction_note
                then denominator.correction_note end), '') as correction_note
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
