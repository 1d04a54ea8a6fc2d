{#- Every row of corrections.csv and what became of it: applied (the marts use its value, with
    value_source = 'correction') or rejected, with the problem (a file, table, row, column or cell
    the warehouse does not have, a value that does not parse, a missing note, two rows naming one
    cell). A rejected row changes nothing. Beside each, the cell as the report printed it. -#}
with corrections as (
    select * from {{ ref('stg_raw__corrections') }}
),

cells as (
    select * from {{ ref('stg_raw__cells') }}
),

reports as (
    select report_id, agency_name, report_year from {{ ref('int_reports_ranked') }}
),

final as (
    select
        corrections.correction_id,
        corrections.line_no,
        corrections.source_path,
        corrections.report_id,
        reports.agency_name,
        reports.report_year,
        corrections.table_no,
        corrections.row_key,
        corrections.col_key,
        corrections.value_text,
        corrections.value,
        corrections.cell_state,
        cells.value as published_value,
        cells.cell_state as published_cell_state,
        cells.raw_text as published_raw_text,
        cells.page,
        corrections.correction_note,
        case when corrections.is_applicable then 'applied' else 'rejected' end as correction_status,
        corrections.problem,
        corrections.run_id,
        corrections.loaded_at
    from corrections
    left join reports
        on reports.report_id = corrections.report_id
    left join cells
        on cells.report_id = corrections.report_id
        and cells.table_no = corrections.table_no
        and cells.row_key = corrections.row_key
        and cells.col_key = corrections.col_key
)

select * from final
