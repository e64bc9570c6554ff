"""Screenings for hiring managers: packs (YAML), the locked flow's results, their signatures, and reports."""
