{#
    Union several models by column name, tagging every row with where it came from.

    relations:      a list of (model_name, label) tuples, e.g.
                    [('stg_users_web', 'web'), ('stg_users_app', 'app')]
    source_column:  the name of the column that receives the label

    Columns missing from one input come out as NULL (DuckDB's UNION ALL BY NAME). The model names
    are plain strings: the ref() happens here, so the models that call this macro carry no ref()
    of their own for these inputs.
#}
{% macro union_relations_by_name(relations, source_column='source_channel') -%}
    {%- for model_name, label in relations %}
    select *, '{{ label }}' as {{ source_column }}
    from {{ ref(model_name) }}
    {%- if not loop.last %}
    union all by name
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
