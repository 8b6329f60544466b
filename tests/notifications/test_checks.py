"""`SMS_BACKEND` names a backend that exists (notifications/checks.py): a wrong name passed
`check --deploy`, then every SMS failed with ModuleNotFoundError."""

import pytest

from notifications.checks import sms_backend_exists


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
