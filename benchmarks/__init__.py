"""Benchmarks: speed and peak memory of the pipeline and of its parts (see README.md here)."""
