"""A parent registers a child's account; after approval the parent can switch to the child's records.

The child form asks the registry about someone else's child: it answers "name or birth date" as one,
counts against limits per parent, per client and per BHXH code, keeps accepted photos between
attempts and makes one registration per form however often it is posted.
"""

import datetime
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import Guardianship, Person, Registration, User
from accounts.selectors import children_of
from accounts.services.registration import CHILD_MISMATCH as CHILD_MISMATCH_MESSAGE
from accounts.services.registration import (
    registration_approve,
    registration_build_declaration,
    registration_check_declaration,
    registration_reject,
    registration_uploads_sweep,
)
from accounts.views.personal import CHILD_CHECKS_PER_USER
from accounts.views.registration import CHECKS_PER_CLIENT, CHECKS_PER_CODE
from lookup.models import Agency
from notifications.models import Message
from tests.conftest import require_tool

from .helpers import born_years_ago, cccd_for, declaration_data, jpeg, make_person, officer, seconds_left, submit

pytestmark = pytest.mark.usefixtures("reference_data")
CHILD_BORN = born_years_ago(16)  # a minor (15 or 16) whenever the tests run
URL = "/ca-nhan/dang-ky-cho-con/"


@pytest.fixture
def parent(db, reference_data):
    person = make_person()
    return User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)


@pytest.fixture
def child(db, reference_data):
    return make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))


def child_form(photos=True, **overrides):
    data = {"bhxh_code": "7905555555", "full_name": "Nguyễn Gia Bảo", "birth_date": f"01/06/{CHILD_BORN.year}",
            "birth_certificate_number": "123/2018", "relationship": "cha",
            "agency": str(Agency.objects.get(code="07901").pk)}
    if photos:
        data.update({"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    return {**data, **overrides}


def form_key(client) -> str:
    """The one-time key of the form as the browser gets it."""
    html = client.get(URL).content.decode()
    return re.search(r'name="submission_key" value="([^"]+)"', html).group(1)


def send(client, key=None, photos=True, ip="127.0.0.1", **overrides):
    """Post the child form as a browser does: with the key of the form page it was shown."""
    data = {**child_form(photos=photos, **overrides), "submission_key": key or form_key(client)}
    return client.post(URL, data, REMOTE_ADDR=ip)


def errors_of(response) -> str:
    html = response.content.decode()
    return html.split('class="error-summary"', 1)[1].split("</div>", 1)[0] if 'class="error-summary"' in html else ""


def test_parent_registers_child_then_views_the_childs_records_after_approval(client, parent, child):
    client.force_login(parent)
    response = send(client)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.parent == parent and registration.person == child and registration.relationship == "cha"
    assert all(default_storage.exists(getattr(registration, field).name) for field in ("portrait", "id_front", "id_back"))
    assert "đang chờ" in client.get("/ca-nhan/").content.decode()

    registration_approve(registration=registration, officer=officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    assert Guardianship.objects.filter(parent=parent, child=child).exists()
    assert not User.objects.filter(username=child.bhxh_code).exists()  # the child gets no login of its own

    client.post("/ca-nhan/xem/", {"child": child.pk})
    html = client.get("/ca-nhan/").content.decode()
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in html and "7905555555" in html
    client.post("/ca-nhan/xem/", {})
    assert "7901234567" in client.get("/ca-nhan/").content.decode()


@pytest.mark.parametrize("approve", [True, False])
def test_the_parent_finds_the_decision_in_the_inbox_with_a_link_to_act_on_it(client, parent, child, approve):
    client.force_login(parent)
    assert send(client).status_code == 302
    registration, approver = Registration.objects.get(), officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    if approve:
        registration_approve(registration=registration, officer=approver)
    else:
        registration_reject(registration=registration, officer=approver, reason="Ảnh giấy khai sinh bị mờ.")
    notice = Message.objects.get(user=parent, channel=Message.Channel.INBOX)
    sms = Message.objects.get(channel=Message.Channel.SMS, template=notice.template)
    assert "7905555555" in notice.body and "7905555555" not in sms.body  # not on the phone's lock screen
    assert notice.body.replace(" cho mã số BHXH 7905555555 ", " cho con ") == sms.body
    if approve:
        assert notice.subject == "Đăng ký tài khoản cho con đã được duyệt"
        response = client.get(notice.link)  # the notice opens the child's records
        assert response.status_code == 302 and response.url == "/ca-nhan/"
        assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in client.get("/ca-nhan/").content.decode()
    else:
        assert "Ảnh giấy khai sinh bị mờ." in notice.body and notice.link == URL
        assert notice.subject == "Đăng ký tài khoản cho con bị từ chối"  # not as if the parent's own
    assert notice.subject in client.get("/thong-bao/").content.decode()


def test_the_childs_declaration_is_signed_by_the_parent_and_gives_the_birth_certificate_as_the_paper(
        client, parent, child):
    require_tool("pdftotext", "poppler-utils")
    client.force_login(parent)
    send(client)
    registration_build_declaration(registration_id=Registration.objects.get().pk)  # built on commit already, or now
    registration = Registration.objects.get()
    with default_storage.open(registration.declaration_pdf.name) as pdf:
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.read(), capture_output=True, check=True).stdout.decode()
    text = " ".join(text.split())
    assert "[04] Giấy khai sinh Số 123/2018 [05]" in text
    assert "[08] Người đăng ký thay Nguyễn Văn Đức (Cha)" in text
    signature = text[text.index("Người kê khai"):]
    assert "Nguyễn Văn Đức (cha của Nguyễn Gia Bảo)" in signature


def test_the_email_of_a_childs_registration_names_nobody_and_carries_no_declaration(
        client, parent, child, django_capture_on_commit_callbacks):
    parent.email = "cha@example.vn"
    parent.save(update_fields=["email"])
    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        send(client)
    registration_build_declaration(registration_id=Registration.objects.get().pk)  # built on commit already, or now
    message = Message.objects.get(template="registration_declaration", channel=Message.Channel.EMAIL)
    assert message.recipient == "cha@example.vn"
    reference = Registration.objects.get().reference
    assert message.subject == f"Đã nhận đăng ký {reference} (tài khoản cho con)"
    assert message.body.startswith(f"Cơ quan BHXH đã nhận đăng ký số {reference} (tài khoản cho con),")
    for identity in ("Nguyễn Văn Đức", "Nguyễn Gia Bảo", "7905555555"):  # the address may be no one's confirmed
        assert identity not in message.body
    assert not message.attachment


def test_the_sms_that_a_childs_registration_was_received_says_it_is_for_the_child(client, parent, child):
    """For the child, not as if the parent registered themselves; without the child's code, which with the
    reference would open the registration's status page to whoever reads the SMS (the lookup asks the
    birth date too)."""
    client.force_login(parent)
    send(client)
    sms = Message.objects.get(template="registration_received")
    reference = Registration.objects.get().reference
    assert sms.body == f"BHXH: Đã nhận đăng ký {reference} cho con. Kết quả sẽ được báo qua SMS."
    assert sms.recipient == parent.person.phone.as_e164


def test_a_parent_without_a_phone_is_told_to_have_one_recorded_not_that_a_field_is_blank(client, parent, child):
    parent.person.phone = ""
    parent.person.save(update_fields=["phone"])
    client.force_login(parent)
    errors = errors_of(send(client))
    assert "chưa có số điện thoại di động" in errors and "1900 9068" in errors
    assert "để trắng" not in errors and not Registration.objects.exists()


def test_a_parent_without_a_phone_is_told_in_english_to_call_the_social_insurance_agency(client, parent, child):
    parent.person.phone = ""
    parent.person.save(update_fields=["phone"])
    client.force_login(parent)
    client.cookies["django_language"] = "en"
    errors = errors_of(send(client))
    assert "Contact the social insurance agency that manages your records or call 1900 9068" in errors
    assert "BHXH" not in errors


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_a_decision_after_the_parents_phone_was_removed_is_texted_to_the_number_of_the_registration(
        client, parent, child, decide):
    client.force_login(parent)
    send(client)
    parent.person.phone = ""
    parent.person.save(update_fields=["phone"])
    registration, by = Registration.objects.get(), officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    if decide == "approve":
        registration_approve(registration=registration, officer=by)
    else:
        registration_reject(registration=registration, officer=by, reason="Ảnh mờ")
    decided = Message.objects.filter(
        template="registration_child_approved" if decide == "approve" else "registration_rejected")
    assert decided.get(channel=Message.Channel.SMS).recipient == "+84912345678"
    assert decided.filter(channel=Message.Channel.INBOX, user=parent).exists()


def test_the_approval_of_a_childs_registration_says_where_to_log_in_by_notice_and_by_sms(client, parent, child,
                                                                                         settings):
    """The notice (and the e-mail) end with the portal's login page, under PORTAL_PUBLIC_URL rather than
    the officer's host, and so does the SMS, without the child's code, within the 3 parts the adult's
    approval SMS takes in Vietnamese (tests/notifications/sms_parts.py)."""
    from tests.notifications.sms_parts import sms_parts

    settings.PORTAL_PUBLIC_URL = "https://dichvucong.baohiemxahoi.gov.vn"
    client.force_login(parent)
    send(client)
    registration = Registration.objects.get()
    registration_approve(registration=registration, officer=officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"),
                         link_base="http://quantri.noibo")
    approved = Message.objects.filter(template="registration_child_approved")
    said = (f"BHXH: Đăng ký {registration.reference} cho mã số BHXH 7905555555 đã được duyệt. Đăng nhập tài khoản "
            "của bạn để xem thông tin của con.")
    login_page = "Trang đăng nhập: https://dichvucong.baohiemxahoi.gov.vn/tai-khoan/dang-nhap/"
    assert approved.get(channel=Message.Channel.INBOX, user=parent).body == f"{said} {login_page}"
    sms = approved.get(channel=Message.Channel.SMS).body  # without the child's code, on a lock screen
    assert sms == f"{said} {login_page}".replace(" cho mã số BHXH 7905555555 ", " cho con ") and sms_parts(sms) <= 3


@pytest.mark.parametrize("deactivated", [False, True])
def test_a_refusal_is_texted_to_the_parents_number_in_the_registry_as_it_stands(client, parent, child, deactivated):
    """The parent's number changed in the registry after the registration was sent (a lost phone's, say):
    the refusal, the child's code and the officer's reason, goes to the number now recorded, whether the
    parent's login is still active or was deactivated since, never to the copy the registration took
    when it was sent, whose SIM may be in someone else's hands; a deactivated login gets no notice."""
    client.force_login(parent)
    send(client)
    Person.objects.filter(pk=parent.person_id).update(phone="+84987654321")
    if deactivated:
        User.objects.filter(pk=parent.pk).update(is_active=False)
    registration = Registration.objects.get()
    assert registration.phone.as_e164 == "+84912345678"  # the copy taken at submission
    registration_reject(registration=registration, officer=officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"),
                        reason="Ảnh mờ")
    refused = Message.objects.filter(template="registration_rejected")
    assert list(refused.filter(channel=Message.Channel.SMS).values_list("recipient", flat=True)) == ["+84987654321"]
    assert refused.filter(channel=Message.Channel.INBOX, user=parent).exists() is not deactivated


def test_switching_to_someone_elses_child_is_a_404(client, parent, child):
    client.force_login(parent)
    assert client.post("/ca-nhan/xem/", {"child": child.pk}).status_code == 404


CHILD_MISMATCH = "Họ tên hoặc ngày sinh không khớp với hồ sơ BHXH của mã số này"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        # The parent's own details: an adult's birth date, told before the code is compared with the parent's.
        ({"bhxh_code": "7901234567", "full_name": "Nguyễn Văn Đức", "birth_date": "15/03/1988"}, "dưới 18 tuổi"),
        ({"birth_certificate_number": ""}, "Nhập số giấy khai sinh"),
        ({"full_name": "Nguyễn Gia Huy"}, CHILD_MISMATCH),
        ({"birth_date": f"02/06/{CHILD_BORN.year}"}, CHILD_MISMATCH),
        ({"full_name": "Nguyễn Gia Huy", "birth_date": f"02/06/{CHILD_BORN.year}"}, CHILD_MISMATCH),
        ({"relationship": ""}, "Chọn quan hệ"),
        ({"relationship": "ong"}, "Quan hệ với trẻ: hãy chọn một giá trị trong danh sách."),
        ({"birth_date": "31/02/2016"}, "Ngày sinh: ngày 31/02/2016 không có thật. Kiểm tra lại ngày, tháng."),
        ({"birth_date": "15/03/2099"}, "Ngày sinh không được sau ngày hôm nay."),
    ],
)
def test_child_registration_errors_are_explained(client, parent, child, overrides, message):
    client.force_login(parent)
    response = send(client, **overrides)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Registration.objects.exists()


def test_a_wrong_name_and_a_wrong_birth_date_get_the_same_answer(client, parent, child):
    """A probe must not learn which of the two it got right: the error page is the same for both."""
    client.force_login(parent)
    key = form_key(client)
    wrong_name = errors_of(send(client, key, full_name="Nguyễn Gia Huy"))
    wrong_birth = errors_of(send(client, key, photos=False, birth_date=f"02/06/{CHILD_BORN.year}"))
    assert CHILD_MISMATCH in wrong_name and wrong_name == wrong_birth
    for separate in ("Họ và tên không khớp", "Ngày sinh không khớp"):
        assert separate not in wrong_name


def test_a_code_the_registry_does_not_hold_gets_the_answer_of_a_wrong_name(client, parent, child):
    """The parent must not learn from the form which codes exist: an unknown code is answered as a known
    one whose name does not match, as the citizen's own registration does."""
    client.force_login(parent)
    key = form_key(client)
    wrong_name = errors_of(send(client, key, full_name="Nguyễn Gia Huy"))
    unknown = errors_of(send(client, key, photos=False, bhxh_code="7909999999"))
    assert CHILD_MISMATCH in unknown and unknown == wrong_name


def test_the_childs_birth_date_is_asked_with_a_minors_date_as_the_example(client, parent):
    """The example is a date a child may have: the adult's 1990 of the citizen's own declaration,
    typed as shown, would be refused as an adult's."""
    client.force_login(parent)
    form_page = client.get(URL).content.decode()
    assert "ví dụ 25/12/2015." in form_page and "1990" not in form_page
    errors = errors_of(send(client, birth_date="2015-12-25"))
    assert "Nhập ngày sinh của trẻ dạng ngày/tháng/năm, ví dụ 25/12/2015." in errors and "1990" not in errors


ADULT = "Chỉ đăng ký thay cho trẻ dưới 18 tuổi. Người từ 18 tuổi tự đăng ký tài khoản."


def test_adults_cannot_be_registered_as_children(client, parent):
    """Told from the birth date typed, on its field, before the registry is asked: a code nobody has gets the same."""
    make_person("7906666666", "Nguyễn Văn Tài", birth=datetime.date(2000, 1, 1), id_number="079200012345")
    client.force_login(parent)
    adult = send(client, bhxh_code="7906666666", full_name="Nguyễn Văn Tài", birth_date="01/01/2000")
    html = adult.content.decode()
    assert ADULT in errors_of(adult) and 'href="#id_birth_date"' in errors_of(adult)
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*name="birth_date"[^>]*>', html).group(0)
    unknown = send(client, bhxh_code="7909999999", full_name="Nguyễn Văn Tài", birth_date="01/01/2000")
    assert errors_of(unknown) == errors_of(adult) and not Registration.objects.exists()


def born_18_years_ago_today() -> datetime.date:
    """The birth date of whoever turns 18 today (on 29 February, of whoever was born on the 28th)."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - 18)
    except ValueError:
        return today.replace(year=today.year - 18, day=28)


def test_a_child_is_registered_until_the_day_before_the_18th_birthday(db):
    """On their 18th birthday a person registers themself: the parent is told so, from the date typed, and the
    day before they are still a minor whose registry record is looked up."""
    turns_18_today = born_18_years_ago_today()
    turns_18_tomorrow = turns_18_today + datetime.timedelta(days=1)
    for code, born in (("7906666666", turns_18_today), ("7907777777", turns_18_tomorrow)):
        make_person(code, "Nguyễn Văn Tài", birth=born, id_number=cccd_for(born))

    def declared(code, born):
        return registration_check_declaration(bhxh_code=code, full_name="Nguyễn Văn Tài", birth_date=born,
                                              id_type="", id_number="", for_child=True)

    with pytest.raises(ValidationError) as refused:
        declared("7906666666", turns_18_today)
    assert refused.value.message_dict == {"birth_date": [ADULT]}
    assert declared("7907777777", turns_18_tomorrow).bhxh_code == "7907777777"


def test_an_adults_code_and_name_get_the_same_answer_with_the_right_birth_date_or_a_wrong_one(client, parent):
    """The "under 18" answer must not confirm an adult's birth date one guess at a time."""
    born = born_years_ago(30)
    make_person("7906666666", "Nguyễn Văn Tài", birth=born, id_number=cccd_for(born))
    client.force_login(parent)
    key = form_key(client)
    right = errors_of(send(client, key, bhxh_code="7906666666", full_name="Nguyễn Văn Tài",
                           birth_date=born.strftime("%d/%m/%Y")))
    wrong = errors_of(send(client, key, photos=False, bhxh_code="7906666666", full_name="Nguyễn Văn Tài",
                           birth_date=(born + datetime.timedelta(days=1)).strftime("%d/%m/%Y")))
    assert ADULT in right and right == wrong
    minor = errors_of(send(client, key, photos=False, bhxh_code="7906666666", full_name="Nguyễn Văn Tài"))
    assert CHILD_MISMATCH in minor and ADULT not in minor  # a minor's date never matches an adult's record


def test_an_adult_recorded_with_a_birth_year_only_is_a_mismatch_for_a_minors_date_in_that_year(
        parent, monkeypatch):
    """A year-only record matches any date of its year: one after the 18th-birthday line must not tell the year."""
    monkeypatch.setattr("accounts.services.registration.submission.adult_born_by", lambda: datetime.date(2008, 6, 1))
    make_person("7906666666", "Nguyễn Văn Tài", birth=datetime.date(2008, 1, 1), year_only=True,
                id_number="079208012345")
    with pytest.raises(ValidationError) as error:
        registration_check_declaration(bhxh_code="7906666666", full_name="Nguyễn Văn Tài",
                                       birth_date=datetime.date(2008, 12, 1), id_type="cccd", id_number="",
                                       for_child=True)
    assert error.value.messages == [CHILD_MISMATCH_MESSAGE]


@pytest.mark.parametrize("bad", ["abc", "²", "٣", "1²", "9" * 30, "-1"])
def test_a_malformed_child_id_is_a_404(client, parent, child, bad):
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    client.force_login(parent)
    assert client.post("/ca-nhan/xem/", {"child": bad}).status_code == 404


def test_access_ends_when_the_child_turns_18_and_bad_input_is_a_404(client, parent, child):
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    client.force_login(parent)
    assert client.post("/ca-nhan/xem/", {"child": child.pk}).status_code == 302
    assert client.post("/ca-nhan/xem/", {"child": "abc"}).status_code == 404
    type(child).objects.filter(pk=child.pk).update(birth_date=datetime.date(2000, 1, 1))
    assert "7905555555" not in client.get("/ca-nhan/").content.decode()  # switched back to the parent
    response = client.post("/ca-nhan/xem/", {"child": child.pk})  # from a page shown before: said, not a 404
    assert response.status_code == 302 and response["Location"] == "/ca-nhan/"
    assert "viewing_person_id" not in client.session


def test_a_parents_view_of_a_child_ends_on_the_childs_18th_birthday(parent):
    """From the 18th birthday the records are the young adult's own: the parent is offered them no more."""
    turns_18_today = born_18_years_ago_today()
    turns_18_tomorrow = turns_18_today + datetime.timedelta(days=1)
    for code, born in (("7906666666", turns_18_today), ("7907777777", turns_18_tomorrow)):
        person = make_person(code, "Nguyễn Văn Tài", birth=born, id_number=cccd_for(born))
        Guardianship.objects.create(parent=parent, child=person, relationship="cha")
    assert [person.bhxh_code for person in children_of(user=parent)] == ["7907777777"]


def test_a_child_with_an_own_account_cannot_be_claimed(client, parent, child):
    User.objects.create_user(child.bhxh_code, password="x-Pass-2026!", person=child)
    client.force_login(parent)
    response = send(client)
    assert "đã có tài khoản riêng" in response.content.decode() and not Registration.objects.exists()


def test_a_parent_already_shown_the_childs_records_is_told_so_and_nothing_is_registered(client, parent, child):
    """An approved parent has nothing to register for that child: no second registration goes to the officers."""
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    client.force_login(parent)
    response = send(client)
    assert "Bạn đã được duyệt xem thông tin của trẻ này." in errors_of(response)
    assert not Registration.objects.exists()


def test_a_minor_with_a_login_of_their_own_is_told_the_code_typed_is_their_own(client, teenager):
    """A 17-year-old with their own account who types their own code on the child form is told it is theirs,
    not that "this person" already has an account, as if it were someone else."""
    own = User.objects.create_user(teenager.bhxh_code, password="x-Pass-2026!", person=teenager)
    client.force_login(own)
    response = send(client, **teenager_form())
    assert "Đây là mã số BHXH của chính bạn. Hãy nhập mã số BHXH của con." in errors_of(response)
    assert not Registration.objects.exists()


def test_a_child_whose_own_login_an_officer_deactivated_is_registered_as_a_child_without_a_login(client, parent, child):
    """A deactivated login counts for nothing in the portal (active_logins): the parent viewing such a
    child is told to contact the agency, and the child's notices go to the parents. So it does not
    stand in the way of the parent's registration either, nor of its approval: the child's own login
    stays as the officer left it."""
    own = User.objects.create_user(child.bhxh_code, password="x-Pass-2026!", person=child, is_active=False)
    client.force_login(parent)
    response = send(client)
    assert response.status_code == 302, errors_of(response)
    approver = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    registration_approve(registration=Registration.objects.get(), officer=approver)
    assert Guardianship.objects.filter(parent=parent, child=child).exists()
    own.refresh_from_db()
    assert not own.is_active


def test_a_parents_registration_is_approved_once_the_childs_own_login_was_deactivated(client, parent, child):
    client.force_login(parent)
    assert send(client).status_code == 302
    User.objects.create_user(child.bhxh_code, password="x-Pass-2026!", person=child, is_active=False)
    approver = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    registration_approve(registration=Registration.objects.get(), officer=approver)
    assert Guardianship.objects.filter(parent=parent, child=child).exists()


# --- limits: the form asks the registry about other people's children --------------------------------


def test_child_registry_checks_are_limited_per_bhxh_code(client, parent, child):
    client.force_login(parent)
    key = form_key(client)
    for n in range(8):  # each from another address: only the code's own limit can stop the ninth
        response = send(client, key, photos=n == 0, birth_date=f"{n + 2:02d}/06/{CHILD_BORN.year}", ip=f"10.0.1.{n}")
        assert response.status_code == 200 and CHILD_MISMATCH in response.content.decode()
    blocked = send(client, key, photos=False, ip="10.0.1.99")  # even the right answer now
    assert blocked.status_code == 429
    html = blocked.content.decode()
    assert "quá nhiều lần" in html and "1900 9068" in html and CHILD_MISMATCH not in html
    # the seconds left of the code's hour, which refused, not of the parent's or the address's
    assert abs(int(blocked["Retry-After"]) - seconds_left(CHECKS_PER_CODE[1], "7905555555")) <= 1
    assert not Registration.objects.exists()
    other = send(client, key, photos=False, bhxh_code="7909999999", ip="10.0.1.100")
    assert other.status_code == 200 and CHILD_MISMATCH in other.content.decode()


def test_child_registry_checks_count_the_code_however_it_is_written(client, parent, child):
    client.force_login(parent)
    key = form_key(client)
    for n in range(8):
        written = "７９０５５５５５５５" if n % 2 else "7905 555 555"
        response = send(client, key, photos=n == 0, bhxh_code=written, birth_date=f"{n + 2:02d}/06/{CHILD_BORN.year}",
                        ip=f"10.0.6.{n}")
        assert response.status_code == 200 and CHILD_MISMATCH in response.content.decode()
    assert send(client, key, photos=False, ip="10.0.6.99").status_code == 429
    assert not Registration.objects.exists()


def test_child_registry_checks_are_limited_per_parent(client, parent, child):
    client.force_login(parent)
    key = form_key(client)
    for n in range(10):  # other codes, other addresses: only the parent's own limit can stop the eleventh
        response = send(client, key, photos=n == 0, bhxh_code=f"79000001{n:02d}", ip=f"10.0.2.{n}")
        assert response.status_code == 200, n
    blocked = send(client, key, photos=False, ip="10.0.2.99")
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    assert abs(int(blocked["Retry-After"]) - seconds_left(CHILD_CHECKS_PER_USER, str(parent.pk))) <= 1
    assert not Registration.objects.exists()


def test_child_registry_checks_are_limited_per_client_address(client, parent, child):
    other_parents = [User.objects.create_user(f"phuhuynh{n}", password="x-Pass-2026!",
                                              person=make_person(f"790777777{n}", id_number=f"07908801000{n}"))
                     for n in range(2)]
    for n, someone in enumerate(other_parents):  # two accounts, one address, ten other codes each
        client.force_login(someone)
        key = form_key(client)
        for m in range(10):
            assert send(client, key, photos=m == 0, bhxh_code=f"7900000{n}{m:02d}").status_code == 200
    client.force_login(parent)
    blocked = send(client)
    assert blocked.status_code == 429 and not Registration.objects.exists()
    assert abs(int(blocked["Retry-After"]) - seconds_left(CHECKS_PER_CLIENT[1], "127.0.0.1")) <= 1
    assert send(client, ip="10.0.3.1").status_code == 302  # the same parent from elsewhere


def test_the_citizen_registration_and_the_child_form_share_the_codes_limit(client, parent, child):
    for _ in range(8):  # someone probes the child's code through the citizen registration first
        client.post("/dang-ky/", declaration_data(bhxh_code="7905555555"), REMOTE_ADDR="10.0.4.1")
    client.force_login(parent)
    assert send(client, ip="10.0.4.2").status_code == 429
    assert not Registration.objects.exists()


def test_an_incomplete_form_does_not_count_against_the_limits(client, parent, child):
    client.force_login(parent)
    key = form_key(client)
    for _ in range(12):
        assert send(client, key, photos=False, relationship="").status_code == 200
    assert send(client, key).status_code == 302


# --- photos kept between attempts, one registration per form ---------------------------------------


def test_photos_are_kept_after_an_error_and_not_asked_for_again(client, parent, child):
    client.force_login(parent)
    key = form_key(client)
    response = send(client, key, relationship="")
    html = response.content.decode()
    assert response.status_code == 200 and "Chọn quan hệ" in html
    assert 'alt="Ảnh chân dung của trẻ đã tải lên"' in html and 'alt="Ảnh giấy khai sinh đã tải lên"' in html
    assert html.count("Đã nhận ảnh (xem ở trên).") == 3 and "bên dưới" not in html  # the previews are above the form
    assert html.index('class="photo-previews"') < html.index('enctype="multipart/form-data"')
    assert 'alt="Ảnh chân dung của trẻ đã tải lên"' in client.get(URL).content.decode()  # shown again on return
    response = send(client, key, photos=False)  # the photos are not sent again
    assert response.status_code == 302
    registration = Registration.objects.get()
    for field in ("portrait", "id_front", "id_back"):
        assert default_storage.exists(getattr(registration, field).name), field


def test_a_bad_photo_is_asked_for_again_while_the_good_ones_are_kept(client, parent, child):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(parent)
    key = form_key(client)
    broken = SimpleUploadedFile("anh.jpg", b"not an image" * 50, "image/jpeg")
    response = send(client, key, portrait=broken)
    html = response.content.decode()
    assert response.status_code == 200 and 'href="#id_portrait"' in html
    assert 'alt="Ảnh chân dung của trẻ đã tải lên"' not in html and 'alt="Ảnh giấy khai sinh đã tải lên"' in html
    assert "portrait" in send(client, key, photos=False).content.decode()  # still missing: refused
    assert send(client, key, photos=False, portrait=jpeg()).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_posting_the_same_form_twice_makes_one_registration_and_one_sms(client, parent, child):
    client.force_login(parent)
    key = form_key(client)
    first = send(client, key)
    second = send(client, key)  # double click, or back and send again
    assert first.status_code == second.status_code == 302
    assert "/dang-ky/ho-so/" in second["Location"]
    registration = Registration.objects.get()  # one row: nothing replaced
    assert registration.status == Registration.Status.PENDING
    assert registration.reference in client.get(second["Location"]).content.decode()
    assert Message.objects.filter(template="registration_received").count() == 1
    # A new visit to the form is a new form: it may register (and so replace) again.
    assert form_key(client) != key


@pytest.mark.django_db(transaction=True)
def test_the_same_form_posted_again_with_the_session_as_it_was_makes_one_registration(client, parent, child):
    """The second post of a double click read the session before the first one ended the draft."""
    client.force_login(parent)
    key = form_key(client)
    assert send(client, key, relationship="").status_code == 200  # photos kept in the draft
    draft = client.session["child_registration"]
    assert send(client, key, photos=False).status_code == 302
    session = client.session
    session["child_registration"] = draft
    session.save()
    again = send(client, key, photos=False)
    assert again.status_code == 302 and "/dang-ky/ho-so/" in again["Location"]
    assert Registration.objects.count() == 1
    assert Message.objects.filter(template="registration_received").count() == 1


def test_another_accounts_key_is_not_answered(client, parent, child):
    client.force_login(parent)
    key = form_key(client)
    assert send(client, key).status_code == 302
    stranger = User.objects.create_user("7907777777", password="x-Pass-2026!",
                                        person=make_person("7907777777", id_number="079088010001"))
    client.force_login(stranger)
    response = client.post(URL, {**child_form(), "submission_key": key})
    assert response.status_code == 400 and "Phiên khai đã hết hạn" in response.content.decode()
    assert Registration.objects.get().parent == parent


@pytest.mark.parametrize("key", [None, "", "ngan", "x" * 33, "a" * 24 + "\n", "²" * 20, "abcdefgh ijklmnop"])
def test_a_post_without_a_valid_form_key_is_judged_but_keeps_and_sends_nothing(client, parent, child, settings, key):
    from pathlib import Path

    client.force_login(parent)
    data = child_form(relationship="")
    if key is not None:
        data["submission_key"] = key
    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 400 and "Phiên khai đã hết hạn" in html and "Chọn quan hệ" in html
    assert not [p for p in Path(settings.PRIVATE_FILES_ROOT).rglob("*") if p.is_file()]  # nothing kept
    assert not Registration.objects.exists() and not Message.objects.exists()
    assert send(client, re.search(r'name="submission_key" value="([^"]+)"', html).group(1)).status_code == 302


def test_photos_swept_after_a_day_are_asked_for_again_not_a_500(client, parent, child):
    client.force_login(parent)
    key = form_key(client)
    send(client, key, relationship="")
    assert registration_uploads_sweep(now=timezone.now() + datetime.timedelta(days=2)) == 3
    page = client.get(URL).content.decode()
    assert "Hãy tải lên lại ảnh chân dung của trẻ" in page and "đã tải lên" not in page.split("<form", 1)[0]
    response = send(client, key, photos=False)
    assert response.status_code == 200 and not Registration.objects.exists()
    assert 'href="#id_portrait"' in response.content.decode()
    assert send(client, key).status_code == 302


def test_photos_swept_between_the_form_and_the_submission_are_asked_for_again(client, parent, child, monkeypatch):
    """The form trusted the kept photos; the files went before the registration copied them."""
    from accounts.views import personal

    client.force_login(parent)
    key = form_key(client)
    send(client, key, relationship="")
    monkeypatch.setattr(personal, "forget_expired_photos", lambda *args: [])  # the sweep runs just after this check
    registration_uploads_sweep(now=timezone.now() + datetime.timedelta(days=2))
    response = send(client, key, photos=False)
    html = response.content.decode()
    assert response.status_code == 200 and "chỉ được lưu tạm trong 1 ngày" in html
    assert not Registration.objects.exists() and not Message.objects.exists()
    monkeypatch.undo()
    assert send(client, key).status_code == 302


def test_at_18_the_parent_loses_the_childs_statements_and_notices(client, parent, child):
    from accounts.selectors import people_told_of
    from notifications.models import Message
    from participation.services.periods import period_save
    from participation.services.statements import statement_request
    from tests.participation.helpers import period

    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    statement = statement_request(person=child, requested_by=parent, verify_base="http://testserver")
    page = f"/qua-trinh-tham-gia/xac-nhan/{statement.pk}/"
    client.force_login(parent)
    assert client.get(page).status_code == 200
    year = CHILD_BORN.year  # periods from the child's birth, whenever the tests run
    period_save(period=period(child, f"01/{year + 1}", f"06/{year + 1}", save=False))
    assert Message.objects.filter(user=parent).count() == 2 and people_told_of({child.pk}) == {child.pk}  # inbox + SMS

    type(child).objects.filter(pk=child.pk).update(birth_date=datetime.date(2000, 1, 1))
    child.refresh_from_db()
    assert client.get(page).status_code == 404
    assert client.post(page).status_code == 404
    period_save(period=period(child, f"01/{year + 2}", f"06/{year + 2}", save=False))
    assert Message.objects.filter(user=parent).count() == 2  # nothing more about an adult
    assert people_told_of({child.pk}) == set()


def test_a_login_an_officer_deactivated_is_told_nothing_of_its_records(parent):
    from accounts.selectors import people_told_of
    from participation.services.periods import period_save
    from tests.participation.helpers import period

    User.objects.filter(pk=parent.pk).update(is_active=False)
    assert period_save(period=period(parent.person, "01/2024", "06/2024", save=False))
    assert not Message.objects.exists()
    assert people_told_of({parent.person_id}) == set()


def test_a_minor_whose_own_login_was_deactivated_is_told_through_the_parent_only(parent, child):
    from accounts.selectors import people_told_of
    from participation.services.periods import period_save
    from tests.participation.helpers import period

    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    own = User.objects.create_user(child.bhxh_code, password="x-Pass-2026!", person=child, is_active=False)
    year = CHILD_BORN.year + 1  # after the child's birth, whenever the tests run
    assert period_save(period=period(child, f"01/{year}", f"06/{year}", save=False))
    assert not Message.objects.filter(user=own).exists()
    assert Message.objects.filter(user=parent).count() == 2  # inbox + SMS, as for a child without a login
    assert people_told_of({child.pk}) == {child.pk}


def test_a_parent_whose_login_was_deactivated_is_not_told_of_the_child(parent, child):
    from accounts.selectors import people_told_of
    from participation.services.periods import period_save
    from tests.participation.helpers import period

    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    User.objects.filter(pk=parent.pk).update(is_active=False)
    year = CHILD_BORN.year + 1  # after the child's birth, whenever the tests run
    assert period_save(period=period(child, f"01/{year}", f"06/{year}", save=False))
    assert not Message.objects.exists()
    assert people_told_of({child.pk}) == set()


def test_one_phone_shared_by_the_logins_told_of_a_change_gets_one_sms(parent, mother, child):
    """A family's one phone, the child's in the registry and both parents': one SMS of a change (the
    child's own login's, told first), naming the child, whose change it is, and each login still finds
    the notice in the portal."""
    from participation.services.periods import period_save
    from tests.participation.helpers import period

    type(mother.person).objects.filter(pk=mother.person_id).update(phone=parent.person.phone)
    mother.refresh_from_db()
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    Guardianship.objects.create(parent=mother, child=child, relationship="me")
    own = User.objects.create_user(child.bhxh_code, password="x-Pass-2026!", person=child)
    assert child.phone == parent.person.phone == mother.person.phone
    year = CHILD_BORN.year + 1  # after the child's birth, whenever the tests run
    assert period_save(period=period(child, f"01/{year}", f"06/{year}", save=False))
    [sms] = Message.objects.filter(channel=Message.Channel.SMS)
    assert sms.user == own and sms.recipient == child.phone.as_e164
    assert sms.body.startswith("BHXH: Quá trình tham gia của Nguyễn Gia Bảo vừa được cập nhật")
    inbox = Message.objects.filter(channel=Message.Channel.INBOX)
    assert sorted(inbox.values_list("user", flat=True)) == sorted([own.pk, parent.pk, mother.pk])


# --- two submitters for one child: each has their own registration ---------------------------------


@pytest.fixture
def mother(db, reference_data):
    person = make_person("7901234568", "Trần Thị Mai", sex=2, id_number="079188012346")
    person.phone = "+84398765432"
    person.save(update_fields=["phone"])
    return User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)


def test_each_parent_has_their_own_registration_and_both_are_approved(parent, mother, child):
    from django.test import Client

    father_client, mother_client = Client(), Client()
    father_client.force_login(parent)
    mother_client.force_login(mother)
    assert send(father_client).status_code == 302
    assert send(mother_client, relationship="me").status_code == 302
    fathers, mothers = Registration.objects.get(parent=parent), Registration.objects.get(parent=mother)
    assert fathers.status == mothers.status == Registration.Status.PENDING
    assert all(getattr(fathers, field) for field in ("portrait", "id_front", "id_back"))
    assert not Message.objects.filter(template="registration_replaced").exists()

    assert send(father_client).status_code == 302  # the father again: his own earlier one is replaced
    fathers.refresh_from_db()
    mothers.refresh_from_db()
    assert fathers.status == Registration.Status.REPLACED and mothers.status == Registration.Status.PENDING

    approver = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    for registration in Registration.objects.filter(status=Registration.Status.PENDING):
        registration_approve(registration=registration, officer=approver)
    assert set(Guardianship.objects.filter(child=child).values_list("parent", "relationship")) == {
        (parent.pk, "cha"), (mother.pk, "me")}


def test_the_database_keeps_one_open_registration_per_parent(parent, mother, child):
    from django.db import IntegrityError, transaction

    common = {"person": child, "bhxh_code": child.bhxh_code, "full_name": "x", "birth_date": child.birth_date,
              "province": child.province, "ward": child.ward, "street": "x", "phone": "+84912345678",
              "agency": Agency.objects.get(code="07901")}
    Registration.objects.create(reference="DK1", parent=parent, **common)
    Registration.objects.create(reference="DK2", parent=mother, **common)
    Registration.objects.create(reference="DK3", **common)  # the minor's own
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(reference="DK4", parent=parent, **common)


@pytest.fixture
def teenager(db, reference_data):
    """17 years old: registers their own account, and a parent may still register for them."""
    today = timezone.localdate()
    birth = datetime.date(today.year - 17, 1, 1)
    return make_person("7905555566", "Nguyễn Gia Huy", birth=birth, id_number=f"0792{birth.year % 100:02d}012345")


def teenager_form():
    birth = f"01/01/{timezone.localdate().year - 17}"
    return {"bhxh_code": "7905555566", "full_name": "Nguyễn Gia Huy", "birth_date": birth}


@pytest.mark.parametrize("own_first", [True, False])
def test_a_minors_own_registration_and_a_parents_do_not_replace_each_other(client, parent, teenager, own_first):
    client.force_login(parent)
    if own_first:
        own = submit(teenager)
    assert send(client, **teenager_form()).status_code == 302
    if not own_first:
        own = submit(teenager)
    own.refresh_from_db()
    assert own.status == Registration.Status.PENDING
    assert Registration.objects.get(parent=parent).status == Registration.Status.PENDING
    assert not Message.objects.filter(template="registration_replaced").exists()


def test_once_the_minors_own_account_is_approved_the_parents_registration_is_refused(client, parent, teenager):
    from django.core.exceptions import ValidationError

    client.force_login(parent)
    send(client, **teenager_form())
    parents = Registration.objects.get(parent=parent)
    approver = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    registration_approve(registration=submit(teenager), officer=approver)
    with pytest.raises(ValidationError) as refused:
        registration_approve(registration=parents, officer=approver)
    assert "đã có tài khoản riêng" in refused.value.messages[0]
    parents.refresh_from_db()
    assert parents.status == Registration.Status.PENDING and not Guardianship.objects.exists()


def test_a_parents_approved_registration_leaves_the_minors_own_to_be_approved(client, parent, teenager):
    client.force_login(parent)
    send(client, **teenager_form())
    own = submit(teenager)
    approver = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    registration_approve(registration=Registration.objects.get(parent=parent), officer=approver)
    registration_approve(registration=own, officer=approver)
    assert Guardianship.objects.filter(parent=parent, child=teenager).exists()
    assert User.objects.filter(person=teenager).exists()


@pytest.mark.parametrize("approve", [True, False])
def test_the_status_page_of_a_childs_registration_leads_to_the_child_not_to_the_parents_own_registration(
        client, parent, child, approve):
    """A rejected child's registration is registered again with the child form (the citizen's own
    registration form would ask for the parent's own account), and an approved one opens the
    child's records (the child has no login of its own)."""
    client.force_login(parent)
    status_page = send(client)["Location"]
    registration, approver = Registration.objects.get(), officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    if approve:
        registration_approve(registration=registration, officer=approver)
    else:
        registration_reject(registration=registration, officer=approver, reason="Ảnh giấy khai sinh bị mờ.")
    html = client.get(status_page).content.decode()
    buttons = re.findall(r'<a class="button" href="([^"]+)">([^<]+)</a>', html)
    if approve:
        assert buttons == [(f"/ca-nhan/xem/{child.pk}/", "Xem thông tin của con")]
        response = client.get(buttons[0][0])
        assert response.status_code == 302 and response.url == "/ca-nhan/"
        assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in client.get("/ca-nhan/").content.decode()
    else:
        assert buttons == [(URL, "Đăng ký lại cho con")]
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("approve", [True, False])
def test_a_parent_who_chose_english_hears_of_the_childs_registration_in_english(client, settings, parent, child,
                                                                                 approve):
    User.objects.filter(pk=parent.pk).update(language="en")
    client.force_login(parent)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert send(client).status_code == 302
    registration, approver = Registration.objects.get(), officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    received = Message.objects.get(template="registration_received")
    assert received.language == "en" and received.body == (
        f"BHXH: Registration {registration.reference} for your child has been received. You will be told the result "
        "by SMS.")
    if approve:
        registration_approve(registration=registration, officer=approver)
    else:
        registration_reject(registration=registration, officer=approver, reason="Blurred birth certificate")
    notice = Message.objects.get(user=parent, channel=Message.Channel.INBOX)
    sms = Message.objects.get(channel=Message.Channel.SMS, template=notice.template)
    assert notice.language == sms.language == "en" and "7905555555" not in sms.body
    assert notice.body.replace(" for social insurance code 7905555555 ", " for your child ") == sms.body
    if approve:
        assert notice.subject == "The registration of an account for your child has been approved"
        assert notice.body.endswith("has been approved. Log in to your account to see your child's information.")
    else:
        assert notice.subject == "The registration of an account for your child was refused"
        assert notice.body.endswith("was refused. Reason: Blurred birth certificate. Please register again. "
                                    "Helpline: 1900 9068.")
