"""System checks: production runs on its real services (`manage.py check --deploy`).

Without `DATABASE_URL` the portal would keep its data in the SQLite file beside the code; without
`REDIS_URL` every gunicorn worker would keep its own cache, so a one-time code sent from one worker
is refused by the others and each worker counts its own rate limits, and tasks would run inside
web requests. Both load fine, so they are named here rather than found by the first citizen.
A wildcard in `ALLOWED_HOSTS` without `PORTAL_PUBLIC_URL` lets a client's Host header into the links
the portal mails and prints.
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


@register(Tags.security, deploy=True)
def links_not_built_from_any_host(app_configs, **kwargs):
    """The link mailed to confirm an address typed on a filing and the verify link printed on every
    statement start with PORTAL_PUBLIC_URL, else with the scheme and host of the request: Django
    checks that host against ALLOWED_HOSTS, which checks nothing for "*" and accepts any subdomain
    for ".example.vn", so that a client could have the portal mail a link to a host of its own."""
    if not settings.PRODUCTION or settings.PORTAL_PUBLIC_URL:
        return []
    wildcards = [host for host in settings.ALLOWED_HOSTS if host == "*" or host.startswith(".")]
    if not wildcards:
        return []
    return [Error(
        f"ALLOWED_HOSTS accepts any host ({', '.join(wildcards)}) and PORTAL_PUBLIC_URL is not set: the links mailed "
        "to confirm an e-mail address and printed on statements would start with whatever Host header a client sends.",
        hint="Set PORTAL_PUBLIC_URL=https://bhxh.example.vn, or list the portal's exact host names in ALLOWED_HOSTS.",
        id="vssid_portal.E003",
    )]
