{#- 表三's four request counts per report × applicant type: the six applicant types only. The
    总计 column the report prints is in fct_published_totals, so that sum() over this table is the
    sum of the parts and never counts a request twice. The four counts are corrected where
    corrections.csv corrects them (value_source = 'correction'); published_<count> is what was printed. -#}
with cells as (
    select * from {{ ref('int_cells_labelled') }}
    where is_primary and table_no = 3 and not is_total_column
        and row_key in ('new_received', 'carried_over', 'total_processed', 'carried_forward')
        and {{ in_build_scope('report_id') }}
),

final as (
    select
        report_id || ':' || col_key as request_id,
        report_id,
        {{ report_context(aggregate='any_value') }},
        col_key as applicant_type,
        case when col_key = 'natural_person' then 'natural_person' else 'legal_person_or_other_org' end
            as applicant_group,
        any_value(col_label_zh) as applicant_label_zh,
        any_value(col_label_en) as applicant_label_en,
        max(count_value) filter (where row_key = 'new_received') as new_received,
        max(cell_state) filter (where row_key = 'new_received') as new_received_state,
        max(count_value) filter (where row_key = 'carried_over') as carried_over,
        max(cell_state) filter (where row_key = 'carried_over') as carried_over_state,
        max(count_value) filter (where row_key = 'total_processed') as total_processed,
        max(cell_state) filter (where row_key = 'total_processed') as total_processed_state,
        max(count_value) filter (where row_key = 'carried_forward') as carried_forward,
        max(cell_state) filter (where row_key = 'carried_forward') as carried_forward_state,
        case when bool_or(value_source = 'correction') then 'correction' else 'published' end as value_source,
        max(published_count_value) filter (where row_key = 'new_received') as published_new_received,
        max(published_count_value) filter (where row_key = 'carried_over') as published_carried_over,
        max(published_count_value) filter (where row_key = 'total_processed') as published_total_processed,
        max(published_count_value) filter (where row_key = 'carried_forward') as published_carried_forward,
        {{ notes_joined('correction_note') }} as correction_note
    from cells
    group by report_id, col_key
)

select * from final
