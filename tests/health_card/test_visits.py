"""The medical-visit history (sổ KCB): rules of a visit and its cost lines (database constraints
and validation with Vietnamese messages), the one save path (notices once per change, none for a
no-op), the citizen's pages (grouped by year with totals, a child's visits, IDOR 404s, a constant
number of queries), the admin scope of officers and clinic staff, and the demo data."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import Guardianship, Person, User
from accounts.roles import CLINIC_STAFF
from health_card.models import Visit, VisitEvent, VisitLine, normalize_icd10
from health_card.selectors import VisitYear, visit_years_for, visits_for, visits_in_year
from health_card.services import visit_save
from lookup.models import Agency, MedicalFacility
from notifications.models import Message
from tests.accounts.helpers import born_years_ago, cccd_for, make_person, officer
from tests.benefits.helpers import admin_form, shown_form
from tests.html_language import languages_of

CHILD_BORN = born_years_ago(16)  # a minor (15 or 16) whenever the tests run

pytestmark = pytest.mark.usefixtures("reference_data")
DISTRICT, PROVINCE = "Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"
LIST, DETAIL = "health_card:visits", "health_card:visit_detail"
ADMIN = "/quan-tri/health_card/visit/"
SEQUENCE = iter(range(1, 10**6))


def citizen(code="7901234567", name="Nguyễn Văn Đức", agency="07901", **person):
    person = make_person(code, name, **person)
    person.agency = Agency.objects.get(code=agency) if agency else None
    person.save()
    return User.objects.create_user(code, password="x-Pass-2026!", person=person)


def line(category="kham_benh", description="Khám bệnh", quantity="1", unit_price=42_100, bhyt_share=Decimal("0.8"),
         **fields):
    amount = int((Decimal(quantity) * unit_price).quantize(Decimal(1)))
    values = {"unit": "lần", "amount": amount, "bhyt_amount": int(amount * bhyt_share), **fields}
    return VisitLine(category=category, description=description, quantity=Decimal(quantity), unit_price=unit_price,
                     **values)


def standard_lines():
    return [line(), line("xet_nghiem", "Tổng phân tích tế bào máu", unit_price=46_200),
            line("thuoc", "Paracetamol 500 mg", quantity="10", unit_price=500, unit="viên"),
            line("thuoc", "Vitamin C 500 mg", quantity="10", unit_price=1_000, unit="viên", bhyt_share=Decimal(0))]


def visit(person, facility="79001", admitted=datetime.date(2025, 3, 4), lines=None, save=True, **fields):
    """A valid visit; with `lines` its totals are theirs. Stored directly (no notice) unless save=False."""
    lines = standard_lines() if lines is None else lines
    total = sum(item.amount for item in lines) if lines else 500_000
    bhyt = sum(item.bhyt_amount for item in lines) if lines else 400_000
    values = {"reference": f"LK{next(SEQUENCE):06d}", "kind": "ngoai_tru", "discharged_on": admitted,
              "diagnosis_code": "J06.9", "diagnosis_name": "Nhiễm trùng đường hô hấp trên cấp, không đặc hiệu",
              "total_cost": total, "bhyt_paid": bhyt, "patient_paid": total - bhyt, **fields}
    obj = Visit(person=person, facility=MedicalFacility.objects.get(code=facility), admitted_on=admitted, **values)
    if save:
        obj.full_clean()
        obj.save()
        for item in lines:
            item.visit = obj
            item.full_clean()
            item.save()
    return obj


def messages_of(user):
    return list(Message.objects.filter(user=user).values_list("template", "channel").order_by("pk"))


# --- Rules of a visit ------------------------------------------------------------------------

@pytest.mark.parametrize("raw, code", [("J06.9", "J06.9"), (" j069 ", "J06.9"), ("K35.8", "K35.8"), ("a09", "A09"),
                                       ("S72.00", "S72.00"), ("I10", "I10")])
def test_icd10_codes_are_normalised_and_accepted(raw, code):
    assert normalize_icd10(raw) == code


@pytest.mark.parametrize("bad", ["J6.9", "06.9", "JJ6.9", "J06.", "J06.999", "X", "ruột thừa"])
def test_a_malformed_icd10_code_is_refused_in_vietnamese(db, bad):
    obj = visit(citizen().person, diagnosis_code=bad, save=False)
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert any(message.startswith("Mã ICD-10 gồm một chữ cái, hai chữ số")
               for message in error.value.message_dict["diagnosis_code"])


def test_validation_messages_are_vietnamese(db):
    person = citizen().person
    obj = visit(person, save=False, lines=[], discharged_on=datetime.date(2025, 3, 1), total_cost=500_000,
                bhyt_paid=400_000, patient_paid=50_000)
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    messages = " ".join(error.value.messages)
    assert "Ngày ra không được trước ngày vào." in messages
    assert "Tổng chi phí phải bằng phần BHYT chi trả cộng phần người bệnh chi trả." in messages
    with pytest.raises(ValidationError) as error:
        line(amount=1).full_clean(exclude=["visit"])
    assert error.value.message_dict["amount"] == ["Thành tiền phải bằng số lượng × đơn giá (42.100 đồng)."]
    with pytest.raises(ValidationError) as error:
        line(bhyt_amount=50_000).full_clean(exclude=["visit"])
    assert "Phần BHYT chi trả không được lớn hơn thành tiền." in error.value.messages


ABOVE = 100_000_000_001  # one đồng above the most a visit's amount may be


def test_amounts_above_the_most_a_visit_may_cost_are_refused_saying_the_most(db):
    """An amount typed with digits too many (a stay of 3.753.200 đ typed 3.753.200.000.000) was
    saved and shown to the person; each amount of a visit and of a line is refused above 100 billion."""
    most = "không được lớn hơn 100.000.000.000 đ: kiểm tra lại số chữ số đã nhập."
    obj = visit(citizen().person, lines=[], save=False, total_cost=ABOVE, bhyt_paid=ABOVE, patient_paid=0)
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert error.value.message_dict["total_cost"] == [f"Tổng chi phí {most}"]
    assert error.value.message_dict["bhyt_paid"] == [f"Phần BHYT chi trả {most}"]
    obj.patient_paid, obj.bhyt_paid = ABOVE, 0
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert error.value.message_dict["patient_paid"] == [f"Phần người bệnh chi trả {most}"]
    with pytest.raises(ValidationError) as error:
        line(unit_price=ABOVE, bhyt_share=Decimal(1)).full_clean(exclude=["visit"])
    assert error.value.message_dict == {"unit_price": [f"Đơn giá {most}"], "amount": [f"Thành tiền {most}"],
                                        "bhyt_amount": [f"Phần BHYT chi trả {most}"]}
    edge = ABOVE - 1
    visit(obj.person, lines=[], save=False, total_cost=edge, bhyt_paid=edge, patient_paid=0).full_clean()
    line(unit_price=edge, bhyt_share=Decimal(1)).full_clean(exclude=["visit"])


def test_the_visit_form_refuses_an_amount_above_the_most_beside_its_field(client, db):
    citizen()
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    data = add_data("7901234567", "79001", total_cost="3.753.200.000.000", bhyt_paid="0", patient_paid="",
                    **{"lines-TOTAL_FORMS": "0"})
    response = client.post(ADMIN + "add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["total_cost"] == [
        "Tổng chi phí không được lớn hơn 100.000.000.000 đ: kiểm tra lại số chữ số đã nhập."]
    assert not Visit.objects.exists() and not Message.objects.exists()


def test_an_amount_past_what_the_column_holds_is_refused_naming_the_visits_own_most(client, db):
    """The form's own limit, the column's, named 9.223.372.036.854.775.807 đ: no visit's ceiling."""
    citizen()
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    huge = "10.000.000.000.000.000.000"
    data = add_data("7901234567", "79001", total_cost=huge, bhyt_paid="0", patient_paid="",
                    **{"lines-0-unit_price": huge, "lines-0-amount": huge, "lines-0-bhyt_amount": huge})
    response = client.post(ADMIN + "add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["total_cost"] == [
        "Tổng chi phí không được lớn hơn 100.000.000.000 đ: kiểm tra lại số chữ số đã nhập."]
    line_errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert {name: line_errors[name] for name in ("unit_price", "amount", "bhyt_amount")} == {
        name: [f"{words} không được lớn hơn 100.000.000.000 đ: kiểm tra lại số chữ số đã nhập."]
        for name, words in (("unit_price", "Đơn giá"), ("amount", "Thành tiền"), ("bhyt_amount", "Phần BHYT chi trả"))}
    assert "9.223.372.036.854.775.807" not in response.content.decode()
    assert not Visit.objects.exists() and not Message.objects.exists()


def test_the_visit_form_refuses_a_negative_amount_in_the_portals_words(client, db):
    citizen()
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    data = add_data("7901234567", "79001", total_cost="-5.000", bhyt_paid="0", patient_paid="",
                    **{"lines-TOTAL_FORMS": "0"})
    response = client.post(ADMIN + "add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["total_cost"] == ["Số tiền không được nhỏ hơn 0 đ."]
    assert not Visit.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize("fields", [
    {"discharged_on": datetime.date(2025, 3, 1)},
    {"total_cost": 100, "bhyt_paid": 80, "patient_paid": 10},
    {"total_cost": -100, "bhyt_paid": -100, "patient_paid": 0},
    {"diagnosis_code": "J6.9"},
    {"total_cost": ABOVE, "bhyt_paid": ABOVE, "patient_paid": 0},
    {"total_cost": ABOVE, "bhyt_paid": 0, "patient_paid": ABOVE},
])
def test_the_database_refuses_an_inconsistent_visit(db, fields):
    obj = visit(citizen().person, lines=[], save=False, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


@pytest.mark.parametrize("fields", [{"bhyt_amount": 50_000}, {"quantity": Decimal(0)}, {"unit_price": -1},
                                    {"quantity": Decimal("0.5"), "unit_price": ABOVE * 2},
                                    {"unit_price": ABOVE, "amount": ABOVE, "bhyt_amount": 0},
                                    {"unit_price": 1, "amount": ABOVE, "bhyt_amount": ABOVE}])
def test_the_database_refuses_an_inconsistent_line(db, fields):
    obj = visit(citizen().person, lines=[])
    item = line(**fields)
    item.visit = obj
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_a_reference_is_unique_per_facility(db):
    person = citizen().person
    visit(person, reference="LK-1")
    visit(person, reference="LK-1", facility="79002")  # another facility may use the same number
    with pytest.raises(ValidationError) as error:
        visit(person, reference="LK-1")
    assert "Cơ sở KCB này đã có lượt khám với mã này." in " ".join(error.value.messages)


# --- The save path -----------------------------------------------------------------------------

def test_totals_must_equal_the_lines_and_empty_totals_are_filled_from_them(db):
    user = citizen()
    obj = visit(user.person, save=False, total_cost=1, bhyt_paid=1, patient_paid=0)
    with pytest.raises(ValidationError) as error:
        visit_save(visit=obj, lines=standard_lines())
    assert "Tổng chi phí (1 đ) phải bằng tổng của các dòng chi phí (103.300 đ)." in " ".join(error.value.messages)
    assert not Visit.objects.exists() and not Message.objects.exists()
    with translation.override("en"), pytest.raises(ValidationError) as error:  # an officer's English admin
        visit_save(visit=obj, lines=standard_lines())
    assert "(103.300 đ)." in " ".join(error.value.messages)  # as the Vietnamese sentence around it writes

    obj = visit(user.person, save=False, total_cost=None, bhyt_paid=None, patient_paid=None)
    assert visit_save(visit=obj, lines=standard_lines()) is True
    obj.refresh_from_db()
    assert (obj.total_cost, obj.bhyt_paid, obj.patient_paid) == (103_300, 74_640, 28_660)
    assert obj.lines.count() == 4

    without_lines = visit(user.person, save=False, lines=[], total_cost=None, bhyt_paid=None, patient_paid=None)
    with pytest.raises(ValidationError) as error:
        visit_save(visit=without_lines, lines=[])
    assert "Nhập tổng chi phí hoặc thêm các dòng chi phí." in error.value.message_dict["total_cost"]


def test_a_new_visit_is_told_once_a_change_once_and_a_no_op_never(db, django_capture_on_commit_callbacks, sms_outbox):
    user = citizen()
    clinic = MedicalFacility.objects.get(code="79001")
    obj = visit(user.person, save=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert visit_save(visit=obj, lines=standard_lines()) is True
    assert messages_of(user) == [("visit_added", "inbox"), ("visit_added", "sms")]
    notice = Message.objects.get(user=user, channel="inbox")
    assert clinic.name in notice.body and "tổng chi phí 103.300 đ, BHYT chi trả 74.640 đ" in notice.body
    assert "J06.9" not in notice.body and "hô hấp" not in notice.body  # no diagnosis in an SMS
    assert len(sms_outbox()) == 1

    stored = Visit.objects.get(pk=obj.pk)
    assert visit_save(visit=stored, lines=list(stored.lines.all())) is False  # unchanged: nothing
    assert visit_save(visit=Visit.objects.get(pk=obj.pk), lines=list(stored.lines.all())) is False
    assert Message.objects.filter(user=user).count() == 2 and VisitEvent.objects.filter(visit=obj).count() == 1

    stored = Visit.objects.get(pk=obj.pk)
    lines = list(stored.lines.all())
    lines[2].quantity, lines[2].amount, lines[2].bhyt_amount = Decimal(20), 10_000, 8_000  # one more box of pills
    stored.total_cost, stored.bhyt_paid, stored.patient_paid = None, None, None
    assert visit_save(visit=stored, lines=lines) is True
    assert visit_save(visit=Visit.objects.get(pk=obj.pk), lines=list(stored.lines.all())) is False
    assert [t for t, c in messages_of(user)] == ["visit_added", "visit_added", "visit_updated", "visit_updated"]
    stored.refresh_from_db()
    assert (stored.total_cost, stored.revision) == (108_300, 2)
    assert VisitEvent.objects.filter(visit=obj).last().changes.startswith("tổng chi phí (đồng): 103.300 đ → 108.300 đ")

    # A line removed is a change too; the same content saved again is not.
    stored = Visit.objects.get(pk=obj.pk)
    remaining = list(stored.lines.all())[:-1]
    stored.total_cost = stored.bhyt_paid = stored.patient_paid = None
    assert visit_save(visit=stored, lines=remaining) is True
    assert VisitLine.objects.filter(visit=obj).count() == 3
    assert Message.objects.filter(user=user).count() == 6


def test_a_parent_is_told_about_a_childs_visit(db):
    parent = citizen()
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    visit_save(visit=visit(child, save=False, admitted=datetime.date(CHILD_BORN.year + 15, 3, 4)), lines=standard_lines())
    notice = Message.objects.get(user=parent, channel="inbox")
    assert "Nguyễn Gia Bảo" in notice.subject + notice.body


def test_the_person_of_a_visit_cannot_be_changed(db):
    obj = visit(citizen().person)
    other = make_person("7901000002", "Lê Văn Hùng", id_number="079088012346")
    obj.person = other
    with pytest.raises(ValidationError):
        visit_save(visit=obj, lines=list(obj.lines.all()))


def test_an_actor_outside_the_scope_is_refused(db):
    person = citizen(agency="07901").person
    with pytest.raises(PermissionDenied):
        visit_save(visit=visit(person, save=False), lines=standard_lines(),
                   actor=officer("canbo07903", "07903", DISTRICT))
    assert not Visit.objects.exists()


# --- The citizen's pages -------------------------------------------------------------------------

def test_the_book_shows_the_latest_year_and_every_years_totals_summed_by_the_database(client, db):
    user = citizen()
    person = user.person
    visit(person, admitted=datetime.date(2023, 5, 2))
    visit(person, admitted=datetime.date(2025, 1, 10), lines=[], total_cost=1_000_000, bhyt_paid=800_000,
          patient_paid=200_000)
    visit(person, admitted=datetime.date(2025, 11, 3), discharged_on=datetime.date(2025, 11, 8), kind="noi_tru",
          diagnosis_code="K35.8", diagnosis_name="Viêm ruột thừa cấp, khác và không đặc hiệu")
    assert visit_years_for(person=person) == [VisitYear(2025, 2, 1_103_300, 874_640, 228_660),
                                              VisitYear(2023, 1, 103_300, 74_640, 28_660)]
    assert [v.admitted_on for v in visits_in_year(person=person, year=2025)] == [
        datetime.date(2025, 11, 3), datetime.date(2025, 1, 10)]

    client.force_login(user)
    html = client.get(reverse(LIST)).content.decode()
    assert "<h1>Lịch sử khám chữa bệnh</h1>" in html
    assert '<a href="/so-kham-chua-benh/?nam=2025" aria-current="page">2025</a>' in html
    assert '<a href="/so-kham-chua-benh/?nam=2023">2023</a>' in html
    assert 'id="nam-2025"' in html and 'id="nam-2023"' not in html
    assert "1.103.300 đ" in html and "874.640 đ" in html and "228.660 đ" in html
    assert "103.300 đ" in html and "74.640 đ" in html  # 2023's totals, in the table of years
    assert "03/11/2025 – 08/11/2025" in html and "Viêm ruột thừa cấp, khác và không đặc hiệu" in html
    assert html.count("<details>") == 2 and "02/05/2023" not in html
    # The cost lines are on the visit's own page, linked from the list.
    assert "Paracetamol 500 mg" not in html and "Chi phí chi tiết của lượt khám LK" in html

    html = client.get(reverse(LIST), {"nam": "2023"}).content.decode()
    assert '<a href="/so-kham-chua-benh/?nam=2023" aria-current="page">2023</a>' in html
    assert html.count("<details>") == 1 and "02/05/2023" in html and 'id="nam-2023"' in html
    assert "(1 lượt khám)" in html and "03/11/2025" not in html


def test_a_year_is_taken_only_as_the_links_write_it_and_only_with_visits(client, db):
    user = citizen()
    visit(user.person, admitted=datetime.date(2023, 5, 2))
    visit(user.person, admitted=datetime.date(2025, 1, 10))
    client.force_login(user)
    for year in ("2023", "2025"):
        assert client.get(reverse(LIST), {"nam": year}).status_code == 200
    for year in ("2024", "2026", "1999", "0", "02025", "2025.0", " 2025", "2025 ", "abc", "", "٢٠٢٥", "9" * 40):
        assert client.get(reverse(LIST), {"nam": year}).status_code == 404, year
    client.force_login(citizen("7901000002", "Lê Văn Hùng", id_number="079088012346"))
    assert client.get(reverse(LIST), {"nam": "2025"}).status_code == 404  # nobody's visits but the user's
    assert "Chưa có lượt khám chữa bệnh BHYT nào được ghi nhận." in client.get(reverse(LIST)).content.decode()


def test_the_visits_page_links_back_to_the_visits_year(client, db):
    user = citizen()
    obj = visit(user.person, admitted=datetime.date(2023, 5, 2))
    visit(user.person, admitted=datetime.date(2025, 1, 10))
    client.force_login(user)
    html = client.get(reverse(DETAIL, args=[obj.pk])).content.decode()
    assert '<a href="/so-kham-chua-benh/?nam=2023">← Lịch sử khám chữa bệnh</a>' in html


def test_diagnoses_and_cost_lines_are_marked_vietnamese_on_the_english_pages(client, settings, db):
    """Sent by the clinic in Vietnamese only: lang="vi" has a screen reader on an English page read
    them with Vietnamese pronunciation (WCAG 3.1.2)."""
    user = citizen()
    obj = visit(user.person)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    diagnosis = "Nhiễm trùng đường hô hấp trên cấp"
    listed = client.get(reverse(LIST)).content.decode()
    assert languages_of(listed, diagnosis) == ["vi", "vi"]  # the visit's line, and its summary
    detail = client.get(reverse(DETAIL, args=[obj.pk])).content.decode()
    assert languages_of(detail, diagnosis) == ["vi"]
    for text in ("Tổng phân tích tế bào máu", "Paracetamol 500 mg", "viên", "lần"):
        assert set(languages_of(detail, text)) == {"vi"}, text
    assert languages_of(detail, "Main diagnosis") == ["en"]


def test_the_detail_page_shows_the_cost_lines(client, db):
    user = citizen()
    obj = visit(user.person, kind="noi_tru", admitted=datetime.date(2024, 8, 1),
                discharged_on=datetime.date(2024, 8, 5))
    client.force_login(user)
    response = client.get(reverse(DETAIL, args=[obj.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Lượt khám nội trú ngày 01/08/2024</h1>" in html
    assert "01/08/2024 – 05/08/2024 (4 ngày điều trị)" in html
    assert "Vitamin C 500 mg" in html and '10 <span lang="vi">viên</span>' in html and "10.000 đ" in html
    assert re.search(r'<th scope="row" colspan="4" role="rowheader">Cộng</th>'
                     r'<td role="cell" data-label="Thành tiền">103.300 đ</td>'
                     r'<td role="cell" data-label="BHYT chi trả">74.640 đ</td>'
                     r'<td role="cell" data-label="Người bệnh trả">28.660 đ</td>', html)


def test_empty_states(client, db):
    user = citizen()
    client.force_login(user)
    assert "Chưa có lượt khám chữa bệnh BHYT nào được ghi nhận." in client.get(reverse(LIST)).content.decode()
    client.force_login(User.objects.create_user("canbo", password="x-Pass-2026!"))
    assert "không gắn với người tham gia BHXH nào" in client.get(reverse(LIST)).content.decode()
    assert client.get(reverse(DETAIL, args=[1])).status_code == 404


def test_a_login_without_a_person_is_not_told_the_visits_are_its_own(client, db):
    guardian = User.objects.create_user("nguoigiamho", password="x-Pass-2026!")
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    Guardianship.objects.create(parent=guardian, child=child, relationship="cha")
    client.force_login(guardian)
    page = re.sub(r"\s+", " ", client.get(reverse(LIST)).content.decode())
    assert "không gắn với người tham gia BHXH nào" in page and "Xem thông tin của con</a>" in page
    assert "của bạn" not in page


def test_a_notice_of_a_visit_removed_since_leads_to_a_page_saying_it_is_no_longer_in_the_history(client, db):
    user = citizen()
    obj = visit(user.person, save=False)
    visit_save(visit=obj, lines=standard_lines())
    notice = Message.objects.get(user=user, channel=Message.Channel.INBOX)
    Visit.objects.filter(pk=obj.pk).delete()  # a visit entered for the wrong person, removed by a superuser
    client.force_login(user)
    response = client.get(notice.link, follow=True)
    assert response.status_code == 404
    page = re.sub(r"\s+", " ", response.content.decode())
    assert "Lượt khám này không có trong lịch sử khám chữa bệnh" in page
    assert f'href="{reverse(LIST)}"' in page


def test_pages_need_a_login(client, db):
    assert client.get(reverse(LIST)).status_code == 302
    assert client.get(reverse(DETAIL, args=[1])).status_code == 302


def test_a_form_posted_to_the_pages_is_told_the_pages_are_only_read(client, db):
    user = citizen()
    obj = visit(user.person)
    client.force_login(user)
    for url in (reverse(LIST), reverse(DETAIL, args=[obj.pk])):
        response = client.post(url)
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD", url
        assert obj.reference not in response.content.decode()


def test_someone_elses_visit_is_a_404_and_a_childs_is_shown_to_the_parent(client, db):
    parent = citizen()
    stranger = citizen("7901000002", "Lê Văn Hùng", id_number="079088012346")
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    strangers_visit, childs_visit = visit(stranger.person), visit(child)
    own = visit(parent.person)
    client.force_login(parent)
    assert client.get(reverse(DETAIL, args=[strangers_visit.pk])).status_code == 404
    assert client.get(reverse(DETAIL, args=[childs_visit.pk])).status_code == 404  # not switched to the child yet
    assert client.get(reverse(DETAIL, args=[own.pk])).status_code == 200
    assert client.get(reverse(DETAIL, args=[10**9])).status_code == 404

    client.post(reverse("accounts:view_as"), {"child": child.pk})
    response = client.get(reverse(LIST))
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in response.content.decode()
    assert client.get(reverse(DETAIL, args=[childs_visit.pk])).status_code == 200
    assert client.get(reverse(DETAIL, args=[own.pk])).status_code == 404
    client.force_login(stranger)
    assert client.get(reverse(DETAIL, args=[childs_visit.pk])).status_code == 404


def test_a_parent_reads_the_childs_book_a_year_at_a_time(client, db):
    parent = citizen()
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    Guardianship.objects.create(parent=parent, child=child, relationship="cha")
    first, last, parents = CHILD_BORN.year + 1, CHILD_BORN.year + 3, CHILD_BORN.year + 5  # after the birth
    visit(parent.person, admitted=datetime.date(parents, 2, 3), diagnosis_name="Viêm phế quản cấp")
    visit(child, admitted=datetime.date(first, 7, 8), diagnosis_name="Sốt xuất huyết Dengue")
    visit(child, admitted=datetime.date(last, 9, 10), diagnosis_name="Viêm họng cấp")
    client.force_login(parent)
    client.post(reverse("accounts:view_as"), {"child": child.pk})
    html = client.get(reverse(LIST)).content.decode()
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in html
    assert f'aria-current="page">{last}</a>' in html and f"?nam={first}" in html and f"?nam={parents}" not in html
    assert "Viêm họng cấp" in html and "Sốt xuất huyết Dengue" not in html and "Viêm phế quản cấp" not in html
    html = client.get(reverse(LIST), {"nam": str(first)}).content.decode()
    assert "Sốt xuất huyết Dengue" in html and "Viêm họng cấp" not in html
    assert client.get(reverse(LIST), {"nam": str(parents)}).status_code == 404  # the parent's year, not the child's


def test_a_child_visits_no_one_else(client, db):
    # A 17-year-old's guardian may look; a stranger switching to that child cannot.
    parent = citizen()
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=CHILD_BORN, id_number=cccd_for(CHILD_BORN))
    childs_visit = visit(child)
    client.force_login(parent)
    client.post(reverse("accounts:view_as"), {"child": child.pk})  # no guardianship: refused
    assert client.get(reverse(DETAIL, args=[childs_visit.pk])).status_code == 404
    assert "Nguyễn Gia Bảo" not in client.get(reverse(LIST)).content.decode()


# The user; allauth.usersessions' activity stamp (savepoint, select, user, update, release); the
# person; the years with their totals; the year's visits with their facility (the list) or the
# visit and its cost lines (a visit's page); the unread-notice badge. None per visit or per year.
MAX_QUERIES = 10


def many_visits(person, count, lines_each=5):
    """`count` visits spread over ten years (2015–2024), each with `lines_each` cost lines."""
    facilities = list(MedicalFacility.objects.filter(province__code="79")[:5])
    visits = Visit.objects.bulk_create([
        Visit(person=person, facility=facilities[i % 5], reference=f"Q{i:05d}", kind="ngoai_tru",
              admitted_on=datetime.date(2015 + i % 10, 1 + i % 12, 1 + i % 28),
              discharged_on=datetime.date(2015 + i % 10, 1 + i % 12, 1 + i % 28), diagnosis_code="N18.5",
              diagnosis_name="Bệnh thận mạn giai đoạn 5", total_cost=42_100 * lines_each,
              bhyt_paid=33_680 * lines_each, patient_paid=8_420 * lines_each) for i in range(count)])
    VisitLine.objects.bulk_create([VisitLine(visit=v, category="kham_benh", description=f"Chạy thận nhân tạo {n}",
                                             quantity=1, unit_price=42_100, amount=42_100, bhyt_amount=33_680)
                                   for v in visits for n in range(lines_each)])
    return visits


@pytest.mark.parametrize("count", [1, 300])
def test_pages_read_a_constant_number_of_queries(client, db, count, django_assert_max_num_queries):
    user = citizen()
    visits = many_visits(user.person, count)
    client.force_login(user)
    client.get(reverse(LIST))  # warm the session
    for year in [None, *sorted({v.admitted_on.year for v in visits})]:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(reverse(LIST), {"nam": year} if year else {})
        shown = year or max(v.admitted_on.year for v in visits)
        assert response.content.decode().count("<details>") == sum(v.admitted_on.year == shown for v in visits)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(reverse(DETAIL, args=[visits[-1].pk])).status_code == 200


def test_a_long_book_holds_only_the_chosen_years_visits(client, db):
    # A dialysis patient: 1,500 visits over ten years, 7,500 cost lines. The page is one year's
    # visits, without their cost lines, and the years' totals are every visit's.
    user = citizen()
    visits = many_visits(user.person, 1_500)
    client.force_login(user)
    for year in (2024, 2019):
        html = client.get(reverse(LIST), {"nam": year}).content.decode()
        in_year = [v for v in visits if v.admitted_on.year == year]
        assert html.count("<details>") == len(in_year) == 150
        assert sorted(re.findall(r"Chi phí chi tiết của lượt khám (Q\d{5}) ngày", html)) == sorted(
            v.reference for v in in_year)
        assert "Chạy thận nhân tạo" not in html
        assert f"({len(in_year)} lượt khám)" in html
        assert len(html.encode()) < 500_000
    for each in visit_years_for(person=user.person):
        in_year = [v for v in visits if v.admitted_on.year == each.year]
        assert (each.count, each.total_cost, each.bhyt_paid, each.patient_paid) == (
            len(in_year), sum(v.total_cost for v in in_year), sum(v.bhyt_paid for v in in_year),
            sum(v.patient_paid for v in in_year))
    assert len(visit_years_for(person=user.person)) == 10


# --- The admin -----------------------------------------------------------------------------------

def clinic_staff(username, facility_code):
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import sync_groups

    user = User.objects.create_user(username, password="x-Pass-2026!", is_staff=True,
                                    facility=MedicalFacility.objects.get(code=facility_code))
    user.groups.add(sync_groups(Group, Permission)[CLINIC_STAFF])
    assert user.has_perm("health_card.add_visit") and not user.has_perm("health_card.delete_visit")
    return user


@pytest.fixture
def visits(db):
    """Q1's person treated in HCMC; Thủ Đức's person treated in HCMC; Q1's person treated in Hà Nội;
    a Hà Nội person treated in HCMC."""
    q1 = citizen("7901000001", "Trần Thị Lan", agency="07901", id_number="079188012345", sex=2).person
    thu_duc = citizen("7901000002", "Lê Văn Hùng", agency="07903", id_number="079088012346").person
    hanoi = citizen("0101000003", "Phạm Minh Tuấn", agency="00101", id_number="001085012347",
                    birth=datetime.date(1985, 5, 5)).person
    return {
        "q1_hcm": visit(q1, facility="79001", reference="Q1-HCM"),
        "td_hcm": visit(thu_duc, facility="79002", reference="TD-HCM"),
        "q1_hn": visit(q1, facility="01001", reference="Q1-HN"),
        "hn_hcm": visit(hanoi, facility="79001", reference="HN-HCM"),
    }


def listed(client):
    response = client.get(ADMIN)
    assert response.status_code == 200  # an empty list, not a refused page
    html = response.content.decode()
    return {ref for ref in ("Q1-HCM", "TD-HCM", "Q1-HN", "HN-HCM") if ref in html}


def test_district_officer_sees_the_visits_of_the_people_their_agency_manages(client, visits):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert listed(client) == {"Q1-HCM", "Q1-HN"}
    assert client.get(f"{ADMIN}{visits['q1_hn'].pk}/change/").status_code == 200
    assert client.get(f"{ADMIN}{visits['td_hcm'].pk}/change/").status_code == 404  # outside the scope


def test_province_officer_sees_their_people_and_every_visit_at_their_provinces_facilities(client, visits):
    client.force_login(officer("canbo079", "079", PROVINCE))
    assert listed(client) == {"Q1-HCM", "TD-HCM", "Q1-HN", "HN-HCM"}
    client.force_login(officer("canbo001", "001", PROVINCE))
    assert listed(client) == {"Q1-HN", "HN-HCM"}


def test_a_province_officer_reads_a_patient_managed_in_another_province_as_text_not_a_link_to_a_page_not_found(
        client, visits):
    """A visit at a facility of the province is the province officer's; its patient, managed in Hà Nội,
    is not: the patient's page is a 404 to them, so the visit names the patient as text."""
    client.force_login(officer("canbo079", "079", PROVINCE))
    hanoi_url = f"/quan-tri/accounts/person/{visits['hn_hcm'].person_id}/change/"
    q1_url = f"/quan-tri/accounts/person/{visits['q1_hcm'].person_id}/change/"
    assert client.get(hanoi_url).status_code == 404
    html = client.get(f"{ADMIN}{visits['hn_hcm'].pk}/change/").content.decode()
    assert hanoi_url not in html and "0101000003 – Phạm Minh Tuấn" in html
    assert q1_url in client.get(f"{ADMIN}{visits['q1_hcm'].pk}/change/").content.decode()


def test_clinic_staff_see_their_facility_only(client, visits):
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    assert listed(client) == {"Q1-HCM", "HN-HCM"}
    client.force_login(clinic_staff("nhanvien79099", "79T01"))
    assert listed(client) == set()
    assert client.get(f"{ADMIN}{visits['q1_hcm'].pk}/change/").status_code == 404


def test_other_logins_see_nothing(client, visits):
    client.force_login(User.objects.create_user("canbo", password="x-Pass-2026!", is_staff=True))
    assert client.get(ADMIN).status_code == 403
    client.force_login(User.objects.get(username="7901000001"))
    assert client.get(ADMIN).status_code == 302  # to the admin login


def add_data(person_code, facility_code, **overrides):
    """The add form's post of a visit of the person of `person_code`, named as the registry has them
    (any name for a code nobody has)."""
    holder = Person.objects.filter(bhxh_code=person_code).first() if person_code else None
    data = {
        "bhxh_code": person_code, "patient_name": holder.full_name if holder else "Nguyễn Văn Đức",
        "facility": str(MedicalFacility.objects.get(code=facility_code).pk),
        "reference": "079-LK-0001", "kind": "noi_tru", "admitted_on": "2025-10-01", "discharged_on": "2025-10-05",
        "diagnosis_code": "k358", "diagnosis_name": "Viêm ruột thừa cấp, khác và không đặc hiệu",
        "total_cost": "", "bhyt_paid": "", "patient_paid": "",
        "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "1000",
        "lines-0-category": "thu_thuat", "lines-0-description": "Phẫu thuật nội soi cắt ruột thừa",
        "lines-0-unit": "lần", "lines-0-quantity": "1", "lines-0-unit_price": "2764000", "lines-0-amount": "2764000",
        "lines-0-bhyt_amount": "2211200",
        "lines-1-category": "ngay_giuong", "lines-1-description": "Ngày giường ngoại khoa", "lines-1-unit": "ngày",
        "lines-1-quantity": "4", "lines-1-unit_price": "247300", "lines-1-amount": "989200",
        "lines-1-bhyt_amount": "791360",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0", "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_clinic_staff_enter_a_visit_with_lines_and_the_person_is_told_once(client, db,
                                                                           django_capture_on_commit_callbacks):
    user = citizen(agency="00101")
    staff = clinic_staff("nhanvien79001", "79001")
    client.force_login(staff)
    form = client.get(ADMIN + "add/").content.decode()
    assert 'name="bhxh_code"' in form and "Bệnh viện Chợ Rẫy" in form
    assert "Bệnh viện Bạch Mai" not in form  # the facility list is theirs only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADMIN + "add/", add_data("7901234567", "79001"))
    assert response.status_code == 302, response.content.decode()[:3000]
    obj = Visit.objects.get(reference="079-LK-0001")
    assert (obj.person, obj.diagnosis_code, obj.total_cost, obj.bhyt_paid, obj.patient_paid) == (
        user.person, "K35.8", 3_753_200, 3_002_560, 750_640)
    assert obj.lines.count() == 2
    assert messages_of(user) == [("visit_added", "inbox"), ("visit_added", "sms")]
    assert VisitEvent.objects.get(visit=obj).actor == staff

    # Saved again unchanged: nothing sent.
    url = f"{ADMIN}{obj.pk}/change/"
    lines = list(obj.lines.order_by("pk"))
    unchanged = {**add_data("", "79001", **{"lines-INITIAL_FORMS": "2", "lines-0-id": str(lines[0].pk),
                                            "lines-1-id": str(lines[1].pk), "lines-0-visit": str(obj.pk),
                                            "lines-1-visit": str(obj.pk), "total_cost": "3753200",
                                            "bhyt_paid": "3002560", "patient_paid": "750640",
                                            "diagnosis_code": "K35.8"})}
    unchanged.pop("bhxh_code"), unchanged.pop("facility")
    response = client.post(url, unchanged, follow=True)
    assert "Không có thay đổi nào: không gửi thông báo." in response.content.decode()
    assert Message.objects.filter(user=user).count() == 2
    # A fifth bed day: one change, one notice (inbox + SMS), totals recomputed.
    changed = {**unchanged, "discharged_on": "2025-10-06", "lines-1-quantity": "5", "lines-1-amount": "1236500",
               "lines-1-bhyt_amount": "989200", "total_cost": "", "bhyt_paid": "", "patient_paid": ""}
    assert client.post(url, changed).status_code == 302
    obj.refresh_from_db()
    assert (obj.total_cost, obj.discharged_on, obj.revision) == (4_000_500, datetime.date(2025, 10, 6), 2)
    assert [t for t, _ in messages_of(user)] == ["visit_added"] * 2 + ["visit_updated"] * 2


def test_clinic_staff_cannot_enter_a_visit_at_another_facility(client, db):
    citizen()
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    response = client.post(ADMIN + "add/", add_data("7901234567", "79002"))
    assert response.status_code == 200
    assert 'id="id_facility_error"><li>Hãy chọn một lựa chọn hợp lệ.' in response.content.decode()
    assert not Visit.objects.exists() and not Message.objects.exists()


def test_admin_form_errors_are_shown_not_raised(client, db):
    citizen()
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    bad = add_data("7901234567", "79001", total_cost="1", bhyt_paid="1", patient_paid="0",
                   discharged_on="2025-09-01", diagnosis_code="RT-01", **{"lines-1-amount": "5"})
    html = client.post(ADMIN + "add/", bad).content.decode()
    assert "Mã ICD-10 gồm một chữ cái" in html
    assert "Thành tiền phải bằng số lượng × đơn giá (989.200 đồng)." in html
    totals = add_data("7901234567", "79001", total_cost="1", bhyt_paid="1", patient_paid="0")
    html = client.post(ADMIN + "add/", totals).content.decode()
    assert "Tổng chi phí (1 đ) phải bằng tổng của các dòng chi phí (3.753.200 đ)." in html
    dates = add_data("7901234567", "79001", discharged_on="2025-09-01")
    assert "Ngày ra không được trước ngày vào." in client.post(ADMIN + "add/", dates).content.decode()
    unknown = add_data("7909999999", "79001")
    assert NOT_FOUND in client.post(ADMIN + "add/", unknown).content.decode()
    assert not Visit.objects.exists() and not Message.objects.exists()


STALE = "Hồ sơ này vừa được người khác sửa sau khi bạn mở trang. Hãy tải lại trang để xem bản mới rồi sửa lại."


SHOWN_AGAIN = "Người khác đã lưu hồ sơ này sau khi bạn mở trang"


def page_opened_by_clinic_staff(client):
    """A citizen's visit and its change page, opened by clinic staff before anyone else saves it:
    (citizen, visit, the page's address, the form as that page would post it)."""
    user = citizen()
    obj = visit(user.person, revision=1)
    url = f"{ADMIN}{obj.pk}/change/"
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    return user, obj, url, admin_form(client, url, form_id="visit_form")


def test_a_page_opened_before_another_save_is_shown_again_with_that_save_and_can_then_be_saved(
        client, db, django_capture_on_commit_callbacks):
    user, obj, url, page_of_a = page_opened_by_clinic_staff(client)
    with django_capture_on_commit_callbacks(execute=True):  # a colleague, from a page opened since
        client.post(url, {**admin_form(client, url, form_id="visit_form"), "discharged_on": "2025-03-06"})
    assert len(messages_of(user)) == 2  # their change: notice + SMS

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**page_of_a, "diagnosis_name": "Viêm họng cấp"})
    assert response.status_code == 200  # the page again, with what was typed, and what the colleague saved
    html = response.content.decode()
    assert SHOWN_AGAIN in html and 'value="Viêm họng cấp"' in html
    assert '<a href="#id_discharged_on">Ngày ra: 06/03/2025</a>' in html
    assert 'href="#id_diagnosis_name"' not in html and 'href="#lines-group"' not in html
    obj.refresh_from_db()
    assert (obj.discharged_on, obj.revision) == (datetime.date(2025, 3, 6), 2)
    assert obj.diagnosis_name.startswith("Nhiễm trùng") and VisitEvent.objects.filter(visit=obj).count() == 1
    assert len(messages_of(user)) == 2

    with pytest.raises(ValidationError) as error:  # the service refuses it too, whoever calls it
        visit_save(visit=obj, lines=list(obj.lines.all()), seen_version=1)
    assert error.value.messages == [STALE]

    with django_capture_on_commit_callbacks(execute=True):  # saved again, knowing the colleague's date
        response = client.post(url, shown_form(response, form_id="visit_form"))
    assert response.status_code == 302
    obj.refresh_from_db()
    assert (obj.discharged_on, obj.diagnosis_name, obj.revision) == (datetime.date(2025, 3, 4), "Viêm họng cấp", 3)
    assert obj.lines.count() == 4 and len(messages_of(user)) == 4


def test_a_stale_page_with_a_line_id_that_is_a_superscript_digit_is_refused_not_a_server_error(
        client, db, django_capture_on_commit_callbacks):
    """"²" is a digit to str.isdigit() but not to int(): putting the stale page's lines in step raised."""
    user, obj, url, page_of_a = page_opened_by_clinic_staff(client)
    with django_capture_on_commit_callbacks(execute=True):  # a colleague, from a page opened since
        client.post(url, {**admin_form(client, url, form_id="visit_form"), "discharged_on": "2025-03-06"})
    response = client.post(url, {**page_of_a, "lines-0-id": "²"})
    assert response.status_code == 200
    obj.refresh_from_db()
    assert (obj.discharged_on, obj.revision, obj.lines.count()) == (datetime.date(2025, 3, 6), 2, 4)


def test_the_edit_conflict_page_puts_back_what_was_typed_without_a_nul_or_another_control_character(
        client, db, django_capture_on_commit_callbacks):
    """The page shown again after another's save keeps what the officer typed, in the visit's boxes
    and in its cost lines' (vssid_portal.forms.echo.EchoedBoundField), without the NUL, the control
    characters and the DEL typed with it: not showing them again, nor saving them with the page."""
    from tests.vssid_portal.test_echoed_text import box_value, control_characters

    user, obj, url, page_of_a = page_opened_by_clinic_staff(client)
    with django_capture_on_commit_callbacks(execute=True):  # a colleague, from a page opened since
        client.post(url, {**admin_form(client, url, form_id="visit_form"), "discharged_on": "2025-03-06"})
    response = client.post(url, {**page_of_a, "diagnosis_name": "Viêm\x00 họng\x01 cấp\x7f",
                                 "lines-3-description": "Vitamin\x00 C\x1b 500 mg"})
    html = response.content.decode()
    assert response.status_code == 200 and SHOWN_AGAIN in html
    assert control_characters(html) == []
    assert box_value(html, "diagnosis_name") == "Viêm họng cấp"
    assert box_value(html, "lines-3-description") == "Vitamin C 500 mg"
    obj.refresh_from_db()
    assert (obj.diagnosis_name.startswith("Nhiễm trùng"), obj.revision) == (True, 2)  # nothing of it saved


def test_clinic_staff_read_the_patient_and_the_audit_actor_as_text_not_links_to_refused_pages(
        client, db, django_capture_on_commit_callbacks):
    user, obj, url, page = page_opened_by_clinic_staff(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**page, "discharged_on": "2025-03-06"})
    staff = User.objects.get(username="nhanvien79001")
    person_url = f"/quan-tri/accounts/person/{user.person.pk}/change/"
    actor_url = f"/quan-tri/accounts/user/{staff.pk}/change/"
    assert client.get(person_url).status_code in (403, 404) and client.get(actor_url).status_code == 403
    html = client.get(url).content.decode()
    assert person_url not in html and actor_url not in html
    assert "Nguyễn Văn Đức" in html and "nhanvien79001" in html


def test_cost_lines_saved_by_another_are_shown_before_the_page_saves_its_own(
        client, db, django_capture_on_commit_callbacks):
    user, obj, url, page_of_a = page_opened_by_clinic_staff(client)
    with django_capture_on_commit_callbacks(execute=True):  # a colleague renames a line: the totals stay
        client.post(url, {**admin_form(client, url, form_id="visit_form"), "lines-0-description": "Khám chuyên khoa"})
    assert obj.lines.filter(description="Khám chuyên khoa").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**page_of_a, "lines-3-quantity": "20", "lines-3-amount": "20000",
                                     "total_cost": "", "bhyt_paid": "", "patient_paid": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert SHOWN_AGAIN in html
    assert ('<a href="#lines-group">Các dòng chi phí: Khám bệnh – Khám chuyên khoa: 1 lần × 42.100 đ = 42.100 đ, '
            'BHYT 33.680 đ; ') in html
    assert 'href="#id_total_cost"' not in html
    shown_again = shown_form(response, form_id="visit_form")
    assert (shown_again["lines-0-description"], shown_again["lines-3-quantity"]) == ("Khám bệnh", "20")

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, shown_again).status_code == 302
    obj.refresh_from_db()
    assert sorted(obj.lines.values_list("description", "amount")) == [
        ("Khám bệnh", 42_100), ("Paracetamol 500 mg", 5_000), ("Tổng phân tích tế bào máu", 46_200),
        ("Vitamin C 500 mg", 20_000)]
    assert (obj.total_cost, obj.revision) == (113_300, 3) and len(messages_of(user)) == 4


ORESOL = {"lines-4-category": "thuoc", "lines-4-description": "Oresol", "lines-4-unit": "gói", "lines-4-quantity": "2",
          "lines-4-unit_price": "3000", "lines-4-amount": "6000", "lines-4-bhyt_amount": "4800"}
NO_TOTALS = {"total_cost": "", "bhyt_paid": "", "patient_paid": ""}
INVALID_CHOICE = "Hãy chọn một lựa chọn hợp lệ"


def test_a_cost_line_deleted_by_another_save_is_said_so_and_left_out_and_one_added_is_put_on_the_page(
        client, db, django_capture_on_commit_callbacks):
    user, obj, url, page_of_a = page_opened_by_clinic_staff(client)
    with django_capture_on_commit_callbacks(execute=True):  # a colleague deletes the vitamin C and adds oral salts
        response = client.post(url, {**admin_form(client, url, form_id="visit_form"), **NO_TOTALS, **ORESOL,
                                      "lines-3-DELETE": "on"})
    assert response.status_code == 302
    oresol = obj.lines.get(description="Oresol")

    with django_capture_on_commit_callbacks(execute=True):  # the page opened before, lines untouched
        response = client.post(url, {**page_of_a, **NO_TOTALS, "diagnosis_name": "Viêm họng cấp"})
    assert response.status_code == 200
    html = response.content.decode()
    assert SHOWN_AGAIN in html and INVALID_CHOICE not in html
    assert ('<a href="#lines-group">Đã xóa dòng chi phí: Thuốc – Vitamin C 500 mg: 10 viên × 1.000 đ = 10.000 đ, '
            'BHYT 0 đ</a>') in html
    assert ('<a href="#lines-3">Đã thêm dòng chi phí (đã đưa vào trang): Thuốc – Oresol: 2 gói × 3.000 đ = 6.000 đ, '
            'BHYT 4.800 đ</a>') in html
    shown_again = shown_form(response, form_id="visit_form")
    assert (shown_again["lines-INITIAL_FORMS"], shown_again["lines-3-id"], shown_again["lines-3-quantity"]) == (
        "4", str(oresol.pk), "2.00")
    assert "Vitamin C 500 mg" not in [value for key, value in shown_again.items() if key.endswith("-description")]

    with django_capture_on_commit_callbacks(execute=True):  # saved again: nothing to tick, the colleague's line kept
        response = client.post(url, shown_again)
    assert response.status_code == 302, response.content.decode()
    obj.refresh_from_db()
    assert sorted(obj.lines.values_list("description", flat=True)) == [
        "Khám bệnh", "Oresol", "Paracetamol 500 mg", "Tổng phân tích tế bào máu"]
    assert (obj.diagnosis_name, obj.total_cost, obj.revision) == ("Viêm họng cấp", 99_300, 3)
    assert len(messages_of(user)) == 4


def test_a_cost_line_deleted_by_another_save_that_the_page_changed_is_kept_as_a_new_line(
        client, db, django_capture_on_commit_callbacks):
    user, obj, url, page_of_a = page_opened_by_clinic_staff(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**admin_form(client, url, form_id="visit_form"), **NO_TOTALS, "lines-3-DELETE": "on"})
    assert obj.lines.count() == 3

    with django_capture_on_commit_callbacks(execute=True):  # twenty tablets typed on the page opened before
        response = client.post(url, {**page_of_a, **NO_TOTALS, "lines-3-quantity": "20", "lines-3-amount": "20000"})
    assert response.status_code == 200
    html = response.content.decode()
    assert INVALID_CHOICE not in html
    assert ('<a href="#lines-3">Đã xóa dòng chi phí (bạn đã sửa dòng này trên trang nên dòng được giữ lại như một '
            'dòng mới): Thuốc – Vitamin C 500 mg: 10 viên × 1.000 đ = 10.000 đ, BHYT 0 đ</a>') in html
    shown_again = shown_form(response, form_id="visit_form")
    assert (shown_again["lines-INITIAL_FORMS"], shown_again["lines-3-id"], shown_again["lines-3-description"],
            shown_again["lines-3-quantity"]) == ("3", "", "Vitamin C 500 mg", "20")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, shown_again)
    assert response.status_code == 302, response.content.decode()
    obj.refresh_from_db()
    assert sorted(obj.lines.values_list("description", "amount")) == [
        ("Khám bệnh", 42_100), ("Paracetamol 500 mg", 5_000), ("Tổng phân tích tế bào máu", 46_200),
        ("Vitamin C 500 mg", 20_000)]
    assert (obj.total_cost, obj.revision) == (113_300, 3)


def test_the_change_page_reads_the_cost_lines_once_more_to_carry_them_as_shown(
        client, db, django_assert_num_queries):
    obj = visit(citizen().person, revision=1)
    url = f"{ADMIN}{obj.pk}/change/"
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    client.get(url)
    # the visit, its lines, its history; the lines as the page shows them; whose records are the login's own
    # or their child's (accounts.admin_own_records)
    with django_assert_num_queries(3 + 1 + 1):
        assert client.get(url).status_code == 200


NOT_FOUND = ("Không tìm thấy người tham gia có mã số BHXH và họ tên này trong phạm vi của bạn. Kiểm tra lại mã số BHXH "
             "và họ tên trên thẻ BHYT.")


def test_a_bhyt_share_above_the_total_without_cost_lines_is_a_form_error(client, db):
    """The patient's share, left empty, is total − BHYT: above the total it would be negative. The
    form says so; it used to pass the form and fail in the save (a server error)."""
    citizen()
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    data = add_data("7901234567", "79001", total_cost="100000", bhyt_paid="200000", patient_paid="",
                    **{"lines-TOTAL_FORMS": "0"})
    response = client.post(ADMIN + "add/", data)
    assert response.status_code == 200
    assert "Phần BHYT chi trả không được lớn hơn tổng chi phí." in response.content.decode()
    assert not Visit.objects.exists() and not Message.objects.exists()
    # Within the total, the patient pays the rest.
    response = client.post(ADMIN + "add/", {**data, "bhyt_paid": "80000"})
    assert response.status_code == 302
    assert Visit.objects.values_list("total_cost", "bhyt_paid", "patient_paid").get() == (100_000, 80_000, 20_000)


def test_a_visit_dated_after_today_is_refused_by_the_service_and_the_form(client, db):
    from django.utils import timezone

    from vssid_portal.templatetags.vn_format import vn_date

    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    user = citizen()
    future = visit(user.person, admitted=tomorrow, save=False)
    with pytest.raises(ValidationError) as raised:
        visit_save(visit=future, lines=standard_lines())
    assert raised.value.message_dict["admitted_on"] == [
        f"Ngày vào không được sau ngày hôm nay ({vn_date(today)}): chỉ nhập lượt khám đã diễn ra."]
    assert raised.value.message_dict["discharged_on"] == [
        f"Ngày ra không được sau ngày hôm nay ({vn_date(today)}): chỉ nhập lượt khám đã diễn ra."]
    assert not Visit.objects.exists()
    assert visit_save(visit=visit(user.person, admitted=today, save=False), lines=standard_lines())  # today is fine

    client.force_login(clinic_staff("nhanvien79001", "79001"))
    data = add_data("7901234567", "79001", admitted_on=str(today), discharged_on="2030-11-20")
    response = client.post(ADMIN + "add/", data)
    assert response.status_code == 200
    assert "Ngày ra không được sau ngày hôm nay" in response.content.decode()
    assert Visit.objects.count() == 1 and not Visit.objects.filter(reference="079-LK-0001").exists()


def test_a_visit_dated_before_the_patients_birth_is_refused_by_the_service_and_the_form(client, db):
    """Nguyễn Văn Đức was born on 15/03/1988: a visit of 1950 typed for him was saved and told to him."""
    user = citizen()
    with pytest.raises(ValidationError) as raised:
        visit_save(visit=visit(user.person, admitted=datetime.date(1950, 1, 1), save=False), lines=standard_lines())
    assert raised.value.message_dict["admitted_on"] == [
        "Ngày vào không thể trước ngày sinh của người bệnh (15/03/1988)."]
    assert not Visit.objects.exists()

    client.force_login(officer("canbo07901", "07901", DISTRICT))  # clinic staff are not told the date
    data = add_data("7901234567", "79001", admitted_on="1950-01-01", discharged_on="1950-01-02")
    response = client.post(ADMIN + "add/", data)
    assert response.status_code == 200
    assert "Ngày vào không thể trước ngày sinh của người bệnh (15/03/1988)." in response.content.decode()
    assert not Visit.objects.exists() and not Message.objects.exists()
    data.update(admitted_on="1988-03-15", discharged_on="1988-03-20")  # the day of birth itself
    assert client.post(ADMIN + "add/", data).status_code == 302


def test_the_visit_list_shows_the_total_cost_in_dong(client, visits):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    html = client.get(ADMIN).content.decode()
    assert "103.300 đ" in html and ">103300<" not in html


def test_check_totals_names_the_field_of_a_share_above_the_total_or_below_zero(db):
    from health_card.services import check_totals

    with pytest.raises(ValidationError) as raised:
        check_totals(Visit(total_cost=100, bhyt_paid=200, patient_paid=-100), [])
    assert raised.value.message_dict == {"bhyt_paid": ["Phần BHYT chi trả không được lớn hơn tổng chi phí."]}
    with pytest.raises(ValidationError) as raised:
        check_totals(Visit(total_cost=-100, bhyt_paid=-200, patient_paid=100), [])
    negative = ["Số tiền không được âm."]
    assert raised.value.message_dict == {"total_cost": negative, "bhyt_paid": negative}
    check_totals(Visit(total_cost=100, bhyt_paid=100, patient_paid=0), [])


def test_district_officer_enters_visits_only_for_their_people(client, db):
    citizen(agency="07901")
    citizen("7901000002", "Lê Văn Hùng", agency="07903", id_number="079088012346")
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert client.post(ADMIN + "add/", add_data("7901234567", "01001")).status_code == 302
    response = client.post(ADMIN + "add/", add_data("7901000002", "79001", reference="X-2"))
    assert NOT_FOUND in response.content.decode()
    assert list(Visit.objects.values_list("reference", flat=True)) == ["079-LK-0001"]


def test_the_visit_form_does_not_tell_a_person_outside_the_scope_from_an_unknown_code(client, db):
    """A code of someone another agency manages gets the very answer of a code nobody has: the form
    is no way to learn who is in the registry."""
    citizen("7903000009", "Người Ngoài Phạm Vi", agency="07903", id_number="079088012399")
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    errors = {}
    for code in ("7903000009", "7903000008"):  # someone else's; nobody's
        response = client.post(ADMIN + "add/", add_data(code, "79001"))
        assert response.status_code == 200
        errors[code] = response.context["adminform"].form.errors
        assert "Lượt khám ngoài phạm vi" not in response.content.decode()
    assert errors["7903000009"] == errors["7903000008"] == {"bhxh_code": [NOT_FOUND]}
    assert not Visit.objects.exists()


def test_a_date_before_birth_does_not_tell_an_officer_whether_a_code_outside_the_scope_exists(client, db):
    """The person of another agency was born on 15/03/1988: an admission on 01/01/1900 used to add
    "Ngày vào không thể trước ngày sinh của người bệnh (15/03/1988)" to the not-found answer, which a
    code nobody has did not get, telling the code exists and its holder's birth date."""
    citizen("7903000009", "Người Ngoài Phạm Vi", agency="07903", id_number="079088012399")
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    errors = {}
    for code in ("7903000009", "7903000008"):  # someone else's; nobody's
        response = client.post(ADMIN + "add/", add_data(code, "79001", admitted_on="1900-01-01",
                                                        discharged_on="1900-01-02"))
        assert response.status_code == 200
        errors[code] = response.context["adminform"].form.errors
        assert "15/03/1988" not in response.content.decode()
    assert errors["7903000009"] == errors["7903000008"] == {"bhxh_code": [NOT_FOUND]}
    assert not Visit.objects.exists()


def test_a_date_before_birth_with_no_facility_does_not_give_the_birth_date_of_a_person_outside_the_scope(client, db):
    """With "cơ sở KCB" left blank, the person of another agency (born on 15/03/1988) was checked as
    if in scope: an admission on 01/01/1900 answered "... trước ngày sinh của người bệnh (15/03/1988)"."""
    citizen("7903000009", "Người Ngoài Phạm Vi", agency="07903", id_number="079088012399")
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    response = client.post(ADMIN + "add/", add_data("7903000009", "79001", facility="", admitted_on="1900-01-01",
                                                    discharged_on="1900-01-02"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "15/03/1988" not in response.content.decode() and "admitted_on" not in errors
    assert "facility" in errors
    assert not Visit.objects.exists()


def form_state(response, code):
    """What the add page tells of a code: the form's errors and the page as shown, the code typed and
    the CSRF token (new each time) left out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode()).replace(code, "CODE")
    return response.context["adminform"].form.errors, html


@pytest.mark.parametrize("dates", [{}, {"admitted_on": "1900-01-01", "discharged_on": "1900-01-02"}])
def test_with_no_facility_the_visit_form_does_not_tell_a_person_outside_the_scope_from_an_unknown_code(
        client, db, dates):
    """With "cơ sở KCB" left blank, a code nobody has was answered "Không tìm thấy …" and the code of a
    person another agency manages was not, telling the officer the code is in the registry."""
    citizen("7903000009", "Người Ngoài Phạm Vi", agency="07903", id_number="079088012399")
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    states = {}
    for code in ("7903000009", "7903000008"):  # someone else's; nobody's, typed with the same name
        response = client.post(ADMIN + "add/", add_data(code, "79001", facility="", patient_name="Người Ngoài Phạm Vi",
                                                        **dates))
        assert response.status_code == 200
        states[code] = form_state(response, code)
    assert states["7903000009"] == states["7903000008"]
    errors = states["7903000009"][0]
    assert errors["bhxh_code"] == [NOT_FOUND] and set(errors) == {"bhxh_code", "facility"}
    # A person the officer manages is found, the facility still asked for.
    citizen()
    response = client.post(ADMIN + "add/", add_data("7901234567", "79001", facility="", **dates))
    assert "bhxh_code" not in response.context["adminform"].form.errors
    assert not Visit.objects.exists()


def test_with_no_facility_clinic_staff_are_told_only_that_the_facility_is_missing(client, db):
    """Clinic staff enter visits of any code at their own facility, the only one they may choose."""
    citizen("7903000009", "Người Ngoài Phạm Vi", agency="07903", id_number="079088012399")
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    response = client.post(ADMIN + "add/", add_data("7903000009", "79001", facility=""))
    assert set(response.context["adminform"].form.errors) == {"facility"}
    response = client.post(ADMIN + "add/", add_data("7903000008", "79001", facility=""))
    assert response.context["adminform"].form.errors["bhxh_code"] == [NOT_FOUND]


def test_clinic_staff_are_not_told_a_patients_birth_date_by_a_date_before_it(client, db):
    """Clinic staff may enter a visit of any code at their facility: the refusal of an admission before
    the patient's birth does not give the birth date, which would be a way round the verify page's limits."""
    citizen()
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    response = client.post(ADMIN + "add/", add_data("7901234567", "79001", admitted_on="1900-01-01",
                                                    discharged_on="1900-01-02"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày vào không thể trước năm sinh của người bệnh." in html and "15/03/1988" not in html
    assert not Visit.objects.exists()


def test_clinic_staff_cannot_find_a_patients_birth_date_by_halving_the_admission_date(client, db):
    """Nguyễn Văn Đức was born on 15/03/1988: clinic staff got a refusal for 01/03/1988 and none for
    20/03/1988, so about fifteen posts halving the date gave the day. Only the year is compared for them."""
    user = citizen()
    staff = clinic_staff("nhanvien79001", "79001")
    client.force_login(staff)
    response = client.post(ADMIN + "add/", add_data("7901234567", "79001", admitted_on="1987-12-31",
                                                    discharged_on="1988-01-02"))
    assert response.context["adminform"].form.errors["admitted_on"] == [
        "Ngày vào không thể trước năm sinh của người bệnh."]
    response = client.post(ADMIN + "add/", add_data("7901234567", "79001", admitted_on="1988-03-01",
                                                    discharged_on="1988-03-02"))
    assert response.status_code == 302
    assert visit_save(visit=visit(user.person, admitted=datetime.date(1988, 1, 1), reference="X-2", save=False),
                      lines=standard_lines(), actor=staff)
    assert Visit.objects.count() == 2


# --- Demo data ---------------------------------------------------------------------------------

def test_seed_demo_gives_the_demo_citizen_several_visits_and_is_idempotent(db):
    call_command("seed_demo", persons=12, seed=2026, verbosity=0)
    person = Person.objects.get(bhxh_code="7901234567")
    visits = list(visits_for(person=person))
    assert len(visits) == 6
    assert {v.kind for v in visits} == {"ngoai_tru", "noi_tru"}
    assert len({v.admitted_on.year for v in visits}) >= 3
    for v in visits:
        v.full_clean()
        lines = list(v.lines.all())
        assert lines and sum(x.amount for x in lines) == v.total_cost
        assert sum(x.bhyt_amount for x in lines) == v.bhyt_paid
    assert {"K35.8", "A91", "J06.9"} <= {v.diagnosis_code for v in visits}
    snapshot = sorted(Visit.objects.values_list("reference", "diagnosis_code", "total_cost"))
    call_command("seed_demo", persons=12, seed=2026, verbosity=0)
    assert sorted(Visit.objects.values_list("reference", "diagnosis_code", "total_cost")) == snapshot
    assert not Message.objects.filter(template__startswith="visit_").exists()


@pytest.mark.parametrize(("group", "share"), [("HT", Decimal("0.95")), ("DN", Decimal("0.8")), (None, Decimal("0.8"))])
def test_a_demo_visit_is_paid_at_the_benefit_level_of_the_persons_card(db, group, share):
    """A demo pensioner's visits are paid at 95 %, as the HT card's page says (Mức 3 – 95 %), not
    the 80 % of most cards; a person without a card at 80 %. A low-cost visit is paid in full."""
    from health_card import demo_visits
    from vssid_portal.money import base_salary_on, round_vnd

    from .card_fixtures import issue

    person = make_person("7901234567", birth=datetime.date(1960, 5, 1))  # the demo citizen: six visits
    if group:
        issue(person, MedicalFacility.objects.filter(province__code="79", bhyt_contract=True).order_by("code").first(),
              group=group)
    demo_visits.seed(persons=[person], seed=2026)
    visits = list(Visit.objects.filter(person=person).prefetch_related("lines"))
    assert len(visits) == 6
    paid_at_the_level = 0
    for visit in visits:
        covered = [line for line in visit.lines.all() if line.bhyt_amount]
        full = sum(line.amount for line in covered) < base_salary_on(visit.admitted_on) * 15 // 100
        for line in covered:
            assert line.bhyt_amount == round_vnd(line.amount * (Decimal(1) if full else share)), (visit.diagnosis_code, line)
        paid_at_the_level += not full
    assert paid_at_the_level >= 3


@pytest.mark.parametrize("field", ["id", "visit"])
def test_a_line_of_another_visit_posted_on_a_visits_page_is_refused_and_left_alone(
        client, db, django_capture_on_commit_callbacks, field):
    """A tampered row naming another visit's cost line (its id, or its visit) is refused in Vietnamese:
    neither visit's lines change, and the page's own line in that row is not dropped."""
    user, obj, url, page = page_opened_by_clinic_staff(client)
    other = visit(citizen("7901000009", "Lê Thị Hoa", id_number="079188099999", sex=2).person, reference="KHAC")
    theirs = other.lines.order_by("pk").first()
    lines_of = lambda v: list(v.lines.order_by("pk").values_list("pk", "description", "quantity", "amount"))  # noqa: E731
    before, their_before = lines_of(obj), lines_of(other)
    tampered = {**page, **NO_TOTALS, "lines-0-description": "Dòng sửa trộm",
                "lines-0-id" if field == "id" else "lines-0-visit": str(theirs.pk if field == "id" else other.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, tampered)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist nonfield"><li>Dòng chi phí không thuộc lượt khám này. Hãy tải lại trang' in html
    assert lines_of(obj) == before and lines_of(other) == their_before
    obj.refresh_from_db()
    assert obj.revision == 1 and len(messages_of(user)) == 0


def test_a_visits_errors_are_said_in_the_admins_language(db):
    """An English admin read a visit's errors in Vietnamese: a malformed ICD-10 code, a line's amount
    that is not its quantity × its unit price, and an amount with digits too many are sentences of the
    catalogue, the amounts written 1.234.567 as before."""
    obj = visit(citizen().person, diagnosis_code="J6.9", total_cost=10**12, save=False)
    wanted = {
        "vi": {"diagnosis_code": "Mã ICD-10 gồm một chữ cái, hai chữ số và có thể thêm dấu chấm với 1–2 ký tự, "
                                 "ví dụ J06.9, K35.8, A09.",
               "total_cost": "Tổng chi phí không được lớn hơn 100.000.000.000 đ: kiểm tra lại số chữ số đã nhập.",
               "amount": "Thành tiền phải bằng số lượng × đơn giá (42.100 đồng)."},
        "en": {"diagnosis_code": "An ICD-10 code is one letter and two digits, possibly followed by a dot and 1–2 "
                                 "characters, for example J06.9, K35.8, A09.",
               "total_cost": "Total cost cannot be more than 100,000,000,000 VND: check the digits typed.",
               "amount": "The amount must equal the quantity × the unit price (42,100 VND)."},
    }
    for language, messages in wanted.items():
        with translation.override(language):
            with pytest.raises(ValidationError) as error:
                obj.full_clean()
            said = error.value.message_dict
            with pytest.raises(ValidationError) as error:
                line(amount=1).full_clean(exclude=["visit"])
            said["amount"] = error.value.message_dict["amount"]
            assert {field: said.get(field) for field in messages} == {
                field: [message] for field, message in messages.items()}


@pytest.mark.parametrize(("language", "said"), [
    ("vi", NOT_FOUND),
    ("en", "No participant with this social insurance code and full name was found within your remit. Check the "
           "code and the name on the health insurance card."),
])
def test_a_code_not_found_is_said_in_the_admins_language(client, db, settings, language, said):
    """An English admin (LANGUAGE_CODE) read in Vietnamese that the code typed was not found."""
    settings.LANGUAGE_CODE = language
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    response = client.post(ADMIN + "add/", add_data("7903000008", "79001"))
    assert response.context["adminform"].form.errors == {"bhxh_code": [said]}


def test_the_visit_form_asks_the_patients_name_and_a_wrong_one_is_answered_as_a_code_nobody_has(client, db):
    """A code alone named its holder: saved, the visit's page and the list showed "code – full name". A
    name that is not the holder's gets the very answer of a code nobody has, and names nobody."""
    user = citizen()
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    form = client.get(ADMIN + "add/").content.decode()
    assert 'name="patient_name"' in form and "Họ và tên người bệnh" in form
    states = {}
    for code, name in (("7901234567", "Trần Văn Nam"), ("7901234568", "Trần Văn Nam")):  # someone's; nobody's
        response = client.post(ADMIN + "add/", add_data(code, "79001", patient_name=name))
        assert response.status_code == 200 and "Nguyễn Văn Đức" not in response.content.decode()
        states[code] = form_state(response, code)
    assert states["7901234567"] == states["7901234568"]
    assert states["7901234567"][0] == {"bhxh_code": [NOT_FOUND]}
    response = client.post(ADMIN + "add/", add_data("7901234567", "79001", patient_name=""))
    assert response.context["adminform"].form.errors == {"patient_name": ["Trường này là bắt buộc."]}
    assert not Visit.objects.exists() and not Message.objects.exists()
    # The name as the card checks compare it: in capitals, without diacritics, spaces aside.
    response = client.post(ADMIN + "add/", add_data("7901234567", "79001", patient_name="  NGUYEN  VAN DUC "))
    assert response.status_code == 302
    assert Visit.objects.get().person == user.person


def test_wrong_patient_names_are_counted_against_the_verify_pages_limit_of_the_login(client, db, monkeypatch):
    """The visit form and the verify page answer the same question (whose is this code?): a login's
    wrong names on either count against one limit, and past it the form checks nothing, with 429."""
    from health_card import mismatches
    from health_card.views import verify

    monkeypatch.setattr(mismatches, "CLINIC_MISMATCHES", "2/h")
    monkeypatch.setattr(verify, "CLINIC_MISMATCHES", "2/h")
    citizen()
    client.force_login(clinic_staff("nhanvien79001", "79001"))
    for number in range(3):  # a right name is not counted
        assert client.post(ADMIN + "add/", add_data("7901234567", "79001", reference=f"R-{number}")).status_code == 302
    for code in ("7901234567", "7901234568"):  # a wrong name, a code nobody has
        response = client.post(ADMIN + "add/", add_data(code, "79001", patient_name="Trần Văn Nam", reference="X"))
        assert response.context["adminform"].form.errors == {"bhxh_code": [NOT_FOUND]}
    refused = client.post(ADMIN + "add/", add_data("7901234567", "79001", reference="X"))  # even the right name
    page = re.sub(r"\s+", " ", refused.content.decode())
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 3600
    assert "quá nhiều lần xác thực sai họ tên hoặc ngày sinh trong một giờ" in page and NOT_FOUND not in page
    assert not Visit.objects.filter(reference="X").exists()
    typed = {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15/03/1988"}
    assert client.post("/xac-thuc/the-bhyt/", typed).status_code == 429  # the verify page's limit is the same


def test_a_patients_check_that_fails_gives_its_slot_of_a_wrong_name_back(db, monkeypatch):
    """The registry read after the slot of a wrong name was taken: its error (the database's) kept the
    slot, and the login's next right name was refused."""
    from django.db import DatabaseError

    from health_card import mismatches
    from health_card.mismatches import MismatchesUsedUp
    from health_card.services import visit_patient_find, visits

    monkeypatch.setattr(mismatches, "CLINIC_MISMATCHES", "1/h")
    person = citizen().person
    staff = clinic_staff("nhanvien79001", "79001")

    def registry_gone(*_args, **_kwargs):
        raise DatabaseError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(visits, "is_persons_name", registry_gone)
        with pytest.raises(DatabaseError):
            visit_patient_find(user=staff, bhxh_code=person.bhxh_code, full_name=person.full_name,
                               facility=staff.facility)
    assert visit_patient_find(user=staff, bhxh_code=person.bhxh_code, full_name=person.full_name,
                               facility=staff.facility) == person
    assert visit_patient_find(user=staff, bhxh_code=person.bhxh_code, full_name="Trần Văn Nam",
                              facility=staff.facility) is None
    with pytest.raises(MismatchesUsedUp):
        visit_patient_find(user=staff, bhxh_code=person.bhxh_code, full_name=person.full_name,
                           facility=staff.facility)


def test_a_busy_count_of_wrong_names_is_answered_on_the_visit_form_as_a_check_not_made(client, db, monkeypatch):
    """allauth's lock of the login's count of wrong names, held past its second, was answered 429 "quá nhiều
    lần xác thực sai …" to a login that had typed no wrong name."""
    from django.core.cache import cache

    from health_card import mismatches
    from tests.health_card.test_verify_limits import holding_the_limiters_lock
    from vssid_portal.cache import UNAVAILABLE_RETRY_AFTER

    monkeypatch.setattr(mismatches, "CLINIC_MISMATCHES", "5/h")
    citizen()
    staff = clinic_staff("nhanvien79001", "79001")
    client.force_login(staff)
    lock = holding_the_limiters_lock(mismatches.clinic_caller(staff), "5/h", monkeypatch)
    busy = client.post(ADMIN + "add/", add_data("7901234567", "79001"))
    page = re.sub(r"\s+", " ", busy.content.decode())
    assert busy.status_code == 503 and busy["Retry-After"] == str(UNAVAILABLE_RETRY_AFTER)
    assert ("Chưa kiểm tra được mã số BHXH và họ tên người bệnh lúc này. Hãy thử lại sau vài phút." in page
            and "quá nhiều lần xác thực sai" not in page)
    assert not Visit.objects.exists()
    cache.delete(lock)
    assert client.post(ADMIN + "add/", add_data("7901234567", "79001")).status_code == 302


def test_the_right_name_of_a_person_outside_the_scope_is_counted_as_a_wrong_one(client, db, monkeypatch):
    """The form gave the slot of a wrong name back whenever code and name matched, and only later told a
    person outside the scope as a code nobody has: the right name was never refused and a wrong one was,
    so that the counter told the officer whose the code was."""
    from health_card import mismatches

    monkeypatch.setattr(mismatches, "CLINIC_MISMATCHES", "1/h")
    citizen()
    citizen("7903000009", "Người Ngoài Phạm Vi", agency="07903", id_number="079088012399")
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    for number in range(3):  # the right name of a person the officer manages is not counted
        assert client.post(ADMIN + "add/", add_data("7901234567", "79001", reference=f"R-{number}")).status_code == 302
    answers = [client.post(ADMIN + "add/", add_data("7903000009", "79001", reference="X")) for _ in range(3)]
    assert answers[0].status_code == 200
    assert answers[0].context["adminform"].form.errors == {"bhxh_code": [NOT_FOUND]}
    assert [answer.status_code for answer in answers[1:]] == [429, 429]  # as after one wrong name
    assert not Visit.objects.filter(reference="X").exists()
