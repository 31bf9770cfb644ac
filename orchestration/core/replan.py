"""Bounded autonomous re-planning: a machine-down event becomes a scenario; the re-plan is published
only if it stays inside the limits the network config sets, otherwise it waits for an analyst.

The limits, all measured against a plan of the same inputs without the outage:
- the cost increase, as a share of that plan's cost (`max_cost_increase_share`);
- the share of any plant's load (work-center hours over the horizon) that moves (`max_load_moved_share`);
- no change inside the frozen horizon (`frozen_periods`): the near plan is already being executed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from optimization.scenario import MOVE_THRESHOLD, Scenario

HOURS_PER_PERIOD = 7 * 24


@dataclass(frozen=True)
class ReplanLimits:
    max_cost_increase_share: float
    max_load_moved_share: float
    frozen_periods: int

    @classmethod
    def from_settings(cls, settings: dict) -> ReplanLimits:
        limits = settings.get("autonomous_replan", {})
        return cls(max_cost_increase_share=float(limits.get("max_cost_increase_share", 0.02)),
                   max_load_moved_share=float(limits.get("max_load_moved_share", 0.25)),
                   frozen_periods=int(settings.get("frozen_periods", 1)))


@dataclass(frozen=True)
class MachineDown:
    """A machine-down event as the sensor found it; times are plant-local, as the feed writes them."""

    plant_code: str
    machine: str
    event_id: str
    down_at: datetime
    up_at: datetime
    reason: str

    @property
    def work_center_id(self) -> str:
        return f"{self.plant_code}-{self.machine}"

    def describe(self) -> str:
        return (f"{self.work_center_id} down from {self.down_at:%Y-%m-%d %H:%M} to {self.up_at:%Y-%m-%d %H:%M} "
                f"({self.reason or 'no reason given'}, event {self.event_id})")

    def as_tags(self) -> dict[str, str]:
        return {"trigger": "machine_down", "plant": self.plant_code, "machine": self.machine,
                "event_id": self.event_id, "down_at": self.down_at.isoformat(), "up_at": self.up_at.isoformat(),
                "reason": self.reason[:100]}

    @classmethod
    def from_tags(cls, tags: dict[str, str]) -> MachineDown:
        return cls(plant_code=tags["plant"], machine=tags["machine"], event_id=tags["event_id"],
                   down_at=datetime.fromisoformat(tags["down_at"]), up_at=datetime.fromisoformat(tags["up_at"]),
                   reason=tags.get("reason", ""))

    @classmethod
    def from_event(cls, plant_code: str, event: dict, assumed_outage_hours: float) -> MachineDown:
        """From one feed line; `expected_up` when the event says when the machine is back."""
        down_at = datetime.fromisoformat(event["ts"])
        up = event.get("expected_up")
        up_at = datetime.fromisoformat(up) if up else down_at + timedelta(hours=assumed_outage_hours)
        return cls(plant_code, str(event["machine"]), str(event["event_id"]), down_at, up_at,
                   str(event.get("reason") or ""))


def outage_scenario(event: MachineDown, period_starts: list[pd.Timestamp], frozen_periods: int) -> Scenario:
    """The work center keeps, in each weekly period, the share of the week it is not down."""
    cuts = []
    for period, start in enumerate(period_starts, start=1):
        end = start + pd.Timedelta(days=7)
        overlap = (min(end, pd.Timestamp(event.up_at)) - max(start, pd.Timestamp(event.down_at))).total_seconds()
        if overlap > 0:
            cuts.append((event.work_center_id, 1 - overlap / 3600 / HOURS_PER_PERIOD, period, period))
    return Scenario(name=f"event:{event.event_id}", capacity_share=cuts, frozen_periods=frozen_periods)


@dataclass(frozen=True)
class LimitCheck:
    cost_change_share: float
    max_load_moved_share: float
    frozen_units_changed: float
    breaches: list[str]

    @property
    def within_limits(self) -> bool:
        return not self.breaches


def check_limits(limits: ReplanLimits, base: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame],
                 base_cost: float, new_cost: float) -> LimitCheck:
    """Measure the re-plan against the limits; every breach is a sentence an analyst can act on."""
    cost_share = (new_cost - base_cost) / base_cost if base_cost else 0.0
    keys = ["plant_code", "work_center_id", "period"]
    hours = base["capacity"][[*keys, "used_hours"]].merge(
        new["capacity"][[*keys, "used_hours"]], on=keys, how="outer", suffixes=("_base", "_new")).fillna(0)
    hours["moved"] = (hours.used_hours_new - hours.used_hours_base).abs()
    per_plant = hours.groupby("plant_code")[["moved", "used_hours_base"]].sum()
    shares = (per_plant.moved / per_plant.used_hours_base.where(per_plant.used_hours_base > 0)).fillna(0)
    frozen = 0.0
    for table, key in (("production", ["plant_code", "item_id", "period"]),
                       ("transfers", ["from_plant_code", "to_plant_code", "item_id", "period"])):
        both = base[table][[*key, "qty"]].merge(new[table][[*key, "qty"]], on=key, how="outer",
                                                suffixes=("_base", "_new")).fillna(0)
        near = both[both.period <= limits.frozen_periods]
        frozen += float((near.qty_new - near.qty_base).abs().sum())
    breaches = []
    if cost_share > limits.max_cost_increase_share:
        breaches.append(f"cost rises {cost_share:.1%}, above the limit of {limits.max_cost_increase_share:.1%}")
    for plant, share in shares.items():
        if share > limits.max_load_moved_share:
            breaches.append(f"{share:.0%} of plant {plant}'s load moves, above the limit of "
                            f"{limits.max_load_moved_share:.0%}")
    if frozen > MOVE_THRESHOLD:
        breaches.append(f"{frozen:,.0f} units change inside the frozen horizon "
                        f"(periods 1-{limits.frozen_periods})")
    return LimitCheck(cost_share, float(shares.max()) if len(shares) else 0.0, frozen, breaches)
