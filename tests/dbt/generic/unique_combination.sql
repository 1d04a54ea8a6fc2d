{#- No two rows share the values of `columns`: the key's parts grouped as they are, rather than a key
    concatenated from them (stg_raw__cells: 200 million cells at national scale, where hashing every
    concatenated cell_id again costs twice as much). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n_records
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
