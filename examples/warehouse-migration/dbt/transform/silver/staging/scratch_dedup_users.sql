-- Scratch query from the dedup investigation (ignored by .dbtignore, never part of the project).
-- If dbt ever read this file, parse would fail: stg_users_legacy does not exist.
select email, count(*) as n
from {{ ref('stg_users_legacy') }}
group by email
having count(*) > 1
