{#- The identities I1–I4 (docs/template_spec.md §3) judged on what each report printed: a
    correction (corrections.csv) never changes this verdict. The checks: macros/identity_checks.sql. -#}
with cells as not materialized (
    select * replace (published_value as value, published_cell_state as cell_state)
    from {{ ref('int_cells_labelled') }}
    where {{ in_build_scope('report_id') }}
),

{{ identity_checks() }},

final as (
    select * from identity_checks
)

select * from final
