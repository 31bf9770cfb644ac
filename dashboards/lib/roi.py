"""Payback from measured effects: what the network's own history and plans show, priced by assumptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from dashboards.lib import kpis
from dashboards.lib.plans import current_plan_id, horizon, sync_summary
from dashboards.lib.warehouse import query

WEEKS_PER_YEAR = 52


@dataclass(frozen=True)
class Effects:
    """Before (first window of history) and after (last window), plus the plan's overtime saving."""

    inventory_before_eur: float
    inventory_after_eur: float
    otif_before: float
    otif_after: float
    revenue_per_year_eur: float
    overtime_hours_saved_per_year: float


@dataclass(frozen=True)
class Payback:
    inventory_eur: float
    on_time_eur: float
    overtime_eur: float

    @property
    def per_year_eur(self) -> float:
        return self.inventory_eur + self.on_time_eur + self.overtime_eur


def measured_effects(window_days: int) -> Effects:
    first, last = kpis.first_day(), kpis.latest_day()
    before = kpis.network_averages(first, first + timedelta(days=window_days - 1))
    after = kpis.network_averages(*kpis.period(last, window_days))
    revenue = query("""SELECT sum(net_value_eur) AS eur, greatest(date_diff('day', min(order_date), max(order_date)), 1)
                       AS days FROM marts.fct_order_lines""").iloc[0]
    summary = sync_summary(current_plan_id()).set_index("metric")
    periods = horizon(current_plan_id())
    overtime = summary.loc["overtime_hours"] if "overtime_hours" in summary.index else None
    saved = 0.0 if overtime is None else -overtime.difference * WEEKS_PER_YEAR / periods
    return Effects(before.inventory_value_eur, after.inventory_value_eur, before.otif_rate, after.otif_rate,
                   float(revenue.eur or 0) * 365 / revenue.days, saved)


def payback(effects: Effects, carrying_rate: float, margin: float, overtime_cost_per_hour: float) -> Payback:
    """A year's benefit: carrying cost of the stock no longer held, margin on the orders now on time,
    overtime no longer worked."""
    return Payback((effects.inventory_before_eur - effects.inventory_after_eur) * carrying_rate,
                   (effects.otif_after - effects.otif_before) * effects.revenue_per_year_eur * margin,
                   effects.overtime_hours_saved_per_year * overtime_cost_per_hour)


def months_to_payback(investment_eur: float, per_year_eur: float) -> float | None:
    """None when the measured effects do not pay the investment back at all."""
    return investment_eur / (per_year_eur / 12) if per_year_eur > 0 else None
