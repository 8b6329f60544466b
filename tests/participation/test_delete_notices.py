"""An officer's correction that deletes periods tells the people whose history lost them as an added
or changed period does: one in-portal notice and one SMS per person per deletion, naming the types
and months taken out, to whom people_told_of names, and only once the deletion is committed."""

import pytest
from django.db import transaction

from notifications.models import Message
from participation.models import Period
from participation.services.periods import period_delete
from tests.accounts.helpers import make_person
from tests.benefits.helpers import child_of
from tests.benefits.helpers import citizen as citizen_with

from .helpers import period

SMS_LIMIT = 134  # two concatenated UCS-2 segments, as for the import's notice


def told(user):
    return Message.objects.filter(user=user, template="participation_removed")


def test_a_deleted_period_tells_its_person_once_after_the_commit(citizen, django_capture_on_commit_callbacks):
    stored = period(citizen.person, "01/2019", "12/2019")
    with django_capture_on_commit_callbacks() as callbacks:
        period_delete(periods=Period.objects.filter(pk=stored.pk))
        assert not Message.objects.filter(channel=Message.Channel.SMS).exclude(status=Message.Status.PENDING).exists()
    assert callbacks, "nothing waits for the commit"
    assert sorted(told(citizen).values_list("channel", flat=True)) == [Message.Channel.INBOX, Message.Channel.SMS]
    sms = told(citizen).get(channel=Message.Channel.SMS)
    assert "01/2019–12/2019" in sms.body and "BHXH bắt buộc" in sms.body, sms.body
    assert len(sms.body) <= SMS_LIMIT, sms.body
    assert told(citizen).get(channel=Message.Channel.INBOX).link.endswith("tiep=%2Fqua-trinh-tham-gia%2Fbhxh%2F")


def test_deleting_several_periods_of_one_person_tells_them_once(citizen, django_capture_on_commit_callbacks):
    stored = [period(citizen.person, "01/2019", "12/2019").pk,
              period(citizen.person, "01/2020", "06/2020", kind=Period.Kind.BHYT).pk]
    with django_capture_on_commit_callbacks(execute=True):
        period_delete(periods=Period.objects.filter(pk__in=stored))
    assert told(citizen).count() == 2  # one notice, one SMS
    notice = told(citizen).get(channel=Message.Channel.INBOX)
    assert "2 giai đoạn" in notice.subject + notice.body and "01/2019–06/2020" in notice.body, notice.body


def test_a_deletion_rolled_back_tells_nobody(citizen):
    stored = period(citizen.person, "01/2019", "12/2019")
    with pytest.raises(RuntimeError), transaction.atomic():
        period_delete(periods=Period.objects.filter(pk=stored.pk))
        raise RuntimeError
    assert not Message.objects.exists()


def test_the_people_told_are_those_people_told_of_names(reference_data, django_capture_on_commit_callbacks):
    parent = citizen_with()
    child = child_of(parent)
    without_login = make_person("7901234599", "Lê Văn Tâm", id_number="079088012399")
    stored = [period(child, "01/2024", "06/2024").pk, period(without_login, "01/2024", "06/2024").pk]
    with django_capture_on_commit_callbacks(execute=True):
        period_delete(periods=Period.objects.filter(pk__in=stored))
    assert told(parent).count() == 2
    assert "của Nguyễn Gia Bảo" in told(parent).get(channel=Message.Channel.INBOX).subject
    assert Message.objects.filter(template="participation_removed").count() == 2
