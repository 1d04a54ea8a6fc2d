-- Numbers that were not read from a document's own text: OCR of scanned pages and
-- columns rebuilt from positions. Check these against the source before publishing.
select
    reports.agency_name,
    reports.report_year,
    reports.source_path,
    cells.read_method,
    count(*) as cells,
    count(*) filter (where cells.cell_state = 'text') as unreadable_or_text_cells,
    min(cells.page) as first_page,
    max(cells.page) as last_page
from {{ ref('fct_report_cells') }} as cells
inner join {{ ref('dim_reports') }} as reports
    on reports.report_id = cells.report_id
where cells.read_method in ('ocr', 'positional')
group by all
order by reports.agency_name, reports.report_year, cells.read_method
