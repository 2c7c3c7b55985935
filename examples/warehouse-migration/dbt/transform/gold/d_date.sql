-- Calendar dimension shared by every subject area (no dimension tag: it belongs to nobody).
select
    cast(day as date)                           as date_day,
    extract(year from day)                      as year,
    extract(month from day)                     as month,
    strftime(day, '%Y-%m')                      as year_month,
    extract(isodow from day)                    as iso_day_of_week,
    extract(isodow from day) in (6, 7)          as is_weekend
from range(timestamp '2026-01-01', timestamp '2027-01-01', interval 1 day) as t(day)
