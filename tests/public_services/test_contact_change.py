"""Change of phone, e-mail and contact address (issue 4: through a filing, never a direct edit): the
form refuses what is missing, malformed or already the registry's; the phone registered until then
is told by SMS, once, when the change is asked for and when it is made; the officer confirms what
completing writes, and it is written to the registry and the login; the declaration reads back with
its diacritics; it is filed by the person's own login whatever their age, and a parent viewing a
child, with or without a login of their own, is told why the procedure is not offered."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from phonenumber_field.phonenumber import PhoneNumber

from accounts.models import Guardianship, Person, User
from accounts.services.contact import person_change_contact
from lookup.models import Province, Ward
from notifications.models import Message
from public_services.models import Filing
from public_services.procedures import registry
from public_services.services import filing_complete, filing_receive, filing_resubmit, filing_return, filing_start
from tests.accounts.helpers import born_years_ago, make_person

from .helpers import (  # noqa: F401
    answers,
    complete,
    correction,
    district_officer,
    logged,
    other_district_officer,
    owner,
    review_post,
    submit,
)
from .test_pdf_layout import PLEDGE, declaration, pages, squash

pytestmark = pytest.mark.django_db

CODE = "DOI-LIEN-HE"
QUEUE = "/quan-tri/public_services/filing/"
URL = "/dich-vu-cong/dieu-chinh-thong-tin-lien-he/"
OLD_PHONE = "+84912345678"
REAUTHENTICATE = "/tai-khoan/nhap-lai-mat-khau/"


def errors(person, **overrides):
    procedure = registry.get(CODE)
    form = procedure.form(data=answers(CODE, **overrides), person=person)
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def contact_sms(filing):
    return Message.objects.filter(channel=Message.Channel.SMS,
                                  idempotency_key__startswith=f"filing-{filing.tracking_number}-contact-")


def test_the_procedure_is_declared_with_the_decree_166_declaration():
    procedure = registry.get(CODE)
    assert registry.by_slug("dieu-chinh-thong-tin-lien-he") is procedure
    assert str(procedure.name) == "Điều chỉnh số điện thoại, email, địa chỉ liên hệ"
    assert "điều chỉnh thông tin và ngừng sử dụng phương thức giao dịch điện tử" in str(procedure.declaration_name)


def test_valid_answers_are_accepted(owner):
    assert errors(owner.person) == {}


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"changes": []}, "changes", "Chọn ít nhất một thông tin cần thay đổi."),
    ({"changes": ["fax"]}, "changes", "Chọn thông tin cần thay đổi trong danh sách."),
    ({"new_phone": ""}, "new_phone", "Nhập số điện thoại di động mới."),
    ({"new_phone": "0283829 1234"}, "new_phone",
     "Số điện thoại di động mới: nhập số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912 345 678."),
    ({"new_email": ""}, "new_email", "Nhập địa chỉ email mới."),
    ({"new_email": "duc@"}, "new_email", "Nhập địa chỉ email đúng dạng, ví dụ ten@example.com."),
    ({"new_province": ""}, "new_province", "Chọn tỉnh/thành phố."),
    ({"new_ward": ""}, "new_ward", "Chọn phường/xã."),
    ({"new_street": ""}, "new_street", "Nhập số nhà, tên đường hoặc thôn, xóm."),
    ({"new_street": "x" * 201}, "new_street", "Nhập số nhà, đường tối đa 200 ký tự."),
    ({"new_phone": "0912 345 678"}, "new_phone", "Số điện thoại mới trùng với số đang đăng ký trong hồ sơ BHXH."),
    ({"new_email": "7901234567@EXAMPLE.vn"}, "new_email", "Email mới trùng với email đang đăng ký với tài khoản."),
])
def test_each_refusal_says_how_to_fix_it(owner, overrides, field, message):
    found = errors(owner.person, **overrides)
    assert found[field] == [message]
    # Without a province, the ward posted is none of its wards (as in the registration's form).
    assert set(found) - {field} <= ({"new_ward"} if field == "new_province" else set()), found


def test_a_ward_of_another_province_is_refused(owner):
    ha_noi = Province.objects.exclude(pk=Ward.objects.get(name="Phường Sài Gòn").province_id).first()
    assert errors(owner.person, new_province=str(ha_noi.pk)) == {
        "new_ward": ["Chọn phường/xã thuộc tỉnh/thành phố đã chọn."]}


def test_the_address_already_in_the_registry_is_refused(owner):
    person = owner.person
    person.street = "45 Hà Huy Giáp"
    person.ward = Ward.objects.get(name="Phường Sài Gòn")
    person.province = person.ward.province
    person.save()
    assert errors(person, changes=["address"], new_street="45 ha huy giap") == {
        "new_street": ["Địa chỉ mới trùng với địa chỉ liên hệ hiện có trong hồ sơ BHXH."]}


def test_only_the_details_chosen_are_asked_for_and_kept(owner):
    procedure = registry.get(CODE)
    form = procedure.form(data=answers(CODE, changes=["email"], new_phone="", new_street=""), person=owner.person)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["new_province"] is None and form.cleaned_data["new_street"] == ""


def test_the_form_without_javascript_refreshes_the_wards_of_the_province_chosen(owner):
    client = logged(owner)
    page = client.get(URL)
    key = page.context["key"]
    html = page.content.decode()
    assert 'name="refresh"' in html and "Cập nhật danh sách phường/xã" in html
    ha_noi = Province.objects.get(code="01")
    response = client.post(URL, {"idempotency_key": key, "refresh": "1", "changes": ["address"],
                                 "new_province": str(ha_noi.pk)}, follow=True)
    wards = list(response.context["form"].fields["new_ward"].queryset)
    assert wards and {ward.province_id for ward in wards} == {ha_noi.pk}
    assert not response.context["form"].errors


def test_the_new_details_say_their_purpose_for_autofill_as_the_gov_uk_address_pattern(owner):
    """WCAG 1.3.5: each new detail names what it holds (the new address as GOV.UK's pattern: the
    street as address line 1, the ward as the town, address-level2, the province as the county,
    address-level1); the details registered now are text above the form, not inputs."""
    html = logged(owner).get(URL).content.decode()
    tags = {name: tag for tag, name in re.findall(r'(<(?:input|select)[^>]*name="([^"]+)"[^>]*>)', html)}
    expected = {"new_phone": "tel", "new_email": "email", "new_street": "address-line1",
                "new_province": "address-level1", "new_ward": "address-level2"}
    assert {name: re.search(r'autocomplete="([^"]*)"', tags[name]).group(1) if "autocomplete" in tags[name] else None
            for name in expected} == expected
    assert not {"phone", "email", "province", "ward", "street"} & set(tags)


def test_submitting_tells_the_registered_phone_once(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, CODE)
    sms = contact_sms(filing).get()
    assert sms.recipient == OLD_PHONE
    assert sms.body == (f"BHXH: Hồ sơ {filing.tracking_number} vừa được nộp để đổi số điện thoại, email, địa chỉ liên "
                        "hệ của tài khoản Cổng BHXH số (mã số BHXH ******4567). Nếu không phải bạn đề nghị, hãy "
                        "gọi ngay tổng đài 1900 9068.")
    registry.get(CODE).on_submit(filing=filing)  # the same event again: nothing new
    assert contact_sms(filing).count() == 1


def test_a_holder_who_chose_english_is_told_in_english(owner, django_capture_on_commit_callbacks):
    User.objects.filter(pk=owner.pk).update(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, CODE)
    sms = contact_sms(filing).get()
    assert sms.language == "en" and sms.body == (
        f"BHXH: Application {filing.tracking_number} has just been filed to change the phone number, email address, "
        "contact address of the VssID Portal account (social insurance code ******4567). If you "
        "did not ask for this, call the helpline on 1900 9068 at once.")


def test_the_form_and_review_submit_once_with_the_key(owner):
    client = logged(owner)
    client.post(REAUTHENTICATE, {"password": "x-Pass-2026!"})
    key = client.get(URL).context["key"]
    response = client.post(URL, {**answers(CODE), "idempotency_key": key})
    assert response.status_code == 302, response.context["form"].errors
    review = client.get(response["Location"]).content.decode()
    assert "Số điện thoại di động mới" in review and "0987 654 321" in review
    assert "<dt>Phường/xã (địa chỉ liên hệ mới)</dt><dd>Phường Sài Gòn</dd>" in review
    for _twice in range(2):
        client.post(response["Location"], review_post(client, URL, key))
    assert Filing.objects.filter(procedure_code=CODE).count() == 1


def in_hand(filing, officer):
    for step in (filing_receive, filing_start):
        step(filing=filing, officer=officer)
    return Filing.objects.get(pk=filing.pk)


def test_completion_is_confirmed_then_writes_the_registry_and_the_login(owner, district_officer,
                                                                         django_capture_on_commit_callbacks):
    person = owner.person
    old_address = person.address
    with django_capture_on_commit_callbacks(execute=True):
        filing = in_hand(submit(owner, CODE), district_officer)
    assert filing.agency == person.agency
    client = logged(district_officer)
    html = client.get(f"{QUEUE}{filing.pk}/buoc/complete/").content.decode()
    assert "Số điện thoại di động trong hồ sơ BHXH mã số 7901234567: 0912 345 678 → 0987 654 321" in html
    assert "Email của tài khoản 7901234567: 7901234567@example.vn → duc.moi@example.vn" in html
    assert (f"Địa chỉ liên hệ trong hồ sơ BHXH mã số 7901234567: {old_address} → 45 Hà Huy Giáp, Phường Sài Gòn, "
            "Thành phố Hồ Chí Minh") in html
    form = dict(re.findall(r'name="(seen|confirmed)" value="([^"]*)"', html))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{QUEUE}{filing.pk}/buoc/complete/", form)
        client.post(f"{QUEUE}{filing.pk}/buoc/complete/", form)  # a double submit
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.DONE
    person = Person.objects.get(pk=person.pk)
    assert person.phone.as_e164 == "+84987654321"
    assert person.address == "45 Hà Huy Giáp, Phường Sài Gòn, Thành phố Hồ Chí Minh"
    assert User.objects.get(pk=owner.pk).email == "duc.moi@example.vn"
    done = contact_sms(filing).filter(idempotency_key__contains="-done-")
    assert done.count() == 1 and done.get().recipient == OLD_PHONE  # the old phone, not the new one
    assert done.get().body == (f"BHXH: Theo hồ sơ {filing.tracking_number}, số điện thoại, email, địa chỉ liên hệ của "
                               "tài khoản Cổng BHXH số (mã số BHXH ******4567) đã được thay đổi. Nếu không phải "
                               "bạn đề nghị, hãy gọi ngay tổng đài 1900 9068.")
    assert contact_sms(filing).count() == 2


def test_an_officer_of_another_agency_neither_sees_nor_completes_it(owner, district_officer, other_district_officer):
    filing = in_hand(submit(owner, CODE), district_officer)
    client = logged(other_district_officer)
    for url in (f"{QUEUE}{filing.pk}/change/", f"{QUEUE}{filing.pk}/buoc/complete/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404) and "duc.moi@example.vn" not in response.content.decode(), url
    with pytest.raises(PermissionDenied):
        filing_complete(filing=filing, officer=other_district_officer)
    assert User.objects.get(pk=owner.pk).email == "7901234567@example.vn"


def test_a_resubmission_tells_the_registered_phone_again_once(owner, district_officer,
                                                              django_capture_on_commit_callbacks):
    filing = submit(owner, CODE)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ số nhà")
    with django_capture_on_commit_callbacks(execute=True):
        filing_resubmit(filing=filing, user=owner, data=correction(filing, CODE, new_street="45A Hà Huy Giáp"),
                        uploads={}, revision=filing.revision)
    assert sorted(sms.idempotency_key.rsplit("-", 2)[1] for sms in contact_sms(filing)) == ["r1", "r2"]


def test_the_declaration_reads_back_with_its_diacritics(owner):
    text = squash(" ".join(pages(declaration(owner, CODE))))
    for words in ["TỜ KHAI ĐĂNG KÝ SỬ DỤNG, ĐIỀU CHỈNH THÔNG TIN VÀ NGỪNG SỬ DỤNG PHƯƠNG THỨC GIAO DỊCH ĐIỆN TỬ",
                  "[01] Họ và tên Nguyễn Văn Đức", "[06] Điện thoại di động đã đăng ký 0912 345 678",
                  "Nội dung điều chỉnh thông tin", "Điện thoại di động nhận mã xác thực mới 0987 654 321",
                  "Email nhận thông báo mới duc.moi@example.vn", "Phường/xã (địa chỉ liên hệ mới) Phường Sài Gòn",
                  "Số nhà, đường/thôn/xóm (địa chỉ liên hệ mới) 45 Hà Huy Giáp", PLEDGE]:
        assert squash(words) in text, words


def test_the_declaration_prints_the_email_registered_until_then_beside_the_phone_and_address(owner):
    """As the phone and the address, the login's e-mail as it was at submission, whatever it is since."""
    from django.template.loader import render_to_string

    filing = submit(owner, CODE)
    User.objects.filter(pk=owner.pk).update(email="sau-nay@example.vn")  # changed since: not what was declared
    procedure = filing.procedure
    html = squash(render_to_string(procedure.pdf_template, {
        "filing": filing, "procedure": procedure, "identity": Filing.objects.get(pk=filing.pk).identity,
        "rows": procedure.rows(filing.data), "data": filing.data, "documents": [],
    }))
    assert squash("<th scope=\"row\">[06] Điện thoại di động đã đăng ký</th><td>0912 345 678</td>") in html
    assert squash("<th scope=\"row\">[07] Email đã đăng ký</th><td>7901234567@example.vn</td>") in html
    assert "sau-nay@example.vn" not in html


def test_a_parent_viewing_a_child_is_told_why_it_is_not_offered(client, owner):
    son = make_person("7905555556", "Nguyễn Minh Khang", birth=born_years_ago(3), id_number="")
    Guardianship.objects.create(parent=owner, child=son, relationship="cha")
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": son.pk})
    html = client.get(URL).content.decode()
    assert ("Thủ tục này dành cho người có tài khoản trên Cổng dịch vụ BHXH số. Nguyễn Minh Khang chưa có tài khoản riêng đang "
            "hoạt động: hãy liên hệ cơ quan BHXH quản lý hoặc gọi 1900 9068.") in html
    assert 'name="new_phone"' not in html
    assert client.post(URL, {**answers(CODE), "idempotency_key": "k" * 20}).status_code == 403


def test_a_grown_up_without_a_login_of_their_own_is_not_offered_it(reference_data):
    person = make_person("7907777777", "Lê Văn Tâm", id_number="079077012345")
    assert registry.get(CODE).unavailable(person) == (
        "Thủ tục này dành cho người có tài khoản trên Cổng dịch vụ BHXH số. Lê Văn Tâm chưa có tài khoản riêng đang hoạt động: "
        "hãy liên hệ cơ quan BHXH quản lý hoặc gọi 1900 9068.")


def test_the_personal_page_links_to_the_procedure(owner):
    html = logged(owner).get("/ca-nhan/").content.decode()
    assert f'href="{URL}"' in html
    assert "chưa đổi được trên cổng" not in html
    assert 'href="/dich-vu-cong/cap-lai-so-bhxh-thay-doi-thong-tin/"' in html


def test_the_form_shows_the_details_registered_now_with_the_phone_masked(owner, district_officer):
    person = owner.person
    person.street = "12 Lê Lợi"
    person.ward = Ward.objects.get(name="Phường Sài Gòn")
    person.province = person.ward.province
    person.save()
    client = logged(owner)
    html = client.get(URL).content.decode()
    current = html[html.index("Thông tin liên hệ đang đăng ký"):html.index('name="changes"')]
    assert "<dt>Số điện thoại di động</dt><dd>0••• ••• 678</dd>" in current
    assert "0912 345 678" not in html
    assert "<dt>Email</dt><dd>7901234567@example.vn</dd>" in current
    assert "<dt>Địa chỉ liên hệ</dt><dd>12 Lê Lợi, Phường Sài Gòn, Thành phố Hồ Chí Minh</dd>" in current
    # and on the correction page, where the choices are asked again
    filing = submit(owner, CODE)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ số nhà")
    html = client.get(reverse("public_services:edit", args=[filing.pk])).content.decode()
    assert "<dt>Số điện thoại di động</dt><dd>0••• ••• 678</dd>" in html


@pytest.mark.parametrize(("overrides", "field"), [
    ({"new_province": "abc"}, "new_province"),
    ({"new_province": "١٢"}, "new_ward"),  # read as 12 by int(): none of its wards is posted
    ({"new_province": "99999999999999999999"}, "new_province"),
    ({"changes": ["phone", "<script>"]}, "changes"),
    ({"new_ward": "abc"}, "new_ward"),
])
def test_hostile_posts_are_refused_with_a_message(owner, overrides, field):
    assert field in errors(owner.person, **overrides)
    client = logged(owner)
    key = client.get(URL).context["key"]
    response = client.post(URL, {**answers(CODE, **overrides), "idempotency_key": key})
    assert response.status_code == 200 and field in response.context["form"].errors
    response = client.post(URL, {**answers(CODE, **overrides), "idempotency_key": key, "refresh": "1"}, follow=True)
    assert response.status_code == 200
    assert not Filing.objects.filter(procedure_code=CODE).exists()


def test_a_resubmission_may_change_the_choices(owner, district_officer, django_capture_on_commit_callbacks):
    filing = submit(owner, CODE)
    filing_return(filing=filing, officer=district_officer, what="Chỉ đổi email")
    with django_capture_on_commit_callbacks(execute=True):
        filing_resubmit(filing=filing, user=owner, data=correction(filing, CODE, changes=["email"]),
                        uploads={}, revision=filing.revision)
    filing = in_hand(Filing.objects.get(pk=filing.pk), district_officer)
    assert filing.data["changes"] == ["email"] and filing.data["new_phone"] == "" and not filing.data["new_ward"]
    lines = registry.get(CODE).completion_changes(filing)
    assert len(lines) == 1 and lines[0].startswith("Email của tài khoản")
    sms = contact_sms(filing).get(idempotency_key__contains="-r2-")
    assert "đổi email của tài khoản" in sms.body


def test_a_second_filing_is_refused_while_one_is_open(owner):
    submit(owner, CODE)
    html = logged(owner).get(URL).content.decode()
    assert 'name="new_phone"' not in html


def test_completing_after_the_registry_changed_meanwhile_shows_the_changes_again(owner, district_officer):
    filing = in_hand(submit(owner, CODE), district_officer)
    client = logged(district_officer)
    url = f"{QUEUE}{filing.pk}/buoc/complete/"
    form = dict(re.findall(r'name="(seen|confirmed)" value="([^"]*)"', client.get(url).content.decode()))
    person = Person.objects.get(pk=owner.person.pk)  # an officer corrects the registry's phone meanwhile
    person.phone = "+84911111111"
    person.save()
    html = client.post(url, form, follow=True).content.decode()
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING
    assert "đã khác so với lúc trang xác nhận được mở" in html
    assert "Số điện thoại di động trong hồ sơ BHXH mã số 7901234567: 0911 111 111 → 0987 654 321" in html
    assert User.objects.get(pk=owner.pk).email == "7901234567@example.vn"


def test_completing_checks_what_it_writes_against_the_person_read_under_the_lock(owner, district_officer,
                                                                                 monkeypatch):
    """The confirmed changes are compared with the person's row as locked for the write: a phone
    changed by another transaction just before the lock is granted is seen, and nothing is
    written, instead of the confirmation being checked against a read made before the lock."""
    from public_services.selectors import completion_confirmed, completion_digest
    from public_services.services import CompletionChangedMeanwhile

    filing = in_hand(submit(owner, CODE), district_officer)
    confirmed = completion_digest(completion_confirmed(filing, district_officer))  # what the officer's page showed
    lock = Person.objects.select_for_update

    def committed_meanwhile_then_lock(*args, **kwargs):
        Person.objects.filter(pk=owner.person.pk).update(phone="+84911111111")
        return lock(*args, **kwargs)

    monkeypatch.setattr(Person.objects, "select_for_update", committed_meanwhile_then_lock)
    with pytest.raises(CompletionChangedMeanwhile):
        filing_complete(filing=filing, officer=district_officer, confirmed=confirmed)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING
    # (The simulated change is undone with the refused completion, being in its transaction here.)
    assert Person.objects.get(pk=owner.person.pk).phone.as_e164 != "+84987654321"
    assert User.objects.get(pk=owner.pk).email == "7901234567@example.vn"


def test_submitting_asks_for_the_password_again_and_keeps_the_answers(owner):
    client = logged(owner)  # a session alone (a stolen cookie) files nothing
    key = client.get(URL).context["key"]
    review_url = client.post(URL, {**answers(CODE), "idempotency_key": key})["Location"]
    response = client.post(review_url, review_post(client, URL, key))
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    assert response["Location"].endswith(f"?next={review_url.replace('/', '%2F')}")
    assert not Filing.objects.filter(procedure_code=CODE).exists()
    assert client.post(REAUTHENTICATE, {"password": "wrong-Pass-1"}).status_code == 200
    assert not Filing.objects.filter(procedure_code=CODE).exists()
    response = client.post(f"{REAUTHENTICATE}?next={review_url}", {"password": "x-Pass-2026!"})
    filing = Filing.objects.get(procedure_code=CODE)  # the answers given before, not typed again
    assert response.status_code == 302 and response["Location"] == reverse("public_services:filing", args=[filing.pk])
    assert filing.data["new_email"] == "duc.moi@example.vn"


def test_the_password_page_says_the_filing_is_not_sent_why_it_asks_and_that_the_filing_follows(owner):
    """Asked before a filing, the page says the filing has not been sent, what it changes that makes the
    portal ask, and the truth of what follows: allauth sends the post kept again once the password is
    right, so the filing is sent then; opened without such a post, the filing's page comes back."""
    client = logged(owner)
    key = client.get(URL).context["key"]
    review_url = client.post(URL, {**answers(CODE), "idempotency_key": key})["Location"]
    asked = client.post(review_url, review_post(client, URL, key))["Location"]
    assert asked.startswith("/tai-khoan/nhap-lai-mat-khau/?next=")
    html = client.get(asked).content.decode()
    name = str(registry.get(CODE).name)
    assert "<h1>Nhập lại mật khẩu để nộp hồ sơ</h1>" in html and f"Hồ sơ “{name}” chưa được nộp." in html
    assert str(registry.get(CODE).reauthenticate_reason) in html and "Vì vậy cổng hỏi lại mật khẩu" in html
    assert "hồ sơ được nộp ngay với nội dung bạn đã khai" in html and "Xác nhận quyền truy cập" not in html
    # the page asked for again by its old path (a page opened before the change) is the same page
    old = client.get(asked.replace("/tai-khoan/nhap-lai-mat-khau/", "/tai-khoan/reauthenticate/"))
    assert old.status_code == 302 and old["Location"] == asked
    client.post(asked, {"password": "wrong-Pass-1"})
    assert "hồ sơ được nộp ngay" in client.get(asked).content.decode()  # still kept after a wrong password
    client.post(asked, {"password": "x-Pass-2026!"})
    assert Filing.objects.filter(procedure_code=CODE).count() == 1
    # nothing kept to send: the page says the filing's page comes back, to be sent from there
    html = logged(owner).get(asked).content.decode()
    assert "trang hồ sơ mở lại; khi đó hãy bấm nộp để gửi hồ sơ" in html and "nộp ngay" not in html


def test_a_correction_is_resubmitted_only_after_the_password_again(owner, district_officer):
    filing = submit(owner, CODE)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ số nhà")
    client = logged(owner)
    url = reverse("public_services:edit", args=[filing.pk])
    response = client.post(url, correction(filing, CODE, new_street="45A Hà Huy Giáp"))
    assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.RETURNED
    response = client.post(f"{REAUTHENTICATE}?next={url}", {"password": "x-Pass-2026!"})
    assert response.status_code == 302 and response["Location"] == reverse("public_services:filing", args=[filing.pk])
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.status != Filing.Status.RETURNED and filing.data["new_street"] == "45A Hà Huy Giáp"


def test_only_the_changes_of_where_codes_or_benefits_go_ask_for_the_password_again(owner):
    """The contact change, and the procedures that move the benefits' money (test_benefit_procedures.py)."""
    assert {procedure.code for procedure in registry.all_procedures() if procedure.reauthenticate} == {
        CODE, "CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA", "UY-QUYEN"}
    client = logged(owner)
    code = "607A"
    procedure = registry.get(code)
    url = f"/dich-vu-cong/{procedure.slug}/"
    key = client.get(url).context["key"]
    review_url = client.post(url, {**answers(code), "idempotency_key": key})["Location"]
    response = client.post(review_url, review_post(client, url, key))
    assert response.status_code == 302 and not response["Location"].startswith(REAUTHENTICATE)
    assert Filing.objects.filter(procedure_code=code).count() == 1


def test_the_papers_needed_name_the_decree_166_declaration_as_it_is_called(owner):
    procedure = registry.get(CODE)
    named = ("Tờ khai đăng ký sử dụng, điều chỉnh thông tin và ngừng sử dụng phương thức giao dịch điện tử trong lĩnh "
             "vực bảo hiểm xã hội (cổng tạo sẵn từ nội dung bạn khai)")
    assert [str(document) for document in procedure.documents] == [named]
    assert named in logged(owner).get(URL).content.decode()


def test_without_a_phone_the_email_registered_until_then_is_told(owner, district_officer,
                                                                 django_capture_on_commit_callbacks):
    person = owner.person
    person.phone = ""
    person.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        filing = in_hand(submit(owner, CODE, changes=["email"]), district_officer)
    told = Message.objects.filter(idempotency_key__startswith=f"filing-{filing.tracking_number}-contact-")
    sent = told.get()
    assert (sent.channel, sent.recipient) == (Message.Channel.EMAIL, "7901234567@example.vn")
    assert sent.subject == "Hồ sơ đổi thông tin liên hệ của tài khoản Cổng dịch vụ BHXH số vừa được nộp"
    assert sent.body == (
        f"BHXH: Hồ sơ {filing.tracking_number} vừa được nộp để đổi email của tài khoản Cổng dịch vụ BHXH số (mã "
        "số BHXH 7901234567). Nếu không phải bạn đề nghị, hãy gọi ngay tổng đài 1900 9068.")
    with django_capture_on_commit_callbacks(execute=True):
        filing_complete(filing=filing, officer=district_officer)
    assert User.objects.get(pk=owner.pk).email == "duc.moi@example.vn"
    done = told.get(idempotency_key__contains="-done-")
    assert (done.channel, done.recipient) == (Message.Channel.EMAIL, "7901234567@example.vn")  # not the new address
    assert "đã được thay đổi" in done.body and told.count() == 2


@pytest.mark.parametrize("phone", [OLD_PHONE, ""])
def test_a_login_deactivated_since_the_filing_was_sent_is_not_alerted_of_its_completion(
        owner, district_officer, django_capture_on_commit_callbacks, phone):
    """The alert goes where the person's own active login gets its codes (accounts.selectors.own_login, the login
    logins_told_of names first and person_notify tells as `own_login`), not to a login an officer deactivated since
    the filing was sent: it signs in no more and gets no codes, and is told nothing, by SMS (the phone) or by
    e-mail (without a phone), as it gets no notice."""
    Person.objects.filter(pk=owner.person_id).update(phone=phone)
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, CODE, changes=["email"], new_phone="")
    assert contact_sms(filing).exists() or Message.objects.filter(channel=Message.Channel.EMAIL, user=owner).exists()
    User.objects.filter(pk=owner.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        complete(filing, district_officer, completion_messages_only=True)
    assert User.objects.get(pk=owner.pk).email == "duc.moi@example.vn"  # written all the same
    assert not Message.objects.filter(user=owner).exists(), list(Message.objects.values_list("template", "body"))
    assert not Message.objects.filter(template="contact_change").exists()


def test_a_registry_record_stored_under_older_rules_still_gets_its_new_phone(owner):
    """Completing checks only what it writes: an ID number the registry took before today's CCCD
    rules (here, one whose century-and-sex digit disagrees with the birth date) does not stop it."""
    person = owner.person
    Person.objects.filter(pk=person.pk).update(id_number="079999000001")
    person_change_contact(person=Person.objects.get(pk=person.pk), phone=PhoneNumber.from_string("0987654321", "VN"))
    assert Person.objects.get(pk=person.pk).phone.as_e164 == "+84987654321"


def test_a_procedure_with_file_fields_cannot_ask_for_the_password_again():
    """allauth's reauthentication replays a post without its files: the registry refuses the pair."""
    from django import forms

    from public_services.procedures.base import Procedure, ProcedureForm

    class WithFile(ProcedureForm):
        evidence = forms.FileField()

    class Uploading(Procedure):
        code, slug, form_class, reauthenticate = "THU-TEP", "thu-tep", WithFile, True

    with pytest.raises(ValueError, match="file fields"):
        registry.register(Uploading)
    assert registry.by_slug("thu-tep") is None


@pytest.fixture
def teenager(reference_data):
    """A 16-year-old with a login of their own (registered by themself), linked still to the owner,
    their father, who may view their records until they are 18."""
    from django.utils import timezone

    from .helpers import citizen
    today = timezone.localdate()
    return citizen("7906666666", "Nguyễn Ngọc Hân", birth=today.replace(year=today.year - 16, day=1), sex=2,
                   id_number="079310012345", monthly_benefit=False)


def test_a_citizen_under_18_with_a_login_of_their_own_files_it(teenager):
    client = logged(teenager)
    assert f'href="{URL}"' in client.get("/ca-nhan/").content.decode()
    client.post(REAUTHENTICATE, {"password": "x-Pass-2026!"})
    page = client.get(URL)
    assert 'name="new_phone"' in page.content.decode()
    response = client.post(URL, {**answers(CODE), "idempotency_key": page.context["key"]})
    assert response.status_code == 302, response.context["form"].errors
    client.post(response["Location"], review_post(client, URL, page.context["key"]))
    filing = Filing.objects.get(procedure_code=CODE)
    assert filing.person == teenager.person and filing.submitted_by == teenager


def test_a_parent_viewing_a_child_with_a_login_of_their_own_cannot_file_it(owner, teenager, district_officer):
    Guardianship.objects.create(parent=owner, child=teenager.person, relationship="cha")
    said = ("Thủ tục này chỉ do chính chủ tài khoản tự nộp trên Cổng dịch vụ BHXH số. Nguyễn Ngọc Hân đã có tài khoản "
            "riêng: hãy để Nguyễn Ngọc Hân đăng nhập bằng tài khoản của mình và tự nộp hồ sơ.")
    client = logged(owner)
    client.post(REAUTHENTICATE, {"password": "x-Pass-2026!"})
    client.post(reverse("accounts:view_as"), {"child": teenager.person.pk})
    page = client.get(URL)
    assert page.status_code == 200 and said in page.content.decode() and 'name="new_phone"' not in page.content.decode()
    assert client.post(URL, {**answers(CODE), "idempotency_key": "k" * 20}).status_code == 403
    with pytest.raises(ValidationError, match="chỉ do chính chủ tài khoản"):
        submit(owner, CODE, person=teenager.person)
    # The child's own filing, returned: the parent may not correct it to another phone either.
    filing = submit(teenager, CODE)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ số nhà")
    edit = reverse("public_services:edit", args=[filing.pk])
    assert said in client.get(edit).content.decode()
    assert client.post(edit, correction(filing, CODE, new_phone="0901111111")).status_code == 403
    with pytest.raises(ValidationError, match="chỉ do chính chủ tài khoản"):
        filing_resubmit(filing=filing, user=owner, data=answers(CODE, new_phone="0901111111"), uploads={},
                        revision=filing.revision)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.RETURNED


def test_a_parent_viewing_a_childs_returned_filing_is_not_told_to_correct_and_send_it_again(owner, teenager,
                                                                                          district_officer):
    """Only the child may send it again: the next step, the form's page and a given-up declaration's
    note say so to the parent, as the notice beside them does, and still tell the child to."""
    Guardianship.objects.create(parent=owner, child=teenager.person, relationship="cha")
    filing = submit(teenager, CODE)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ số nhà")
    Filing.objects.filter(pk=filing.pk).update(declaration_pdf="", pdf_attempts=99)  # its declaration given up
    status = reverse("public_services:filing", args=[filing.pk])
    child, parent = logged(teenager), logged(owner)
    parent.post(REAUTHENTICATE, {"password": "x-Pass-2026!"})
    parent.post(reverse("accounts:view_as"), {"child": teenager.person.pk})
    page = parent.get(status).content.decode()
    assert "Hồ sơ này không nộp lại được nữa" in page and "chỉ do chính chủ tài khoản" in page
    assert "rồi nộp lại" not in page and "khi bạn sửa và nộp lại hồ sơ" not in page
    form = parent.get(URL).content.decode()
    assert "không nộp lại được nữa" in form and "hãy sửa và nộp lại chính hồ sơ đó" not in form
    page = child.get(status).content.decode()
    assert "rồi nộp lại" in page and "khi bạn sửa và nộp lại hồ sơ" in page
    assert "hãy sửa và nộp lại chính hồ sơ đó" in child.get(URL).content.decode()


def test_a_parent_viewing_a_child_whose_login_was_deactivated_is_told_to_contact_the_agency(owner, teenager):
    """A login an officer deactivated cannot sign in to file it: the child is not told to, and the
    parent is told whom to call, on the procedure list, the form and a submission alike."""
    User.objects.filter(pk=teenager.pk).update(is_active=False)
    Guardianship.objects.create(parent=owner, child=teenager.person, relationship="cha")
    said = ("Thủ tục này dành cho người có tài khoản trên Cổng dịch vụ BHXH số. Nguyễn Ngọc Hân chưa có tài khoản riêng đang "
            "hoạt động: hãy liên hệ cơ quan BHXH quản lý hoặc gọi 1900 9068.")
    client = logged(owner)
    client.post(REAUTHENTICATE, {"password": "x-Pass-2026!"})
    client.post(reverse("accounts:view_as"), {"child": teenager.person.pk})
    for page in (client.get(URL).content.decode(), client.get(reverse("public_services:index")).content.decode()):
        assert said in page and "chỉ do chính chủ tài khoản" not in page
    assert registry.get(CODE).unavailable(teenager.person) == said
    with pytest.raises(ValidationError, match="chưa có tài khoản riêng đang hoạt động"):
        submit(owner, CODE, person=teenager.person)


def test_a_parent_viewing_a_returned_filing_of_a_child_without_a_login_is_told_what_they_can_do(
        owner, district_officer):
    """Its status page and its form's page tell the parent the child sends it again with a login of
    their own, and that the parent may withdraw it, instead of the procedure list's sentence asking
    them to call the hotline; the child, once registered, may send it again."""
    son = make_person("7905555556", "Nguyễn Minh Khang", birth=born_years_ago(13), id_number="")
    Guardianship.objects.create(parent=owner, child=son, relationship="cha")
    filing = submit(owner, CODE)
    Filing.objects.filter(pk=filing.pk).update(person=son)  # the child's, whom no login of their own may send it
    filing_return(filing=Filing.objects.get(pk=filing.pk), officer=district_officer, what="Ghi rõ số nhà")
    said = ("Hồ sơ này chỉ nộp lại được bằng tài khoản riêng của Nguyễn Minh Khang trên Cổng dịch vụ BHXH số, mà Nguyễn "
            "Minh Khang chưa có tài khoản riêng đang hoạt động. Bạn có thể rút hồ sơ; khi Nguyễn Minh Khang đăng "
            "nhập được bằng tài khoản riêng, hãy để Nguyễn Minh Khang tự sửa và nộp lại hồ sơ.")
    status, edit = (reverse(f"public_services:{name}", args=[filing.pk]) for name in ("filing", "edit"))
    parent = logged(owner)
    parent.post(reverse("accounts:view_as"), {"child": son.pk})
    for url in (status, edit):
        page = parent.get(url).content.decode()
        assert said in page and "1900 9068" not in page[page.index("<main"):page.index("</main>")], url
    assert "Hồ sơ này không nộp lại được nữa" in parent.get(status).content.decode()
    own = User.objects.create_user(username=son.bhxh_code, password="x-Pass-2026!", person=son)
    page = logged(own).get(status).content.decode()
    assert "rồi nộp lại" in page and said not in page
