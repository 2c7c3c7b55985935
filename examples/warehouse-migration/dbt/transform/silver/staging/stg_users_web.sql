{{ config(tags=['dim_user']) }}

-- Web sign-ups. Legacy job: LOAD_USERS_WEB.ktr
select
    cast(user_id as varchar)                as user_id,
    lower(trim(email))                      as email,
    first_name,
    last_name,
    upper(country_code)                     as country_code,
    cast(signup_at as timestamp)            as signup_at,
    marketing_opt_in = 'Y'                  as marketing_opt_in
from {{ source('bronze', 'users_web') }}
