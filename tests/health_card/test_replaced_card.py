"""A check of a card that was replaced names the card in use (maTheMoi), read by one selector."""

import datetime

import pytest
from django.utils import timezone

from health_card.models import Card
from health_card.selectors import replacing_card_number
from health_card.services import reissue_card

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def test_the_card_in_use_is_named_for_a_replaced_one(card, holder, django_assert_num_queries):
    new = reissue_card(holder.person, "Mất thẻ")
    card.refresh_from_db()
    assert card.status == Card.Status.REPLACED
    with django_assert_num_queries(1):
        assert replacing_card_number(person=holder.person) == new.legacy_number
    Card.objects.filter(pk=new.pk).update(status=Card.Status.REVOKED)
    assert replacing_card_number(person=holder.person) is None


def test_the_clinic_page_names_the_card_that_replaced_a_scanned_one_as_the_api_does(card, holder, facility,
                                                                                  clinic_user, settings):
    """The printed QR of a card reissued since (here under another group, so another number): the
    clinic page names the card in use as maTheMoi does, in its language; the public page, which
    learns only "not valid" and a masked name, is told nothing of the holder's other card."""
    import re

    from django.test import Client

    from health_card.models import BeneficiaryGroup
    from health_card.qr import Purpose
    from health_card.services import api_token_create, card_qr

    from .card_fixtures import logged_in

    printed = card_qr(card, purpose=Purpose.PRINT)
    new = reissue_card(holder.person, "Đổi đối tượng", group=BeneficiaryGroup.objects.get(code="GD"))
    assert new.legacy_number != card.legacy_number
    _token, raw = api_token_create(facility=facility, name="HIS")
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": printed}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert (answer["maKetQua"], answer["maTheMoi"]) == ("003", new.legacy_number)

    def page(client) -> str:
        return re.sub(r"\s+", " ", client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": printed}).content.decode())

    clinic = logged_in(clinic_user)
    shown = page(clinic)
    assert "Thẻ đã được cấp lại" in shown and f"Mã thẻ mới: <strong>{new.legacy_number}</strong>" in shown
    clinic.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert f"New card number: <strong>{new.legacy_number}</strong>" in page(clinic)
    public = page(Client())
    assert "Thẻ không hợp lệ" in public and new.legacy_number not in public and "Mã thẻ mới" not in public

    Card.objects.filter(pk=new.pk).update(status=Card.Status.REVOKED)  # no card in use: none named, as in the API
    clinic.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    shown = page(clinic)
    assert "Thẻ đã được cấp lại" in shown and "Mã thẻ mới" not in shown and new.legacy_number not in shown


def test_a_card_past_its_end_date_is_not_named_for_a_replaced_one(card, holder, django_assert_num_queries):
    """The card that replaced the checked one has passed its end date, and the nightly expiry has
    not marked it yet: no card is in use, so none is named as the new one, as for an expired card."""
    new = reissue_card(holder.person, "Mất thẻ")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Card.objects.filter(pk=new.pk).update(valid_from=min(new.valid_from, yesterday), valid_to=yesterday)
    with django_assert_num_queries(1):
        assert replacing_card_number(person=holder.person) is None


def test_the_clinic_page_names_the_issue_of_a_new_card_that_kept_the_old_ones_number(card, holder, clinic_user,
                                                                                   settings):
    """A reissue keeps the card's number: the clinic page names the card in use by its issue too, so
    that the new card it asks for is not read as the card just scanned, whose number it shows."""
    import re

    from health_card.qr import Purpose
    from health_card.services import card_qr

    from .card_fixtures import logged_in

    printed = card_qr(card, purpose=Purpose.PRINT)
    new = reissue_card(holder.person, "Mất thẻ")
    assert (new.legacy_number, new.version) == (card.legacy_number, 2)
    clinic = logged_in(clinic_user)

    def page() -> str:
        return re.sub(r"\s+", " ", clinic.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": printed}).content.decode())

    assert f"Mã thẻ mới: <strong>{new.legacy_number}</strong>, lần cấp 2" in page()
    clinic.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert f"New card number: <strong>{new.legacy_number}</strong>, issue no. 2" in page()
