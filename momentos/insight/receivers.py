"""Keeps the rollups up to date as interactions close and responses arrive."""
