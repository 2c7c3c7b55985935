{{ config(tags=['dim_user']) }}

select
    cast(login_id as varchar)               as login_id,
    cast(user_id as varchar)                as user_id,
    cast(login_at as timestamp)             as login_at,
    channel
from {{ source( 'bronze' , 'user_logins' ) }}
