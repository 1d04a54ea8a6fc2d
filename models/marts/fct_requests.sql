with cells as (
    select * from {{ ref('int_cells_labelled') }}
    where is_primary and table_no = 3
        and row_key in ('new_received', 'carried_over', 'total_processed', 'carried_forward')
),

final as (
    select
        report_id || ':' || col_key as request_id,
        report_id,
        col_key as applicant_type,
        any_value(col_label_zh) as applicant_label_zh,
        any_value(col_label_en) as applicant_label_en,
        max(value) filter (where row_key = 'new_received') as new_received,
        max(cell_state) filter (where row_key = 'new_received') as new_received_state,
        max(value) filter (where row_key = 'carried_over') as carried_over,
        max(cell_state) filter (where row_key = 'carried_over') as carried_over_state,
        max(value) filter (where row_key = 'total_processed') as total_processed,
        max(cell_state) filter (where row_key = 'total_processed') as total_processed_state,
        max(value) filter (where row_key = 'carried_forward') as carried_forward,
        max(cell_state) filter (where row_key = 'carried_forward') as carried_forward_state
    from cells
    group by report_id, col_key
)

select * from final
