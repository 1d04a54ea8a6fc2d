{#- The distinct correction notes of a group, sorted and joined with '; ' (NULL when there is none): the
    same text as string_agg(distinct …, '; ' order by …), which DuckDB computes ten times slower because
    it sorts every row of every group, NULLs included; here only the few notes are collected. -#}
{% macro notes_joined(column) -%}
array_to_string(list_sort(list_distinct(list({{ column }}) filter (where {{ column }} is not null))), '; ')
{%- endmacro %}
