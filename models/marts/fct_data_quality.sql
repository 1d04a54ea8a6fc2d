with identities as (
    select * from {{ ref('int_identity_checks') }}
),

reports as (
    select * from {{ ref('stg_raw__reports') }}
),

cells as (
    select * from {{ ref('stg_raw__cells') }}
),

tables as (
    select 2 as table_no union all select 3 union all select 4
),

completeness as (
    select
        reports.report_id,
        'C1' as check_id,
        'table_' || tables.table_no as subject,
        1::decimal(20, 6) as expected,
        (count(cells.cell_id) > 0)::integer::decimal(20, 6) as actual,
        case when count(cells.cell_id) > 0 then 'passed' else 'failed' end as check_status
    from reports
    cross join tables
    left join cells
        on cells.report_id = reports.report_id
        and cells.table_no = tables.table_no
    group by reports.report_id, tables.table_no
),

one_report_per_year as (
    select *
    from reports
    where agency_name is not null and report_year is not null and report_status = 'active'
    qualify count(*) over (partition by agency_id, report_scope, report_year) = 1
),

carried as (
    select
        one_report_per_year.report_id,
        one_report_per_year.agency_id,
        one_report_per_year.report_scope,
        one_report_per_year.report_year,
        cells.row_key,
        cells.col_key,
        coalesce(cells.value, 0) as value,
        cells.cell_state
    from one_report_per_year
    inner join cells
        on cells.report_id = one_report_per_year.report_id
    where cells.table_no = 3 and cells.row_key in ('carried_over', 'carried_forward')
),

cross_year as (
    select
        this_year.report_id,
        'S1' as check_id,
        this_year.col_key as subject,
        last_year.value as expected,
        this_year.value as actual,
        case
            when 'text' in (this_year.cell_state, last_year.cell_state) then 'not_evaluable'
            when this_year.value = last_year.value then 'passed'
            else 'failed'
        end as check_status
    from carried as this_year
    inner join carried as last_year
        on this_year.agency_id = last_year.agency_id
        and this_year.report_scope = last_year.report_scope
        and this_year.report_year = last_year.report_year + 1
        and this_year.col_key = last_year.col_key
    where this_year.row_key = 'carried_over' and last_year.row_key = 'carried_forward'
),

all_checks as (
    select * from identities
    union all
    select * from completeness
    union all
    select * from cross_year
),

final as (
    select
        report_id || ':' || check_id || ':' || subject as quality_check_id,
        report_id,
        check_id,
        case check_id
            when 'I1' then 'new_received + carried_over = total_processed + carried_forward'
            when 'I2' then 'total_processed = sum of outcome leaves'
            when 'I3' then 'total = sum of the six applicant columns'
            when 'I4' then 'total = upheld + corrected + other_result + pending'
            when 'C1' then 'table present in the report'
            when 'S1' then 'carried_over(t) = carried_forward(t-1), same agency and scope'
        end as check_name,
        case when check_id in ('I1', 'I2', 'I3', 'I4') then 'identity'
            when check_id = 'C1' then 'completeness' else 'cross_year' end as check_family,
        subject,
        expected::decimal(20, 6) as expected,
        actual::decimal(20, 6) as actual,
        case check_status when 'passed' then true when 'failed' then false end as passed,
        check_status
    from all_checks
)

select * from final
