{#- A view, so it always shows the final status of every run, the one that built this warehouse included. -#}
with runs as (
    select * from {{ ref('stg_raw__refresh_runs') }}
),

final as (
    select
        run_id,
        started_at,
        finished_at,
        date_diff('millisecond', started_at, finished_at) / 1000.0 as duration_seconds,
        run_status,
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
    from runs
)

select * from final
