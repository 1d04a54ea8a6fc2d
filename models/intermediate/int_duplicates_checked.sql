{#- D1, one row per duplicate document: does it print the same cells as its report's primary
    document (int_reports_ranked)? actual = the cells that differ in value or state, or that
    only one of the two prints. Judged on the cells as printed. -#}
with duplicate_pairs as (
    select report_id, duplicate_of_report_id from {{ ref('int_reports_ranked') }}
    where duplicate_of_report_id is not null and {{ in_build_scope('report_id') }}
),

cells as not materialized (
    select report_id, table_no, row_key, col_key, value, cell_state from {{ ref('stg_raw__cells') }}
    where {{ in_build_scope('report_id') }}
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

checks as (
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

final as (
    select report_id || ':' || check_id || ':' || subject as quality_check_id, *
    from checks
)

select * from final
