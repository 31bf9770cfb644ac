"""Machine state changes and quality inspections each plant sends as JSON lines, beside its ERP:
`<entity>_<YYYYMM>.jsonl` in the plant's `events_path`."""

from __future__ import annotations

from orchestration.sources.events.connector import JsonLinesConnector
from orchestration.sources.events.demo import DEMO
from orchestration.sources.kind import SourceKind, entity

ENTITIES = (
    entity("machine_events", "machine_events", "event_id machine ts state reason", "event_id",
           required="event_id machine ts state", work_centers="machine",
           allowed={"state": "RUNNING DOWN PLANNED_DOWN IDLE"}, iso_datetime_t="ts"),
    entity("quality_inspections", "quality_inspections",
           "inspection_id ts item machine inspected rejected defect", "inspection_id", item="item",
           required="inspection_id ts item machine inspected rejected", non_negative="inspected rejected",
           work_centers="machine", number="inspected rejected", iso_datetime_t="ts"),
)

KIND = SourceKind(
    name="events", raw_prefix="events", entities=ENTITIES,
    connect=lambda config, plant, simulated: JsonLinesConnector(
        plant.code, config.resolve(plant.events_path or f"{plant.code}/events")),
    demo=DEMO, file_based=True)
