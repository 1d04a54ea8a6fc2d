{#- The identities I1–I4 (docs/template_spec.md §3) judged on what each report printed: a
    correction (corrections.csv) never changes this verdict. The checks: macros/identity_checks.sql. They
    read 表三 and 表四 only, so the cells of 表二 are left out before the template is joined to them. -#}
with cells as not materialized (
    select * replace (published_value as value, published_cell_state as cell_state)
    from {{ ref('int_cells_labelled') }}
    where table_no in (3, 4) and {{ in_build_scope('report_id') }}
),

{{ identity_checks() }},

final as (
    select * from identity_checks
)

select * from final
