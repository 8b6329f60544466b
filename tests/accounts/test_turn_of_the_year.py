"""A person's age and a notice's date are Vietnam's: at 00:30 on 01/01, when the UTC date is still
31/12, a child born on 01/01 is 18 and no longer in the parent's view, and a notice sent then is dated
01/01 in the inbox and the SMS."""

import datetime
import re

import pytest
from django.test import Client

from accounts.models import Guardianship, User
from accounts.selectors import children_of, logins_told_of_people
from accounts.services.security import SecurityEvent, security_notify
from notifications.models import Message
from tests.accounts.helpers import cccd_for, make_person
from tests.clock import NEW_YEAR, YEAR_END, at

pytestmark = pytest.mark.usefixtures("reference_data")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def parent(db):
    return User.objects.create_user("7901234567", password="x-Pass-2026!", person=make_person())


def test_a_child_born_on_01_01_leaves_the_parents_view_at_00_30_on_the_18th_birthday(parent):
    born = datetime.date(2009, 1, 1)  # 18 on 01/01/2027
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")

    def seen() -> tuple[bool, bool]:
        told = {(login.pk, login.told_of) for login in logins_told_of_people([child.pk])}
        return child in children_of(user=parent), (parent.pk, child.pk) in told

    with at(YEAR_END):
        assert seen() == (True, True)
    with at(NEW_YEAR):
        assert seen() == (False, False)


def test_a_notice_sent_at_00_30_on_01_01_is_dated_that_day(parent, django_capture_on_commit_callbacks):
    with at(NEW_YEAR):
        with django_capture_on_commit_callbacks(execute=True):
            security_notify(user=parent, event=SecurityEvent.PASSWORD_CHANGED)
        client = Client()
        client.force_login(parent)
        inbox = text(client.get("/thong-bao/"))
    assert "01/01/2027 00:30" in inbox and "31/12/2026" not in inbox
    sms = Message.objects.get(user=parent, channel=Message.Channel.SMS, template="security_password_changed")
    assert " lúc 00:30 ngày 01/01/2027." in sms.body
