"""`SMS_BACKEND` names a backend that exists (notifications/checks.py): a wrong name passed
`check --deploy`, then every SMS failed with ModuleNotFoundError."""

import pytest

from notifications.checks import claim_outlasts_a_try, sms_backend_exists


@pytest.mark.parametrize("backend", ["nonsense.Backend", "notifications.sms.NoSuchBackend", "nodots",
                                     "notifications.sms.logger"])
def test_an_sms_backend_that_cannot_send_is_a_system_check_error(settings, backend):
    settings.SMS_BACKEND = backend
    [error] = sms_backend_exists(None)
    assert error.id == "notifications.E001" and f"SMS_BACKEND={backend}" in error.msg


@pytest.mark.parametrize("backend", ["HttpGatewaySmsBackend", "FileSmsBackend", "ConsoleSmsBackend"])
def test_the_portal_sms_backends_pass(settings, backend):
    settings.SMS_BACKEND = f"notifications.sms.{backend}"
    assert sms_backend_exists(None) == []


@pytest.mark.parametrize(("claim", "soft", "hard", "ids"), [
    (60, 20, 30, []),
    (30, 20, 30, ["notifications.E002"]),  # a hold that runs out as the try may still be sending
    (180, 150, 150, ["notifications.E003"]),  # no soft limit before the hard one
])
def test_a_hold_on_a_message_that_a_live_try_could_outlast_is_a_system_check_error(settings, claim, soft, hard, ids):
    settings.NOTIFICATION_CLAIM_SECONDS = claim
    settings.NOTIFICATION_TASK_SOFT_TIME_LIMIT, settings.NOTIFICATION_TASK_TIME_LIMIT = soft, hard
    assert [error.id for error in claim_outlasts_a_try(None)] == ids
