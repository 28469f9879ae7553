"""Benchmarks of issue 5: run ``python bench/run.py``."""
