"""plantsync dashboards."""
