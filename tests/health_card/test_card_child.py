"""The card of a child under six: the parent's or guardian's name its QR carries (field 10) is
shown on the card page and the printed card too, and a TE card — from the demo seed, the service
or the officers' admin — runs to the end the law gives it, never past it."""

import datetime
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Guardianship, Person
from health_card import demo_cards, qr
from health_card.models import Card
from health_card.qr import Purpose
from health_card.selectors import child_card_valid_to
from health_card.services import card_qr, reissue_card
from lookup.models import Agency
from participation.models import Period
from tests.accounts.helpers import cccd_for, make_person, officer
from tests.conftest import require_tool
from tests.participation.helpers import period

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in

pytestmark = pytest.mark.django_db
GUARDIAN_LABEL = "Họ tên cha/mẹ/người giám hộ"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def viewing(client, child):
    session = client.session
    session["viewing_person_id"] = child.pk
    session.save()
    return client


def pdf_text(response, tmp_path) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "the.pdf"
    path.write_bytes(response.content)
    return subprocess.run([require_tool("pdftotext", "poppler-utils"), str(path), "-"], capture_output=True,
                          check=True).stdout.decode()


@pytest.fixture
def young_child(holder, facility):
    born = timezone.localdate().replace(day=1) - datetime.timedelta(days=2 * 365)
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=f"0792{born:%y}012345")
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    issue(child, facility, group="TE", valid_to=child_card_valid_to(born))
    return child


def test_the_childs_card_page_and_printed_card_name_the_parent_as_the_qr_does(holder, young_child, tmp_path):
    card = Card.objects.get(person=young_child)
    assert qr.parse(card_qr(card, purpose=Purpose.PRINT)).fields.guardian == "Nguyễn Văn Đức"
    client = viewing(logged_in(holder), young_child)
    page = re.sub(r"\s+", " ", client.get("/the-bhyt/").content.decode())
    assert f"<dt>{GUARDIAN_LABEL}</dt><dd>Nguyễn Văn Đức</dd>" in page
    printed = squeeze(pdf_text(client.get(f"/the-bhyt/{card.pk}/in/"), tmp_path))
    assert squeeze(GUARDIAN_LABEL) in printed and "NguyễnVănĐức" in printed


def test_a_card_whose_qr_names_no_guardian_shows_no_such_line(holder, card, tmp_path):
    assert qr.parse(card_qr(card, purpose=Purpose.PRINT)).fields.guardian == ""
    client = logged_in(holder)
    assert GUARDIAN_LABEL not in client.get("/the-bhyt/").content.decode()
    assert squeeze(GUARDIAN_LABEL) not in squeeze(pdf_text(client.get(f"/the-bhyt/{card.pk}/in/"), tmp_path))


@pytest.mark.parametrize(("born", "valid_to"), [
    (datetime.date(2023, 4, 12), datetime.date(2029, 9, 30)),  # six before the school year: to 30/09
    (datetime.date(2020, 10, 1), datetime.date(2026, 9, 30)),
    (datetime.date(2020, 11, 15), datetime.date(2026, 11, 14)),  # six after it began: the day before
    (datetime.date(2020, 2, 29), datetime.date(2026, 9, 30)),
])
def test_a_child_card_runs_to_the_day_before_the_sixth_birthday_or_the_school_year(born, valid_to):
    assert child_card_valid_to(born) == valid_to


def test_the_demo_seed_gives_a_child_the_te_card_end_not_the_end_of_the_year(reference_data):
    today = timezone.localdate()
    born = datetime.date(today.year - 3, 4, 12)
    child = make_person("7901234581", "Nguyễn Minh Khang", birth=born, id_number=f"0792{born:%y}004512")
    bhyt = period(child, f"{born:%m/%Y}", f"{today:%m/%Y}", kind=Period.Kind.BHYT, payer=Period.Payer.STATE)
    demo_cards.seed(persons=[child], seed=1)
    card = Card.objects.get(person=child)
    assert bhyt.kind == Period.Kind.BHYT and card.group_id == "TE" and card.status == Card.Status.ACTIVE
    assert card.valid_to == datetime.date(today.year + 3, 9, 30)


def test_a_te_card_issued_without_an_end_runs_to_the_laws_last_day(reference_data, facility):
    born = datetime.date(2022, 11, 15)
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number="079222012345")
    assert issue(child, facility, group="TE").valid_to == datetime.date(2028, 11, 14)


def test_a_te_card_is_refused_past_the_laws_last_day_or_for_a_child_already_six(reference_data, facility):
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=datetime.date(2022, 11, 15), id_number="079222012345")
    with pytest.raises(ValidationError) as refused:
        issue(child, facility, group="TE", valid_to=datetime.date(2028, 12, 31))
    assert refused.value.message_dict == {"valid_to": [
        "Thẻ trẻ em dưới 6 tuổi có giá trị đến hết 14/11/2028 (Luật BHYT, Điều 16): để trống hoặc ghi ngày đó trở về trước."]}
    older = make_person("7905555556", "Nguyễn Gia Huy", birth=datetime.date(2016, 3, 1), id_number="079216012346")
    with pytest.raises(ValidationError) as refused:
        issue(older, facility, group="TE", valid_from=datetime.date(2024, 1, 1))
    assert "chỉ có giá trị đến 30/09/2022" in refused.value.message_dict["group"][0]
    assert not Card.objects.filter(person__in=[child, older]).exists()
    assert issue(older, facility, group="DN").valid_to is None  # another group: no such end


def test_the_admin_fills_a_te_cards_end_and_refuses_one_past_it(reference_data, facility):
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=datetime.date(2022, 11, 15), id_number="079222012345")
    agency = Agency.objects.get(code="07901")
    Person.objects.filter(pk=child.pk).update(agency=agency)
    client = logged_in(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    form = {"person": child.pk, "group": "TE", "facility": facility.pk, "agency": agency.pk,
            "valid_from": "01/01/2026", "valid_to": "31/12/2028", "living_area": ""}
    refused = client.post("/quan-tri/health_card/card/add/", form)
    assert refused.status_code == 200 and "có giá trị đến hết 14/11/2028" in refused.content.decode()
    assert not Card.objects.filter(person=child).exists()
    saved = client.post("/quan-tri/health_card/card/add/", {**form, "valid_to": ""})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert Card.objects.get(person=child).valid_to == datetime.date(2028, 11, 14)


def test_a_reissued_te_card_keeps_to_the_laws_last_day_of_the_birth_date_as_corrected(reference_data, facility):
    # born in November two years ago: six in four years, so the law's last day is still to come whenever the tests run
    born = datetime.date(timezone.localdate().year - 2, 11, 15)
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    assert issue(child, facility, group="TE", valid_from=born).valid_to == datetime.date(born.year + 6, 11, 14)
    corrected = born.replace(month=3)  # an approved 608A: the sixth birthday now comes before the school year
    Person.objects.filter(pk=child.pk).update(birth_date=corrected)
    child.refresh_from_db()
    last_day = datetime.date(born.year + 6, 9, 30)
    assert reissue_card(child, "Cấp lại do thông tin ghi trên thẻ không đúng").valid_to == last_day
    Card.objects.filter(person=child, status=Card.Status.ACTIVE).update(valid_to=None)  # issued before the rule
    assert reissue_card(child, "Cấp lại do mất thẻ").valid_to == last_day


def _child_with_card(facility, valid_from: datetime.date, birth: datetime.date) -> Person:
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=birth, id_number="")
    # a start more than a year ahead is no longer issued: such a card is one issued before that rule
    issue(child, facility, group="TE", valid_from=min(valid_from, timezone.localdate()))
    Card.objects.filter(person=child).update(valid_from=valid_from)
    return child


@pytest.mark.parametrize("case", ["past", "before its first day"])
def test_a_te_card_the_corrected_birth_date_has_ended_is_not_reissued(facility, case):
    today = timezone.localdate()
    if case == "past":  # six years old two years ago: the card ended on 30/09 of that year
        child = _child_with_card(facility, datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 3, 1, 15))
        corrected, message = datetime.date(today.year - 8, 1, 15), "đã qua"
    else:  # a card to begin after the law's last day of the birth date as corrected (30/09 next year)
        child = _child_with_card(facility, datetime.date(today.year + 1, 10, 1), datetime.date(today.year - 2, 1, 15))
        corrected = datetime.date(today.year - 5, 3, 1)
        message = f"trước ngày bắt đầu có giá trị 01/10/{today.year + 1}"
    Person.objects.filter(pk=child.pk).update(birth_date=corrected)  # an approved 608A
    child.refresh_from_db()
    last_day = child_card_valid_to(corrected)
    with pytest.raises(ValidationError) as refused:
        reissue_card(child, "Cấp lại do thông tin ghi trên thẻ không đúng")
    assert refused.value.messages == [f"Thẻ cấp lại chỉ có giá trị đến hết ngày {last_day:%d/%m/%Y}, {message}: không "
                                      "cấp lại thẻ đã hết hạn, hãy cấp thẻ mới theo đối tượng phù hợp."]
    assert list(Card.objects.filter(person=child).values_list("version", "status")) == [(1, "active")]


@pytest.mark.parametrize("case", ["past", "before its first day"])
def test_a_te_card_the_corrected_birth_date_has_ended_is_refused_in_english_to_an_english_admin(facility, settings, case):
    today = timezone.localdate()
    if case == "past":
        child = _child_with_card(facility, datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 3, 1, 15))
        corrected, message = datetime.date(today.year - 8, 1, 15), "which has passed"
    else:
        child = _child_with_card(facility, datetime.date(today.year + 1, 10, 1), datetime.date(today.year - 2, 1, 15))
        corrected = datetime.date(today.year - 5, 3, 1)
        message = f"before its first valid day 01/10/{today.year + 1}"
    Person.objects.filter(pk=child.pk).update(birth_date=corrected)
    child.refresh_from_db()
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as refused:
        reissue_card(child, "Cấp lại do thông tin ghi trên thẻ không đúng")
    assert refused.value.messages == [
        f"A reissued card would only be valid until the end of {child_card_valid_to(corrected):%d/%m/%Y}, {message}: "
        "an expired card is not reissued; issue a new card for the right beneficiary group."]


def test_a_parent_opening_the_qr_of_a_childs_expired_card_is_told_it_is_the_childs(holder, young_child):
    Card.objects.filter(person=young_child).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    client = viewing(logged_in(holder), young_child)
    response = client.get("/the-bhyt/ma-qr/")
    assert response.status_code == 302 and response["Location"] == "/the-bhyt/"
    page = re.sub(r"\s+", " ", client.get("/the-bhyt/").content.decode())
    assert ("Không có mã QR để xuất trình: hôm nay Nguyễn Gia Bảo không có thẻ BHYT đang có giá trị sử dụng."
            in page)
    assert "hôm nay bạn không có" not in page


def test_the_qr_page_of_a_childs_card_says_whose_it_is_and_leads_back_to_the_parents_account(holder, young_child):
    client = viewing(logged_in(holder), young_child)
    page = client.get("/the-bhyt/ma-qr/").content.decode()
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>." in page
    assert "Quay về tài khoản của tôi" in page
    assert "Đang xem thông tin của" not in logged_in(holder).get("/the-bhyt/ma-qr/").content.decode()


@pytest.mark.parametrize("shared", [True, False])
def test_a_card_sms_to_a_phone_the_child_shares_with_the_parent_names_the_child(holder, facility, shared):
    """A minor with a login of their own and the parent's phone in the registry: the one SMS to that
    phone names whose card it is, as the parent's own card SMS on it never does; a child alone on
    their phone is told as before, without their name, and the notices in the portal are unchanged."""
    from accounts.models import User
    from health_card.models import BeneficiaryGroup
    from health_card.services import card_issue
    from notifications.models import Message
    from tests.accounts.helpers import born_years_ago

    born = born_years_ago(16)
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    if not shared:
        Person.objects.filter(pk=child.pk).update(phone="+84398765432")
        child.refresh_from_db()
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    own = User.objects.create_user(username=child.bhxh_code, password="x-Strong-Pass-2026", person=child)
    assert (child.phone == holder.person.phone) == shared
    card_issue(person=child, group=BeneficiaryGroup.objects.get(code="HS"), facility=facility,
               agency=Agency.objects.get(code="07901"), valid_from=datetime.date(2024, 1, 1))
    texts = {message.recipient: message.body for message in
             Message.objects.filter(template="bhyt_card_issued", channel=Message.Channel.SMS)}
    if shared:
        assert texts == {child.phone.as_e164: texts[child.phone.as_e164]}
        assert texts[child.phone.as_e164].startswith("BHXH: Thẻ BHYT của Nguyễn Gia Bảo đã được cấp ngày")
    else:
        assert texts[child.phone.as_e164].startswith("BHXH: Thẻ BHYT đã được cấp ngày")
        assert texts[holder.person.phone.as_e164].startswith("BHXH: Thẻ BHYT của Nguyễn Gia Bảo đã được cấp ngày")
    notices = {message.user: message.body for message in
               Message.objects.filter(template="bhyt_card_issued", channel=Message.Channel.INBOX)}
    assert notices[own].startswith("BHXH: Thẻ BHYT mã 7905555555 đã được cấp ngày")
    assert notices[holder].startswith("BHXH: Thẻ BHYT của Nguyễn Gia Bảo mã 7905555555 đã được cấp ngày")
