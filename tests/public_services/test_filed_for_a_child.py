"""A parent files for a small child (in view on the personal pages): the declaration names the
parent and is signed by the parent, not by a three-year-old; the e-mails about the filing, like the
notice and the SMS, say which child it is for; and the form starts with the parent's phone, the
child having none."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Guardianship, User
from notifications.models import Message
from public_services.procedures import registry
from public_services.services import filing_reject, filing_return
from tests.accounts.helpers import born_years_ago, make_person
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401

from .helpers import (  # noqa: F401
    FOR_ACCOUNT_HOLDERS,
    FOR_BENEFICIARIES,
    confirm_email,
    district_officer,
    monthly_allowance,
    owner,
    province_officer,
    reauthenticated,
    review_post,
    stored_upload,
    submit,
)
from .test_pdf_layout import PLEDGE, SIGNER, TYPICAL, assert_signed_where_pledged, declaration, pages, squash

pytestmark = pytest.mark.django_db

PARENT, CHILD = "Nguyễn Văn Đức", "Nguyễn Minh Khang"
# The shared answers change a grown-up's birth date: the child's name is what is corrected here.
FOR_THE_CHILD = {"608A": {"changes": ["full_name"], "new_full_name": "Nguyễn Minh Khôi", "new_birth_date": ""}}


@pytest.fixture
def child(owner):
    """The owner's son, three years old or nearly: no phone, no ID document of his own."""
    son = make_person("7905555556", CHILD, birth=born_years_ago(3), id_number="")
    son.phone = ""
    son.save(update_fields=["phone"])
    Guardianship.objects.create(parent=owner, child=son, relationship="cha")
    return son


# Every procedure but those a small child is not offered (test_contact_change says why on the page).
FILED_FOR_A_CHILD = [procedure.code for procedure in registry.all_procedures() if procedure.code not in FOR_ACCOUNT_HOLDERS]


def signed(text: str) -> str:
    """What a declaration prints from its pledge on: the date and the signature block."""
    return text[text.index(squash(PLEDGE)):]


@pytest.mark.parametrize("code", FILED_FOR_A_CHILD)
def test_a_declaration_filed_for_a_child_is_signed_by_the_parent(owner, child, facility, code):  # noqa: F811
    procedure = registry.get(code)
    if code == "BHYT-CL":
        issue(child, facility, group="TE")
    uploads = {name: stored_upload(name) for name in procedure.upload_fields}
    text = squash(" ".join(pages(declaration(owner, code, person=child, uploads=uploads,
                                                   **FOR_THE_CHILD.get(code, {})))))
    assert squash(f"Họ tên cha/mẹ/người giám hộ {PARENT} (Cha)") in text, text
    signer = SIGNER.get(code, "Người kê khai")
    assert squash(f"{signer} (Nộp trực tuyến qua Cổng dịch vụ BHXH số) {PARENT} (cha của {CHILD})") in signed(text)


@pytest.mark.parametrize("code", list(TYPICAL))
def test_a_typical_declaration_filed_for_a_child_is_one_page_signed_under_the_pledge(owner, child, code):
    """The parent's row and the "(cha của …)" line under the signature still leave one page: the
    authorisation used to leave the pledge and the signature alone on page 2."""
    uploads = {"evidence_1": stored_upload("evidence_1")} if code == "608A" else None
    found = pages(declaration(owner, code, person=child, uploads=uploads, **TYPICAL[code], **FOR_THE_CHILD.get(code, {})))
    assert len(found) == 1, found
    assert_signed_where_pledged(found, code)


def test_a_declaration_filed_for_oneself_names_no_parent(owner):
    text = squash(pages(declaration(owner, "607A"))[0])
    assert squash("cha/mẹ/người giám hộ") not in text
    assert squash(f"(Nộp trực tuyến qua Cổng dịch vụ BHXH số) {PARENT}") in signed(text)
    assert squash(f"{PARENT} (") not in signed(text)


def test_the_email_about_a_childs_filing_names_the_child_as_the_notice_and_sms_do(owner, child,
                                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, "607A", person=child, email=owner.email)  # the login's: no confirmation asked
    sent = Message.objects.filter(idempotency_key__startswith=f"filing-{filing.tracking_number}-")
    email = sent.get(channel=Message.Channel.EMAIL)
    assert email.recipient == owner.email
    assert email.subject == f"Hồ sơ {filing.tracking_number} của {CHILD}: Đã nộp"
    assert f"Hồ sơ {filing.tracking_number} của {CHILD} – Cấp lại sổ BHXH do mất, hỏng (không thay đổi thông tin) – " \
        in email.body
    for message in sent.exclude(channel=Message.Channel.EMAIL):
        assert f"của {CHILD}" in message.subject + message.body, message.channel


@pytest.mark.parametrize("ended", ["grown up", "guardianship ended"])
def test_a_parent_no_longer_viewing_the_child_gets_no_email_about_the_filing(owner, child, province_officer, ended,
                                                                            django_capture_on_commit_callbacks):
    """A parent is told about a child's filing until the child is 18, or no longer theirs to view:
    the e-mail stops then, as the notice and the SMS do. Of a grown child's filing nobody else may
    read, the parent still linked hears that it was returned, at their login's address, never what
    the officer wrote (selectors.filer_told_instead)."""
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, "607A", person=child, email="duc.nguyen@example.vn")
    if ended == "grown up":
        child.birth_date = born_years_ago(18) - datetime.timedelta(days=366)
        child.save(update_fields=["birth_date"])
    else:
        Guardianship.objects.filter(parent=owner, child=child).delete()
    with django_capture_on_commit_callbacks(execute=True):
        filing_return(filing=filing, officer=province_officer, what="Bổ sung ảnh giấy khai sinh")
    event = filing.events.get(status="returned")
    told = Message.objects.filter(idempotency_key__startswith=f"filing-{filing.tracking_number}-e{event.pk}-")
    if ended == "grown up":
        assert {message.template for message in told} == {"public_service_filing_left"}
        assert not any("giấy khai sinh" in message.subject + message.body for message in told)
    else:
        assert not told
    assert Message.objects.filter(channel=Message.Channel.EMAIL, recipient="duc.nguyen@example.vn").count() == 1


def test_the_email_about_ones_own_filing_names_nobody(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(owner, "607A", email=owner.email)
    email = Message.objects.get(channel=Message.Channel.EMAIL, idempotency_key__startswith=f"filing-{filing.tracking_number}-")
    assert email.subject == f"Hồ sơ {filing.tracking_number}: Đã nộp"


def _filed_for(child, owner):
    """The parent's 607A for the child, whom the parent's agency (the district officer's) manages, with
    an address typed on the form: mailed the link confirming it, then confirmed."""
    child.agency = owner.person.agency
    child.save(update_fields=["agency"])
    filing = submit(owner, "607A", person=child, email="duc.nguyen@example.vn")
    confirm_email(filing)
    filing.refresh_from_db()
    return filing


def _emails(filing):
    return Message.objects.filter(channel=Message.Channel.EMAIL, idempotency_key__startswith=f"filing-{filing.tracking_number}-")


def test_a_parent_no_longer_linked_to_the_child_is_no_more_written_to_of_the_childs_filing(
        owner, child, district_officer, django_capture_on_commit_callbacks):
    """The e-mail follows the notice and the SMS: once the parent may no longer view the child's
    records, the address the parent typed on the form hears no more of the filing (its return reason
    included); the child, without a login of their own, has no address to write to instead."""
    with django_capture_on_commit_callbacks(execute=True):
        filing = _filed_for(child, owner)
    Guardianship.objects.filter(parent=owner, child=child).delete()
    with django_capture_on_commit_callbacks(execute=True):
        filing_return(filing=filing, officer=district_officer, what="Bổ sung giấy khai sinh của trẻ")
    assert [email.recipient for email in _emails(filing)] == ["duc.nguyen@example.vn"]  # the confirmation's only
    assert not Message.objects.filter(body__contains="giấy khai sinh").exists()


def test_the_email_of_a_childs_filing_goes_to_the_childs_own_address_once_18(
        owner, child, district_officer, django_capture_on_commit_callbacks):
    """A child grown to 18 with a login of their own is written to at that login's address, as their
    own filing, like their notice and SMS; the parent's typed address, and the parent's login's, are not."""
    with django_capture_on_commit_callbacks(execute=True):
        filing = _filed_for(child, owner)
    child.birth_date = born_years_ago(19)
    child.save(update_fields=["birth_date"])
    User.objects.create_user(child.bhxh_code, password="x-Pass-2026!", person=child, email="khang@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        filing_reject(filing=filing, officer=district_officer, reason="Đã cấp sổ trước đó")
    email = _emails(filing).get(body__contains="Đã cấp sổ trước đó")
    assert email.recipient == "khang@example.vn"
    assert email.subject == f"Hồ sơ {filing.tracking_number}: Từ chối giải quyết"


def test_a_parent_whose_login_was_deactivated_is_no_more_written_to(
        owner, child, district_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = _filed_for(child, owner)
    User.objects.filter(pk=owner.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        filing_return(filing=filing, officer=district_officer, what="Bổ sung giấy khai sinh của trẻ")
    assert _emails(filing).count() == 1


def test_a_parent_still_viewing_the_childs_records_is_still_written_to_at_the_typed_address(
        owner, child, district_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = _filed_for(child, owner)
        filing_return(filing=filing, officer=district_officer, what="Bổ sung giấy khai sinh của trẻ")
    assert [email.recipient for email in _emails(filing)] == ["duc.nguyen@example.vn"] * 2


@pytest.mark.parametrize("code", FILED_FOR_A_CHILD)
def test_the_form_for_a_child_starts_with_the_parents_phone(client, owner, child, facility, code):  # noqa: F811
    procedure = registry.get(code)
    if code in FOR_BENEFICIARIES:
        monthly_allowance(child)
    if code == "BHYT-CL":
        issue(child, facility, group="TE")
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    for opened in ("first", "again"):  # a draft opened again starts the same way
        form = client.get(f"/dich-vu-cong/{procedure.slug}/").context["form"]
        assert form.person == child
        phones = {name: form[name].value() for name in ("phone", "new_phone") if name in form.fields}
        assert phones and set(phones.values()) == {"0912 345 678"}, (opened, phones)
        if "email" in form.fields:
            assert form["email"].value() == owner.email


def test_a_parent_is_told_the_child_has_no_card_to_reissue(client, owner, child):
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    html = client.get(f"/dich-vu-cong/{registry.get('BHYT-CL').slug}/").content.decode()
    assert f"{CHILD} chưa có thẻ BHYT đang sử dụng nên không cấp lại được." in html
    assert "Bạn chưa có thẻ BHYT" not in html


def test_a_parent_is_told_the_childs_card_has_expired_by_the_childs_name(client, owner, child, facility):  # noqa: F811
    """Not "your card has expired": the parent's own card may be valid."""
    from django.conf import settings
    from django.utils import timezone

    from health_card.models import Card

    card = issue(child, facility)
    Card.objects.filter(pk=card.pk).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    url = f"/dich-vu-cong/{registry.get('BHYT-CL').slug}/"
    assert f"Thẻ BHYT của {CHILD} đã hết hạn nên không cấp lại được" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    assert f"The health insurance card of {CHILD} has expired, so it cannot be reissued" in html
    assert "Your health insurance card" not in html


def test_the_page_refusing_a_second_filing_for_a_child_says_whose_records_are_in_view(client, owner, child):
    """"Bạn đã có hồ sơ … của thủ tục này" read by a parent viewing a child's records is about the
    child's filing: the page says whose records they are, as the form and the list do."""
    filing = submit(owner, person=child)
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    html = client.get("/dich-vu-cong/cap-lai-so-bhxh/").content.decode()
    assert f"Bạn đã có hồ sơ {filing.tracking_number} của thủ tục này" in html
    assert f"Đang xem thông tin của <strong>{CHILD}</strong>." in html
    client.post(reverse("accounts:view_as"), {"child": ""})
    submit(owner)
    assert "Đang xem thông tin của" not in client.get("/dich-vu-cong/cap-lai-so-bhxh/").content.decode()


def test_the_list_of_a_childs_filings_without_any_says_none_was_filed_for_the_child(client, owner, child):
    """The parent has filed for himself: "Bạn chưa nộp hồ sơ nào" on his son's empty list is untrue."""
    submit(owner)
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    html = client.get(reverse("public_services:filings")).content.decode()
    assert f"Chưa có hồ sơ nào được nộp cho {CHILD}." in html and "Bạn chưa nộp hồ sơ nào." not in html


def test_the_list_of_procedures_says_whose_records_are_in_view(client, owner, child):
    """Its forms file for the child in view: the list of procedures says so, as the forms do."""
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    assert f"Đang xem thông tin của <strong>{CHILD}</strong>." in client.get("/dich-vu-cong/").content.decode()
    client.post(reverse("accounts:view_as"), {"child": ""})
    assert "Đang xem thông tin của" not in client.get("/dich-vu-cong/").content.decode()


def test_the_authorisation_asks_the_relationship_to_the_child_not_to_the_parent(client, owner, child):
    """The person giving the authorisation is the child whose records are in view: "Quan hệ với bạn"
    would ask how the authorised person is related to the parent filling in the form."""
    from django.conf import settings
    from django.core.files.storage import default_storage

    from public_services.models import Filing
    from public_services.services import filing_build_declaration
    from tests.public_services.helpers import answers

    monthly_allowance(child)
    url = f"/dich-vu-cong/{registry.get('UY-QUYEN').slug}/"
    client.force_login(owner)
    assert "<legend>Quan hệ với bạn</legend>" in client.get(url).content.decode()  # one's own filing
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    html = client.get(url).content.decode()
    assert f"<legend>Quan hệ với {CHILD}</legend>" in html and "Quan hệ với bạn" not in html
    key = client.get(url).context["key"]
    refused = client.post(url, {**answers("UY-QUYEN", relationship=""), "idempotency_key": key}).content.decode()
    assert f"<legend>Quan hệ với {CHILD}</legend>" in refused and "Quan hệ với bạn" not in refused
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert f"<legend>Relationship to {CHILD}</legend>" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    # The review page and the status page read the answer as the form asked it.
    reauthenticated(client)  # the parent's password, asked before benefits are authorised to another
    assert client.post(url, {**answers("UY-QUYEN"), "idempotency_key": key}).status_code == 302
    review = client.get(f"{url}xem-lai/").content.decode()
    assert f"<dt>Quan hệ với {CHILD}</dt>" in review and "Quan hệ với bạn" not in review
    status = client.post(f"{url}xem-lai/", review_post(client, url, key), follow=True).content.decode()
    assert f"<dt>Quan hệ với {CHILD}</dt>" in status and "Quan hệ với bạn" not in status
    # The declaration names the relationship to the one giving the authorisation, the child, as for oneself.
    filing = filing_build_declaration(filing_id=Filing.objects.get(person=child).pk)
    with default_storage.open(filing.declaration_pdf.name, "rb") as handle:
        text = squash(" ".join(pages(handle.read())))
    assert squash("Quan hệ với người ủy quyền Vợ/chồng") in text and "bạn" not in text


def test_the_move_to_the_agency_already_paying_names_the_child_not_the_parent(client, owner, child):
    """"The agency that already pays you" read by a parent filing for a child is about the child's
    allowance, not the parent's own (who may receive none)."""
    from django.conf import settings

    from benefits.selectors import paying_agency
    from tests.public_services.helpers import answers

    monthly_allowance(child)
    paying = paying_agency(person=child)
    url = f"/dich-vu-cong/{registry.get('CHUYEN-NOI-HUONG').slug}/"
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    posted = {**answers("CHUYEN-NOI-HUONG", new_province=str(paying.province_id), new_agency=str(paying.pk)),
              "idempotency_key": client.get(url).context["key"]}
    errors = client.post(url, posted).context["form"].errors["new_agency"]
    assert errors == [f"Đây là cơ quan BHXH đang chi trả lương hưu, trợ cấp cho {CHILD}. Hãy chọn nơi nhận mới."]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post(url, posted).content.decode()
    assert f"already pays the pension or allowance of {CHILD}" in html and "already pays your" not in html


def test_the_authorisation_filed_for_a_child_does_not_print_the_parents_phone_as_the_childs(owner, child,
                                                                                             district_officer):
    """The contact phone a parent's form starts with is the parent's: the declaration, and the
    officer's page in its wording, name it a contact number, not "the phone of the person
    authorising", who is the child."""

    monthly_allowance(child)
    _prints_the_parents_phone_as_a_contact_number(owner, child, district_officer, "UY-QUYEN",
                                                  not_as="Số điện thoại của người ủy quyền")


def test_a_step_on_a_childs_filing_reads_who_is_told_once(owner, child, district_officer,
                                                          django_capture_on_commit_callbacks):
    """The notice, the SMS and the e-mail of one step go to the logins told of the child's records,
    read once for all three."""
    with django_capture_on_commit_callbacks(execute=True):
        filing = _filed_for(child, owner)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        filing_return(filing=filing, officer=district_officer, what="Bổ sung giấy khai sinh của trẻ")
    told = [query["sql"] for query in queries if 'WHERE ("accounts_user"."is_active"' in query["sql"]]
    assert len(told) == 1, told
    assert [email.recipient for email in _emails(filing)] == ["duc.nguyen@example.vn"] * 2


def test_the_payment_method_filed_for_a_child_names_the_parents_phone_a_contact_number(client, owner, child,
                                                                                      district_officer):
    """The form a parent fills in for a child without a phone starts with the parent's number: the
    form, the declaration and the officer's page call it the number to contact, not the phone of the
    beneficiary, who is the child."""

    monthly_allowance(child)
    client.force_login(owner)
    assert "Số điện thoại di động của người hưởng" in client.get("/dich-vu-cong/thay-doi-phuong-thuc-nhan/").content.decode()
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    page = client.get("/dich-vu-cong/thay-doi-phuong-thuc-nhan/")
    html = page.content.decode()
    assert page.context["form"]["new_phone"].value() == "0912 345 678"
    assert "Số điện thoại di động để cơ quan BHXH liên hệ" in html and "Số điện thoại di động của người hưởng" not in html
    _prints_the_parents_phone_as_a_contact_number(owner, child, district_officer, "THAY-DOI-CHI-TRA",
                                                  not_as="Số điện thoại di động của người hưởng")


def test_a_wrong_contact_number_for_a_child_is_refused_under_the_label_the_form_shows(client, owner, child):
    """The child's form asks the number to contact: a wrong number is refused by that name, not by
    the beneficiary's phone the form no longer shows."""
    monthly_allowance(child)
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    url = "/dich-vu-cong/thay-doi-phuong-thuc-nhan/"
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)
    page = client.post(url, {"new_phone": "0123", "idempotency_key": key})
    errors = page.context["form"].errors["new_phone"]
    assert errors == ["Số điện thoại di động để cơ quan BHXH liên hệ: nhập số điện thoại di động Việt Nam gồm 10 chữ "
                      "số, ví dụ 0912 345 678."]


def test_the_payment_method_for_a_child_with_a_phone_asks_the_beneficiarys_own_mobile(client, owner, child):
    """A child with a mobile of their own: the form starts with the child's number, the beneficiary's,
    and asks it as such, so the parent may declare the child's new mobile as the beneficiary's."""
    child.phone = "+84987654321"
    child.save(update_fields=["phone"])
    monthly_allowance(child)
    client.force_login(owner)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    page = client.get("/dich-vu-cong/thay-doi-phuong-thuc-nhan/")
    html = page.content.decode()
    assert page.context["form"]["new_phone"].value() == "0987 654 321"
    assert "Số điện thoại di động của người hưởng" in html and "Số điện thoại di động để cơ quan BHXH liên hệ" not in html
    text = squash(" ".join(pages(declaration(owner, "THAY-DOI-CHI-TRA", person=child))))
    assert squash("Số điện thoại di động của người hưởng") in text and squash("Số điện thoại liên hệ") not in text


def _prints_the_parents_phone_as_a_contact_number(owner, child, officer, code, *, not_as):
    """The declaration the parent files for the child, and its officer's page, give the parent's phone
    as the number to contact, not as `not_as`."""
    from public_services.models import Filing
    from tests.public_services.helpers import logged

    text = squash(" ".join(pages(declaration(owner, code, person=child))))
    assert squash("Số điện thoại liên hệ 0912 345 678") in text, text
    assert squash(not_as) not in text
    filing = Filing.objects.get(person=child)
    html = logged(officer).get(f"/quan-tri/public_services/filing/{filing.pk}/change/").content.decode()
    assert '<th scope="row">Số điện thoại liên hệ</th><td>0912 345 678</td>' in html
    assert not_as not in html


def _payment_method_read_after_the_child_got_a_mobile(owner, child):
    """The payment method the parent filed for the child without a phone, from the parent's number as
    the form starts; the child given a mobile of their own since."""
    filing = submit(owner, "THAY-DOI-CHI-TRA", person=child, new_phone="0912345678")
    child.phone = "+84987654321"
    child.save(update_fields=["phone"])
    return filing


def _labels_the_parents_number_a_contact_number(owner, filing, officer):
    from tests.public_services.helpers import logged

    html = logged(officer).get(f"/quan-tri/public_services/filing/{filing.pk}/change/").content.decode()
    assert '<th scope="row">Số điện thoại liên hệ</th><td>0912 345 678</td>' in html
    assert "Số điện thoại di động của người hưởng" not in html
    client = logged(owner)
    client.post(reverse("accounts:view_as"), {"child": filing.person.pk})
    html = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert "Số điện thoại di động để cơ quan BHXH liên hệ" in html and "0912 345 678" in html
    assert "Số điện thoại di động của người hưởng" not in html


def test_the_parents_number_filed_for_a_child_without_a_phone_stays_a_contact_number_once_the_child_has_one(
        owner, child, district_officer):
    """Whose number it was is recorded when it is declared: the child's mobile recorded since does not
    make the parent's number, declared as the one to contact, the beneficiary's own on the officer's
    page and the status page, as the declaration made then prints it."""
    filing = _payment_method_read_after_the_child_got_a_mobile(owner, child)
    _labels_the_parents_number_a_contact_number(owner, filing, district_officer)


def test_a_payment_method_stored_before_whose_number_it_was_was_recorded_reads_it_from_its_identity(
        owner, child, district_officer):
    """A filing stored without the record reads whose number it was from the beneficiary's phone as
    the registry had it at submission, which the filing kept."""
    filing = _payment_method_read_after_the_child_got_a_mobile(owner, child)
    filing.data.pop("new_phone_of", None)
    filing.save(update_fields=["data"])
    _labels_the_parents_number_a_contact_number(owner, filing, district_officer)


def test_a_payment_method_stored_before_whose_number_it_was_was_recorded_and_resubmitted_reads_todays_phone(
        owner, child, district_officer):
    """The identity kept is the registry's at the first submission only: a filing corrected and sent
    again since, with the child's new mobile as the beneficiary's own, reads whose number it was from
    the child's phone as it is now, as before the record, not from the child without a phone of then."""
    from public_services.services import filing_resubmit
    from tests.public_services.helpers import answers, logged

    filing = submit(owner, "THAY-DOI-CHI-TRA", person=child, new_phone="0912345678")
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ điểm chi trả")
    child.phone = "+84987654321"
    child.save(update_fields=["phone"])
    filing.refresh_from_db()
    filing_resubmit(filing=filing, user=owner, data=answers("THAY-DOI-CHI-TRA", new_phone="0987654321"), uploads={},
                    revision=filing.revision)
    filing.refresh_from_db()
    filing.data.pop("new_phone_of", None)
    filing.save(update_fields=["data"])
    html = logged(district_officer).get(f"/quan-tri/public_services/filing/{filing.pk}/change/").content.decode()
    assert '<th scope="row">Số điện thoại di động của người hưởng</th><td>0987 654 321</td>' in html
    assert "Số điện thoại liên hệ" not in html


def test_the_beneficiarys_own_mobile_stays_so_once_the_child_has_none(owner, child, district_officer):
    """A child's mobile the parent declared as the beneficiary's stays the beneficiary's on the officer's
    page when the registry no longer has it."""
    child.phone = "+84987654321"
    child.save(update_fields=["phone"])
    filing = submit(owner, "THAY-DOI-CHI-TRA", person=child, new_phone="0987654321")
    child.phone = ""
    child.save(update_fields=["phone"])
    from tests.public_services.helpers import logged

    html = logged(district_officer).get(f"/quan-tri/public_services/filing/{filing.pk}/change/").content.decode()
    assert '<th scope="row">Số điện thoại di động của người hưởng</th><td>0987 654 321</td>' in html
