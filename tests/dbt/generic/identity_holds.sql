{#- An identity (docs/template_spec.md §3) holds: the rows of a quality fact where check `check_id`
    failed. Real reports break the identities, so the test warns (failures stay in
    marts.fct_data_quality with passed = false) and the warehouse still builds. Applied to
    fct_data_quality once per identity (models/marts/quality/fct_data_quality.yml). -#}
{% test identity_holds(model, check_id) %}
{{ config(severity='warn') }}
select *
from {{ model }}
where check_id = '{{ check_id }}' and passed = false
{% endtest %}
