{#-
  Reports with their division names (seeds/admin_divisions.csv) and their place among the
  documents of one report: the same agency, year and scope published as several files
  (HTML and PDF, or republished) is one report. The primary document is the one with the
  most cells, then by format (pdf, docx, doc, html, md, txt), then by path; the others
  point to it with duplicate_of_report_id.

  is_primary is the one rule for which documents the facts hold: an active document
  (its file is still in the reports folder) that is the first of its report. A withdrawn
  document is never primary, so every fact and metric drops it at once.

  Incremental by report: the documents of one report are of one agency, and the build scope
  holds every report of an agency it touches (macros/build_scope.sql).
-#}
with reports as (
    select * from {{ ref('stg_raw__reports') }}
    where {{ in_build_scope('report_id') }}
),

divisions as (
    select *
    from {{ ref('admin_divisions') }}
    qualify row_number() over (partition by division_code order by is_current desc, name) = 1
),

cells as (
    select report_id, cell_count from {{ ref('int_report_cells_counted') }}
    where {{ in_build_scope('report_id') }}
),

placed as (
    select
        reports.*,
        coalesce(cells.cell_count, 0) as cell_count,
        own.level as division_level,
        province.name as province,
        case when own.level in ('prefecture', 'county') then prefecture.name end as prefecture,
        case when own.level = 'county' then own.name end as county,
        reports.report_status = 'active' and reports.agency_name is not null and reports.report_year is not null
            as is_identified
    from reports
    left join cells on cells.report_id = reports.report_id
    left join divisions as own on own.division_code = reports.division_code
    left join divisions as province
        on province.division_code = substr(reports.division_code, 1, 2) || '0000' and province.level = 'province'
    left join divisions as prefecture
        on prefecture.division_code = substr(reports.division_code, 1, 4) || '00'
        and prefecture.level = 'prefecture'
),

ranked as (
    select
        *,
        case when is_identified then row_number() over (
            partition by is_identified, agency_id, report_year, report_scope
            order by cell_count desc,
                list_position(['pdf', 'docx', 'doc', 'wps', 'html', 'md', 'txt'], source_format) nulls last,
                source_path
        ) else 1 end as document_rank,
        case when is_identified then count(*) over (
            partition by is_identified, agency_id, report_year, report_scope
        ) else 1 end as documents_in_report,
        case when is_identified then first_value(report_id) over (
            partition by is_identified, agency_id, report_year, report_scope
            order by cell_count desc,
                list_position(['pdf', 'docx', 'doc', 'wps', 'html', 'md', 'txt'], source_format) nulls last,
                source_path
        ) end as primary_report_id
    from placed
),

final as (
    select
        * exclude (document_rank, primary_report_id),
        report_status = 'active' and document_rank = 1 as is_primary,
        case when document_rank > 1 then primary_report_id end as duplicate_of_report_id
    from ranked
)

select * from final
