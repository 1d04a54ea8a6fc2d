with source as (
    select * from {{ source('raw', 'fetch_log') }}
),

final as (
    select
        fetch_id,
        fetch_run_id,
        refresh_run_id,
        seq,
        requested_at,
        url,
        source_url,
        source_line,
        role as url_role,
        outcome,
        http_status,
        attempts,
        file as source_path,
        size_bytes,
        sha256,
        content_type,
        detected_format,
        elapsed_ms,
        message
    from source
)

select * from final
