"""Demo medical visits (called by demo.py)."""


def seed(*, persons, seed) -> str:
    return ""
