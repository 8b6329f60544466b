"""Officers in the admin: only their agency's records (a province officer: the whole province),
agencies outside their scope refused, every real change told once through the service, a no-op
save told never; the adjustment table editable."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from benefits.models import BenefitEvent, BenefitRecord, SalaryAdjustment
from lookup.models import Agency
from notifications.models import Message

from .helpers import DISTRICT, PROVINCE, admin_form, benefits_officer, citizen, decided, record, shown_form

pytestmark = pytest.mark.usefixtures("reference_data")
LIST = "/quan-tri/benefits/benefitrecord/"
ADD = LIST + "add/"


def change_url(obj):
    return f"{LIST}{obj.pk}/change/"


@pytest.fixture
def records(db, reference_data):
    person = citizen().person
    return {
        "q1": record(person, reference="Q1-0001", agency="07901"),
        "thu_duc": record(person, reference="TD-0001", agency="07903"),
        "hanoi": record(person, reference="HN-0001", agency="00101"),
    }


def listed(client):
    html = client.get(LIST).content.decode()
    return {ref for ref in ("Q1-0001", "TD-0001", "HN-0001") if ref in html}


def test_district_officer_sees_and_edits_only_their_agency(client, records):
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    assert listed(client) == {"Q1-0001"}
    assert client.get(change_url(records["q1"])).status_code == 200
    for other in ("thu_duc", "hanoi"):
        response = client.get(change_url(records[other]))
        assert response.status_code == 404  # another agency's record
        data = admin_form(client, change_url(records["q1"]))
        client.post(change_url(records[other]), {**data, "status": "processing"})
        records[other].refresh_from_db()
        assert records[other].status == "received"


def test_province_officer_sees_the_province_and_nothing_else(client, records):
    client.force_login(benefits_officer("canbo079", "079", PROVINCE))
    assert listed(client) == {"Q1-0001", "TD-0001"}
    assert client.get(change_url(records["hanoi"])).status_code == 404


def test_superuser_sees_every_record_and_others_none(client, records):
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    assert listed(client) == {"Q1-0001", "TD-0001", "HN-0001"}
    staff_without_agency = User.objects.create_user("canbo", password="x-Pass-2026!", is_staff=True)
    client.force_login(staff_without_agency)
    assert client.get(LIST).status_code == 403


def agency_choices(html):
    return {code for code in Agency.objects.values_list("code", flat=True) if f"[{code}]" in html}


def test_agency_choices_are_the_officers_scope(client, db, reference_data):
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    assert agency_choices(client.get(ADD).content.decode()) == {"07901"}
    client.force_login(benefits_officer("canbo079", "079", PROVINCE))
    assert agency_choices(client.get(ADD).content.decode()) == set(
        Agency.objects.filter(code__startswith="079").values_list("code", flat=True))


def managed_citizen(agency_code="07901"):
    """A citizen whose records agency `agency_code` manages: the persons an officer may enter records for."""
    user = citizen()
    user.person.agency = Agency.objects.get(code=agency_code)
    user.person.save(update_fields=["agency"])
    return user


def new_record_data(client, person, agency_code, **overrides):
    data = admin_form(client, ADD)
    data.update({
        "reference": "079-2025-000777", "person": str(person.pk), "kind": "om_dau", "received_on": "2025-09-01",
        "agency": str(Agency.objects.get(code=agency_code).pk), "expected_on": "2025-09-10", "status": "received",
        "days_off": "4",
    })
    data.update(overrides)
    return data


def test_officer_adds_a_record_and_the_person_is_told_once(client, db, reference_data, django_capture_on_commit_callbacks,
                                                            sms_outbox):
    user = managed_citizen()
    officer = benefits_officer("canbo07901", "07901", DISTRICT)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, new_record_data(client, user.person, "07901"))
    assert response.status_code == 302, response.content.decode()[:3000]
    obj = BenefitRecord.objects.get(reference="079-2025-000777")
    assert (obj.person, obj.kind, obj.days_off, obj.revision) == (user.person, "om_dau", 4, 1)
    assert list(Message.objects.filter(user=user).values_list("template", "channel").order_by("channel")) == [
        ("benefit_received", "inbox"), ("benefit_received", "sms")]
    assert len(sms_outbox()) == 1
    assert BenefitEvent.objects.get(record=obj).actor == officer


def test_an_agency_outside_the_scope_is_refused(client, db, reference_data):
    user = managed_citizen()
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(ADD, new_record_data(client, user.person, "07903"))
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_agency_error"><li>Hãy chọn một lựa chọn hợp lệ.' in response.content.decode()
    assert not BenefitRecord.objects.exists() and not Message.objects.exists()


def test_form_errors_name_the_missing_detail(client, db, reference_data):
    user = managed_citizen()
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(ADD, new_record_data(client, user.person, "07901", days_off="", status="rejected"))
    html = response.content.decode()
    assert "Nhập số ngày nghỉ cho hồ sơ Ốm đau." in html
    assert "Nhập lý do không giải quyết để báo cho người lao động." in html
    assert not BenefitRecord.objects.exists()


def test_a_change_is_told_once_and_an_unchanged_save_never(client, records):
    user = User.objects.get(username="7901234567")
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    url = change_url(records["q1"])
    unchanged = admin_form(client, url)
    response = client.post(url, unchanged, follow=True)
    assert "Không có thay đổi nào: không gửi thông báo." in response.content.decode()
    assert not Message.objects.exists() and not BenefitEvent.objects.exists()

    client.post(url, {**unchanged, "status": "rejected", "reject_reason": "Thiếu giấy ra viện"})
    assert Message.objects.filter(user=user, template="benefit_updated").count() == 2  # notice + SMS
    client.post(url, admin_form(client, url))  # the rejected record saved again unchanged
    assert Message.objects.filter(user=user).count() == 2
    records["q1"].refresh_from_db()
    assert records["q1"].status == "rejected" and records["q1"].revision == 1
    event = BenefitEvent.objects.get(record=records["q1"])
    assert event.changes.startswith("trạng thái: Đã tiếp nhận → Không giải quyết")


def test_an_officer_reads_the_audit_trails_actor_as_text_not_a_link_to_a_refused_page(client, records):
    officer = benefits_officer("canbo07901", "07901", DISTRICT)
    client.force_login(officer)
    url = change_url(records["q1"])
    saved = client.post(url, {**admin_form(client, url), "status": "rejected", "reject_reason": "Thiếu giấy ra viện"})
    assert saved.status_code == 302
    actor_url = f"/quan-tri/accounts/user/{officer.pk}/change/"
    assert client.get(actor_url).status_code == 403
    html = client.get(url).content.decode()
    assert actor_url not in html
    assert re.search(r'<td class="field-actor">\s*<p>canbo07901</p>|<td class="field-actor">\s*canbo07901', html), \
        "the audit row names its actor (the header names the officer anyway)"


@pytest.mark.parametrize("typed", ["6.000.000", "6 000 000 đ", "6,000,000", "6000000đồng", "６.０００.０００"])
def test_an_amount_is_typed_and_shown_as_officers_write_money(client, db, reference_data, typed):
    user = citizen()
    obj = record(user.person, **decided(amount=5_217_200))
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    html = client.get(change_url(obj)).content.decode()
    assert 'type="text" name="amount" value="5.217.200" inputmode="numeric"' in html
    response = client.post(change_url(obj), {**admin_form(client, change_url(obj)), "amount": typed})
    assert response.status_code == 302, response.content.decode()[:2000]
    obj.refresh_from_db()
    assert obj.amount == 6_000_000


@pytest.mark.parametrize("typed", ["6.000.000,50", "6,5", "6.00.000", "6.000,000", "sáu triệu"])
def test_an_amount_that_is_not_whole_dong_is_refused_saying_how_to_type_it(client, db, reference_data, typed):
    user = citizen()
    obj = record(user.person, **decided(amount=5_217_200))
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(change_url(obj), {**admin_form(client, change_url(obj)), "amount": typed})
    assert "Nhập số tiền bằng chữ số, không có phần lẻ, ví dụ 1.234.567." in response.content.decode()
    obj.refresh_from_db()
    assert obj.amount == 5_217_200


@pytest.mark.parametrize("field, typed, words", [
    ("amount", "1.000.000.000.000.000", "Số tiền được hưởng không được lớn hơn 10.000.000.000 đ"),
    ("monthly_amount", "35.000.000.000", "Mức hưởng hằng tháng không được lớn hơn 1.000.000.000 đ"),
])
def test_an_amount_with_digits_too_many_is_refused_naming_the_most(client, db, reference_data, field, typed, words):
    user = citizen()
    obj = record(user.person, **decided(amount=5_217_200))
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(change_url(obj), {**admin_form(client, change_url(obj)), field: typed})
    assert response.status_code == 200
    assert f"{words}: kiểm tra lại số chữ số đã nhập." in response.content.decode()
    obj.refresh_from_db()
    assert (obj.amount, obj.monthly_amount, obj.revision) == (5_217_200, None, 0)


@pytest.mark.parametrize("field, words", [
    ("amount", "Số tiền được hưởng không được lớn hơn 10.000.000.000 đ"),
    ("monthly_amount", "Mức hưởng hằng tháng không được lớn hơn 1.000.000.000 đ"),
])
def test_an_amount_past_what_the_column_holds_is_refused_naming_the_records_own_most(
        client, db, reference_data, field, words):
    """The form's own limit, the column's, named 9.223.372.036.854.775.807 đ: no benefit's ceiling."""
    user = citizen()
    obj = record(user.person, **decided(amount=5_217_200))
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(change_url(obj), {**admin_form(client, change_url(obj)),
                                             field: "10.000.000.000.000.000.000"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [f"{words}: kiểm tra lại số chữ số đã nhập."]
    obj.refresh_from_db()
    assert (obj.amount, obj.monthly_amount, obj.revision) == (5_217_200, None, 0)


def test_a_number_past_its_limit_is_refused_with_the_limit_written_as_numbers_are(client, db, reference_data):
    """Django's own words, "Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 32767 .", wrote the limit
    without its dots and put a space before the full stop."""
    user = managed_citizen()
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(ADD, new_record_data(client, user.person, "07901", days_off="99999999999999999999"))
    most = connection.ops.integer_field_range("PositiveSmallIntegerField")[1]  # 32767 on PostgreSQL
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["days_off"][0] == f"Nhập số không lớn hơn {most:,}.".replace(",", ".")
    response = client.post(ADD, new_record_data(client, user.person, "07901", kind="that_nghiep", days_off="",
                                                allowance_months="13"))
    assert response.context["adminform"].form.errors["allowance_months"] == ["Nhập số không lớn hơn 12."]
    response = client.post(ADD, new_record_data(client, user.person, "07901", days_off="0"))
    assert response.context["adminform"].form.errors["days_off"][0] == "Nhập số không nhỏ hơn 1."
    assert not BenefitRecord.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize("typed", ["99999999999999999999", "mười"])
def test_a_detail_the_form_refuses_is_not_also_told_missing(client, db, reference_data, typed):
    """The refused value never reached the record, whose clean() added "Nhập số ngày nghỉ cho hồ sơ
    Ốm đau." to the field's own error."""
    user = managed_citizen()
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(ADD, new_record_data(client, user.person, "07901", days_off=typed))
    assert response.status_code == 200
    [refusal] = response.context["adminform"].form.errors["days_off"]
    assert "Nhập số ngày nghỉ" not in refusal
    response = client.post(ADD, new_record_data(client, user.person, "07901", days_off=""))
    assert response.context["adminform"].form.errors["days_off"] == ["Nhập số ngày nghỉ cho hồ sơ Ốm đau."]
    assert not BenefitRecord.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize("typed", ["31/02/2025", "2025-13-01", "01.09", "hôm qua"])
def test_a_date_typed_wrong_is_told_the_format_to_type(client, db, reference_data, typed):
    """Django's "Nhập một ngày hợp lệ." said neither the order of day and month nor the separator; a day
    that does not exist (31/02) typed in that very form is told to be a real one."""
    user = managed_citizen()
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(ADD, new_record_data(client, user.person, "07901", received_on=typed))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["received_on"] == [
        "Nhập một ngày có thật theo dạng dd/mm/yyyy, ví dụ 25/12/2026."]
    assert not BenefitRecord.objects.exists() and not Message.objects.exists()


def test_the_years_of_the_adjustment_table_are_refused_as_years_are_written(client, db, reference_data):
    """Not "1.960": a year's limit in the number's words would be written with a dot."""
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    row = SalaryAdjustment.objects.get(scheme="bhxh_bb", year=2020)
    url = f"/quan-tri/benefits/salaryadjustment/{row.pk}/change/"
    response = client.post(url, {**admin_form(client, url, form_id="salaryadjustment_form"), "year": "1959"})
    assert response.context["adminform"].form.errors["year"] == ["Nhập năm từ 1960 đến 2100."]


def test_a_coefficient_below_its_least_is_refused_with_the_limit_written_as_numbers_are(client, db, reference_data):
    """Django's own words, "Đảm bảo giá trị này là lớn hơn hoặc bằng với 1 .", put a space before the full stop."""
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    row = SalaryAdjustment.objects.get(scheme="bhxh_bb", year=2020)
    url = f"/quan-tri/benefits/salaryadjustment/{row.pk}/change/"
    response = client.post(url, {**admin_form(client, url, form_id="salaryadjustment_form"), "coefficient": "0.5"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["coefficient"] == ["Nhập số không nhỏ hơn 1."]
    assert SalaryAdjustment.objects.get(pk=row.pk).coefficient == row.coefficient


def test_the_most_an_amount_may_be_is_saved(client, db, reference_data):
    user = citizen()
    obj = record(user.person, **decided(amount=5_217_200))
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(change_url(obj), {**admin_form(client, change_url(obj)), "amount": "10.000.000.000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    obj.refresh_from_db()
    assert obj.amount == 10_000_000_000


STALE = "Người khác đã lưu hồ sơ này sau khi bạn mở trang"


def test_a_page_opened_before_another_officers_save_is_shown_again_with_that_save_and_can_then_be_saved(
        client, db, reference_data):
    user = citizen()
    obj = record(user.person, **decided(amount=5_217_200))
    url = change_url(obj)
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    page_of_a = admin_form(client, url)
    client.post(url, {**admin_form(client, url), "amount": "6000000"})  # officer B, from a page opened since
    assert Message.objects.filter(user=user).count() == 2  # B's change: notice + SMS

    response = client.post(url, {**page_of_a, "decision_number": "456/QĐ-BHXH"})
    assert response.status_code == 200  # the page again, with what A typed, and what B saved
    html = response.content.decode()
    assert STALE in html and '<a href="#id_amount">Số tiền được hưởng (đ): 6.000.000 đ</a>' in html
    assert "Người khác vừa lưu: 6.000.000 đ. Ô này vẫn giữ giá trị bạn đã nhập." in html
    assert 'href="#id_decision_number"' not in html  # A's own change is not B's
    shown_again = shown_form(response)
    assert (shown_again["amount"], shown_again["decision_number"]) == ("5.217.200", "456/QĐ-BHXH")
    obj.refresh_from_db()
    assert (obj.amount, obj.decision_number, obj.revision) == (6_000_000, "123/QĐ-BHXH", 1)
    assert BenefitEvent.objects.filter(record=obj).count() == 1
    assert Message.objects.filter(user=user).count() == 2

    response = client.post(url, shown_again)  # A, having seen B's amount, saves what the page holds
    assert response.status_code == 302
    obj.refresh_from_db()
    assert (obj.amount, obj.decision_number, obj.revision) == (5_217_200, "456/QĐ-BHXH", 2)
    assert BenefitEvent.objects.filter(record=obj).count() == 2
    assert Message.objects.filter(user=user, template="benefit_updated").count() == 4  # one notice + SMS each


def test_a_save_made_while_the_page_was_shown_again_is_refused_again_with_its_values(client, db, reference_data):
    user = citizen()
    obj = record(user.person, **decided(amount=5_217_200))
    url = change_url(obj)
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    page_of_a = admin_form(client, url)
    client.post(url, {**admin_form(client, url), "amount": "6000000"})  # officer B
    shown_again = shown_form(client.post(url, {**page_of_a, "decision_number": "456/QĐ-BHXH"}))
    client.post(url, {**admin_form(client, url), "expected_on": "15/12/2025", "payment_method": "cash"})  # officer C

    response = client.post(url, shown_again)
    assert response.status_code == 200
    html = response.content.decode()
    assert STALE in html and '<a href="#id_expected_on">Ngày hẹn trả kết quả: 15/12/2025</a>' in html
    assert '<a href="#id_payment_method">Hình thức nhận: Tiền mặt tại điểm chi trả (bưu điện)</a>' in html
    assert 'href="#id_amount"' not in html  # B's amount was shown already
    obj.refresh_from_db()
    assert (obj.amount, obj.decision_number, obj.payment_method, obj.revision) == (6_000_000, "123/QĐ-BHXH", "cash", 2)
    assert Message.objects.filter(user=user).count() == 4  # B's and C's saves

    assert client.post(url, shown_form(response)).status_code == 302  # A saves, having seen C's values too
    obj.refresh_from_db()
    assert (obj.amount, obj.decision_number, obj.payment_method, obj.expected_on, obj.revision) == (
        5_217_200, "456/QĐ-BHXH", "bank", datetime.date(2025, 9, 15), 3)
    assert Message.objects.filter(user=user).count() == 6


def test_a_page_that_carried_only_the_version_is_shown_every_stored_value_it_would_overwrite(
        client, db, reference_data):
    """A page opened before the values shown were carried with the version: what the other save
    changed cannot be told from what the officer typed, so every value that differs is shown."""
    user = citizen()
    obj = record(user.person, **decided(amount=5_217_200))
    url = change_url(obj)
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    page_of_a = {**admin_form(client, url), "seen_version": "0"}
    client.post(url, {**admin_form(client, url), "amount": "6000000"})  # officer B

    response = client.post(url, {**page_of_a, "decision_number": "456/QĐ-BHXH"})
    html = response.content.decode()
    assert '<a href="#id_amount">Số tiền được hưởng (đ): 6.000.000 đ</a>' in html
    assert '<a href="#id_decision_number">Số quyết định: 123/QĐ-BHXH</a>' in html
    assert 'href="#id_received_on"' not in html
    assert client.post(url, shown_form(response)).status_code == 302
    obj.refresh_from_db()
    assert (obj.amount, obj.decision_number, obj.revision) == (5_217_200, "456/QĐ-BHXH", 2)


def test_a_post_without_a_version_meeting_another_save_is_refused_as_a_stale_page_and_writes_nothing(
        client, db, reference_data, monkeypatch):
    """A hand-made post with a blank version was not checked by the form, so another save between the
    page's read of the record and its save reached the service's refusal of a stale copy: a 500."""
    from benefits import admin as benefits_admin
    from benefits.services import benefit_save

    user = citizen()
    obj = record(user.person, **decided(amount=5_217_200))
    url = change_url(obj)
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    page_of_a = {**admin_form(client, url), "seen_version": "", "decision_number": "456/QĐ-BHXH"}
    read = benefits_admin.BenefitRecordAdmin.get_object

    def read_then_another_save(self, request, object_id, from_field=None):
        shown = read(self, request, object_id, from_field)
        other = BenefitRecord.objects.get(pk=obj.pk)
        other.amount = 6_000_000
        benefit_save(record=other)  # officer B, between A's read and A's save
        return shown

    monkeypatch.setattr(benefits_admin.BenefitRecordAdmin, "get_object", read_then_another_save)
    response = client.post(url, page_of_a)
    monkeypatch.undo()
    assert response.status_code == 200
    html = response.content.decode()
    assert STALE in html and '<a href="#id_amount">Số tiền được hưởng (đ): 6.000.000 đ</a>' in html
    obj.refresh_from_db()
    assert (obj.amount, obj.decision_number, obj.revision) == (6_000_000, "123/QĐ-BHXH", 1)
    assert BenefitEvent.objects.filter(record=obj).count() == 1
    assert client.post(url, shown_form(response)).status_code == 302  # A, having seen B's amount
    obj.refresh_from_db()
    assert (obj.amount, obj.decision_number, obj.revision) == (5_217_200, "456/QĐ-BHXH", 2)


def test_the_change_page_reads_as_many_queries_as_before_it_carried_the_values_shown(
        client, db, reference_data, django_assert_num_queries):
    obj = record(citizen().person, **decided())
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    client.get(change_url(obj))
    # The digests of the values shown are of the record already read; one query asks whether the
    # officer may open the person's page, one which records are their children's (own_record_refusal),
    # one who is told of the holder, whom the refusal's help names (notice_channels).
    with django_assert_num_queries(8):
        assert client.get(change_url(obj)).status_code == 200


def test_the_person_of_a_record_cannot_be_changed(client, records):
    other = citizen("7901000002", "Lê Văn Hùng", id_number="079088012346")
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    url = change_url(records["q1"])
    client.post(url, {**admin_form(client, url), "person": str(other.person.pk), "days_off": "6"})
    records["q1"].refresh_from_db()
    assert records["q1"].person.bhxh_code == "7901234567" and records["q1"].days_off == 6


def test_status_actions_go_through_the_service_within_the_scope(client, records):
    client.force_login(benefits_officer("canbo079", "079", PROVINCE))
    pks = [str(obj.pk) for obj in records.values()]
    response = client.post(LIST, {"action": "mark_processing", "_selected_action": pks}, follow=True)
    assert "Đã chuyển sang đang giải quyết 2 hồ sơ" in response.content.decode()
    statuses = dict(BenefitRecord.objects.values_list("reference", "status"))
    assert statuses == {"Q1-0001": "processing", "TD-0001": "processing", "HN-0001": "received"}
    assert Message.objects.filter(template="benefit_updated", channel="inbox").count() == 2

    response = client.post(LIST, {"action": "mark_paid", "_selected_action": pks[:1]}, follow=True)
    assert "Q1-0001 (Đang giải quyết)" in response.content.decode()  # not decided yet: refused with the reasons
    assert BenefitRecord.objects.get(reference="Q1-0001").status == "processing"


def test_adjustment_coefficients_are_edited_in_the_admin_and_used_by_the_estimator(client, db, reference_data):
    from benefits.selectors import coefficients

    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    row = SalaryAdjustment.objects.get(scheme="bhxh_bb", year=2020)
    url = f"/quan-tri/benefits/salaryadjustment/{row.pk}/change/"
    data = admin_form(client, url, form_id="salaryadjustment_form")
    response = client.post(url, {**data, "coefficient": "1.25", "source": "Thông tư (kiểm thử)"})
    assert response.status_code == 302
    assert coefficients().lookup("bhxh_bb", 2020) == (Decimal("1.25"), "")
    response = client.post(url, {**data, "coefficient": "0.9"})
    assert response.status_code == 200  # a coefficient below 1 is refused


def test_each_input_of_the_adjustment_list_is_named_by_its_column_scheme_and_year(client, db, reference_data):
    """The list edits the coefficient and its source in place, inputs without a <label>: each is named
    (aria-label) by its column and its row's scheme and year, so that a screen reader tells 2019's box
    from 2020's and axe finds no unlabelled input."""
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    html = client.get("/quan-tri/benefits/salaryadjustment/?scheme__exact=bhxh_bb").content.decode()
    inputs = re.findall(r'<input[^>]*name="form-\d+-(?:coefficient|source)"[^>]*>', html)
    assert inputs and all("aria-label=" in tag for tag in inputs)
    assert 'aria-label="Mức điều chỉnh – Tiền lương đóng BHXH bắt buộc, năm 2020"' in html
    assert 'aria-label="Căn cứ – Tiền lương đóng BHXH bắt buộc, năm 2020"' in html


def test_officer_can_view_the_adjustment_table_but_not_edit_it(client, db, reference_data):
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    row = SalaryAdjustment.objects.get(scheme="bhxh_bb", year=2020)
    assert client.get("/quan-tri/benefits/salaryadjustment/").status_code == 200
    url = f"/quan-tri/benefits/salaryadjustment/{row.pk}/change/"
    client.post(url, {"scheme": "bhxh_bb", "year": "2020", "coefficient": "9.99", "source": "x"})
    row.refresh_from_db()
    assert row.coefficient == Decimal("1.19")  # a national table: officers read it, the central admin edits it


def test_a_person_outside_the_officers_agency_is_neither_shown_nor_taken(client, db, reference_data):
    person = citizen("7903111111", "Hoàng Thị Thu Trang", id_number="079192012345", sex=2).person
    person.agency = Agency.objects.get(code="07903")
    person.save(update_fields=["agency"])
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    html = client.get(f"{ADD}?person={person.pk}").content.decode()
    assert "Hoàng Thị Thu Trang" not in html and "7903111111" not in html
    response = client.post(ADD, new_record_data(client, person, "07901"))
    assert response.status_code == 200 and 'id="id_person_error"' in response.content.decode()
    assert not BenefitRecord.objects.exists() and not Message.objects.exists()
    client.force_login(benefits_officer("canbo07903", "07903", DISTRICT))
    assert "Hoàng Thị Thu Trang" in client.get(f"{ADD}?person={person.pk}").content.decode()


def test_a_records_history_is_read_in_one_query_however_long(client, records, django_user_model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    url = change_url(records["q1"])

    def queries_with(lines: int) -> int:
        for number in range(lines):
            actor = django_user_model.objects.create_user(f"canbo-lich-su-{lines}-{number}")
            BenefitEvent.objects.create(record=records["q1"], revision=lines * 100 + number, status="received", changes="—",
                                        actor=actor)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert f"canbo-lich-su-{lines}-{lines - 1}" in html
        return len(queries)

    assert queries_with(2) == queries_with(12)


def test_the_outbox_list_reads_its_recipients_in_one_query(client, records, django_user_model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))

    def queries_with(rows: int) -> int:
        for number in range(rows):
            user = django_user_model.objects.create_user(f"nguoi-nhan-{rows}-{number}")
            Message.objects.create(channel=Message.Channel.INBOX, user=user, template="welcome", body="—",
                                   idempotency_key=f"outbox-{rows}-{number}")
        client.get("/quan-tri/notifications/message/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/quan-tri/notifications/message/")
        assert response.status_code == 200
        html = response.content.decode()
        for number in range(rows):
            assert f"<td class=\"field-user nowrap\">nguoi-nhan-{rows}-{number}</td>" in html
        return len(queries)

    assert queries_with(2) == queries_with(12)


def said(response) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in response.context["messages"]]


def test_a_status_action_says_the_people_were_told_only_when_a_login_could_be_told(client, db, reference_data):
    """A step was said to have been told to the person whether or not anyone could be: a person without a
    login that signs in (none, or one an officer deactivated) is told nothing."""
    from django.contrib.messages import constants

    from tests.accounts.helpers import make_person

    with_login = citizen().person
    without_login = make_person("7901000003", "Trần Thị Lan", id_number="079188012347")
    deactivated = citizen("7901000004", "Lê Văn Hùng", id_number="079088012348")
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    told = record(with_login, reference="Q1-0011")
    untold = [record(without_login, reference="Q1-0012"), record(deactivated.person, reference="Q1-0013")]
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))

    response = client.post(LIST, {"action": "mark_processing", "_selected_action": [obj.pk for obj in untold]},
                           follow=True)
    assert said(response) == [(constants.SUCCESS, "Đã chuyển sang đang giải quyết 2 hồ sơ; không gửi thông báo vì "
                                                  "người hưởng không có tài khoản đang hoạt động trên Cổng.")]
    assert not Message.objects.exists()

    for obj in untold:
        BenefitRecord.objects.filter(pk=obj.pk).update(status="received")
    response = client.post(LIST, {"action": "mark_processing", "_selected_action": [told.pk, *(obj.pk for obj in untold)]},
                           follow=True)
    assert said(response) == [(constants.SUCCESS, "Đã chuyển sang đang giải quyết 3 hồ sơ; người hưởng đã được thông "
                                                  "báo, trừ 2 hồ sơ mà người hưởng không có tài khoản đang hoạt động "
                                                  "trên Cổng nên không gửi thông báo.")]

    BenefitRecord.objects.filter(pk=told.pk).update(status="received")
    response = client.post(LIST, {"action": "mark_processing", "_selected_action": [told.pk]}, follow=True)
    assert said(response) == [(constants.SUCCESS, "Đã chuyển sang đang giải quyết 1 hồ sơ; người hưởng đã được thông báo.")]
    assert set(Message.objects.values_list("user__person", flat=True)) == {with_login.pk}


def test_what_a_status_action_says_of_who_was_told_is_written_in_english_too():
    from django.utils import translation

    from benefits.admin import MOVED_TO_PROCESSING, steps_taken

    with translation.override("en"):
        assert steps_taken(MOVED_TO_PROCESSING, 1, untold=0) == "1 record moved to “Being processed”; the beneficiary was told."
        assert steps_taken(MOVED_TO_PROCESSING, 2, untold=2) == (
            "2 records moved to “Being processed”; nobody was told, as the beneficiaries have no active login on the "
            "portal.")
        assert steps_taken(MOVED_TO_PROCESSING, 3, untold=1) == (
            "3 records moved to “Being processed”; the beneficiaries were told, except for 1 record whose beneficiary "
            "has no active login on the portal, so nobody was told of it.")


def test_a_status_action_on_records_already_past_that_step_says_they_were_left_as_they_were(client, db, reference_data):
    from django.contrib.messages import constants

    person = citizen().person
    processing = record(person, reference="Q1-0002", status="processing")
    paid = record(person, reference="Q1-0003", **decided(status="paid", paid_on=datetime.date(2025, 9, 20)))
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(LIST, {"action": "mark_processing", "_selected_action": [processing.pk, paid.pk]}, follow=True)
    assert said(response) == [(constants.INFO, "2 hồ sơ đã chọn không còn ở trạng thái “Đã tiếp nhận”: giữ nguyên.")]
    response = client.post(LIST, {"action": "mark_paid", "_selected_action": [paid.pk]}, follow=True)
    assert said(response) == [(constants.INFO, "1 hồ sơ đã chọn đã chi trả từ trước: giữ nguyên.")]
    assert not BenefitEvent.objects.exists() and not Message.objects.exists()


def test_dates_after_today_or_before_the_persons_birth_are_refused_beside_their_fields(client, db, reference_data):
    """A claim is received, decided and paid on days that have come, by a person already born: a
    date typed a century off (2099, 1950 for a person born in 1988) was saved and told to them."""
    user = managed_citizen()
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(ADD, new_record_data(client, user.person, "07901", received_on=f"{tomorrow:%d/%m/%Y}",
                                                expected_on=""))
    assert response.status_code == 200
    assert (f"Ngày tiếp nhận hồ sơ không được sau ngày hôm nay ({timezone.localdate():%d/%m/%Y})."
            in response.content.decode())
    response = client.post(ADD, new_record_data(client, user.person, "07901", received_on="01/01/1950",
                                                expected_on=""))
    assert response.status_code == 200
    assert "Ngày tiếp nhận hồ sơ không thể trước ngày sinh của người hưởng (15/03/1988)." in response.content.decode()
    response = client.post(ADD, new_record_data(client, user.person, "07901", **decided(
        status="paid", decision_date=f"{tomorrow:%d/%m/%Y}", paid_on=f"{tomorrow:%d/%m/%Y}")))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Ngày quyết định không được sau ngày hôm nay ({timezone.localdate():%d/%m/%Y})." in html
    assert f"Ngày chi trả không được sau ngày hôm nay ({timezone.localdate():%d/%m/%Y})." in html
    assert not BenefitRecord.objects.exists() and not Message.objects.exists()


def test_a_childs_birth_or_an_accident_before_the_persons_own_birth_is_refused_beside_its_field(
        client, db, reference_data):
    user = managed_citizen()  # born on 15/03/1988
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(ADD, new_record_data(client, user.person, "07901", kind="thai_san",
                                                child_birth_date="01/02/1960", start_date="01/01/1960"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ngày sinh của con không thể trước ngày sinh của người hưởng (15/03/1988)." in html
    assert "Hưởng từ ngày không thể trước ngày sinh của người hưởng (15/03/1988)." in html
    response = client.post(ADD, new_record_data(client, user.person, "07901", kind="tnld_bnn", days_off="",
                                                impairment_percent="21", event_date="01/01/1970"))
    assert "Ngày bị tai nạn / phát hiện bệnh không thể trước ngày sinh của người hưởng (15/03/1988)." in (
        response.content.decode())
    assert not BenefitRecord.objects.exists() and not Message.objects.exists()


def test_a_record_moved_to_another_agency_after_the_list_was_read_is_named_and_the_others_taken(
        client, db, reference_data, monkeypatch):
    """A completed change of the paying place moved it once the list had read the rows ticked: the
    service refuses it (PermissionDenied), which ended the whole action on a 403 page."""
    from benefits import admin as benefits_admin

    person = citizen().person
    moved, kept = record(person, reference="Q1-0006"), record(person, reference="Q1-0007")
    service = benefits_admin.benefit_set_status

    def after_the_move(*, record, **kwargs):
        if record.pk == moved.pk:
            BenefitRecord.objects.filter(pk=moved.pk).update(agency=Agency.objects.get(code="07902"))
        return service(record=record, **kwargs)

    monkeypatch.setattr(benefits_admin, "benefit_set_status", after_the_move)
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(LIST, {"action": "mark_processing", "_selected_action": [moved.pk, kept.pk]}, follow=True)
    assert response.status_code == 200
    assert "Q1-0006: Hồ sơ đã chuyển sang cơ quan BHXH khác nên bạn không còn xử lý được; giữ nguyên." in [
        message for _level, message in said(response)]
    statuses = dict(BenefitRecord.objects.values_list("reference", "status"))
    assert (statuses["Q1-0006"], statuses["Q1-0007"]) == ("received", "processing")


def test_marking_a_refused_record_paid_is_refused_and_says_only_a_decided_one_is_paid(client, db, reference_data):
    from django.contrib.messages import constants

    person = citizen().person
    refused = record(person, reference="Q1-0008", **decided(status="rejected", reject_reason="Thiếu sổ BHXH", amount=None))
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(LIST, {"action": "mark_paid", "_selected_action": [refused.pk]}, follow=True)
    assert said(response) == [(constants.ERROR, "1 hồ sơ đã chọn không chuyển sang “Đã chi trả” được vì chỉ hồ sơ "
                                                "“Đã giải quyết” mới chuyển được: Q1-0008 (Không giải quyết); "
                                                "giữ nguyên.")]
    refused.refresh_from_db()
    assert (refused.status, refused.paid_on) == ("rejected", None)
    assert not BenefitEvent.objects.exists() and not Message.objects.exists()


def test_marking_many_undecided_records_paid_says_once_how_many_and_which_were_left_and_why(client, db, reference_data):
    """One refusal per record ticked filled the page with the same sentence, twelve times over."""
    from django.contrib.messages import constants

    person = citizen().person
    undecided = [record(person, reference=f"Q1-01{number:02d}", status="processing") for number in range(11)]
    undecided.append(record(person, reference="Q1-0200", **decided(status="rejected", reject_reason="Thiếu sổ BHXH", amount=None)))
    approved = record(person, reference="Q1-0300", **decided())
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(LIST, {"action": "mark_paid", "_selected_action": [obj.pk for obj in [*undecided, approved]]},
                           follow=True)
    listed = ", ".join(f"Q1-01{number:02d} (Đang giải quyết)" for number in range(10))
    assert said(response) == [
        (constants.SUCCESS, "Đã ghi nhận chi trả 1 hồ sơ; người hưởng đã được thông báo."),
        (constants.ERROR, "12 hồ sơ đã chọn không chuyển sang “Đã chi trả” được vì chỉ hồ sơ “Đã giải quyết” mới "
                          f"chuyển được: {listed} và 2 hồ sơ khác; giữ nguyên."),
    ]
    statuses = dict(BenefitRecord.objects.values_list("reference", "status"))
    assert statuses.pop("Q1-0300") == "paid" and set(statuses.values()) == {"processing", "rejected"}
    assert list(BenefitEvent.objects.values_list("record__reference", flat=True)) == ["Q1-0300"]


def test_the_refusal_of_a_status_action_is_written_in_english_too():
    from django.utils import translation

    from benefits.admin import steps_not_taken
    from benefits.models import Status

    refused = [BenefitRecord(reference=f"Q1-01{number:02d}", status="processing") for number in range(12)]
    with translation.override("en"):
        assert steps_not_taken(refused[:1], Status.PAID) == (
            "1 record ticked cannot be moved to “Paid”, as only a record that is “Approved” can be: Q1-0100 "
            "(Being processed); left as it was.")
        assert steps_not_taken(refused, Status.PAID).endswith(
            "Q1-0109 (Being processed) and 2 other records; left as they were.")


@pytest.mark.parametrize("stored, typed, told", [
    ({"status": "rejected", "reject_reason": "Thiếu sổ BHXH"},
     {**decided(status="paid", decision_date="10/09/2025"), "paid_on": "20/09/2025", "reject_reason": ""},
     "Hồ sơ đang ở trạng thái “Không giải quyết” nên không chuyển sang “Đã chi trả” được: hãy giữ nguyên trạng thái "
     "này hoặc chọn “Đang giải quyết”."),
    (decided(status="paid", paid_on=datetime.date(2025, 9, 20)), {"status": "processing", "paid_on": ""},
     "Hồ sơ đang ở trạng thái “Đã chi trả” nên không chuyển sang “Đang giải quyết” được: hãy giữ nguyên trạng thái "
     "này."),
])
def test_the_edit_page_refuses_a_status_the_records_steps_do_not_reach_beside_the_field(
        client, db, reference_data, stored, typed, told):
    """The status actions follow the steps a claim takes; the edit page saved any status typed, so a
    refused record was marked paid in one save, and a paid one moved back."""
    user = citizen()
    obj = record(user.person, reference="Q1-0009", **stored)
    url = change_url(obj)
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    data = {**admin_form(client, url), **{name: str(value) for name, value in typed.items()},
            "decision_number": "789/QĐ-BHXH"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [told]
    shown_again = shown_form(response)
    assert {name: shown_again[name] for name in (*typed, "decision_number")} == {
        **{name: str(value) for name, value in typed.items()}, "decision_number": "789/QĐ-BHXH"}
    obj.refresh_from_db()
    assert (obj.status, obj.revision) == (stored["status"], 0)
    assert not BenefitEvent.objects.exists() and not Message.objects.exists()


def test_the_edit_page_takes_a_claim_received_to_paid_in_one_save_with_its_decision_and_payment(
        client, db, reference_data):
    user = citizen()
    obj = record(user.person)
    url = change_url(obj)
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(url, {**admin_form(client, url), "status": "paid", "paid_on": ""})
    assert response.context["adminform"].form.errors["paid_on"] == ["Nhập ngày chi trả khi hồ sơ đã chi trả."]
    assert "status" not in response.context["adminform"].form.errors
    response = client.post(url, {**admin_form(client, url), **decided(status="paid", decision_date="10/09/2025"),
                                 "paid_on": "20/09/2025"})
    assert response.status_code == 302, response.content.decode()[:2000]
    obj.refresh_from_db()
    assert (obj.status, obj.paid_on, obj.revision) == ("paid", datetime.date(2025, 9, 20), 1)


def test_the_edit_page_refuses_an_amount_before_the_decision_and_a_payment_date_before_the_payment_beside_the_fields(
        client, db, reference_data):
    """An amount typed on a claim still examined, and a payment date on one only decided, were saved and
    told to the person as granted and paid; the same values with the status that grants and pays them are
    saved in that one save."""
    user = citizen()
    obj = record(user.person, status="processing")
    url = change_url(obj)
    client.force_login(benefits_officer("canbo07901", "07901", DISTRICT))
    response = client.post(url, {**admin_form(client, url), "amount": "5.217.200", "monthly_amount": "1.250.000"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["amount"] == ["Chỉ hồ sơ “Đã giải quyết” hoặc “Đã chi trả” mới có số tiền được hưởng: để trống ô "
                                "này, hoặc chọn một trong hai trạng thái đó khi đã có quyết định."]
    assert errors["monthly_amount"] == ["Chỉ hồ sơ “Đã giải quyết” hoặc “Đã chi trả” mới có mức hưởng hằng tháng: để "
                                        "trống ô này, hoặc chọn một trong hai trạng thái đó khi đã có quyết định."]
    typed = {**decided(decision_date="10/09/2025", amount="5.217.200"), "paid_on": "20/09/2025"}
    response = client.post(url, {**admin_form(client, url), **typed})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "paid_on": ["Chỉ hồ sơ “Đã chi trả” mới có ngày chi trả: để trống ô này, hoặc chọn trạng thái “Đã chi trả” "
                    "khi đã chi trả."]}
    obj.refresh_from_db()
    assert (obj.status, obj.amount, obj.paid_on, obj.revision) == ("processing", None, None, 0)
    assert not BenefitEvent.objects.exists() and not Message.objects.exists()
    response = client.post(url, {**admin_form(client, url), **typed, "status": "paid"})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert (obj.status, obj.amount, obj.paid_on, obj.revision) == ("paid", 5_217_200, datetime.date(2025, 9, 20), 1)


def test_the_admins_own_messages_and_action_names_are_written_in_english_too(db, reference_data, monkeypatch):
    """The status actions' names, what they left as it was and why, a record moved away meanwhile and an
    unchanged save were Vietnamese only, unlike the actions' other messages (the admin's pages are
    Vietnamese, vssid_portal.middleware: the actions are run here in English, as those messages' tests do)."""
    from types import SimpleNamespace

    from django.contrib import admin
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory
    from django.utils import translation

    from benefits import admin as benefits_admin

    person = citizen().person
    processing = record(person, reference="Q1-0002", status="processing")
    paid = record(person, reference="Q1-0003", **decided(status="paid", paid_on=datetime.date(2025, 9, 20)))
    moved = record(person, reference="Q1-0006")
    model_admin = admin.site._registry[BenefitRecord]
    service = benefits_admin.benefit_set_status

    def after_the_move(*, record, **kwargs):
        BenefitRecord.objects.filter(pk=moved.pk).update(agency=Agency.objects.get(code="07902"))
        return service(record=record, **kwargs)

    monkeypatch.setattr(benefits_admin, "benefit_set_status", after_the_move)

    officer = benefits_officer("canbo07901", "07901", DISTRICT)

    def told(act):
        request = RequestFactory().post(LIST)
        request.user, request.session = officer, {}
        request._messages = FallbackStorage(request)
        with translation.override("en"):
            act(request)
        return [message.message for message in get_messages(request)]

    with translation.override("en"):
        assert (str(model_admin.mark_processing.short_description), str(model_admin.mark_paid.short_description)) == (
            "Move the records ticked to “Being processed”", "Mark the records ticked as paid today")
    listed = BenefitRecord.objects.filter(pk__in=[processing.pk, paid.pk])
    assert told(lambda request: model_admin.mark_processing(request, listed)) == [
        "2 records ticked are no longer “Received”: left as they were."]
    assert told(lambda request: model_admin.mark_paid(request, listed.filter(pk=paid.pk))) == [
        "1 record ticked was paid already: left as it was."]
    assert told(lambda request: model_admin.mark_processing(request, BenefitRecord.objects.filter(pk=moved.pk))) == [
        "Q1-0006: the record has moved to another BHXH agency, so it is no longer yours to process; left as it was."]
    form = SimpleNamespace(cleaned_data={"seen_version": processing.revision})
    assert told(lambda request: model_admin.save_model(request, processing, form, True)) == [
        "Nothing was changed: no notice was sent."]


def test_the_benefit_records_list_counts_its_rows_by_the_name_of_one():
    """One list, one name: the admin counts "N hồ sơ hưởng chế độ" whatever N, the name of one record,
    under the menu's section "Thông tin hưởng"; in English, that name's plural."""
    from django.utils import translation

    opts = BenefitRecord._meta
    with translation.override("vi"):
        assert str(opts.verbose_name_plural) == str(opts.verbose_name)
        assert str(opts.verbose_name_plural) != str(opts.app_config.verbose_name).lower()
    with translation.override("en"):
        singular, plural = str(opts.verbose_name), str(opts.verbose_name_plural)
        assert plural != singular and plural.startswith(singular)
