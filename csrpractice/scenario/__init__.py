"""Scenarios: the YAML format, the loader and validator, and the library."""
