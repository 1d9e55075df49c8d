"""Benchmarks of momentos, run by `make bench` (or `python -m bench`); each prints a ratio against a baseline."""
