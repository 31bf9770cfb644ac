"""plantsync orchestration."""
