"""Demo data of the health_card app for `manage.py seed_demo`: cards, then medical visits."""

from . import demo_cards, demo_visits


def seed(*, persons, seed) -> str:
    return "; ".join(part for part in (demo_cards.seed(persons=persons, seed=seed),
                                       demo_visits.seed(persons=persons, seed=seed)) if part)
