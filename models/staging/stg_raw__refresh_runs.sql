with source as (
    select * from {{ source('raw', 'refresh_runs') }}
),

final as (
    select
        run_id,
        started_at,
        finished_at,
        status as run_status,
        reports_dir,
        files_seen,
        files_new,
        files_changed,
        files_unchanged,
        files_removed,
        files_failed,
        cells_loaded,
        dbt_status,
        parser_version,
        message
    from source
)

select * from final
