"""Benchmarks of the portal (timings live here, never in `make test`)."""
