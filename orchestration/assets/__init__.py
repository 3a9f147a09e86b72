"""Dagster assets: raw tables from the landing folder, dbt models, and the published copy."""
