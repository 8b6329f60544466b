"""A period's change notice names the amount it quotes as the participation page does: for
compulsory BHXH the salary the contributions are based on is "tiền lương đóng", not "mức đóng",
which a citizen reads as what was paid (the page shows that separately, "Số tiền đóng mỗi tháng")."""

import html

import pytest

from notifications.models import Message
from participation.models import Period
from participation.services.periods import period_save
from tests.benefits.helpers import citizen
from tests.participation.helpers import period

pytestmark = pytest.mark.django_db


def notices(user) -> list[str]:
    """The notice's body; the SMS, read on a lock screen, quotes no amount (test_sms_lock_screen)."""
    told = Message.objects.filter(user=user, template="participation_changed")
    assert told.count() == 2  # the notice and the SMS
    assert "đ." not in told.get(channel=Message.Channel.SMS).body
    return list(told.filter(channel=Message.Channel.INBOX).values_list("body", flat=True))


def test_a_compulsory_period_quotes_its_salary_under_the_pages_label(client, reference_data,
                                                                     django_capture_on_commit_callbacks):
    user = citizen()
    with django_capture_on_commit_callbacks(execute=True):
        period_save(period=period(user.person, "01/2024", "06/2024", base=12_000_000, save=False))
    bodies = notices(user)
    for body in bodies:
        assert ", tiền lương đóng 12.000.000 đ." in body and "mức đóng" not in body, body
    client.force_login(user)
    page = html.unescape(client.get("/qua-trinh-tham-gia/").content.decode())
    assert "<dt>Tiền lương đóng</dt><dd>12.000.000 đ</dd>" in page


def test_other_types_keep_the_label_their_page_gives(reference_data, django_capture_on_commit_callbacks):
    user = citizen()
    with django_capture_on_commit_callbacks(execute=True):
        period_save(period=period(user.person, "01/2021", "03/2021", kind=Period.Kind.BHXH_VOLUNTARY,
                                  payer=Period.Payer.SELF, save=False))
    bodies = notices(user)
    assert bodies and all(", mức đóng 10.000.000 đ." in body for body in bodies), bodies


def test_the_notice_and_the_page_take_the_label_from_the_period():
    """One rule for both texts: a period names its own contribution base, in the page's language."""
    from django.utils import translation

    assert str(Period(kind=Period.Kind.BHXH_COMPULSORY).base_label) == "Tiền lương đóng"
    assert {str(Period(kind=kind).base_label) for kind in Period.Kind if kind != Period.Kind.BHXH_COMPULSORY} == {
        "Mức đóng"}
    with translation.override("en"):
        assert str(Period(kind=Period.Kind.BHXH_COMPULSORY).base_label) == "Contribution salary"
        assert str(Period(kind=Period.Kind.BHYT).base_label) == "Contribution base"
