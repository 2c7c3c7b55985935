{{ config(tags=['dim_user']) }}

{% set countries = ref('country_codes') %}

-- One row per customer. A customer who signed up on both channels keeps the first sign-up.
with unioned as (
    {{ union_relations_by_name([('stg_users_web', 'web'), ('stg_users_app', 'app')], source_column='signup_channel') }}
),

ranked as (
    select
        *,
        row_number() over (partition by user_id order by signup_at) as signup_rank
    from unioned
)

select
    r.user_id,
    r.email,
    r.first_name,
    r.last_name,
    r.country_code,
    c.country_name,
    c.region,
    r.signup_at,
    cast(r.signup_at as date)                   as signup_date,
    r.signup_channel,
    coalesce(r.marketing_opt_in, false)         as marketing_opt_in,
    r.device_os
from ranked as r
left join {{ countries }} as c
    on c.country_code = r.country_code
where r.signup_rank = 1
