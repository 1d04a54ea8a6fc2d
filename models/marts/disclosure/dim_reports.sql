with reports as (
    select * from {{ ref('int_reports_ranked') }}
    where {{ in_build_scope('report_id') }}
),

quality as (
    select * from {{ ref('fct_data_quality') }}
    where {{ in_build_scope('report_id') }}
),

issues as (
    select
        report_id,
        count(*) filter (where severity <> 'info') as parse_warning_count
    from {{ ref('stg_raw__parse_issues') }}
    where {{ in_build_scope('report_id') }}
    group by report_id
),

corrections as (
    select report_id, count(*) as corrections_applied
    from {{ ref('stg_raw__corrections') }}
    where is_applicable and {{ in_build_scope('report_id') }}
    group by report_id
),

quality_counts as (
    select
        report_id,
        count(*) filter (where check_family = 'identity' and passed = false) as failed_identity_checks,
        count(*) filter (where check_id = 'C1' and passed = false) as missing_tables,
        coalesce(sum(expected - actual) filter (where check_id = 'C2' and passed = false), 0)::integer as missing_rows,
        count(*) filter (where check_family = 'cross_year' and passed = false) as failed_cross_year_checks,
        count(*) filter (where check_id = 'D1' and passed = false) as conflicts_with_primary
    from quality
    group by report_id
),

final as (
    select
        reports.report_id,
        reports.source_path,
        reports.source_format,
        reports.read_method,
        reports.sha256,
        reports.agency_id,
        reports.agency_name,
        reports.report_year,
        reports.report_scope,
        reports.template_version,
        reports.version_basis,
        reports.region_name,
        reports.division_code,
        reports.province,
        reports.prefecture,
        reports.county,
        reports.area_name,
        reports.region_basis,
        reports.source_url,
        reports.is_primary,
        reports.duplicate_of_report_id,
        reports.documents_in_report,
        reports.published_date,
        reports.title,
        reports.report_status,
        reports.withdrawn_run,
        reports.parser_version,
        reports.cell_count,
        coalesce(issues.parse_warning_count, 0) as parse_warning_count,
        coalesce(quality_counts.failed_identity_checks, 0) as failed_identity_checks,
        coalesce(quality_counts.missing_tables, 0) as missing_tables,
        coalesce(quality_counts.missing_rows, 0) as missing_rows,
        coalesce(quality_counts.failed_cross_year_checks, 0) as failed_cross_year_checks,
        coalesce(quality_counts.conflicts_with_primary, 0) > 0 as conflicts_with_primary,
        coalesce(corrections.corrections_applied, 0) as corrections_applied,
        case
            when reports.cell_count = 0 then 'unparsed'
            when coalesce(quality_counts.failed_identity_checks, 0) > 0
                or coalesce(quality_counts.conflicts_with_primary, 0) > 0 then 'inconsistent'
            when coalesce(quality_counts.missing_tables, 0) > 0
                or coalesce(quality_counts.missing_rows, 0) > 0
                or coalesce(issues.parse_warning_count, 0) > 0 then 'incomplete'
            else 'consistent'
        end as quality_status
    from reports
    left join issues on issues.report_id = reports.report_id
    left join quality_counts on quality_counts.report_id = reports.report_id
    left join corrections on corrections.report_id = reports.report_id
)

select * from final
