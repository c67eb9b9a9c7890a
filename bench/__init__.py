"""Benchmark helpers: a deterministic synthetic data generator in the samkart ontology."""
