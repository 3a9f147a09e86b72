"""Touchpoint warehouse orchestration: ingestion, dbt assets, schedules and sensors."""
