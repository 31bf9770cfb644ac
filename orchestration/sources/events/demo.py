"""The demo's machine state events and quality inspections, as monthly JSON-lines files per plant."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from orchestration.demo.writer import PlantData, Writer, by_month, dump_jsonl
from orchestration.sources.kind import KindDemo

if TYPE_CHECKING:
    from orchestration.sources.kind import SourceKind


def render(kind: SourceKind, w: Writer, d: PlantData, as_of: date, start: date) -> None:
    code = d.plant.code
    e, q = d.events, d.inspections
    machine = pd.DataFrame({"event_id": e.event_no.map(lambda n: f"{code}-E{n:07d}"), "machine": e.work_center_code,
                            "ts": e.event_time.dt.strftime("%Y-%m-%dT%H:%M:%S"), "state": e.state,
                            "reason": e.reason, "_month": e.event_time.dt.date})
    quality = pd.DataFrame({"inspection_id": q.inspection_no.map(lambda n: f"{code}-Q{n:07d}"),
                            "ts": q.inspected_at.dt.strftime("%Y-%m-%dT%H:%M:%S"),
                            "item": q.item_id.map(d.item_code), "machine": q.work_center_code,
                            "inspected": q.inspected_qty, "rejected": q.rejected_qty, "defect": q.defect_code,
                            "_month": q.inspected_at.dt.date})
    for entity, frame in (("machine_events", machine), ("quality_inspections", quality)):
        for month, part in by_month(frame, "_month", as_of):
            w.file(code, kind.entity(entity), Path("events") / f"{entity}_{month[:6]}.jsonl", part, dump_jsonl)


DEMO = KindDemo(render=render, faulty=frozenset({"machine_events", "quality_inspections"}))
