{#- How many OCR-read cells each identity I1–I4 reads (the cells int_identities_checked sums): a
    failed identity with OCR cells in it may be a misreading as much as a misprint. -#}
with identities as (
    select report_id, check_id, subject from {{ ref('int_identities_checked') }}
    where check_id in ('I1', 'I2', 'I3', 'I4')
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
    where cells.read_method = 'ocr'
),

final as (
    select
        identities.report_id,
        identities.check_id,
        identities.subject,
        count(ocr_cells.report_id) as ocr_cells
    from identities
    left join ocr_cells
        on ocr_cells.report_id = identities.report_id
        and (
            (identities.check_id = 'I1' and ocr_cells.table_no = 3 and ocr_cells.col_key = identities.subject
                and ocr_cells.row_key in ('new_received', 'carried_over', 'total_processed', 'carried_forward'))
            or (identities.check_id = 'I2' and ocr_cells.table_no = 3 and ocr_cells.col_key = identities.subject
                and (ocr_cells.row_role = 'outcome' or ocr_cells.row_key = 'total_processed'))
            or (identities.check_id = 'I3' and ocr_cells.table_no = 3 and ocr_cells.row_key = identities.subject)
            or (identities.check_id = 'I4' and ocr_cells.table_no = 4 and ocr_cells.row_key = identities.subject)
        )
    group by identities.report_id, identities.check_id, identities.subject
)

select * from final
