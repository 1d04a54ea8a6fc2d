{{ config(severity='warn') }}
-- Identity I4 (docs/template_spec.md §3). Real reports break it; failures are warnings and
-- the failing rows are kept in marts.fct_data_quality with passed = false.
select *
from {{ ref('fct_data_quality') }}
where check_id = 'I4' and passed = false
