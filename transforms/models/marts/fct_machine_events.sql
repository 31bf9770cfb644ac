{{ config(materialized='incremental', unique_key='event_id', incremental_strategy='delete+insert',
          on_schema_change='fail') }}
-- Incremental: a run takes only newly loaded events, plus each work center's last event whose duration
-- was still open (its next state change may have arrived in this load).
with events as (
    select
        e.event_id,
        e.plant_code,
        e.state,
        e.reason,
        e.loaded_at,
        e.plant_code || '-' || e.work_center_code as work_center_id,
        timezone(tz.time_zone, e.event_at_local) as event_at_utc
    from {{ ref('stg_events__machine_events') }} as e
    inner join {{ ref('int_plant_time_zones') }} as tz using (plant_code)
    qualify row_number() over (partition by e.plant_code, e.event_id order by e.loaded_at desc) = 1
),

timed as (
    select
        *,
        lead(event_at_utc) over (partition by work_center_id order by event_at_utc, event_id) as next_at
    from events
)

select
    cast(event_id as varchar) as event_id,
    cast(plant_code as varchar) as plant_code,
    cast(work_center_id as varchar) as work_center_id,
    cast(event_at_utc as timestamptz) as event_at_utc,
    cast(state as varchar) as state,
    cast(reason as varchar) as reason,
    cast(date_diff('second', event_at_utc, next_at) / 60.0 as double) as duration_minutes,
    cast(loaded_at as timestamptz) as loaded_at
from timed
{% if is_incremental() %}
    where
        loaded_at > (select max(loaded_at) from {{ this }})
        or event_id in (
            select event_id from {{ this }}
            where duration_minutes is null
        )
{% endif %}
