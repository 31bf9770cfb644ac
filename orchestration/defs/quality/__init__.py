"""Data quality: asset checks wrapping the expectations suites, and exception alerts."""
