{#- 表二 per report × item × measure. A count is item_count (BIGINT), a 万元 amount is
    amount_10k_yuan (DECIMAL): one of the two is set where the cell is a number.
    A filter of the labelled cells, so a view: the cells are written once, in
    intermediate.int_cells_labelled, not copied again for each cut of them. -#}
with cells as (
    select * from {{ ref('int_cells_labelled') }}
    where is_primary and table_no = 2
),

final as (
    select
        cell_id as disclosure_id,
        report_id,
        {{ report_context() }},
        block as article_item,
        row_key as item_key,
        row_label_zh as item_label_zh,
        row_label_en as item_label_en,
        col_key as measure_key,
        col_label_zh as measure_label_zh,
        col_label_en as measure_label_en,
        count_value as item_count,
        case when is_amount then value end as amount_10k_yuan,
        unit,
        cell_state,
        value_source,
        published_count_value as published_item_count,
        case when is_amount then published_value end as published_amount_10k_yuan,
        published_cell_state,
        correction_note,
        raw_text,
        not is_template_row as is_non_template_row,
        page,
        line_no
    from cells
)

select * from final
