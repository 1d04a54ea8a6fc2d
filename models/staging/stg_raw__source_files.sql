with source as (
    select * from {{ source('raw', 'source_files') }}
),

final as (
    select
        source_path,
        sha256,
        source_format,
        size_bytes,
        status as file_status,
        report_id,
        parser_version,
        first_seen_run,
        last_changed_run,
        last_seen_run,
        updated_at
    from source
)

select * from final
