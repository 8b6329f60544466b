"""Officers in the card admin: only their agencies' cards, cards only for people they manage,
reissue from the list, API tokens shown once and stored hashed and kept to the clinics of the
officer's province; clinic staff see no cards."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Person
from health_card.models import BeneficiaryGroup, Card, FacilityApiToken
from health_card.services import api_token_authenticate, api_token_create, card_revoke, reissue_card
from lookup.models import Agency, MedicalFacility
from notifications.models import Message
from notifications.texts import SENT_IN_NOTICE_ONLY, sent_as_typed, sent_as_typed_to_each
from tests.accounts.helpers import make_person, officer

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in

pytestmark = pytest.mark.django_db

DISTRICT, PROVINCE = "Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"
CARDS = "/quan-tri/health_card/card/"
TOKENS = "/quan-tri/health_card/facilityapitoken/"


@pytest.fixture
def other_agency_card(reference_data, other_facility):
    person = make_person("7908888888", "Lê Thị Hoa", sex=2, id_number="079190099999")
    card = issue(person, other_facility, group="GD")
    Card.objects.filter(pk=card.pk).update(agency=Agency.objects.get(code="07903"))
    return Card.objects.get(pk=card.pk)


def test_district_officer_sees_only_their_agencys_cards(card, other_agency_card):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    html = client.get(CARDS).content.decode()
    assert card.legacy_number in html and other_agency_card.legacy_number not in html
    assert client.get(f"{CARDS}{other_agency_card.pk}/change/").status_code == 404  # another agency's card: not found
    province = logged_in(officer("canbo079", "079", PROVINCE)).get(CARDS).content.decode()
    assert card.legacy_number in province and other_agency_card.legacy_number in province


def test_an_officer_reads_the_cards_agency_as_text_not_a_link_to_a_refused_page(card):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    agency_url = f"/quan-tri/lookup/agency/{card.agency_id}/change/"
    assert client.get(agency_url).status_code == 403
    html = client.get(f"{CARDS}{card.pk}/change/").content.decode()
    assert agency_url not in html and str(card.agency) in html


def test_a_card_is_added_only_for_a_person_the_officer_manages(facility, reference_data):
    managed = make_person("7901000011", "Phạm Văn Nam", id_number="079088000011")
    foreign = make_person("7901000012", "Đỗ Thị Lan", sex=2, id_number="079188000012")
    Person.objects.filter(pk=managed.pk).update(agency=Agency.objects.get(code="07901"))
    Person.objects.filter(pk=foreign.pk).update(agency=Agency.objects.get(code="07903"))
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    group = BeneficiaryGroup.objects.get(code="DN")
    form = {"group": group.pk, "facility": facility.pk, "agency": Agency.objects.get(code="07901").pk,
            "valid_from": "01/01/2026", "valid_to": "", "five_year_date": "", "living_area": ""}
    response = client.post(f"{CARDS}add/", {**form, "person": foreign.pk})
    assert response.status_code == 200 and not Card.objects.filter(person=foreign).exists()  # a form error, no card
    response = client.post(f"{CARDS}add/", {**form, "person": managed.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    card = Card.objects.get(person=managed)
    assert card.status == Card.Status.ACTIVE and card.version == 1


@pytest.mark.parametrize(("valid_from", "valid_to", "said"), [
    ("31/12/9999", "", "Ngày bắt đầu có giá trị không được sau "),
    ("01/01/1900", "", "Ngày bắt đầu có giá trị không thể trước ngày sinh của người tham gia (15/03/1988)."),
    ("01/01/2026", "31/12/9999", "Ngày hết hạn không được sau 01/01/2036 (10 năm sau ngày bắt đầu có giá trị)"),
])
def test_a_card_dated_by_a_mistyped_year_is_refused_beside_its_date(facility, reference_data, valid_from, valid_to, said):
    """A year typed wrong (9999 for 2026, 1900 for 2019) is a clear error beside the date, not a
    server error (the five-year date of a card from 9999 is past the calendar) nor a card valid
    before its holder was born; the service refuses it too."""
    from django.core.exceptions import ValidationError

    from health_card.services import card_issue

    person = make_person("7901000011", "Phạm Văn Nam", id_number="079088000011")  # born 15/03/1988
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    form = {"person": person.pk, "group": "DN", "facility": facility.pk, "agency": Agency.objects.get(code="07901").pk,
            "valid_from": valid_from, "valid_to": valid_to, "living_area": ""}
    response = client.post(f"{CARDS}add/", form)
    assert response.status_code == 200 and said in response.content.decode()
    assert not Card.objects.filter(person=person).exists()
    day = lambda text: datetime.datetime.strptime(text, "%d/%m/%Y").date() if text else None  # noqa: E731
    with pytest.raises(ValidationError, match=re.escape(said)):
        card_issue(person=person, group=BeneficiaryGroup.objects.get(code="DN"), facility=facility,
                   agency=Agency.objects.get(code="07901"), valid_from=day(valid_from), valid_to=day(valid_to))


def reissue(client, card, follow=False, **reason):
    """The list's reissue action, confirmed with `reason` (the confirmation page's answers)."""
    return client.post(CARDS, {"action": "reissue", "_selected_action": [card.pk], "confirm": "1", **reason},
                       follow=follow)


def revoke(client, card, follow=False, **reason):
    return client.post(CARDS, {"action": "revoke", "_selected_action": [card.pk], "confirm": "1", **reason},
                       follow=follow)


def test_reissue_from_the_list_asks_the_reason_then_replaces_the_card(card, holder):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    page = client.post(CARDS, {"action": "reissue", "_selected_action": [card.pk]})
    html = page.content.decode()
    assert page.status_code == 200 and card.legacy_number in html
    assert "Cấp lại do mất thẻ" in html and "Cấp lại do thẻ hỏng" in html  # lost and damaged told apart
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE  # nothing happens before the officer confirms

    assert reissue(client, card, reason="hong", details="Thẻ bị ướt, mờ chữ").status_code == 302
    card.refresh_from_db()
    assert card.status == Card.Status.REPLACED
    new = Card.objects.get(person=card.person, status=Card.Status.ACTIVE)
    assert new.version == card.version + 1 and new.reason == "Cấp lại do thẻ hỏng: Thẻ bị ướt, mờ chữ"
    notice = Message.objects.get(user=holder, channel=Message.Channel.INBOX, template="bhyt_card_reissued")
    assert "Lý do: Cấp lại do thẻ hỏng: Thẻ bị ướt, mờ chữ." in notice.body  # not in the SMS (a lock screen)


def test_a_reissue_confirmed_for_a_card_replaced_meanwhile_reissues_nothing(card, holder):
    """Two officers (or one double submit) confirming the same card: the second finds it replaced."""
    from django.core.exceptions import ValidationError

    new = reissue_card(holder.person, "Cấp lại do mất thẻ", replacing=card)
    with pytest.raises(ValidationError) as refused:
        reissue_card(holder.person, "Cấp lại do mất thẻ", replacing=card)
    assert refused.value.messages == [
        f"Thẻ lần 1 đã được cấp lại: thẻ đang sử dụng là thẻ lần 2, mã thẻ {new.legacy_number}, cấp ngày "
        f"{new.issued_on:%d/%m/%Y}; không cấp lại thêm."]
    assert list(Card.objects.filter(person=holder.person).values_list("version", "status").order_by("version")) == [
        (1, Card.Status.REPLACED), (2, Card.Status.ACTIVE)] and new.version == 2
    assert Message.objects.filter(template="bhyt_card_reissued", channel=Message.Channel.SMS).count() == 1


def test_an_other_reason_too_long_gets_one_error(card):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    html = revoke(client, card, reason="khac", details="x" * 201).content.decode()
    assert "201" in html and "Ghi rõ lý do khi chọn “Lý do khác”." not in html  # the length error alone


def test_details_that_fill_the_box_with_line_breaks_are_taken(card, holder):
    """The box's maxlength (200) counts a line break as one character; the browser sends it as CRLF."""
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    typed = "\n".join(["Người tham gia đã có thẻ do đơn vị khác cấp."] * 4).ljust(200, ".")
    assert len(typed) == 200
    assert revoke(client, card, reason="khac", details=typed.replace("\n", "\r\n")).status_code == 302
    card.refresh_from_db()
    assert card.status == Card.Status.REVOKED and card.reason == " ".join(typed.split())


@pytest.mark.parametrize("action", ["reissue", "revoke"])
def test_the_reason_page_says_once_how_the_holder_is_told_and_names_no_e_mail(card, holder, action):
    """Card notices go to the portal's inbox and by SMS (person_notify), never by e-mail, and the reason by
    the notice alone, the SMS being read on a lock screen: the page says so in the one shared sentence, beside
    the note, and not a second time in words of its own."""
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    html = client.post(CARDS, {"action": action, "_selected_action": [card.pk]}).content.decode()
    assert html.count(str(SENT_IN_NOTICE_ONLY)) == 1
    assert "Người tham gia được báo lý do" not in html and "thư điện tử" not in html


@pytest.mark.parametrize("action", ["reissue", "revoke"])
def test_the_reason_page_names_no_message_for_a_holder_without_an_account(facility, reference_data, action):
    """person_notify tells the logins told of the holder: a holder without one gets no notice and no
    SMS of the reason, which the page then says instead of naming them."""
    card = issue(make_person("7901000009", "Phạm Văn Tâm", id_number="079090099999"), facility)
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    html = client.post(CARDS, {"action": action, "_selected_action": [card.pk]}).content.decode()
    assert str(sent_as_typed([])) in html and str(SENT_IN_NOTICE_ONLY) not in html
    if action == "revoke":
        assert revoke(client, card, reason="khac", details="Cấp trùng").status_code == 302
        assert not Message.objects.filter(template="bhyt_card_revoked").exists()


def holders_cards(facility, logins: tuple[str, ...]) -> list[Card]:
    """A card for each holder of `logins`, each with a phone of their own: "own" a holder with a login
    of their own, "none" one without an account, "deactivated" one whose own login was deactivated,
    "parent's" an adult whose only login is a parent's."""
    from accounts.models import Guardianship, User

    cards = []
    for n, login in enumerate(logins):
        person = make_person(f"79010000{n + 20}", f"Phạm Văn Tâm {n}", id_number=f"0790900999{n + 20}")
        Person.objects.filter(pk=person.pk).update(phone=f"+849123456{n + 20}")
        if login in ("own", "deactivated"):
            User.objects.create_user(username=person.bhxh_code, password="x-Strong-Pass-2026", person=person,
                                     is_active=login == "own")
        elif login == "parent's":
            parent = make_person(f"79010001{n + 20}", f"Phạm Văn Sơn {n}", birth=datetime.date(1960, 1, 1),
                                 id_number=f"0790600999{n + 20}")
            parent_login = User.objects.create_user(username=parent.bhxh_code, password="x-Strong-Pass-2026",
                                                    person=parent)
            Guardianship.objects.create(parent=parent_login, child=person, relationship="cha")
        cards.append(issue(person, facility))
    return cards


@pytest.mark.parametrize(("logins", "said"), [
    (("own", "own"), "qua thông báo trên Cổng; không ghi chú nội bộ."),
    # Holders told alike by no message read the one-holder sentence, in the several holders' words: a
    # deactivated login's holder cannot register again, nor does an adult have an account to wait for.
    *[(logins, "Nội dung này không được gửi qua thông báo, SMS hay thư nào vì không có tài khoản đang hoạt động "
                "nào trên Cổng được xem hồ sơ của họ; không ghi chú nội bộ.")
      for logins in (("none", "none"), ("deactivated", "parent's"))],
    (("own", "none", "own"), "Nội dung này được gửi đúng như đã nhập: 2 người qua thông báo trên Cổng; 1 người "
                             "không nhận tin nào vì không có tài khoản đang hoạt động nào trên Cổng được xem hồ sơ "
                             "của họ."),
    # A deactivated login and a parent's login of an adult view nothing: no account the sentence names.
    (("own", "deactivated", "parent's"), "Nội dung này được gửi đúng như đã nhập: 1 người qua thông báo trên Cổng; "
                                         "2 người không nhận tin nào vì không có tài khoản đang hoạt động nào trên "
                                         "Cổng được xem hồ sơ của họ."),
])
@pytest.mark.parametrize("action", ["reissue", "revoke"])
def test_the_reason_page_of_several_cards_says_what_their_holders_are_each_sent(facility, reference_data, action,
                                                                                 logins, said):
    """Several cards selected: the sentence is true of every holder, not of the first one told. Holders
    told alike read the one-person sentence; holders told differently, how many get a notice and an SMS
    and how many no message; as the messages then sent show, holder by holder."""
    cards = holders_cards(facility, logins)
    selected = {"action": action, "_selected_action": [card.pk for card in cards]}
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    html = client.post(CARDS, selected).content.decode()
    assert said in html
    assert client.post(CARDS, {**selected, "confirm": "1", "reason": "khac", "details": "Cấp trùng"}).status_code == 302
    sent = {card.person_id: [] for card in cards}  # the channels of the messages carrying the words
    for message in Message.objects.filter(template=f"bhyt_card_{action}d", body__contains="Cấp trùng"
                                          ).select_related("user"):
        sent.setdefault(message.user.person_id, []).append(message.channel)  # a parent's login: a key more
    assert [bool(channels) for channels in sent.values()] == [login == "own" for login in logins]
    assert html.count(str(sent_as_typed_to_each(sent.values()))) == 1


def test_the_reason_pages_error_is_the_admins_error_beside_its_field(card):
    """The admin does not load the portal's styles: the reason page renders its fields the admin's way,
    the error in the admin's red list at the top of its field's row, named by the field it is about."""
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    html = revoke(client, card, reason="khac", details=" ").content.decode()
    row = html[html.index('<div class="form-row errors field-details">'):]
    row = row[:row.index("</fieldset>")]
    assert '<ul class="errorlist" id="id_details_error"><li>Ghi rõ lý do khi chọn “Lý do khác”.</li></ul>' in row
    box = re.search(r"<textarea[^>]*>", row).group(0)
    assert 'aria-invalid="true"' in box and "id_details_error" in re.search(r'aria-describedby="([^"]*)"', box).group(1)
    assert '<div class="help" id="id_details_helptext">' in row and "error-message" not in html


def test_revoke_asks_the_reason_and_tells_the_holder(card, holder):
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    page = client.post(CARDS, {"action": "revoke", "_selected_action": [card.pk]})
    assert page.status_code == 200 and "Gian lận trong việc cấp thẻ BHYT" in page.content.decode()
    assert "Chọn lý do." in revoke(client, card).content.decode()
    assert "Ghi rõ lý do khi chọn “Lý do khác”." in revoke(client, card, reason="khac", details=" ").content.decode()
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE and not Message.objects.filter(template="bhyt_card_revoked").exists()

    response = revoke(client, card, reason="khac", details="Người tham gia đã có thẻ do đơn vị khác cấp", follow=True)
    assert f"Đã thu hồi thẻ {card.legacy_number} (lần 1)." in response.content.decode()
    card.refresh_from_db()
    assert card.status == Card.Status.REVOKED and card.reason == "Người tham gia đã có thẻ do đơn vị khác cấp"
    notice = Message.objects.get(user=holder, channel=Message.Channel.INBOX, template="bhyt_card_revoked")
    sms = Message.objects.get(user=holder, channel=Message.Channel.SMS, template="bhyt_card_revoked")
    assert notice.subject == "Thẻ BHYT đã bị thu hồi" and notice.link == f"/ca-nhan/xem/{holder.person_id}/?tiep=%2Fthe-bhyt%2F"
    assert "Lý do: Người tham gia đã có thẻ do đơn vị khác cấp." in notice.body
    assert "Lý do" not in sms.body and card.number not in sms.body  # read on a lock screen
    assert sms.body.endswith("Xem chi tiết tại mục Thẻ BHYT trên Cổng BHXH số.") and card.number in notice.body
    # Confirmed twice (the page sent again): the card is revoked once, the holder told once.
    revoke(client, card, reason="gian_lan")
    assert Message.objects.filter(template="bhyt_card_revoked").count() == 2


def test_a_new_card_is_named_by_its_number_and_version_in_the_message_and_the_log(facility, reference_data):
    from django.contrib.admin.models import ADDITION, LogEntry

    person = make_person("7901000011", "Phạm Văn Nam", id_number="079088000011")
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))
    first = issue(person, facility)
    card_revoke(card=first, reason="Gian lận trong việc cấp thẻ BHYT")
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    form = {"person": person.pk, "group": "DN", "facility": facility.pk, "agency": Agency.objects.get(code="07901").pk,
            "valid_from": "01/01/2026", "valid_to": "", "five_year_date": "", "living_area": ""}
    html = client.post(f"{CARDS}add/", form, follow=True).content.decode()
    card = Card.objects.get(person=person, status=Card.Status.ACTIVE)
    assert card.version == 2
    assert f"{card.legacy_number} (lần 2, đang sử dụng)" in html
    entry = LogEntry.objects.get(action_flag=ADDITION)
    assert (int(entry.object_id), entry.object_repr) == (card.pk, f"{card.legacy_number} (lần 2, đang sử dụng)")


def token_form_nonce(client) -> str:
    """The one-time nonce the token add form hands out when it is opened."""
    return client.get(f"{TOKENS}add/").context["adminform"].form["nonce"].value()


def shown_token(response) -> str:
    return re.search(r"<code>([^<]+)</code>", response.content.decode()).group(1)


def test_api_token_is_shown_once_and_stored_hashed(facility):
    client = logged_in(officer("canbo079", "079", PROVINCE))
    response = client.post("/quan-tri/health_card/facilityapitoken/add/",
                           {"facility": facility.pk, "name": "HIS", "nonce": token_form_nonce(client)}, follow=True)
    raw = re.search(r"<code>([^<]+)</code>", response.content.decode()).group(1)
    token = FacilityApiToken.objects.get()
    added = [str(message) for message in response.context["messages"] if message.level_tag == "success"]
    assert f"{token.prefix}… – HIS</a>” được thêm vào thành công." in added[0]  # the token made, by its prefix
    assert raw not in str(FacilityApiToken.objects.values().get())  # only a hash is kept
    assert api_token_authenticate(raw) == token
    assert raw not in client.get(f"/quan-tri/health_card/facilityapitoken/{token.pk}/change/").content.decode()


def test_the_same_token_form_posted_twice_makes_one_token_shown_by_both_answers(card, facility):
    """A double click, or the browser posting again after a slow answer: whichever answer the
    officer sees shows the one live token."""
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.test import Client

    from health_card.qr import Purpose
    from health_card.services import card_qr

    client = logged_in(officer("canbo079", "079", PROVINCE))
    form = {"facility": facility.pk, "name": "HIS", "nonce": token_form_nonce(client)}
    first, second = (client.post(f"{TOKENS}add/", form, follow=True) for _ in range(2))
    token = FacilityApiToken.objects.get()
    assert shown_token(first) == shown_token(second) and api_token_authenticate(shown_token(first)) == token
    assert shown_token(first) not in str(FacilityApiToken.objects.values().get())  # only a hash is kept
    assert re.fullmatch(r"bhyt_[A-Za-z0-9_-]{43}", shown_token(first))  # shaped like every other token
    assert LogEntry.objects.filter(action_flag=ADDITION).count() == 1
    assert shown_token(first) not in client.get(f"{TOKENS}{token.pk}/change/").content.decode()
    answer = Client().post("/api/xac-thuc/the-bhyt/", {"maQR": card_qr(card, purpose=Purpose.SCREEN)},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {shown_token(second)}")
    assert answer.status_code == 200 and answer.json()["maKetQua"] == "000"
    # A form opened again hands out another nonce: another token.
    client.post(f"{TOKENS}add/", {**form, "nonce": token_form_nonce(client)})
    assert FacilityApiToken.objects.count() == 2


@pytest.mark.parametrize("nonce", ["missing", "forged", "another officer's", "another session's", "expired"])
def test_a_token_form_without_its_own_live_nonce_makes_nothing(facility, monkeypatch, nonce):
    import time
    from types import SimpleNamespace

    from django.core import signing

    user = officer("canbo079", "079", PROVINCE)
    client = logged_in(user)
    own = token_form_nonce(client)
    if nonce == "missing":
        posted = ""
    elif nonce == "forged":
        posted = own[:-1] + ("A" if own[-1] != "A" else "B")
    elif nonce == "another officer's":
        posted = token_form_nonce(logged_in(officer("canbo07901", "07901", DISTRICT)))
    elif nonce == "another session's":
        posted, client = own, logged_in(user)  # logged in again: the first session is over
    else:
        posted = own
        later = time.time() + 16 * 60
        monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    response = client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS", "nonce": posted})
    html = response.content.decode()
    assert response.status_code == 200 and not FacilityApiToken.objects.exists() and "<code>" not in html
    expected = ("Trang tạo mã đã mở quá 15 phút: chưa tạo mã nào." if nonce == "expired" else
                "Trang tạo mã không hợp lệ hoặc được mở trong một phiên đăng nhập khác. Nếu trang đó đã tạo mã")
    assert expected in html
    if nonce != "expired":  # its nonce cannot be read here: whether it made a token is not known
        assert "chưa tạo mã nào" not in html
    monkeypatch.undo()
    # The page shown again carries a new nonce of this officer's session: saving it makes the token.
    fresh = response.context["adminform"].form["nonce"].value()
    assert fresh != posted
    made = client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS", "nonce": fresh})
    assert made.status_code == 200 and "<code>bhyt_" in made.content.decode()  # the token, on the answer itself
    assert FacilityApiToken.objects.get().created_by == user


def test_a_token_form_posted_again_after_15_minutes_says_the_token_it_made_and_makes_no_second(facility, monkeypatch):
    """A reload (or Back) of the page showing a new token posts its form again; past the form's 15
    minutes the token is not shown again, and the officer is not told that nothing was made."""
    import time
    from types import SimpleNamespace

    from django.core import signing

    client = logged_in(officer("canbo079", "079", PROVINCE))
    form = {"facility": facility.pk, "name": "HIS", "nonce": token_form_nonce(client)}
    assert "<code>bhyt_" in client.post(f"{TOKENS}add/", form).content.decode()
    token = FacilityApiToken.objects.get()
    later = time.time() + 16 * 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    for _ in range(2):  # and saving the page shown again makes no second token either
        response = client.post(f"{TOKENS}add/", form)
        html = response.content.decode()
        assert response.status_code == 200 and "<code>" not in html
        assert (f"Biểu mẫu này đã tạo mã {token.prefix}… cho {facility}, tên “HIS” (trang tạo mã đã mở quá 15 phút "
                "nên không hiện lại mã được): không tạo thêm mã nào.") in html
        assert "chưa tạo mã nào" not in html
        assert response.context["adminform"].form["nonce"].value() == form["nonce"]
    assert FacilityApiToken.objects.get() == token
    # Revoked meanwhile: it says so, rather than to revoke it.
    client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]})
    html = client.post(f"{TOKENS}add/", form).content.decode()
    assert f"Mã truy cập {token.prefix}… tạo từ biểu mẫu này đã bị thu hồi: không tạo lại mã đó." in html
    assert "hãy thu hồi" not in html and FacilityApiToken.objects.count() == 1


def test_a_token_form_posted_again_after_its_session_key_was_renewed_makes_no_second_token(
        facility, rotate_secret_key):
    """Django renews a session's key on its first request after SECRET_KEY was rotated (its login was signed
    with the old key): the form posted again in the renewed session (a reload, a double click across the
    rotation) was refused as another session's, with a new nonce whose Save made a second live token beside
    the one its first post had made. It shows that one token again, as it does without a rotation."""
    client = logged_in(officer("canbo079", "079", PROVINCE))
    form = {"facility": facility.pk, "name": "HIS", "nonce": token_form_nonce(client)}
    raw = shown_token(client.post(f"{TOKENS}add/", form))
    key = client.session.session_key
    rotate_secret_key()
    again = client.post(f"{TOKENS}add/", form)
    assert client.session.session_key != key  # the same browser's session, under a new key
    assert again.status_code == 200 and shown_token(again) == raw
    assert FacilityApiToken.objects.count() == 1


def test_a_revoked_tokens_form_posted_again_does_not_bring_it_back(facility):
    client = logged_in(officer("canbo079", "079", PROVINCE))
    form = {"facility": facility.pk, "name": "HIS", "nonce": token_form_nonce(client)}
    raw = shown_token(client.post(f"{TOKENS}add/", form, follow=True))
    token = FacilityApiToken.objects.get()
    client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]})
    response = client.post(f"{TOKENS}add/", form)
    html = response.content.decode()
    assert response.status_code == 200 and "<code>" not in html
    assert f"Mã truy cập {token.prefix}… tạo từ biểu mẫu này đã bị thu hồi: không tạo lại mã đó." in html
    token.refresh_from_db()
    assert FacilityApiToken.objects.get() == token and token.revoked_at is not None
    assert api_token_authenticate(raw) is None


@pytest.mark.parametrize("change", ["name", "facility"])
def test_a_token_form_posted_again_for_another_clinic_or_name_makes_nothing(facility, change):
    client = logged_in(officer("canbo079", "079", PROVINCE))
    form = {"facility": facility.pk, "name": "HIS", "nonce": token_form_nonce(client)}
    raw = shown_token(client.post(f"{TOKENS}add/", form, follow=True))
    other_clinic = MedicalFacility.objects.filter(province__code="79").exclude(pk=facility.pk).order_by("code").first()
    changed = {**form, "name": "HIS khoa Nội"} if change == "name" else {**form, "facility": other_clinic.pk}
    response = client.post(f"{TOKENS}add/", changed)
    html = response.content.decode()
    token = FacilityApiToken.objects.get()
    assert response.status_code == 200 and "<code>" not in html and raw not in html
    assert f"Biểu mẫu này đã tạo mã truy cập {token.prefix}… cho {facility}, tên “HIS”: không tạo thêm mã nào." in html
    assert api_token_authenticate(raw) == token and (token.facility, token.name) == (facility, "HIS")


def test_a_token_form_posted_twice_at_once_for_another_name_makes_nothing(facility, monkeypatch):
    """Both posts checked before either saved: the later one finds the token at its insert."""
    from django.contrib.admin.models import LogEntry

    import health_card.admin.tokens as token_admin

    client = logged_in(officer("canbo079", "079", PROVINCE))
    form = {"facility": facility.pk, "name": "HIS", "nonce": token_form_nonce(client)}
    client.post(f"{TOKENS}add/", form, follow=True)
    monkeypatch.setattr(token_admin, "api_token_made_from_nonce", lambda nonce: None)  # the form saw no token yet
    response = client.post(f"{TOKENS}add/", {**form, "name": "HIS khoa Nội"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(f"{TOKENS}add/", 302)] and "<code>" not in html
    assert "Biểu mẫu này đã tạo mã truy cập" in html
    assert FacilityApiToken.objects.get().name == "HIS" and LogEntry.objects.count() == 1


def test_a_nonce_gives_its_one_token_to_the_same_post_and_refuses_any_other(facility, other_facility):
    from django.core.exceptions import ValidationError

    from health_card.services import api_token_revoke

    district = officer("canbo07901", "07901", DISTRICT)
    token, raw = api_token_create(facility=facility, name="HIS", created_by=district, nonce="n-1")
    assert api_token_create(facility=facility, name="HIS", created_by=district, nonce="n-1") == (token, raw)
    assert api_token_create(facility=facility, name="HIS", created_by=district, nonce="n-2")[1] != raw
    province = officer("canbo079", "079", PROVINCE)
    for other in ({"name": "HIS 2"}, {"facility": other_facility}, {"created_by": province}):
        with pytest.raises(ValidationError):
            api_token_create(**{"facility": facility, "name": "HIS", "created_by": district, **other}, nonce="n-1")
    api_token_revoke(token=token)
    with pytest.raises(ValidationError):
        api_token_create(facility=facility, name="HIS", created_by=district, nonce="n-1")
    assert FacilityApiToken.objects.count() == 2 and api_token_authenticate(raw) is None


def test_a_nonce_gives_the_token_it_made_before_the_secret_key_was_rotated(facility, rotate_secret_key):
    from django.core.exceptions import ValidationError

    token, raw = api_token_create(facility=facility, name="HIS", nonce="n-1")
    rotate_secret_key()
    assert api_token_create(facility=facility, name="HIS", nonce="n-1") == (token, raw)
    with pytest.raises(ValidationError):
        api_token_create(facility=facility, name="HIS 2", nonce="n-1")
    assert FacilityApiToken.objects.get() == token
    rotate_secret_key.drop_old()  # the old key gone: the nonce no longer names that token
    assert api_token_create(facility=facility, name="HIS", nonce="n-1")[1] != raw


def test_the_token_form_finds_the_token_its_nonce_made_before_the_secret_key_was_rotated(
        facility, monkeypatch, rotate_secret_key):
    """The form reads what its nonce made as api_token_create does, under each key: posted again for
    another name, or past its 15 minutes, it names that token instead of saying that none was made."""
    import time
    from types import SimpleNamespace

    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore
    from django.core import signing
    from django.test import RequestFactory

    user = officer("canbo079", "079", PROVINCE)
    request = RequestFactory().post(f"{TOKENS}add/")
    request.user, request.session = user, SessionStore()
    request.session.create()
    form_class = admin.site._registry[FacilityApiToken].get_form(request)
    posted = {"facility": facility.pk, "name": "HIS", "nonce": form_class().initial["nonce"]}
    first = form_class(posted)
    assert first.is_valid()
    token, _raw = api_token_create(facility=facility, name="HIS", created_by=user, nonce=first.cleaned_data["nonce"])
    rotate_secret_key()
    renamed = form_class({**posted, "name": "HIS 2"})
    assert not renamed.is_valid()
    assert (f"Biểu mẫu này đã tạo mã truy cập {token.prefix}… cho {facility}, tên “HIS”: không tạo thêm mã nào."
            in " ".join(renamed.non_field_errors()))
    later = time.time() + 16 * 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    again = form_class(posted)
    assert not again.is_valid()
    errors = " ".join(again.non_field_errors())
    assert f"Biểu mẫu này đã tạo mã {token.prefix}… cho {facility}, tên “HIS”" in errors
    assert "chưa tạo mã nào" not in errors and again.data["nonce"] == posted["nonce"]


def test_a_nonce_posted_twice_at_once_finds_the_token_at_its_insert(facility, monkeypatch):
    """Neither post saw the other's token before inserting: the unique hash makes the later one
    read the token the first one made."""
    from health_card.services import tokens

    token, raw = api_token_create(facility=facility, name="HIS", nonce="n-1")
    read, reads = tokens.api_token_by_hash, []

    def not_seen_before_the_insert(digest):
        reads.append(digest)
        return None if len(reads) == 1 else read(digest)

    monkeypatch.setattr(tokens, "api_token_by_hash", not_seen_before_the_insert)
    assert api_token_create(facility=facility, name="HIS", nonce="n-1") == (token, raw)
    assert len(reads) == 2 and FacilityApiToken.objects.get() == token


def test_clinic_staff_see_no_cards_and_no_tokens(card, clinic_user):
    client = logged_in(clinic_user)
    assert client.get(CARDS).status_code == 403
    assert client.get("/quan-tri/health_card/facilityapitoken/").status_code == 403


# --- API tokens: the officers of the clinic's province only ----------------------------------------

@pytest.fixture
def clinic_token(facility):
    """A token of a clinic of Hồ Chí Minh City (province 79)."""
    return api_token_create(facility=facility, name="Phần mềm HIS khoa Khám bệnh")


@pytest.fixture
def hanoi_officer(reference_data):
    return officer("canbo00101", "00101", DISTRICT)


def test_an_officer_of_another_province_neither_lists_nor_opens_a_clinics_token(clinic_token, hanoi_officer):
    token, _ = clinic_token
    hanoi = logged_in(hanoi_officer)
    listing = hanoi.get(TOKENS)
    assert listing.status_code == 200
    assert token.name not in listing.content.decode() and token.prefix not in listing.content.decode()
    assert hanoi.get(f"{TOKENS}{token.pk}/change/").status_code == 404  # another province's token: not found
    # The province's officers answer for every clinic of the province.
    same_province = logged_in(officer("canbo079", "079", PROVINCE)).get(TOKENS).content.decode()
    assert token.name in same_province and token.prefix in same_province


def test_an_officer_of_another_province_cannot_revoke_a_clinics_token(clinic_token, hanoi_officer):
    token, raw = clinic_token
    logged_in(hanoi_officer).post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is None and api_token_authenticate(raw) == token
    logged_in(officer("canbo079", "079", PROVINCE)).post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None and api_token_authenticate(raw) is None


def test_an_officer_makes_tokens_only_for_clinics_of_their_province(facility, hanoi_officer):
    hanoi_clinic = MedicalFacility.objects.filter(province__code="01").order_by("code").first()
    hanoi = logged_in(hanoi_officer)
    form = hanoi.get(f"{TOKENS}add/").context["adminform"].form
    offered = form.fields["facility"].queryset
    assert offered.filter(pk=hanoi_clinic.pk).exists()
    assert set(offered.values_list("province__code", flat=True)) == {"01"}

    response = hanoi.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS"})
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert "<code>" not in response.content.decode() and not FacilityApiToken.objects.exists()

    response = hanoi.post(f"{TOKENS}add/", {"facility": hanoi_clinic.pk, "name": "HIS",
                                            "nonce": token_form_nonce(hanoi)})
    assert response.status_code == 200 and "<code>bhyt_" in response.content.decode()
    assert FacilityApiToken.objects.get().facility == hanoi_clinic


def test_the_facility_search_of_the_token_form_offers_the_clinics_of_the_officers_province(facility, hanoi_officer):
    """The form's facility field is an autocomplete: what it offers must be what the form accepts."""
    hanoi_clinic = MedicalFacility.objects.filter(province__code="01").order_by("code").first()
    hanoi = logged_in(hanoi_officer)

    def search(term):
        response = hanoi.get("/quan-tri/autocomplete/", {"app_label": "health_card", "model_name": "facilityapitoken",
                                                          "field_name": "facility", "term": term})
        assert response.status_code == 200, response.status_code
        return {int(result["id"]) for result in response.json()["results"]}

    assert hanoi_clinic.pk in search(hanoi_clinic.code)
    assert facility.pk not in search(facility.code)


def test_the_facility_search_of_the_card_form_answers_officers(facility, other_facility):
    """The card form's clinic field is an autocomplete too: officers (who do not edit clinics)
    may search them, and a card may name a clinic of any province."""
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    found = set()
    for clinic in (facility, other_facility):
        response = client.get("/quan-tri/autocomplete/", {"app_label": "health_card", "model_name": "card",
                                                          "field_name": "facility", "term": clinic.code})
        assert response.status_code == 200, response.status_code
        found |= {int(result["id"]) for result in response.json()["results"]}
    assert {facility.pk, other_facility.pk} <= found
    assert client.get("/quan-tri/lookup/medicalfacility/").status_code == 200  # read only
    assert client.get(f"/quan-tri/lookup/medicalfacility/{facility.pk}/delete/").status_code == 403


def test_a_staff_account_without_an_agency_makes_no_token(facility):
    unattached = officer("canbo_moi", "07901", DISTRICT)
    type(unattached).objects.filter(pk=unattached.pk).update(agency=None)  # in the officers' group, no agency yet
    client = logged_in(type(unattached).objects.get(pk=unattached.pk))
    assert not client.get(f"{TOKENS}add/").context["adminform"].form.fields["facility"].queryset.exists()
    response = client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS"})
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not FacilityApiToken.objects.exists()


# --- Audit: every card and token action names the officer who took it ------------------------------

def test_reissue_and_revoke_are_in_the_admin_log_with_the_officer(card):
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

    user = officer("canbo07901", "07901", DISTRICT)
    client = logged_in(user)
    reissue(client, card, reason="mat")
    new = Card.objects.get(person=card.person, status=Card.Status.ACTIVE)
    revoke(client, new, reason="ngung_tham_gia")
    entries = {(int(e.object_id), e.action_flag, e.object_repr, e.get_change_message())
               for e in LogEntry.objects.filter(user=user)}
    old_name, new_name = card.legacy_number, new.legacy_number
    assert entries == {
        (card.pk, CHANGE, f"{old_name} (lần 1, đã được thay bằng thẻ mới)",
         f"Cấp lại thẻ: thay bằng thẻ lần {new.version}. Cấp lại do mất thẻ."),
        (new.pk, ADDITION, f"{new_name} (lần 2, đang sử dụng)",
         f"Cấp lại thẻ lần {new.version}, thay thẻ lần {card.version}. Cấp lại do mất thẻ."),
        (new.pk, CHANGE, f"{new_name} (lần 2, đã thu hồi)",
         "Thu hồi thẻ. Người có tên trong thẻ không tiếp tục tham gia BHYT."),
    }
    # The card's history page shows who did it.
    history = client.get(f"{CARDS}{new.pk}/history/").content.decode()
    assert "canbo07901" in history and "Thu hồi thẻ" in history


def test_revoking_a_clinics_token_is_in_the_admin_log_with_the_officer(clinic_token):
    from django.contrib.admin.models import CHANGE, LogEntry

    token, _raw = clinic_token
    user = officer("canbo079", "079", PROVINCE)
    client = logged_in(user)
    response = client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert f"Đã thu hồi 1 mã: {token.prefix}… – {token.name}." in response.content.decode()
    entry = LogEntry.objects.get()
    assert (entry.user, int(entry.object_id), entry.action_flag) == (user, token.pk, CHANGE)
    assert entry.get_change_message() == "Thu hồi mã truy cập API."
    # Already revoked: nothing new, and the page says so.
    html = client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]}, follow=True).content.decode()
    assert "1 mã đã chọn đã bị thu hồi từ trước: không thay đổi." in html and "Đã thu hồi 1 mã" not in html
    assert LogEntry.objects.count() == 1


# --- API tokens: a district sees what its agency made; the province sees its province ---------------

def test_a_district_officer_sees_and_revokes_only_the_tokens_their_agency_made(facility, other_facility):
    province, q1, q2 = (officer("canbo079", "079", PROVINCE), officer("canbo07901", "07901", DISTRICT),
                        officer("canbo07902", "07902", DISTRICT))
    by_province, _ = api_token_create(facility=facility, name="HIS do tỉnh cấp", created_by=province)
    by_q1, _ = api_token_create(facility=other_facility, name="HIS do quận 1 cấp", created_by=q1)

    def listed(user):
        html = logged_in(user).get(TOKENS).content.decode()
        return {token.name for token in (by_province, by_q1) if token.prefix in html}

    assert listed(q1) == {by_q1.name} and listed(q2) == set()
    assert listed(province) == {by_province.name, by_q1.name}
    html = logged_in(province).get(TOKENS).content.decode()
    assert "người tạo" in html.lower() and "canbo07901 – [07901]" in html and "canbo079 – [079]" in html
    assert logged_in(q1).get(f"{TOKENS}{by_province.pk}/change/").status_code == 404

    logged_in(q1).post(TOKENS, {"action": "revoke", "_selected_action": [by_province.pk, by_q1.pk]})
    by_province.refresh_from_db(), by_q1.refresh_from_db()
    assert by_province.revoked_at is None and by_q1.revoked_at is not None


# --- The card check log: answers in words -------------------------------------------------------------

def test_the_check_log_shows_and_filters_results_by_their_words(card):
    from health_card.models import CardCheck

    for result in ("wrong_birth_date", "not_found", "valid"):
        CardCheck.objects.create(card=card, person=card.person, channel=CardCheck.Channel.TYPED, result=result)
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    html = client.get("/quan-tri/health_card/cardcheck/").content.decode()
    assert "Sai ngày sinh" in html and "Không tìm thấy thẻ" in html and "Thẻ hợp lệ" in html
    assert "Không đọc được mã QR" in html  # in the filter, with every other answer
    assert "wrong_birth_date</td>" not in html and ">not_found<" not in html and ">malformed<" not in html
    filtered = client.get("/quan-tri/health_card/cardcheck/", {"result": "wrong_birth_date"})
    assert list(filtered.context["cl"].queryset.values_list("result", flat=True)) == ["wrong_birth_date"]
    check = CardCheck.objects.get(result="not_found")
    assert "Không tìm thấy thẻ" in client.get(f"/quan-tri/health_card/cardcheck/{check.pk}/change/").content.decode()


def test_a_checks_page_links_only_where_the_officer_may_go(card, clinic_user, facility):
    """Who checked (a user account) and with which API token (perhaps another agency's) are text for
    an officer: their pages would be a 403 and a 404."""
    from health_card.models import CardCheck

    token, _raw = api_token_create(facility=facility, name="HIS bệnh viện")
    check = CardCheck.objects.create(card=card, person=card.person, channel=CardCheck.Channel.API, result="valid",
                                     checked_by=clinic_user, token=token, facility=facility)
    html = logged_in(officer("canbo07901", "07901", DISTRICT)).get(
        f"/quan-tri/health_card/cardcheck/{check.pk}/change/").content.decode()
    assert clinic_user.username in html and "HIS bệnh viện" in html
    assert f"/quan-tri/accounts/user/{clinic_user.pk}/" not in html
    assert f"/quan-tri/health_card/facilityapitoken/{token.pk}/" not in html


def test_a_check_without_a_login_is_named_in_the_officers_log_as_the_access_log_names_it(
        card, clinic_user, stranger, facility):
    """A guest's check and a check whose login was deleted since both lack a checker: the officer's
    list and page tell them apart as the holder's access log does (checker_name), and name a login
    still there by its login."""
    from health_card.models import CardCheck

    token, _raw = api_token_create(facility=facility, name="HIS bệnh viện")
    made = [CardCheck.objects.create(card=card, person=card.person, result="valid", **fields) for fields in (
        {"channel": CardCheck.Channel.PUBLIC},
        {"channel": CardCheck.Channel.PUBLIC, "checked_by": stranger, "signed_in": True},
        {"channel": CardCheck.Channel.QR, "checked_by": clinic_user, "signed_in": True, "facility": facility},
        {"channel": CardCheck.Channel.API, "token": token, "facility": facility},
        {"channel": CardCheck.Channel.TYPED, "checked_by": clinic_user, "signed_in": True, "facility": facility})]
    stranger.delete()
    made.pop()  # the one check whose login stays
    CardCheck.objects.filter(pk=made[2].pk).update(checked_by=None)  # its login deleted since, the other's kept
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    html = re.sub(r"\s+", " ", client.get("/quan-tri/health_card/cardcheck/").content.decode())
    names = re.findall(r'<td class="field-checker">([^<]*)</td>', html)
    assert names == ["nhanvienkcb", "Phần mềm: HIS bệnh viện", "Nhân viên cơ sở KCB",
                     "Người dùng khác (đã đăng nhập)", "Khách (không đăng nhập)"]
    for check, name in zip(made, reversed(names[1:]), strict=True):
        page = client.get(f"/quan-tri/health_card/cardcheck/{check.pk}/change/").content.decode()
        assert re.search(rf"Người xác thực:</label>\s*<div class=\"readonly\">{re.escape(name)}</div>", page), name


# --- A card reissued through a filing belongs to the agency that handled it ---------------------------

def test_a_card_reissued_by_a_filing_is_issued_by_the_filings_agency(facility, django_capture_on_commit_callbacks):
    from public_services.services import filing_complete, filing_receive, filing_start
    from tests.public_services.helpers import citizen, submit

    owner = citizen()  # managed by 07901
    card = issue(owner.person, facility)
    Card.objects.filter(pk=card.pk).update(agency=Agency.objects.get(code="07907"))  # first issued elsewhere
    district = officer("canbo07901", "07901", DISTRICT)
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, "BHYT-CL", reason="mat")
    assert filing.agency.code == "07901"
    for step in (filing_receive, filing_start, filing_complete):
        step(filing=filing, officer=district)
    new = Card.objects.get(person=owner.person, status=Card.Status.ACTIVE)
    assert new.agency.code == "07901" and new.legacy_number == f"DN479{owner.person.bhxh_code}"
    assert new.reason == f"Cấp lại do mất thẻ (hồ sơ {filing.tracking_number})"
    assert new.legacy_number in logged_in(district).get(CARDS).content.decode()


def test_the_end_date_help_says_an_empty_date_holds_only_while_the_card_is_in_use(card):
    # A card expired, revoked or replaced without an end date is not "không thời hạn" (Card.open_ended).
    Card.objects.filter(pk=card.pk).update(valid_to=None, status=Card.Status.REVOKED)
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    for path in (f"{CARDS}add/", f"{CARDS}{card.pk}/change/"):
        html = client.get(path).content.decode()
        assert "không thời hạn" not in html, path
        assert "Trống: không có ngày hết hạn, có giá trị khi thẻ đang sử dụng" in html, path


def test_a_checks_and_a_cards_page_link_the_holder_only_for_an_officer_who_manages_them(card):
    """The card is the officer's agency's, its holder managed by none of their agencies: the holder's
    page is a 404 to them, so the holder reads as text there, while the card, theirs, stays a link."""
    from health_card.models import CardCheck

    check = CardCheck.objects.create(card=card, person=card.person, channel=CardCheck.Channel.TYPED, result="valid")
    person_url = f"/quan-tri/accounts/person/{card.person_id}/change/"
    card_url = f"{CARDS}{card.pk}/change/"
    pages = [f"/quan-tri/health_card/cardcheck/{check.pk}/change/", card_url]
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    assert client.get(person_url).status_code == 404
    for page in pages:
        html = client.get(page).content.decode()
        assert person_url not in html and f"{card.person.bhxh_code} – {card.person.full_name}" in html, page
    assert card_url in client.get(pages[0]).content.decode()
    Person.objects.filter(pk=card.person_id).update(agency=Agency.objects.get(code="07901"))
    assert client.get(person_url).status_code == 200
    for page in pages:
        assert person_url in client.get(page).content.decode(), page


def test_a_start_before_a_birth_known_only_by_its_year_names_the_year_not_a_day(reference_data):
    """A person recorded with a birth year only is stored as born on 01/01 of it: the refusal of a
    start before it names the year the registry holds, not a day it does not."""
    from health_card.selectors import card_dates_error

    person = make_person("7901000012", "Lê Thị Hoa", birth=datetime.date(1960, 1, 1), id_number="079160000012")
    Person.objects.filter(pk=person.pk).update(birth_year_only=True)
    person.refresh_from_db()
    error = card_dates_error(person=person, valid_from=datetime.date(1900, 1, 1), valid_to=None)
    assert error == {"valid_from": "Ngày bắt đầu có giá trị không thể trước ngày sinh của người tham gia (1960)."}


def test_a_cards_expiry_before_its_validity_is_refused_in_the_admins_language():
    """An English admin read "Ngày hết hạn phải sau ngày bắt đầu có giá trị." beside the expiry date."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    card = Card(valid_from=datetime.date(2026, 1, 2), valid_to=datetime.date(2026, 1, 1))
    for language, said in (("vi", "Ngày hết hạn phải sau ngày bắt đầu có giá trị."),
                           ("en", "The expiry date must be after the first day of validity.")):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            card.clean()
        assert refused.value.message_dict == {"valid_to": [said]}


@pytest.mark.parametrize(("language", "said"), [
    ("vi", "Người này đã có thẻ BHYT đang sử dụng: hãy dùng thao tác “Cấp lại thẻ”."),
    ("en", "This person already has a health insurance card in use: use the “Reissue the selected cards” action."),
])
def test_a_second_card_in_use_is_refused_in_the_admins_language(facility, reference_data, settings, language, said):
    """An English admin (LANGUAGE_CODE) read in Vietnamese that the person already has a card in use."""
    settings.LANGUAGE_CODE = language
    person = make_person("7901000011", "Phạm Văn Nam", id_number="079088000011")
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))
    issue(person, facility)
    client = logged_in(officer("canbo07901", "07901", DISTRICT))
    response = client.post(f"{CARDS}add/", {
        "person": person.pk, "group": "DN", "facility": facility.pk, "agency": Agency.objects.get(code="07901").pk,
        "valid_from": "01/01/2026", "valid_to": "", "living_area": ""})
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [said]
    assert Card.objects.filter(person=person).count() == 1


def card_actions_said(client, card) -> tuple[list[str], list[str], list[str]]:
    """The list's card actions, what reissuing `card` says, and what reissuing it again says."""
    listed = client.get(CARDS).content.decode()
    actions = [text for value, text in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', listed)
                if value in ("reissue", "revoke")]
    done = reissue(client, card, follow=True, reason="hong", details="Thẻ bị ướt")
    again = reissue(client, card, follow=True, reason="hong", details="Thẻ bị ướt")
    return (actions, [str(message) for message in done.context["messages"]],
            [str(message) for message in again.context["messages"]])


def test_an_english_admin_is_told_in_english_that_a_card_was_reissued(card, settings):
    settings.LANGUAGE_CODE = "en"
    actions, done, again = card_actions_said(logged_in(officer("canbo07901", "07901", DISTRICT)), card)
    new = Card.objects.get(person=card.person, status=Card.Status.ACTIVE)
    assert actions == ["Reissue the selected cards (a new card; the old one becomes “replaced”)",
                       "Revoke the selected cards"]
    assert done == [f"Card {new.legacy_number} reissued (issue {new.version})."]
    assert again == ["None of the selected cards is in use: nothing was changed."]


def test_a_vietnamese_admin_is_told_as_before_that_a_card_was_reissued(card):
    actions, done, again = card_actions_said(logged_in(officer("canbo07901", "07901", DISTRICT)), card)
    new = Card.objects.get(person=card.person, status=Card.Status.ACTIVE)
    assert actions == ["Cấp lại thẻ đã chọn (thẻ mới, thẻ cũ thành “đã thay”)", "Thu hồi thẻ đã chọn"]
    assert done == [f"Đã cấp lại thẻ {new.legacy_number} (lần {new.version})."]
    assert again == ["Không có thẻ đang sử dụng nào trong các thẻ đã chọn: không có gì thay đổi."]


def test_a_card_reissue_the_service_refuses_is_said_in_english_to_an_english_admin(card, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as refused:
        reissue_card(card.person, " ")
    assert refused.value.messages == ["Write the reason for reissuing the card."]


def test_the_card_services_refusals_are_said_in_english_to_an_english_admin(card, holder, settings):
    """A card reissued meanwhile, a second card in use and an expiry of a card not in use are refused in
    English (their Vietnamese held in test_a_reissue_confirmed_for_a_card_replaced_meanwhile_reissues_nothing
    and tests/health_card/test_card_child.py)."""
    from health_card.services import card_expire, card_issue
    from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

    settings.LANGUAGE_CODE = "en"
    new = reissue_card(holder.person, "Cấp lại do mất thẻ", replacing=card)
    with pytest.raises(ValidationError) as replaced:
        reissue_card(holder.person, "Cấp lại do mất thẻ", replacing=card)
    with pytest.raises(ValidationError) as second:
        card_issue(person=holder.person, group=new.group, facility=new.facility, agency=new.agency,
                   valid_from=new.valid_from)
    with pytest.raises(ValidationError) as not_in_use:
        card_expire(card=card)
    assert replaced.value.messages == [
        f"Card issue 1 has already been reissued: the card in use is issue 2, card number {new.legacy_number}, "
        f"issued on {new.issued_on:%d/%m/%Y}; no further card is issued."]
    assert second.value.messages == ["This person already has a health insurance card in use: reissue the card "
                                     "instead of issuing a new one."]
    assert not_in_use.value.messages == ["Only a card in use can be marked expired."]
    assert not VIETNAMESE_LETTERS.search(" ".join(second.value.messages + not_in_use.value.messages))


# --- API tokens in the English admin (LANGUAGE_CODE "en"); the Vietnamese are held above --------------

def test_an_english_admin_makes_lists_and_revokes_api_tokens_in_english(facility, settings, monkeypatch):
    import html as html_lib
    import time
    from types import SimpleNamespace

    from django.core import signing

    from tests.notifications.test_notice_language import VIETNAMESE_LETTERS
    from vssid_portal.templatetags.vn_format import vn_date

    settings.LANGUAGE_CODE = "en"
    client = logged_in(officer("canbo079", "079", PROVINCE))
    form = html_lib.unescape(client.get(f"{TOKENS}add/").content.decode())
    assert "Usable until the end of" in form and "left empty: 1 year from today; at most 2 years. Once it expires" in form
    nonce = token_form_nonce(client)
    response = client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS", "nonce": nonce}, follow=True)
    token = FacilityApiToken.objects.get()
    [added] = [str(message) for message in response.context["messages"]]
    assert added.startswith("The card verification API token “<a href=") and added.endswith(
        f"{token.prefix}… – HIS</a>” was added successfully.")
    made = html_lib.unescape(response.content.decode())
    content = made.split('id="content"', 1)[1].split("</main>", 1)[0].replace(str(facility), "")
    assert (f"usable until the end of {vn_date(token.expires_at)}:" in content and "Copy it now" in content
            and ">Back to the list of tokens</a>" in content and not VIETNAMESE_LETTERS.search(content)), content
    assert "API token just made</div>" in made  # the breadcrumbs' end

    later = time.time() + 16 * 60  # the same form posted again once its nonce expired
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    again = html_lib.unescape(client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS", "nonce": nonce})
                              .content.decode())
    assert f"This form already made the token {token.prefix}… for {facility}, named “HIS”" in again
    monkeypatch.undo()

    listed = html_lib.unescape(client.get(TOKENS).content.decode())
    assert "Revoke the selected tokens" in listed and "Expiring within the next 30 days" in listed
    response = client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [f"1 token revoked: {token}."]
    response = client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "1 selected token had been revoked already: nothing changed."]


def test_a_vietnamese_admin_shows_a_new_api_token_and_its_list_as_before(facility):
    import html as html_lib

    client = logged_in(officer("canbo079", "079", PROVINCE))
    response = client.post(f"{TOKENS}add/", {"facility": facility.pk, "name": "HIS", "nonce": token_form_nonce(client)},
                           follow=True)
    made = html_lib.unescape(response.content.decode())
    assert (f"Mã truy cập API của {facility}, tên “HIS”, dùng được đến hết ngày" in made
            and "<strong>Hãy sao chép ngay, mã chỉ hiện một lần này.</strong>" in made
            and ">Về danh sách mã truy cập</a>" in made and "Trang chủ</a>" in made)
    listed = html_lib.unescape(client.get(TOKENS).content.decode())
    assert "Thu hồi mã đã chọn" in listed and "Hết hạn trong 30 ngày tới" in listed


def test_an_english_admin_reads_why_a_token_form_posted_again_makes_nothing_in_english(facility, settings):
    """A form whose token was made for another name, or revoked since, and an expiry out of bounds are
    refused in English (their Vietnamese held above, in test_a_token_form_posted_again_for_another_clinic_or_name_makes_nothing,
    test_a_revoked_tokens_form_posted_again_does_not_bring_it_back and the token expiry tests)."""
    import html as html_lib

    from health_card.models.card import TOKEN_MAX_YEARS
    from health_card.services import api_token_expiry
    from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

    settings.LANGUAGE_CODE = "en"
    client = logged_in(officer("canbo079", "079", PROVINCE))
    form = {"facility": facility.pk, "name": "HIS", "nonce": token_form_nonce(client)}
    shown_token(client.post(f"{TOKENS}add/", form, follow=True))
    token = FacilityApiToken.objects.get()

    def refusal(posted) -> str:
        html = html_lib.unescape(client.post(f"{TOKENS}add/", posted).content.decode())
        return html.split('class="errornote"', 1)[1].split('<fieldset', 1)[0]

    renamed = refusal({**form, "name": "HIS khoa Nhi"})
    assert (f"This form already made the access token {token.prefix}… for {facility}, named “HIS”: no other token "
            "was made. Open “Add card verification API token” again to make another token.") in renamed
    assert not VIETNAMESE_LETTERS.search(renamed.replace(str(facility), "")), renamed
    client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]})
    revoked = refusal(form)
    assert (f"The access token {token.prefix}… made from this form has been revoked: it is not made again. Open "
            "“Add card verification API token” again to make a new token.") in revoked
    assert not VIETNAMESE_LETTERS.search(revoked), revoked
    assert FacilityApiToken.objects.count() == 1

    today = datetime.date(2026, 3, 10)
    with pytest.raises(ValidationError) as past:
        api_token_expiry(today, today=today)
    with pytest.raises(ValidationError) as late:
        api_token_expiry(datetime.date(2030, 1, 1), today=today)
    assert past.value.messages == ["The expiry date must be after today."]
    assert late.value.messages == [f"An API token is valid for at most {TOKEN_MAX_YEARS} years: choose an expiry date "
                                   f"no later than 10/03/{2026 + TOKEN_MAX_YEARS}."]
