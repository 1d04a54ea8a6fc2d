with errors as (
    select * from {{ ref('stg_raw__load_errors') }}
),

final as (
    select
        source_path,
        sha256,
        error_class,
        message,
        run_id,
        occurred_at
    from errors
)

select * from final
