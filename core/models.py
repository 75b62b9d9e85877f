"""Shared abstract models (no tables of their own)."""
