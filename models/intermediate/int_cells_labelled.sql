{#- count_value: a count column's value as a whole number (the parser stores a count printed
    with a fraction as text, docs/template_spec.md §4.1); NULL for the 万元 amounts.
    value, count_value and cell_state are corrected where corrections.csv corrects the cell
    (int_cells_corrected); published_value, published_count_value and published_cell_state are
    what the report printed, value_source says which of the two value is.
    A view: the cells are stored once, in raw.cells; joining them to the template seeds
    and the report's primary flag is cheaper on every read than writing 20 million rows
    again (bench/RESULTS.md). -#}
with cells as (
    select * from {{ ref('int_cells_corrected') }}
),

template_rows as (
    select * from {{ ref('template_rows') }}
),

reports as (
    select report_id, source_format, is_primary, agency_id, agency_name, report_year, province, prefecture, county
    from {{ ref('int_reports_ranked') }}
),

template_columns as (
    select * from {{ ref('template_columns') }}
),

final as (
    select
        cells.cell_id,
        cells.report_id,
        reports.agency_id,
        reports.agency_name,
        reports.report_year,
        reports.province,
        reports.prefecture,
        reports.county,
        cells.table_no,
        template_rows.block,
        cells.row_key,
        cells.col_key,
        template_rows.label_zh as row_label_zh,
        template_rows.label_en as row_label_en,
        template_columns.label_zh as col_label_zh,
        template_columns.label_en as col_label_en,
        template_rows.row_role,
        template_rows.outcome_group,
        template_rows.outcome_group_zh,
        template_rows.outcome_group_en,
        template_rows.is_template_row,
        template_rows.sort_order as row_order,
        template_columns.sort_order as col_order,
        coalesce(template_columns.is_total, false) as is_total_column,
        cells.value,
        case
            when template_columns.unit <> '万元' and coalesce(cells.unit, '') not in ('万元', '元')
                and cells.value = trunc(cells.value)
                then cells.value::bigint
        end as count_value,
        cells.published_value,
        case
            when template_columns.unit <> '万元' and coalesce(cells.published_unit, '') not in ('万元', '元')
                and cells.published_value = trunc(cells.published_value)
                then cells.published_value::bigint
        end as published_count_value,
        cells.published_cell_state,
        cells.value_source,
        cells.correction_id,
        cells.correction_note,
        coalesce(template_columns.unit = '万元', false) as is_amount,
        coalesce(cells.unit, template_columns.unit) as unit,
        cells.raw_text,
        cells.cell_state,
        cells.page,
        cells.line_no,
        reports.source_format,
        reports.is_primary,
        cells.read_method,
        cells.placement,
        cells.ocr_confidence,
        cells.source_row_label
    from cells
    left join reports
        on cells.report_id = reports.report_id
    left join template_rows
        on cells.table_no = template_rows.table_no
        and cells.row_key = template_rows.row_key
    left join template_columns
        on cells.table_no = template_columns.table_no
        and template_rows.block = template_columns.block
        and cells.col_key = template_columns.col_key
)

select * from final
