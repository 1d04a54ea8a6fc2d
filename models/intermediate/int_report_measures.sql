{#-
  Report × measure: the sums the standard metrics are built from (seeds/metric_measures.csv).
  A measure has a value only when every part is printed as a number or a dash (a dash
  is "none", 0). A blank, text or absent part makes the measure NULL: never 0.
-#}
with parts as (
    select * from {{ ref('metric_measures') }}
),

reports as (
    select report_id from {{ ref('stg_raw__reports') }}
),

cells as (
    select report_id, table_no, row_key, col_key, value, cell_state from {{ ref('stg_raw__cells') }}
),

joined as (
    select
        reports.report_id,
        parts.measure_key,
        parts.sign,
        cells.value,
        cells.cell_state
    from reports
    cross join parts
    left join cells
        on cells.report_id = reports.report_id
        and cells.table_no = parts.table_no
        and cells.row_key = parts.row_key
        and cells.col_key = parts.col_key
),

final as (
    select
        report_id || ':' || measure_key as report_measure_id,
        report_id,
        measure_key,
        count(*) as parts_expected,
        count(*) filter (where cell_state in ('number', 'dash')) as parts_readable,
        case
            when count(*) filter (where cell_state in ('number', 'dash')) = count(*)
                then sum(sign * coalesce(value, 0))::bigint
        end as measure_value
    from joined
    group by report_id, measure_key
)

select * from final
