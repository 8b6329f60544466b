"""System checks: production keys the BHXH-code lookup's audit of client addresses with its own key
(`manage.py check --deploy`), not with SECRET_KEY, whose rotation would hash one address otherwise."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def code_lookup_audit_key_configured(app_configs, **kwargs):
    if settings.PRODUCTION and not settings.CODE_LOOKUP_AUDIT_KEY:
        return [Error(
            "CODE_LOOKUP_AUDIT_KEY is not set: the BHXH-code lookup's audit hashes client addresses with "
            "SECRET_KEY, so after a rotation of SECRET_KEY the lookups from one address are no longer linked.",
            hint="Set CODE_LOOKUP_AUDIT_KEY to a random value, e.g. `openssl rand -hex 32`, and keep it "
                 "(README, Environment variables).",
            id="accounts.E001",
        )]
    return []
