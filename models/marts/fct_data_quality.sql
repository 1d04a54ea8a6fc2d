with identities as (
    select * from {{ ref('int_identity_checks') }}
),

reports as (
    select * from {{ ref('int_reports') }}
),

cells as not materialized (
    select report_id, table_no, row_key, col_key, value, cell_state, read_method from {{ ref('stg_raw__cells') }}
),

{#- Cells counted once per printed row; the completeness checks read these counts. -#}
row_cells as (
    select report_id, table_no, row_key, count(*) as cell_count from cells group by report_id, table_no, row_key
),

table_presence as (
    select report_id, table_no, sum(cell_count) as cell_count from row_cells group by report_id, table_no
),

tables as (
    select 2 as table_no union all select 3 union all select 4
),

completeness as (
    select
        reports.report_id,
        'C1' as check_id,
        'table_' || tables.table_no as subject,
        1::bigint as expected,
        (table_presence.cell_count is not null)::bigint as actual,
        case when table_presence.cell_count is not null then 'passed' else 'failed' end as check_status
    from reports
    cross join tables
    left join table_presence
        on table_presence.report_id = reports.report_id
        and table_presence.table_no = tables.table_no
),

template_rows as (
    select * from {{ ref('template_rows') }}
),

{#- A 2021 report may print （六）其他处理 as one row (the 2019 layout) or as its three
    sub-rows: either satisfies the same requirement. -#}
requirements as (
    select
        table_no,
        row_key,
        case
            when table_no = 3 and row_key in ('other_handling', 'other_no_correction', 'other_fee_unpaid', 'other_other')
                then 'other_handling'
            else row_key
        end as requirement,
        in_2019,
        in_2021
    from template_rows
    where is_template_row
),

version_requirements as (
    select '2019' as template_version, table_no, row_key, requirement from requirements where in_2019
    union all
    select '2021' as template_version, table_no, row_key, requirement from requirements where in_2021
),

expected_rows as (
    select template_version, table_no, count(distinct requirement) as expected_rows
    from version_requirements
    group by template_version, table_no
),

present_rows as (
    select
        row_cells.report_id,
        row_cells.table_no,
        count(distinct version_requirements.requirement) as present_rows
    from row_cells
    inner join reports
        on reports.report_id = row_cells.report_id
    inner join version_requirements
        on version_requirements.template_version = reports.template_version
        and version_requirements.table_no = row_cells.table_no
        and version_requirements.row_key = row_cells.row_key
    group by row_cells.report_id, row_cells.table_no
),

row_completeness as (
    select
        reports.report_id,
        'C2' as check_id,
        'table_' || expected_rows.table_no || '_rows' as subject,
        expected_rows.expected_rows as expected,
        coalesce(present_rows.present_rows, 0) as actual,
        case
            when table_presence.cell_count is null then 'not_evaluable'
            when coalesce(present_rows.present_rows, 0) = expected_rows.expected_rows then 'passed'
            else 'failed'
        end as check_status
    from reports
    inner join expected_rows
        on expected_rows.template_version = reports.template_version
    left join present_rows
        on present_rows.report_id = reports.report_id
        and present_rows.table_no = expected_rows.table_no
    left join table_presence
        on table_presence.report_id = reports.report_id
        and table_presence.table_no = expected_rows.table_no
),

one_report_per_year as (
    select *
    from reports
    where is_identified and is_primary
),

carried as (
    select
        one_report_per_year.report_id,
        one_report_per_year.agency_id,
        one_report_per_year.report_scope,
        one_report_per_year.report_year,
        cells.row_key,
        cells.col_key,
        cells.value,
        cells.cell_state
    from one_report_per_year
    inner join cells
        on cells.report_id = one_report_per_year.report_id
    where cells.table_no = 3 and cells.row_key in ('carried_over', 'carried_forward')
),

cross_year as (
    select
        this_year.report_id,
        'S1' as check_id,
        this_year.col_key as subject,
        last_year.value as expected,
        this_year.value as actual,
        case
            when 'text' in (this_year.cell_state, last_year.cell_state) then 'not_evaluable'
            {#- stored as published (NULL when blank); compared with blank and dash as 0, as in I1–I4 #}
            when coalesce(this_year.value, 0) = coalesce(last_year.value, 0) then 'passed'
            else 'failed'
        end as check_status
    from carried as this_year
    inner join carried as last_year
        on this_year.agency_id = last_year.agency_id
        and this_year.report_scope = last_year.report_scope
        and this_year.report_year = last_year.report_year + 1
        and this_year.col_key = last_year.col_key
    where this_year.row_key = 'carried_over' and last_year.row_key = 'carried_forward'
),

documents as (
    select
        one_report_per_year.report_id,
        one_report_per_year.agency_id,
        one_report_per_year.report_scope,
        one_report_per_year.report_year,
        cells.row_key,
        max(cells.value) filter (where cells.col_key = 'issued') as issued,
        max(cells.value) filter (where cells.col_key = 'repealed') as repealed,
        max(cells.value) filter (where cells.col_key = 'in_force') as in_force,
        bool_and(cells.cell_state = 'number') as all_numbers,
        count(*) as cell_count
    from one_report_per_year
    inner join cells
        on cells.report_id = one_report_per_year.report_id
    where one_report_per_year.template_version = '2021'
        and cells.table_no = 2
        and cells.row_key in ('regulations', 'normative_documents')
        and cells.col_key in ('issued', 'repealed', 'in_force')
    group by all
),

roll_forward as (
    select
        this_year.report_id,
        'S2' as check_id,
        this_year.row_key as subject,
        last_year.in_force + this_year.issued - this_year.repealed as expected,
        this_year.in_force as actual,
        case
            when not (this_year.all_numbers and last_year.all_numbers)
                or this_year.cell_count < 3 or last_year.cell_count < 3 then 'not_evaluable'
            when last_year.in_force + this_year.issued - this_year.repealed = this_year.in_force then 'passed'
            else 'failed'
        end as check_status
    from documents as this_year
    inner join documents as last_year
        on this_year.agency_id = last_year.agency_id
        and this_year.report_scope = last_year.report_scope
        and this_year.report_year = last_year.report_year + 1
        and this_year.row_key = last_year.row_key
),

duplicate_pairs as (
    select report_id, duplicate_of_report_id from reports where duplicate_of_report_id is not null
),

pair_cells as (
    select pairs.report_id, cells.table_no, cells.row_key, cells.col_key, cells.value, cells.cell_state,
        'this' as side
    from duplicate_pairs as pairs
    inner join cells on cells.report_id = pairs.report_id
    union all
    select pairs.report_id, cells.table_no, cells.row_key, cells.col_key, cells.value, cells.cell_state,
        'primary' as side
    from duplicate_pairs as pairs
    inner join cells on cells.report_id = pairs.duplicate_of_report_id
),

compared as (
    select
        report_id,
        count(*) filter (where side = 'this') = 0 or count(*) filter (where side = 'primary') = 0
            or max(value) filter (where side = 'this') is distinct from max(value) filter (where side = 'primary')
            or max(cell_state) filter (where side = 'this') is distinct from
                max(cell_state) filter (where side = 'primary') as differs
    from pair_cells
    group by report_id, table_no, row_key, col_key
),

duplicate_conflicts as (
    select
        duplicate_pairs.report_id,
        'D1' as check_id,
        'cells_differing_from_' || duplicate_pairs.duplicate_of_report_id as subject,
        0 as expected,
        count(*) filter (where compared.differs) as actual,
        case when count(*) filter (where compared.differs) = 0 then 'passed' else 'failed' end as check_status
    from duplicate_pairs
    left join compared on compared.report_id = duplicate_pairs.report_id
    group by duplicate_pairs.report_id, duplicate_pairs.duplicate_of_report_id
),

{#- OCR-read cells each identity reads (the same cells int_identity_checks sums): a failed
    identity with OCR cells in it may be a misreading as much as a misprint. -#}
ocr_cells as (
    select cells.report_id, cells.table_no, cells.row_key, cells.col_key, template_rows.row_role
    from cells
    left join template_rows
        on template_rows.table_no = cells.table_no
        and template_rows.row_key = cells.row_key
    where cells.read_method = 'ocr'
),

identity_ocr_cells as (
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
),

all_checks as (
    select report_id, check_id, subject, expected, actual, check_status from identities
    union all
    select * from completeness
    union all
    select * from row_completeness
    union all
    select * from cross_year
    union all
    select * from roll_forward
    union all
    select * from duplicate_conflicts
),

final as (
    select
        all_checks.report_id || ':' || all_checks.check_id || ':' || all_checks.subject as quality_check_id,
        all_checks.report_id,
        all_checks.check_id,
        case all_checks.check_id
            when 'I1' then 'new_received + carried_over = total_processed + carried_forward'
            when 'I2' then 'total_processed = sum of outcome leaves'
            when 'I3' then 'total = sum of the six applicant columns'
            when 'I4' then 'total = upheld + corrected + other_result + pending'
            when 'C1' then 'table present in the report'
            when 'C2' then 'every template row of the table present (format of the report)'
            when 'S1' then 'carried_over(t) = carried_forward(t-1), same agency and scope'
            when 'S2' then 'in_force(t) = in_force(t-1) + issued(t) - repealed(t), same agency and scope'
            when 'D1' then 'a second document of the same report prints the same cells as the primary one'
        end as check_name,
        case when all_checks.check_id in ('I1', 'I2', 'I3', 'I4') then 'identity'
            when all_checks.check_id in ('C1', 'C2') then 'completeness'
            when all_checks.check_id = 'D1' then 'duplicate' else 'cross_year' end as check_family,
        all_checks.subject,
        all_checks.expected::bigint as expected,
        all_checks.actual::bigint as actual,
        case all_checks.check_status when 'passed' then true when 'failed' then false end as passed,
        all_checks.check_status,
        identity_ocr_cells.ocr_cells,
        coalesce(all_checks.check_status = 'failed' and identity_ocr_cells.ocr_cells > 0, false) as failed_with_ocr_cells
    from all_checks
    left join identity_ocr_cells
        on identity_ocr_cells.report_id = all_checks.report_id
        and identity_ocr_cells.check_id = all_checks.check_id
        and identity_ocr_cells.subject = all_checks.subject
)

select * from final
