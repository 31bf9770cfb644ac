"""plantsync expectations."""
