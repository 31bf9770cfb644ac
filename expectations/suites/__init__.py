"""Suites as code: raw suites per source table (`raw`) and mart suites per warehouse table (`marts`)."""
