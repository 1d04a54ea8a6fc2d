{#-
  Report × measure: the sums the standard metrics are built from (seeds/metric_measures.csv).
  A measure has a value only when every part is printed as a number or a dash (a dash
  is "none", 0). A blank, text or absent part makes the measure NULL: never 0.
  measure_value uses the corrected cells (corrections.csv, int_cells_corrected),
  published_measure_value what the reports printed; value_source is 'correction' when a
  corrected cell is one of the parts.
-#}
with parts as (
    select * from {{ ref('metric_measures') }}
),

reports as (
    select report_id from {{ ref('stg_raw__reports') }}
    where {{ in_build_scope('report_id') }}
),

cells as (
    select report_id, table_no, row_key, col_key, value, cell_state, published_value, published_cell_state,
        value_source, correction_note
    from {{ ref('int_cells_corrected') }}
    where {{ in_build_scope('report_id') }}
),

joined as (
    select
        reports.report_id,
        parts.measure_key,
        parts.sign,
        cells.value,
        cells.cell_state,
        cells.published_value,
        cells.published_cell_state,
        cells.value_source,
        cells.correction_note
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
        end as measure_value,
        case
            when count(*) filter (where published_cell_state in ('number', 'dash')) = count(*)
                then sum(sign * coalesce(published_value, 0))::bigint
        end as published_measure_value,
        case when bool_or(value_source = 'correction') then 'correction' else 'published' end as value_source,
        {{ notes_joined('correction_note') }} as correction_note
    from joined
    group by report_id, measure_key
)

select * from final
