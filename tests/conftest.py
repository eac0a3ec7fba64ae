"""Shared pytest configuration (the repository root is on sys.path via pyproject's pythonpath)."""
