{#- Incremental builds by report (docs/incremental.md). A refresh writes raw.build_scope: the reports
    that changed since the last build (added, re-read, withdrawn, deleted, corrected) and every other
    report of their agencies, old and new (extract/run/scope.py). An incremental model computes its rows
    for those reports only (`where {{ in_build_scope('report_id') }}`); the strategy `report_scope`
    deletes every row of those reports, the ones gone from raw included, and inserts the new rows.
    A full build (`dbt build --full-refresh`, `gongkai refresh --full`, a changed project) ignores the
    scope and computes every row. -#}
{% macro in_build_scope(column) -%}
{%- set scope = source('raw', 'build_scope') -%}
{%- if is_incremental() -%}
{{ column }} in (select report_id from {{ scope }})
{%- else -%}
true
{%- endif -%}
{%- endmacro %}


{% macro get_incremental_report_scope_sql(arg_dict) -%}
{%- set target = arg_dict['target_relation'] -%}
{%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
delete from {{ target }} where report_id in (select report_id from {{ source('raw', 'build_scope') }});
insert into {{ target }} ({{ columns }}) select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
