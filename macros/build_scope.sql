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
{{ build_scope_predicate(column, scope) }}
{%- else -%}
true
{%- endif -%}
{%- endmacro %}


{#- `column in (…)`: the scope's report ids written out (quoted) when there are up to 50,000 of them, so that
    DuckDB filters the scan of raw.cells under the views' joins (a subquery would be a semi join above them,
    after the join of every cell); a larger scope, or `written_out` false (a table: the semi join is on its
    scan), reads raw.build_scope. -#}
{% macro build_scope_predicate(column, scope, written_out=true) -%}
{%- set ids = run_query('select report_id from ' ~ scope ~ ' order by 1 limit 50001').columns[0].values()
    if execute and written_out else [] -%}
{%- if not written_out or ids | length > 50000 -%}
{{ column }} in (select report_id from {{ scope }})
{%- elif ids -%}
{{ column }} in ({% for id in ids %}'{{ id | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor %})
{%- else -%}
false
{%- endif -%}
{%- endmacro %}


{#- The strategy report_scope: every row of the scope's reports replaced by the new ones (only those: a row
    of another report would be there twice). -#}
{% macro get_incremental_report_scope_sql(arg_dict) -%}
{%- set target = arg_dict['target_relation'] -%}
{%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
{%- set scope = source('raw', 'build_scope') -%}
delete from {{ target }} where report_id in (select report_id from {{ scope }});
insert into {{ target }} ({{ columns }})
select {{ columns }} from {{ arg_dict['temp_relation'] }}
where report_id in (select report_id from {{ scope }})
{%- endmacro %}


{#- The strategy agency_scope (dim_agencies, unique_key agency_id): a row per agency, which depends on every
    report of the agency. The model computes the rows of the agencies of the scope's reports (the scope holds
    every report of an agency it touches, extract/run/scope.py); those rows are replaced, and the rows of
    agencies left without a report in int_reports_ranked (their last reports gone from raw) are deleted. No
    other agency has a report that changed, so its row is the one the last build wrote. -#}
{% macro get_incremental_agency_scope_sql(arg_dict) -%}
{%- set target = arg_dict['target_relation'] -%}
{%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
delete from {{ target }}
where agency_id in (select agency_id from {{ arg_dict['temp_relation'] }})
    or agency_id not in (select agency_id from {{ ref('int_reports_ranked') }} where agency_id is not null);
insert into {{ target }} ({{ columns }})
select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}


{#- A data test of a relation kept by report (an incremental model by report_id, or a view with meta
    by_report) reads, in an incremental build (var build_scope), the rows of the reports in the scope only:
    the others are those the last build tested, unchanged. Every key tested unique begins with the
    report_id. A full build tests every row; so does every build for a model kept by another key
    (dim_agencies, by agency: a row per agency, few). -#}
{% macro get_where_subquery(relation) -%}
{%- set where = config.get('where') -%}
{%- set tested = graph.nodes.get(model.get('attached_node')) if execute else none -%}
{%- if var('build_scope', false) and tested is not none
        and ((tested.config.materialized == 'incremental' and tested.config.unique_key == 'report_id')
             or tested.config.meta.get('by_report')) -%}
{%- set scope = api.Relation.create(database=relation.database, schema='raw', identifier='build_scope') -%}
{%- set in_scope = build_scope_predicate('report_id', scope, tested.config.materialized == 'view') -%}
{%- set where = '(' ~ where ~ ') and ' ~ in_scope if where else in_scope -%}
{%- endif -%}
{%- if where -%}
{%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
{%- else -%}
{%- do return(relation) -%}
{%- endif -%}
{%- endmacro %}
