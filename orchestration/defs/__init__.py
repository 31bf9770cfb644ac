"""Dagster definitions, grouped by domain: extract, warehouse, quality, planning, publish, automation."""
