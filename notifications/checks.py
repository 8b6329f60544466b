"""System checks: in production, SMS leave through the gateway, not into a log or a file where
one-time codes and temporary passwords would stay readable (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

WRITES_MESSAGES_DOWN = {"notifications.sms.ConsoleSmsBackend", "notifications.sms.FileSmsBackend"}


@register(Tags.security, deploy=True)
def sms_backend_sends(app_configs, **kwargs):
    if settings.PRODUCTION and settings.SMS_BACKEND in WRITES_MESSAGES_DOWN:
        return [Warning(
            f"SMS_BACKEND={settings.SMS_BACKEND} writes every SMS, codes and temporary passwords included, to a "
            "log or a file instead of sending it.",
            hint="Use notifications.sms.HttpGatewaySmsBackend with SMS_GATEWAY_URL (README, Environment variables).",
            id="notifications.W001",
        )]
    return []
