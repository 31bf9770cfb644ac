"""Freshness suite: every plant has an extract, and none is older than the plant's allowed age.

Runs on one row per plant: plant_code, latest_extract_at, age_hours, max_extract_age_hours, and
hours_over_limit (age minus allowed age; positive means stale).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe


def build_extract_freshness_suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(name="raw.extract_freshness", expectations=[
        gxe.ExpectColumnValuesToNotBeNull(column="latest_extract_at",
                                          meta={"rule": "freshness", "field": "latest_extract_at", "blocking": False}),
        gxe.ExpectColumnValuesToBeBetween(column="hours_over_limit", max_value=0,
                                          meta={"rule": "freshness", "field": "age_hours", "blocking": False}),
    ])
