"""Benchmarks: run with `make bench` (python -m benchmarks.run). Results go in BENCHMARKS.md."""
