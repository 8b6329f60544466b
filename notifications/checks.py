"""System checks: `SMS_BACKEND` names a backend that exists (every `manage.py` command, in any
environment), and in production SMS leave through the gateway, not into a log or a file where
one-time codes and temporary passwords would stay readable (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string

WRITES_MESSAGES_DOWN = {"notifications.sms.ConsoleSmsBackend", "notifications.sms.FileSmsBackend"}


@register()
def sms_backend_exists(app_configs, **kwargs):
    try:
        backend = import_string(settings.SMS_BACKEND)
    except ImportError as exc:
        problem = str(exc)
    else:
        if callable(getattr(backend, "send", None)):
            return []
        problem = "it has no send() method"
    return [Error(
        f"SMS_BACKEND={settings.SMS_BACKEND} is not an SMS backend ({problem}): no SMS could be sent.",
        hint="notifications.sms.HttpGatewaySmsBackend, …FileSmsBackend or …ConsoleSmsBackend "
             "(README, Environment variables).",
        id="notifications.E001",
    )]


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
