{#- Completeness, one row per report × check × subject: C1, each of 表二/表三/表四 has at least one
    cell; C2, every template row of the report's format is printed (docs/template_spec.md §3.3). A
    2021 report may print （六）其他处理 as one row (the 2019 layout) or as its three sub-rows:
    either satisfies the same requirement. Judged on the cells as printed. -#}
with reports as (
    select * from {{ ref('int_reports_ranked') }}
    where {{ in_build_scope('report_id') }}
),

cells as (
    select report_id, table_no, row_key from {{ ref('stg_raw__cells') }}
    where {{ in_build_scope('report_id') }}
),

template_rows as (
    select * from {{ ref('template_rows') }}
),

row_cells as (
    select report_id, table_no, row_key, count(*) as cell_count from cells group by report_id, table_no, row_key
),

table_presence as (
    select report_id, table_no, sum(cell_count) as cell_count from row_cells group by report_id, table_no
),

tables as (
    select 2 as table_no union all select 3 union all select 4
),

table_completeness as (
    select
        reports.report_id,
        'C1' as check_id,
        'table_' || tables.table_no as subject,
        1::bigint as expected,
        (table_presence.cell_count is not null)::bigint as actual,
        case when table_presence.cell_count is not null then 'passed' else 'failed' end as check_status
    from reports
    cross join tables
    left join table_presence
        on table_presence.report_id = reports.report_id
        and table_presence.table_no = tables.table_no
),

requirements as (
    select
        table_no,
        row_key,
        case
            when table_no = 3 and row_key in ('other_handling', 'other_no_correction', 'other_fee_unpaid', 'other_other')
                then 'other_handling'
            else row_key
        end as requirement,
        in_2019,
        in_2021
    from template_rows
    where is_template_row
),

version_requirements as (
    select '2019' as template_version, table_no, row_key, requirement from requirements where in_2019
    union all
    select '2021' as template_version, table_no, row_key, requirement from requirements where in_2021
),

expected_rows as (
    select template_version, table_no, count(distinct requirement) as expected_rows
    from version_requirements
    group by template_version, table_no
),

present_rows as (
    select
        row_cells.report_id,
        row_cells.table_no,
        count(distinct version_requirements.requirement) as present_rows
    from row_cells
    inner join reports
        on reports.report_id = row_cells.report_id
    inner join version_requirements
        on version_requirements.template_version = reports.template_version
        and version_requirements.table_no = row_cells.table_no
        and version_requirements.row_key = row_cells.row_key
    group by row_cells.report_id, row_cells.table_no
),

row_completeness as (
    select
        reports.report_id,
        'C2' as check_id,
        'table_' || expected_rows.table_no || '_rows' as subject,
        expected_rows.expected_rows as expected,
        coalesce(present_rows.present_rows, 0) as actual,
        case
            when table_presence.cell_count is null then 'not_evaluable'
            when coalesce(present_rows.present_rows, 0) = expected_rows.expected_rows then 'passed'
            else 'failed'
        end as check_status
    from reports
    inner join expected_rows
        on expected_rows.template_version = reports.template_version
    left join present_rows
        on present_rows.report_id = reports.report_id
        and present_rows.table_no = expected_rows.table_no
    left join table_presence
        on table_presence.report_id = reports.report_id
        and table_presence.table_no = expected_rows.table_no
),

final as (
    select report_id || ':' || check_id || ':' || subject as quality_check_id, *
    from table_completeness
    union all
    select report_id || ':' || check_id || ':' || subject as quality_check_id, *
    from row_completeness
)

select * from final
