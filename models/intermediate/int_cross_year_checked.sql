{#- Cross-year checks, one row per report × check × subject (docs/template_spec.md §3.2), between
    the primary documents of identified reports of the same agency and scope in consecutive years,
    on the cells as printed: S1, this year's 上年结转 = last year's 结转下年度 per 表三 column; S2,
    现行有效件数 rolls forward (2021 format, 表二 regulations and normative documents). -#}
with one_report_per_year as (
    select * from {{ ref('int_reports_ranked') }}
    where is_identified and is_primary and {{ in_build_scope('report_id') }}
),

cells as not materialized (
    select report_id, table_no, row_key, col_key, value, cell_state from {{ ref('stg_raw__cells') }}
    where {{ in_build_scope('report_id') }}
),

carried as (
    select
        one_report_per_year.report_id,
        one_report_per_year.agency_id,
        one_report_per_year.report_scope,
        one_report_per_year.report_year,
        cells.row_key,
        cells.col_key,
        cells.value,
        cells.cell_state
    from one_report_per_year
    inner join cells
        on cells.report_id = one_report_per_year.report_id
    where cells.table_no = 3 and cells.row_key in ('carried_over', 'carried_forward')
),

carry_over as (
    select
        this_year.report_id,
        'S1' as check_id,
        this_year.col_key as subject,
        last_year.value as expected,
        this_year.value as actual,
        case
            when 'text' in (this_year.cell_state, last_year.cell_state) then 'not_evaluable'
            {#- stored as published (NULL when blank); compared with blank and dash as 0, as in I1–I4 #}
            when coalesce(this_year.value, 0) = coalesce(last_year.value, 0) then 'passed'
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

documents as (
    select
        one_report_per_year.report_id,
        one_report_per_year.agency_id,
        one_report_per_year.report_scope,
        one_report_per_year.report_year,
        cells.row_key,
        max(cells.value) filter (where cells.col_key = 'issued') as issued,
        max(cells.value) filter (where cells.col_key = 'repealed') as repealed,
        max(cells.value) filter (where cells.col_key = 'in_force') as in_force,
        bool_and(cells.cell_state = 'number') as all_numbers,
        count(*) as cell_count
    from one_report_per_year
    inner join cells
        on cells.report_id = one_report_per_year.report_id
    where one_report_per_year.template_version = '2021'
        and cells.table_no = 2
        and cells.row_key in ('regulations', 'normative_documents')
        and cells.col_key in ('issued', 'repealed', 'in_force')
    group by all
),

roll_forward as (
    select
        this_year.report_id,
        'S2' as check_id,
        this_year.row_key as subject,
        last_year.in_force + this_year.issued - this_year.repealed as expected,
        this_year.in_force as actual,
        case
            when not (this_year.all_numbers and last_year.all_numbers)
                or this_year.cell_count < 3 or last_year.cell_count < 3 then 'not_evaluable'
            when last_year.in_force + this_year.issued - this_year.repealed = this_year.in_force then 'passed'
            else 'failed'
        end as check_status
    from documents as this_year
    inner join documents as last_year
        on this_year.agency_id = last_year.agency_id
        and this_year.report_scope = last_year.report_scope
        and this_year.report_year = last_year.report_year + 1
        and this_year.row_key = last_year.row_key
),

final as (
    select report_id || ':' || check_id || ':' || subject as quality_check_id, *
    from carry_over
    union all
    select report_id || ':' || check_id || ':' || subject as quality_check_id, *
    from roll_forward
)

select * from final
