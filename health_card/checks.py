"""System checks: production cannot sign card QRs without its keys, so say so at start-up
(`manage.py check --deploy`) rather than at the first card page; a malformed key or key id is
named by every `manage.py` command (migrate, runserver, check), in any environment."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from .keys import private_keys


@register(Tags.security, deploy=True)
def signing_keys_configured(app_configs, **kwargs):
    if settings.PRODUCTION and not settings.HEALTH_CARD_SIGNING_KEYS:
        return [Error(
            "HEALTH_CARD_SIGNING_KEYS is not set: BHYT card QR codes cannot be signed.",
            hint='Set it to {"0001": "<Ed25519 private key>"} (see README, Environment variables).',
            id="health_card.E001",
        )]
    return []


@register(Tags.security)
def signing_keys_valid(app_configs, **kwargs):
    if not settings.HEALTH_CARD_SIGNING_KEYS:
        return []  # production: E001 above; development: a key is made on first use
    try:
        private_keys()
    except ImproperlyConfigured as exc:
        return [Error(
            str(exc),
            hint='HEALTH_CARD_SIGNING_KEYS is {"<4-digit key id>": "<Ed25519 private key, 32 bytes base64url>"}, '
                 "and HEALTH_CARD_SIGNING_KEY_ID, when set, one of its ids (README, Environment variables).",
            id="health_card.E002",
        )]
    return []
