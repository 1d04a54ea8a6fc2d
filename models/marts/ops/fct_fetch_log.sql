{#- A view (the ops folder's config), like fct_refresh_runs: every fetch carried into raw, the one of
    this run included. -#}
with fetches as (
    select * from {{ ref('stg_raw__fetch_log') }}
),

outcomes as (
    select * from {{ ref('fetch_outcomes') }}
),

reports as (
    select report_id, sha256 from {{ ref('dim_reports') }}
),

final as (
    select
        fetches.fetch_id,
        fetches.fetch_run_id,
        fetches.refresh_run_id,
        fetches.seq,
        fetches.requested_at,
        fetches.url,
        fetches.source_url,
        fetches.source_line,
        fetches.url_role,
        fetches.outcome,
        outcomes.is_failure,
        fetches.http_status,
        fetches.attempts,
        fetches.source_path,
        reports.report_id,
        fetches.size_bytes,
        fetches.sha256,
        fetches.content_type,
        fetches.detected_format,
        fetches.elapsed_ms,
        fetches.message
    from fetches
    left join outcomes on fetches.outcome = outcomes.outcome
    left join reports on fetches.sha256 = reports.sha256
)

select * from final
