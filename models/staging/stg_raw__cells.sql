with source as (
    select * from {{ source('raw', 'cells') }}
),

final as (
    select
        report_id || ':' || table_no || ':' || row_key || ':' || col_key as cell_id,
        report_id,
        table_no,
        row_key,
        col_key,
        value,
        unit,
        raw_text,
        cell_state,
        page,
        line_no,
        read_method,
        placement,
        ocr_confidence,
        row_label as source_row_label
    from source
)

select * from final
