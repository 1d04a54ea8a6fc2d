with reports as (
    select * from {{ ref('stg_raw__reports') }}
),

final as (
    select
        agency_id,
        arg_max(agency_name, report_year) as agency_name,
        list_distinct(list(agency_name)) as name_variants,
        arg_max(region_name, report_year) as region_name,
        arg_max(report_scope, report_year) as report_scope,
        min(report_year) as first_report_year,
        max(report_year) as last_report_year,
        count(*) as report_count
    from reports
    group by agency_id
)

select * from final
