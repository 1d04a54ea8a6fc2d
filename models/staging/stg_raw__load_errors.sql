with source as (
    select * from {{ source('raw', 'load_errors') }}
),

final as (
    select
        source_path,
        sha256,
        error_class,
        message,
        run_id,
        occurred_at
    from source
)

select * from final
