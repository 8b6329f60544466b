"""System checks: production runs on its real services (`manage.py check --deploy`).

Without `DATABASE_URL` the portal would keep its data in the SQLite file beside the code; without
`REDIS_URL` every gunicorn worker would keep its own cache, so a one-time code sent from one worker
is refused by the others and each worker counts its own rate limits, and tasks would run inside
web requests. Both load fine, so they are named here rather than found by the first citizen.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.database, Tags.caches, deploy=True)
def production_services_configured(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return []
    errors = []
    database = settings.DATABASES["default"]
    if Path(database["NAME"]) == settings.BASE_DIR / "db.sqlite3":
        errors.append(Error(
            "DATABASE_URL is not set: production would keep its data in the SQLite file db.sqlite3.",
            hint="Set DATABASE_URL=postgres://user:password@host:5432/db (README, Environment variables).",
            id="vssid_portal.E001",
        ))
    if not settings.REDIS_URL:
        errors.append(Error(
            "REDIS_URL is not set: each server process would keep its own cache (one-time codes sent by one "
            "process are refused by the others, rate limits are counted per process) and tasks would run "
            "inside web requests.",
            hint="Set REDIS_URL=redis://host:6379/0 (README, Environment variables).",
            id="vssid_portal.E002",
        ))
    return errors
