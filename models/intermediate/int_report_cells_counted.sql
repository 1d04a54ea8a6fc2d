{#- The cells each report prints (stg_raw__cells), by which int_reports_ranked ranks the documents of one
    report. Incremental by report, like every model that reads all the cells (macros/build_scope.sql). -#}
with cells as (
    select report_id from {{ ref('stg_raw__cells') }}
    where {{ in_build_scope('report_id') }}
),

final as (
    select report_id, count(*) as cell_count
    from cells
    group by report_id
)

select * from final
