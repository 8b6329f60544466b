"""System checks: `SMS_BACKEND` names a backend that exists and a delivery's hold on its message
outlasts the delivery task's hard time limit (every `manage.py` command, in any environment), and
in production SMS leave through the gateway, not into a log or a file where
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


@register()
def claim_outlasts_a_try(app_configs, **kwargs):
    """A hold that runs out while its try still lives lets a second run take the message over as a
    dead worker's and send it again beside it (services.message_deliver)."""
    soft, hard = settings.NOTIFICATION_TASK_SOFT_TIME_LIMIT, settings.NOTIFICATION_TASK_TIME_LIMIT
    errors = []
    if settings.NOTIFICATION_CLAIM_SECONDS <= hard:
        errors.append(Error(
            f"NOTIFICATION_CLAIM_SECONDS={settings.NOTIFICATION_CLAIM_SECONDS} is not longer than "
            f"NOTIFICATION_TASK_TIME_LIMIT={hard}: a try still sending could be taken over and its message sent twice.",
            hint="Leave NOTIFICATION_CLAIM_SECONDS unset (the hard limit + 30 s) or set it above the hard limit.",
            id="notifications.E002",
        ))
    if not 0 < soft < hard:
        errors.append(Error(
            f"NOTIFICATION_TASK_SOFT_TIME_LIMIT={soft} is not between 0 and NOTIFICATION_TASK_TIME_LIMIT={hard}: "
            "a slow try would be ended without being told to stop first.",
            hint="Defaults: 20 and 30 seconds (README, Environment variables).",
            id="notifications.E003",
        ))
    return errors
