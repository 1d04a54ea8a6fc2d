{#- Use the configured schema name as is (raw, staging, intermediate, marts, seeds),
    not dbt's default "<target>_<custom>" concatenation: these names are the public contract. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
