with source as (
    select * from {{ source('raw', 'reports') }}
),

final as (
    select
        report_id,
        sha256,
        source_path,
        source_format,
        read_method,
        title,
        agency_name,
        'ag_' || substr(md5(coalesce(agency_key, agency_name, 'unknown:' || report_id)), 1, 12) as agency_id,
        agency_key,
        division_code,
        area_name,
        region_basis,
        source_url,
        report_year,
        template_version,
        version_basis,
        report_scope,
        region_name,
        published_date,
        parser_version,
        status as report_status,
        withdrawn_run,
        run_id,
        extracted_at
    from source
)

select * from final
