{#- The report's context carried on every fact (agency, year, region), so that most questions
    need no join: `{{ report_context() }}`, `{{ report_context('totals') }}` for a qualified
    relation, `{{ report_context(aggregate='any_value') }}` in a grouped select. -#}
{% macro report_context(relation=none, aggregate=none) -%}
{%- set columns = ['agency_id', 'agency_name', 'report_year', 'province', 'prefecture', 'county'] -%}
{%- for column in columns -%}
{%- set qualified = (relation ~ '.' ~ column) if relation else column -%}
{{ aggregate ~ '(' ~ qualified ~ ') as ' ~ column if aggregate else qualified }}{{ ',\n        ' if not loop.last }}
{%- endfor -%}
{%- endmacro %}
