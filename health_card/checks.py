"""System checks: production cannot sign card QRs without its keys, so say so at start-up
(`manage.py check --deploy`) rather than at the first card page."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def signing_keys_configured(app_configs, **kwargs):
    if settings.PRODUCTION and not settings.HEALTH_CARD_SIGNING_KEYS:
        return [Error(
            "HEALTH_CARD_SIGNING_KEYS is not set: BHYT card QR codes cannot be signed.",
            hint='Set it to {"0001": "<Ed25519 private key>"} (see README, Environment variables).',
            id="health_card.E001",
        )]
    return []
