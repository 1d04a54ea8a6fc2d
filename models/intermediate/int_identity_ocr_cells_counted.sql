{#- How many OCR-read cells each identity I1–I4 reads (the cells int_identities_checked sums; the
    rule is macros/identity_checks.sql): a failed identity with OCR cells in it may be a misreading
    as much as a misprint. -#}
with identities as (
    select report_id, check_id, subject from {{ ref('int_identities_checked') }}
    where {{ in_build_scope('report_id') }}
),

template_rows as (
    select * from {{ ref('template_rows') }}
),

ocr_cells as (
    select cells.report_id, cells.table_no, cells.row_key, cells.col_key, template_rows.row_role
    from {{ ref('stg_raw__cells') }} as cells
    left join template_rows
        on template_rows.table_no = cells.table_no
        and template_rows.row_key = cells.row_key
    where cells.read_method = 'ocr' and {{ in_build_scope('cells.report_id') }}
),

{{ identity_ocr_cells() }},

final as (
    select
        report_id || ':' || check_id || ':' || subject as identity_check_id,
        report_id,
        check_id,
        subject,
        ocr_cells
    from identity_ocr_cells
)

select * from final
