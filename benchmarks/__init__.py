"""Benchmarks (`make bench`): throughput, latency, rate limiting, memory, start-up, assess."""
