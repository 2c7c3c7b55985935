{{ config(tags=["dim_user"]) }}

-- App sign-ups. Legacy job: LOAD_USERS_APP.ktr
select
    cast(user_id as varchar)                as user_id,
    lower(trim(email))                      as email,
    first_name,
    last_name,
    upper(country_code)                     as country_code,
    cast(signup_at as timestamp)            as signup_at,
    device_os,
    app_version
from {{ source("bronze", "users_app") }}
