"""plantsync optimization."""
