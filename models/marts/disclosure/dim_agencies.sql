{#-
  One agency, across years and name variants: keyed by its division, development zone and
  the rest of its name (extract/parse/region.py). Type from seeds/agency_types.csv (the first
  pattern, by priority, that the latest name matches); level from its division, township
  for 乡/镇/街道 bodies. Built from the primary documents; an agency whose documents are all
  withdrawn is still listed (from those documents, with report_count 0), so every
  dim_reports.agency_id resolves. Incremental by agency: a refresh recomputes the agencies of
  the reports of its build scope, every document of theirs (macros/build_scope.sql, agency_scope).
-#}
with documents as (
    select * from {{ ref('int_reports_ranked') }}
    where agency_id is not null
    {%- if is_incremental() %}
        and agency_id in (select agency_id from {{ ref('int_reports_ranked') }} where {{ in_build_scope('report_id') }})
    {%- endif %}
),

reports as (
    select *
    from documents
    where is_primary
        or agency_id not in (select agency_id from documents where is_primary)
),

agency_types as (
    select * from {{ ref('agency_types') }}
),

latest as (
    select
        agency_id,
        arg_max(agency_name, report_year) as agency_name,
        list_sort(list_distinct(list(agency_name))) as name_variants,
        arg_max(region_name, report_year) as region_name,
        arg_max(report_scope, report_year) as report_scope,
        arg_max(division_code, report_year) as division_code,
        arg_max(division_level, report_year) as division_level,
        arg_max(province, report_year) as province,
        arg_max(prefecture, report_year) as prefecture,
        arg_max(county, report_year) as county,
        arg_max(area_name, report_year) as area_name,
        min(report_year) as first_report_year,
        max(report_year) as last_report_year,
        count(*) filter (where is_primary) as report_count
    from reports
    group by agency_id
),

typed as (
    select
        latest.*,
        case when latest.report_scope = 'region_aggregate' then 'region_aggregate'
            else agency_types.agency_type end as agency_type
    from latest
    left join agency_types
        on regexp_matches(coalesce(latest.agency_name, ''), agency_types.pattern)
    qualify row_number() over (partition by latest.agency_id order by agency_types.priority) = 1
),

final as (
    select
        typed.agency_id,
        typed.agency_name,
        typed.name_variants,
        typed.agency_type,
        agency_types.label_zh as agency_type_zh,
        agency_types.label_en as agency_type_en,
        case
            when typed.agency_type = 'township' then 'township'
            else typed.division_level
        end as agency_level,
        typed.report_scope,
        typed.division_code,
        typed.province,
        typed.prefecture,
        typed.county,
        typed.area_name,
        typed.region_name,
        typed.first_report_year,
        typed.last_report_year,
        typed.report_count
    from typed
    left join agency_types on agency_types.agency_type = typed.agency_type
)

select * from final
