{#- corrections.csv as loaded (extract/load/corrections.py): every row, with the problem that stops it
    (NULL for a row that applies). The loader judged each row against the raw layer of this build. -#}
with source as (
    select * from {{ source('raw', 'corrections') }}
),

final as (
    select
        'line_' || line_no as correction_id,
        line_no,
        source_path,
        table_no_text,
        table_no,
        row_key,
        col_key,
        value_text,
        value,
        cell_state,
        unit,
        note as correction_note,
        report_id,
        case when problem is null then report_id || ':' || table_no || ':' || row_key || ':' || col_key end
            as cell_id,
        problem,
        problem is null as is_applicable,
        file_sha256,
        run_id,
        loaded_at
    from source
)

select * from final
