{#- The accounting identities I1–I4 of docs/template_spec.md §3, one row per report × check × subject,
    over a CTE named `cells` (the columns of int_cells_labelled) that the caller defines: the cells
    as printed (int_identities_checked) or with the corrections applied (int_corrections_checked).
    A check is evaluated only when every cell it needs is printed. Blank and dash cells count as
    0, except that a blank published total beside non-zero parts is an unfilled total (e.g. 上海
    2019) and is not evaluated. A text cell makes the check not evaluable. Values are compared as
    given; nothing is repaired. A cell is unique by report, table, row and column (tested on
    cell_id), so a row is counted with count(), not count(distinct).
    The macro writes CTEs ending in `identity_checks` (identity_check_id, report_id, check_id,
    subject, expected, actual, check_status); the caller selects from it. -#}
{% macro identity_checks() %}
t3 as (
    select * from cells where table_no = 3
),

t3_sums as (
    select
        report_id,
        col_key,
        max(case when row_key = 'new_received' then 1 else 0 end) as has_new,
        max(case when row_key = 'carried_over' then 1 else 0 end) as has_over,
        max(case when row_key = 'total_processed' then 1 else 0 end) as has_total,
        max(case when row_key = 'carried_forward' then 1 else 0 end) as has_forward,
        sum(case when row_key in ('new_received', 'carried_over') then coalesce(value, 0) end) as i1_parts,
        sum(case when row_key in ('total_processed', 'carried_forward') then coalesce(value, 0) end) as i1_totals,
        max(case when row_key = 'total_processed' then cell_state end) as total_state,
        sum(case when row_key = 'total_processed' then coalesce(value, 0) end) as total_processed,
        count(case when row_role = 'outcome' and outcome_group <> 'other' then row_key end) as core_leaves,
        max(case when row_key = 'other_handling' then 1 else 0 end) as has_other_row,
        count(case when row_key in ('other_no_correction', 'other_fee_unpaid', 'other_other') then row_key end) as other_subrows,
        sum(case when row_role = 'outcome' and outcome_group <> 'other' then coalesce(value, 0) end) as core_sum,
        sum(case when row_key = 'other_handling' then coalesce(value, 0) end) as other_row_sum,
        sum(case when row_key in ('other_no_correction', 'other_fee_unpaid', 'other_other')
            then coalesce(value, 0) end) as other_subrow_sum,
        max(case when row_key in ('new_received', 'carried_over', 'total_processed', 'carried_forward')
            and cell_state = 'text' then 1 else 0 end) as i1_text,
        max(case when (row_role = 'outcome' or row_key = 'total_processed') and cell_state = 'text'
            then 1 else 0 end) as i2_text
    from t3
    group by report_id, col_key
),

i1 as (
    select
        report_id,
        'I1' as check_id,
        col_key as subject,
        i1_parts as expected,
        i1_totals as actual,
        case
            when i1_text = 1 then 'not_evaluable'
            when total_state in ('blank', 'dash') and i1_parts <> 0 then 'not_evaluable'
            when i1_parts = i1_totals then 'passed'
            else 'failed'
        end as check_status
    from t3_sums
    where has_new = 1 and has_over = 1 and has_total = 1 and has_forward = 1
),

i2 as (
    select
        report_id,
        'I2' as check_id,
        col_key as subject,
        core_sum + case when other_subrows = 3 then other_subrow_sum else other_row_sum end as expected,
        total_processed as actual,
        case
            when i2_text = 1 then 'not_evaluable'
            when total_state in ('blank', 'dash')
                and core_sum + case when other_subrows = 3 then other_subrow_sum else other_row_sum end <> 0
                then 'not_evaluable'
            when core_sum + case when other_subrows = 3 then other_subrow_sum else other_row_sum end = total_processed
                then 'passed'
            else 'failed'
        end as check_status
    from t3_sums
    where has_total = 1 and core_leaves = 18 and (other_subrows = 3 or has_other_row = 1)
),

row_sums as (
    select
        report_id,
        table_no,
        row_key,
        count(*) filter (where col_key <> 'total') as part_cells,
        max(case when col_key = 'total' then 1 else 0 end) as has_total,
        sum(coalesce(value, 0)) filter (where col_key <> 'total') as parts,
        sum(coalesce(value, 0)) filter (where col_key = 'total') as total,
        max(case when col_key = 'total' then cell_state end) as total_state,
        max(case when cell_state = 'text' then 1 else 0 end) as has_text
    from cells
    where table_no in (3, 4)
    group by report_id, table_no, row_key
),

i3_i4 as (
    select
        report_id,
        case when table_no = 3 then 'I3' else 'I4' end as check_id,
        row_key as subject,
        parts as expected,
        total as actual,
        case
            when has_text = 1 then 'not_evaluable'
            when total_state in ('blank', 'dash') and parts <> 0 then 'not_evaluable'
            when parts = total then 'passed'
            else 'failed'
        end as check_status
    from row_sums
    where has_total = 1 and part_cells = case when table_no = 3 then 6 else 4 end
),

checks as (
    select * from i1
    union all
    select * from i2
    union all
    select * from i3_i4
),

identity_checks as (
    select report_id || ':' || check_id || ':' || subject as identity_check_id, *
    from checks
)
{% endmacro %}


{#- How many cells read by OCR each identity I1–I4 of `identities` (report_id, check_id, subject)
    reads, over a CTE named `ocr_cells` (report_id, table_no, row_key, col_key, row_role) the caller
    defines: the same cells identity_checks() sums. Writes the CTE `identity_ocr_cells`. -#}
{% macro identity_ocr_cells() %}
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
    where identities.check_id in ('I1', 'I2', 'I3', 'I4')
    group by identities.report_id, identities.check_id, identities.subject
)
{% endmacro %}
