"""Payback from measured effects: the network's history before and after plantsync began planning, and
the plan's overtime against each plant planning alone, priced by assumptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from dashboards.lib import kpis
from dashboards.lib.plans import current_plan_id, horizon, sync_summary
from dashboards.lib.warehouse import query

WEEKS_PER_YEAR = 52


@dataclass(frozen=True)
class Effects:
    """History up to the first plan (before) against history after it (after), plus the plan's overtime
    saving. A window is None where there is no history on that side: then nothing is measured there."""

    first_plan_at: datetime
    before: tuple[date, date] | None
    after: tuple[date, date] | None
    inventory_before_eur: float | None
    inventory_after_eur: float | None
    otif_before: float | None
    otif_after: float | None
    revenue_per_year_eur: float
    overtime_hours_saved_per_year: float

    @property
    def measured(self) -> bool:
        """Whether history on both sides of the first plan measures stock and on-time effects."""
        return self.before is not None and self.after is not None


@dataclass(frozen=True)
class Payback:
    inventory_eur: float
    on_time_eur: float
    overtime_eur: float

    @property
    def per_year_eur(self) -> float:
        return self.inventory_eur + self.on_time_eur + self.overtime_eur


def first_plan_at() -> datetime:
    """When plantsync began planning: its first plan version."""
    return pd.Timestamp(query("SELECT min(made_at) AS made_at FROM plans.plan_versions").made_at.iloc[0])


def windows(plan_day: date, first: date, last: date, days: int) -> tuple[tuple[date, date] | None, ...]:
    """Up to `days` days of history ending on the first plan's day (the data it planned from), and the
    latest up to `days` days after that day; None where history has no day on that side."""
    before = (max(first, plan_day - timedelta(days=days - 1)), plan_day) if plan_day >= first else None
    after = (max(plan_day + timedelta(days=1), last - timedelta(days=days - 1)), last) if last > plan_day else None
    return before, after


def measured_effects(window_days: int) -> Effects:
    began = first_plan_at()
    before, after = windows(began.date(), kpis.first_day(), kpis.latest_day(), window_days)
    stock_before = otif_before = stock_after = otif_after = None
    if before and after:
        earlier, later = kpis.network_averages(*before), kpis.network_averages(*after)
        stock_before, otif_before = earlier.inventory_value_eur, earlier.otif_rate
        stock_after, otif_after = later.inventory_value_eur, later.otif_rate
    revenue = query("""SELECT sum(net_value_eur) AS eur, greatest(date_diff('day', min(order_date), max(order_date)), 1)
                       AS days FROM marts.fct_order_lines""").iloc[0]
    summary = sync_summary(current_plan_id()).set_index("metric")
    periods = horizon(current_plan_id())
    overtime = summary.loc["overtime_hours"] if "overtime_hours" in summary.index else None
    saved = 0.0 if overtime is None else -overtime.difference * WEEKS_PER_YEAR / periods
    return Effects(began, before, after, stock_before, stock_after, otif_before, otif_after,
                   float(revenue.eur or 0) * 365 / revenue.days, saved)


def payback(effects: Effects, carrying_rate: float, margin: float, overtime_cost_per_hour: float) -> Payback:
    """A year's benefit: carrying cost of the stock no longer held, margin on the orders now on time (both
    only when history after the first plan measures them), overtime the plan no longer needs."""
    overtime = effects.overtime_hours_saved_per_year * overtime_cost_per_hour
    if not effects.measured:
        return Payback(0.0, 0.0, overtime)
    return Payback((effects.inventory_before_eur - effects.inventory_after_eur) * carrying_rate,
                   (effects.otif_after - effects.otif_before) * effects.revenue_per_year_eur * margin, overtime)


def months_to_payback(investment_eur: float, per_year_eur: float) -> float | None:
    """None when the measured effects do not pay the investment back at all."""
    return investment_eur / (per_year_eur / 12) if per_year_eur > 0 else None
