{{ config(tags=['dim_user']) }}

{# TODO: add the 2019-2023 sign-ups from ref('stg_users_legacy') once the archive is migrated #}
select
    signup_date,
    signup_channel,
    region,
    count(*)                                    as signups,
    count(*) filter (where marketing_opt_in)    as signups_opted_in
from {{ ref("mas_users") }}
group by all
