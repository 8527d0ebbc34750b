"""Benchmarks of the budgets in DESIGN.md; each prints its figures and the ratio to a baseline."""
