"""The outbox's sweeps: the SMS and e-mail log is kept a whole year (365 days) after a message was
delivered or given up, and deleted once that year is over; a message left waiting for a retry whose
task was lost is dispatched again whatever its tries, also after NOTIFICATION_MAX_ATTEMPTS was lowered
to them or below."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications import services
from notifications.models import Message
from notifications.services import messages_delete_old

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("status", [Message.Status.SENT, Message.Status.FAILED])
def test_the_sms_and_email_log_is_kept_a_whole_year_and_deleted_once_it_is_over(django_user_model, status):
    user = django_user_model.objects.create_user(username="7901234567", password="x-Pass-2026!")

    def logged(key, channel, age):
        row = Message.objects.create(channel=channel, recipient="+84912345678" if channel == Message.Channel.SMS
                                     else "duc@example.vn", user=user, template="welcome", body="Nội dung",
                                     status=status, idempotency_key=key)
        Message.objects.filter(pk=row.pk).update(updated_at=NOW - age)

    year = timedelta(days=365)
    logged("sms-within-the-year", Message.Channel.SMS, year - timedelta(hours=1))
    logged("email-within-the-year", Message.Channel.EMAIL, year - timedelta(hours=1))
    logged("sms-past-the-year", Message.Channel.SMS, year + timedelta(hours=1))
    logged("email-past-the-year", Message.Channel.EMAIL, year + timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        assert messages_delete_old() == 2
    assert set(Message.objects.values_list("idempotency_key", flat=True)) == {"sms-within-the-year",
                                                                             "email-within-the-year"}


@pytest.mark.parametrize("attempts", [2, 3, 4], ids=["a try left", "at the new limit", "past it"])
def test_the_sweep_takes_up_a_message_left_waiting_whatever_its_tries_after_the_limit_was_lowered(
        monkeypatch, settings, attempts):
    """A message was waiting for its retry when NOTIFICATION_MAX_ATTEMPTS was lowered; its task was
    lost. However many tries it has had, at, below or past the new limit, the sweep dispatches it
    again (and its delivery then sends it or gives it up): it is never left pending for ever."""
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    dispatched = []
    monkeypatch.setattr(services, "dispatch_delivery", dispatched.append)
    waiting = Message.objects.create(channel=Message.Channel.SMS, recipient="+84912345678", template="welcome",
                                     body="Xin chào", idempotency_key="waiting-after-lowering", attempts=attempts)
    Message.objects.filter(pk=waiting.pk).update(updated_at=timezone.now() - timedelta(days=1))
    assert services.messages_redispatch_pending() == 1
    assert dispatched == [waiting.pk]
