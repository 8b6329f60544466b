"""The citizen's pages: records grouped by type, the one-time timeline, the detail page, 404 for
anybody else's record, a parent switched to a child, constant query counts, the estimator."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Person
from benefits.models import BenefitRecord
from lookup.models import Agency, Province
from tests.html_language import languages_of

from .helpers import child_of, childs_dates, citizen, decided, record

pytestmark = pytest.mark.usefixtures("reference_data")
Kind, Status = BenefitRecord.Kind, BenefitRecord.Status
INDEX = "/thong-tin-huong/"


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main"):html.index("</main>")]))


@pytest.fixture
def user(db, reference_data):
    return citizen()


def test_records_are_grouped_by_type_in_a_fixed_order(client, user):
    person = user.person
    record(person, Kind.SICKNESS, reference="OD-1")
    record(person, Kind.ONE_TIME, reference="BH-1")
    record(person, Kind.SICKNESS, reference="OD-2", received_on=datetime.date(2025, 10, 1), expected_on=None)
    record(person, Kind.UNEMPLOYMENT, reference="TN-1", allowance_months=6,
           **decided(amount=None, monthly_amount=4_500_000))
    client.force_login(user)
    html = client.get(INDEX).content.decode()
    headings = re.findall(r'<h2 id="nhom-[^"]+">([^<]+)<', html)
    assert [h.strip() for h in headings] == ["BHXH một lần", "Ốm đau", "Trợ cấp thất nghiệp"]
    sickness = html[html.index('id="nhom-om_dau"'):html.index('id="nhom-that_nghiep"')]
    assert sickness.index("OD-2") < sickness.index("OD-1")  # newest first within a type
    assert "(2 hồ sơ)" in sickness
    assert "4.500.000 đ/tháng" in html
    assert f'href="{reverse("benefits:detail", args=[BenefitRecord.objects.get(reference="OD-1").pk])}"' in html
    assert reverse("benefits:estimate") in html


def test_one_time_record_shows_the_vssid_timeline(client, user):
    promised = timezone.localdate() + datetime.timedelta(days=3)
    record(user.person, Kind.ONE_TIME, reference="BH-1", status=Status.PROCESSING,
           received_on=datetime.date(2025, 9, 1), expected_on=promised)
    record(user.person, Kind.SICKNESS, reference="OD-1")
    client.force_login(user)
    page = text(client.get(INDEX))
    assert ("Tiến trình giải quyết Tiếp nhận hồ sơ (Đã xong) 01/09/2025 BHXH Quận 1 (số hồ sơ BH-1) "
            "Giải quyết hồ sơ (Đang thực hiện) Cơ quan BHXH đang xem xét hồ sơ. "
            f"Kết quả (Chưa đến) Chưa có kết quả. Ngày hẹn trả kết quả (Chưa đến) {promised:%d/%m/%Y} "
            "Chi trả (Chưa đến)") in page
    assert page.count("Tiến trình giải quyết") == 1  # only the one-time record carries it in the list


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.PROCESSING])
def test_a_claim_still_undecided_after_its_promised_day_is_said_to_be_overdue(client, user, status):
    promised = timezone.localdate() - datetime.timedelta(days=1)
    claim = record(user.person, Kind.ONE_TIME, reference="BH-1", status=status,
                   received_on=datetime.date(2025, 9, 1), expected_on=promised)
    client.force_login(user)
    listed = text(client.get(INDEX))
    assert f"Ngày hẹn trả kết quả {promised:%d/%m/%Y} (đã quá hẹn)" in listed
    assert (f"Ngày hẹn trả kết quả (Đã quá hẹn) {promised:%d/%m/%Y} Đã quá ngày hẹn mà chưa có kết quả: "
            "hãy liên hệ cơ quan BHXH giải quyết hồ sơ.") in listed
    detail = text(client.get(reverse("benefits:detail", args=[claim.pk])))
    assert f"Ngày hẹn trả kết quả {promised:%d/%m/%Y} (đã quá hẹn)" in detail and "(Đã quá hẹn)" in detail
    BenefitRecord.objects.filter(pk=claim.pk).update(**decided())  # decided late: no longer overdue
    assert "quá hẹn" not in text(client.get(INDEX))


def test_a_claim_promised_for_today_is_not_overdue_until_the_day_has_passed(client, user):
    """The agency has the whole promised day to give its result: the claim is said to be late only from
    the day after."""
    today = timezone.localdate()
    claim = record(user.person, Kind.ONE_TIME, reference="BH-1", status=Status.PROCESSING,
                   received_on=datetime.date(2025, 9, 1), expected_on=today)
    assert not claim.is_overdue
    client.force_login(user)
    assert "quá hẹn" not in text(client.get(INDEX))
    assert f"Ngày hẹn trả kết quả (Chưa đến) {today:%d/%m/%Y}" in text(client.get(INDEX))


@pytest.mark.parametrize(("fields", "expected"), [
    (decided(), "Kết quả (Đã xong) 10/09/2025 Đã giải quyết theo quyết định số 123/QĐ-BHXH."),
    ({"status": "rejected", "reject_reason": "Chưa đủ 12 tháng nghỉ việc"},
     "Kết quả (Không giải quyết) Không giải quyết: Chưa đủ 12 tháng nghỉ việc"),
    (decided(status="paid", paid_on=datetime.date(2025, 9, 12)),
     "Chi trả (Đã xong) 12/09/2025 Chuyển khoản vào tài khoản cá nhân"),
])
def test_timeline_shows_the_result(client, user, fields, expected):
    record(user.person, Kind.ONE_TIME, **fields)
    client.force_login(user)
    assert expected in text(client.get(INDEX))


@pytest.mark.parametrize(("fields", "handled", "promise"), [
    (decided(), "Giải quyết hồ sơ (Đã xong) 10/09/2025", "Ngày hẹn trả kết quả (Có kết quả đúng hẹn) 15/09/2025"),
    (decided(decision_date=datetime.date(2025, 9, 20)), "Giải quyết hồ sơ (Đã xong) 20/09/2025",
     "Ngày hẹn trả kết quả (Có kết quả sau ngày hẹn) 15/09/2025"),
    (decided(decision_date=datetime.date(2025, 9, 15)), "Giải quyết hồ sơ (Đã xong) 15/09/2025",  # on the day itself
     "Ngày hẹn trả kết quả (Có kết quả đúng hẹn) 15/09/2025"),
    (decided(status="paid", paid_on=datetime.date(2025, 9, 12)), "Giải quyết hồ sơ (Đã xong) 10/09/2025",
     "Ngày hẹn trả kết quả (Có kết quả đúng hẹn) 15/09/2025"),
    ({"status": "rejected", "reject_reason": "Chưa đủ 12 tháng nghỉ việc"}, "Giải quyết hồ sơ (Đã xong) Kết quả",
     "Ngày hẹn trả kết quả (Đã có kết quả) 15/09/2025"),
])
def test_a_settled_claims_timeline_dates_its_handling_and_does_not_call_the_promised_day_done(
        client, user, fields, handled, promise):
    """A promised day is no step done: once the claim is settled it says whether the result came by it
    (as far as the record tells). The handling is done on the day of the decision, shown when recorded,
    and with no date when not."""
    record(user.person, Kind.ONE_TIME, **fields)  # promised for 15/09/2025
    client.force_login(user)
    page = text(client.get(INDEX))
    assert handled in page and promise in page
    assert "Ngày hẹn trả kết quả (Đã xong)" not in page


def test_detail_page_shows_everything_about_the_record(client, user):
    obj = record(user.person, Kind.MATERNITY, reference="TS-9", start_date=datetime.date(2025, 2, 20),
                 **decided(status="paid", amount=38_680_000, paid_on=datetime.date(2025, 9, 12)))
    client.force_login(user)
    page = text(client.get(reverse("benefits:detail", args=[obj.pk])))
    for expected in ("Thai sản: hồ sơ số TS-9", "Người hưởng Nguyễn Văn Đức (7901234567)",
                     "Ngày tiếp nhận hồ sơ 01/09/2025", "Cơ quan BHXH giải quyết BHXH Quận 1",
                     "Trạng thái Đã chi trả", "Số quyết định 123/QĐ-BHXH", "Ngày quyết định 10/09/2025",
                     "Số tiền được hưởng 38.680.000 đ", "Hình thức nhận Chuyển khoản vào tài khoản cá nhân",
                     "Ngày chi trả 12/09/2025", "Hưởng từ ngày 20/02/2025", "Ngày sinh của con 01/03/2025",
                     "Số ngày nghỉ 180 ngày", "Tiến trình giải quyết"):
        assert expected in page, expected


def test_the_rejection_reason_is_marked_vietnamese_on_the_english_pages(client, settings, user):
    """Written by the agency in Vietnamese only: lang="vi" has a screen reader on an English page
    read it with Vietnamese pronunciation (WCAG 3.1.2)."""
    obj = record(user.person, Kind.ONE_TIME, status="rejected", reject_reason="Chưa đủ 12 tháng nghỉ việc")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (INDEX, reverse("benefits:detail", args=[obj.pk])):
        html = client.get(url).content.decode()
        assert languages_of(html, "Chưa đủ 12 tháng nghỉ việc") == ["vi", "vi"], url  # the status, and the timeline
        assert "Rejected: <span lang=\"vi\">Chưa đủ 12 tháng nghỉ việc</span>" in html, url
        assert "Rejected" in html and "Không giải quyết" not in html, url  # the page itself is English


def test_another_persons_record_is_a_404(client, user):
    other = citizen("7901000002", "Lê Văn Hùng", id_number="079088012346")
    theirs = record(other.person, Kind.SICKNESS, reference="KHAC-1")
    client.force_login(user)
    assert client.get(reverse("benefits:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("benefits:detail", args=[theirs.pk + 1000])).status_code == 404
    assert "KHAC-1" not in client.get(INDEX).content.decode()


def test_parent_sees_the_childs_records_only_while_switched(client, user):
    child = child_of(user)
    mine = record(user.person, Kind.SICKNESS, reference="CUA-TOI")
    childs = record(child, Kind.SICKNESS, reference="CUA-CON", **childs_dates(child))
    client.force_login(user)
    html = client.get(INDEX).content.decode()
    assert "CUA-TOI" in html and "CUA-CON" not in html
    assert client.get(reverse("benefits:detail", args=[childs.pk])).status_code == 404

    client.post("/ca-nhan/xem/", {"child": child.pk})
    html = client.get(INDEX).content.decode()
    assert "CUA-CON" in html and "CUA-TOI" not in html
    assert "Đang xem thông tin của <strong>Nguyễn Gia Bảo</strong>" in html
    assert client.get(reverse("benefits:detail", args=[childs.pk])).status_code == 200
    assert client.get(reverse("benefits:detail", args=[mine.pk])).status_code == 404

    client.post("/ca-nhan/xem/", {})
    assert "CUA-TOI" in client.get(INDEX).content.decode()
    assert client.get(reverse("benefits:detail", args=[childs.pk])).status_code == 404


def test_a_login_without_a_person_sees_a_notice_and_no_records(client, db, reference_data):
    from accounts.models import User

    client.force_login(User.objects.create_user("canbo", password="x-Pass-2026!"))
    assert "không gắn với người tham gia BHXH nào" in client.get(INDEX).content.decode()
    assert "không gắn với người tham gia BHXH nào" in client.get(reverse("benefits:estimate")).content.decode()
    assert client.get(reverse("benefits:detail", args=[1])).status_code == 404


@pytest.mark.parametrize("with_child", [True, False], ids=["guardian", "staff"])
def test_a_login_without_a_person_is_not_told_the_records_are_its_own_nor_offered_an_estimate(
        client, db, reference_data, with_child):
    from accounts.models import User

    login = User.objects.create_user("nguoigiamho", password="x-Pass-2026!")
    if with_child:
        child_of(login)
    client.force_login(login)
    response = client.get(INDEX)
    page = text(response)
    assert "không gắn với người tham gia BHXH nào" in page
    assert "của bạn" not in page
    assert reverse("benefits:estimate") not in response.content.decode()
    assert ("Xem thông tin của con" in page) is with_child


def test_the_estimator_of_a_login_without_a_person_speaks_of_no_estimate(client, db, reference_data):
    from accounts.models import User

    client.force_login(User.objects.create_user("canbo", password="x-Pass-2026!"))
    page = text(client.get(reverse("benefits:estimate")))
    assert "không gắn với người tham gia BHXH nào" in page
    assert "Đây là số tiền ước tính" not in page and "Số tiền thực nhận" not in page


def test_a_notice_of_a_record_removed_since_leads_to_a_page_saying_it_is_no_longer_there(client, user):
    from benefits.services import benefit_save
    from notifications.models import Message

    obj = record(user.person, save=False)
    benefit_save(record=obj)
    notice = Message.objects.get(user=user, channel=Message.Channel.INBOX)
    BenefitRecord.objects.filter(pk=obj.pk).delete()  # removed by a superuser
    client.force_login(user)
    response = client.get(notice.link, follow=True)
    assert response.status_code == 404
    assert "Hồ sơ này không có trong thông tin hưởng" in text(response)
    assert f'href="{INDEX}"' in response.content.decode()


def many_records(person, count):
    agencies = list(Agency.objects.filter(code__startswith="079"))
    kinds = [Kind.ONE_TIME, Kind.SICKNESS, Kind.MATERNITY, Kind.ACCIDENT, Kind.PENSION, Kind.UNEMPLOYMENT]
    for index in range(count):
        record(person, kinds[index % len(kinds)], agency=agencies[index % len(agencies)].code,
               status=["received", "processing"][index % 2])


# The user; allauth.usersessions' activity stamp (savepoint, select, user, update, release); the
# person; the records with their agency (one query); the unread-notice badge. None per record.
MAX_QUERIES = 9


@pytest.mark.parametrize("count", [1, 30])
def test_list_and_detail_read_a_constant_number_of_queries(client, user, count, django_assert_max_num_queries):
    many_records(user.person, count)
    client.force_login(user)
    client.get(INDEX)  # warm the session
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(INDEX)
    assert response.content.decode().count('class="card benefit"') == count
    url = reverse("benefits:detail", args=[BenefitRecord.objects.first().pk])
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url).status_code == 200


def monthly_periods(person, count):
    """`count` one-month voluntary periods, one after another from 01/1986 (480 = 40 years)."""
    from participation.models import Period

    province, agency = Province.objects.get(code="79"), Agency.objects.get(code="07901")
    rows = []
    for ordinal in range(1986 * 12, 1986 * 12 + count):
        first = datetime.date(ordinal // 12, ordinal % 12 + 1, 1)
        rows.append(Period(person=person, kind="bhxh_tn", from_month=first, to_month=first, payer="self",
                           base=5_000_000 + ordinal, rate=22, amount=1_100_000, province=province, agency=agency,
                           import_key=f"{person.bhxh_code}|bhxh_tn|{first:%Y-%m}|self"))
    Period.objects.bulk_create(rows)


def test_estimator_runs_the_same_queries_for_one_period_and_40_years_of_monthly_rows(client, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_estimator(count):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("benefits:estimate"))
        assert response.status_code == 200
        assert response.content.decode().count('>Tự đóng</td>') == count  # one row per period in step 1
        return len(captured)

    client.force_login(user)
    monthly_periods(user.person, 1)
    client.get(reverse("benefits:estimate"))  # warm the session
    one = queries_for_estimator(1)
    from participation.models import Period

    Period.objects.all().delete()
    monthly_periods(user.person, 480)
    forty_years = queries_for_estimator(480)
    # The page's usual queries, then the one-time benefit granted, the periods (with their employer)
    # and the coefficient table.
    assert one == forty_years <= MAX_QUERIES + 2


def test_estimator_page_shows_every_step(client, user):
    from participation.models import Period

    province = Province.objects.get(code="79")
    agency = Agency.objects.get(code="07901")
    for first, last in ((datetime.date(2013, 1, 1), datetime.date(2013, 12, 1)),
                        (datetime.date(2014, 1, 1), datetime.date(2016, 1, 1))):
        Period.objects.create(person=user.person, kind="bhxh_tn", from_month=first, to_month=last, payer="self",
                              base=1_774_052, rate=22, amount=390_291, province=province, agency=agency,
                              import_key=f"{user.person.bhxh_code}|bhxh_tn|{first:%Y-%m}|self")
    from benefits.models import SalaryAdjustment

    SalaryAdjustment.objects.filter(scheme="bhxh_tn").delete()
    SalaryAdjustment.objects.bulk_create([SalaryAdjustment(scheme="bhxh_tn", year=y, coefficient=1, source="kiểm thử")
                                          for y in range(2013, 2017)])
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    for expected in (
        "Đây là số tiền ước tính",
        "Kết quả ước tính Khoảng 11.531.338 đ",
        "Bước 1. Quá trình đóng BHXH", "01/2014 01/2016 BHXH tự nguyện Tự đóng 1.774.052 đ 25",
        "Bước 2. Số tháng đóng trước và từ năm 2014", "Trước năm 2014 12 tháng (1 năm)",
        "Từ năm 2014 25 tháng (2 năm 1 tháng)",
        "Bước 3. Số năm tính hưởng", "Trước năm 2014: 12 tháng = 1 năm .",
        "1 tháng lẻ (từ 1 đến 6 tháng) tính là nửa năm → 2,5 năm",
        "Bước 4. Mức bình quân tiền lương", "Mức bình quân = 65.639.924 đ ÷ 37 tháng = 1.774.052 đ",
        "Bước 5. Mức hưởng", "Mức hưởng ước tính = 6,5 tháng × 1.774.052 đ = 11.531.338 đ",
        "Tổng thời gian đóng BHXH (bắt buộc và tự nguyện): 3 năm 1 tháng .",
        "áp dụng Luật BHXH 2024 (hiệu lực từ 01/07/2025): cần đóng đủ 15 năm",
        "Còn thiếu 11 năm 11 tháng", "cần 20 năm",
    ):
        assert expected in page, expected


def test_the_adjusted_salaries_are_shown_rounded_as_the_average_takes_them(client, user):
    """4.680.010 đ × 1,05 = 4.914.010,5 đ: the row, the total and the average all say 4.914.011 đ, so
    that "Tổng ÷ tháng = bình quân" holds on the page."""
    from benefits.models import SalaryAdjustment
    from participation.models import Period

    Period.objects.create(person=user.person, kind="bhxh_tn", from_month=datetime.date(2020, 3, 1),
                          to_month=datetime.date(2020, 3, 1), payer="self", base=4_680_010, rate=22, amount=1_029_602,
                          province=Province.objects.get(code="79"), agency=Agency.objects.get(code="07901"),
                          import_key=f"{user.person.bhxh_code}|bhxh_tn|2020-03|self")
    SalaryAdjustment.objects.filter(scheme="bhxh_tn").delete()
    SalaryAdjustment.objects.create(scheme="bhxh_tn", year=2020, coefficient="1.05", source="kiểm thử")
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert "2020 Tự nguyện 1 4.680.010 đ 1,05 4.914.011 đ Tổng 4.914.011 đ" in page
    assert "Mức bình quân = 4.914.011 đ ÷ 1 tháng = 4.914.011 đ" in page



def test_the_total_of_the_adjusted_salaries_is_the_sum_of_the_rows_shown(client, user):
    """Two years of one month at 4.680.010 đ × 1,05: each row says 4.914.011 đ, and the Tổng is their
    sum, 9.828.022 đ, the one the average divides, instead of 9.828.021 đ, the sum of the rows unrounded
    (4.914.010,5 đ each) that the page showed under rows adding up to one đồng more."""
    from benefits.models import SalaryAdjustment
    from participation.models import Period

    SalaryAdjustment.objects.filter(scheme="bhxh_tn").delete()
    for year in (2020, 2021):
        Period.objects.create(person=user.person, kind="bhxh_tn", from_month=datetime.date(year, 3, 1),
                              to_month=datetime.date(year, 3, 1), payer="self", base=4_680_010, rate=22,
                              amount=1_029_602, province=Province.objects.get(code="79"),
                              agency=Agency.objects.get(code="07901"),
                              import_key=f"{user.person.bhxh_code}|bhxh_tn|{year}-03|self")
        SalaryAdjustment.objects.create(scheme="bhxh_tn", year=year, coefficient="1.05", source="kiểm thử")
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert ("2020 Tự nguyện 1 4.680.010 đ 1,05 4.914.011 đ 2021 Tự nguyện 1 4.680.010 đ 1,05 4.914.011 đ "
            "Tổng 9.828.022 đ") in page
    assert "Mức bình quân = 9.828.022 đ ÷ 2 tháng = 4.914.011 đ" in page
    assert "22 % × 9.828.022 đ = 2.162.165 đ" in page

def test_estimator_without_history_says_so(client, user):
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert "Chưa có quá trình đóng BHXH nào để ước tính." in page and "Bước 1" not in page


def working_teenager(user):
    """The user's child, 17 this month (still in the parent's view), and the months "MM/YYYY" from
    their 16th birthday to this month: a year of work, whatever day the test runs."""
    first = timezone.localdate().replace(day=1)
    born = first.replace(year=first.year - 17)
    child = child_of(user)
    Person.objects.filter(pk=child.pk).update(birth_date=born)
    return child, (f"{born.month:02d}/{born.year + 16}", f"{first.month:02d}/{first.year}")


def test_estimator_uses_the_person_in_view(client, user):
    """The estimate is the child's: their period and base, not the logged-in parent's."""
    from tests.participation.helpers import period

    child, (start, end) = working_teenager(user)
    period(child, start, end, base=5_000_000)
    period(user.person, "01/2000", "12/2020", base=8_000_000)
    client.force_login(user)
    client.post("/ca-nhan/xem/", {"child": child.pk})
    page = text(client.get(reverse("benefits:estimate")))
    assert "Đang xem thông tin của Nguyễn Gia Bảo" in page
    assert f"{start} {end}" in page and "5.000.000 đ" in page
    assert "01/2000" not in page and "8.000.000 đ" not in page


def test_estimator_for_a_child_in_view_does_not_address_the_parent_as_the_contributor(client, user):
    """A parent reading a working teenager's estimate is not told "bạn" has enough years or is
    entitled: the page speaks of the contributions, whoever reads it."""
    from tests.participation.helpers import period

    child, (start, end) = working_teenager(user)
    period(child, start, end, base=5_000_000)
    period(user.person, "01/2000", "12/2020", base=8_000_000)
    client.force_login(user)
    client.post("/ca-nhan/xem/", {"child": child.pk}, follow=True)  # the switch's message shown
    page = text(client.get(reverse("benefits:estimate")))
    assert "Khoảng" in page and "Còn thiếu" in page
    assert not re.search(r"\bbạn\b", page, re.IGNORECASE), page
    client.post("/ca-nhan/xem/", {"child": ""}, follow=True)
    page = text(client.get(reverse("benefits:estimate")))
    assert "Đã đủ số năm đóng." in page and not re.search(r"\bbạn\b", page, re.IGNORECASE)


def test_seeded_adjustment_table_is_labelled_illustrative(db):
    from benefits.models import SalaryAdjustment

    rows = SalaryAdjustment.objects.filter(scheme="bhxh_bb")
    assert rows.count() >= 30 and rows.get(year=2013).coefficient > rows.get(year=2024).coefficient
    assert all(source.startswith("Minh họa") for source in SalaryAdjustment.objects.values_list("source", flat=True))
    assert Person.objects.count() == 0


@pytest.mark.parametrize("status, said", [
    ("paid", "đã được hưởng BHXH một lần, chi trả ngày 24/05/2026 (hồ sơ số 07901.7959453877.01)"),
    ("approved", "đã được giải quyết hưởng BHXH một lần theo quyết định ngày 20/05/2026 (hồ sơ số 07901.7959453877.01)"),
])
def test_months_settled_by_a_one_time_benefit_count_no_more(client, user, status, said):
    """A one-time benefit granted settles every month contributed before the claim was received:
    the estimator offers them again nowhere, and they count toward no pension."""
    from tests.participation.helpers import period

    period(user.person, "01/1998", "07/2025", base=8_000_000)  # 331 months, then 12 without contributions
    period(user.person, "08/2026", "10/2026", base=9_000_000)  # back to work after the payment
    extra = {"paid_on": datetime.date(2026, 5, 24)} if status == "paid" else {}
    record(user.person, Kind.ONE_TIME, reference="07901.7959453877.01", received_on=datetime.date(2026, 5, 10),
           expected_on=None, contribution_months=331,
           **decided(status=status, decision_date=datetime.date(2026, 5, 20), amount=751_067_472, **extra))
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert f"Thời gian đóng BHXH đến hết tháng 04/2026 {said}, nên không còn được tính" in page
    assert "Thời gian đóng BHXH được tính: 3 tháng ." in page and "01/1998" not in page
    assert "Tổng thời gian đóng BHXH (bắt buộc và tự nguyện): 3 tháng ." in page
    assert "Đã đủ số năm đóng" not in page and "Còn thiếu 14 năm 9 tháng" in page
    assert "751.067.472" not in page


def test_voluntary_months_paid_ahead_do_not_count_before_they_are_reached(client, settings, user):
    """Voluntary BHXH may be paid for years ahead: the estimate of today counts the months reached,
    not those still to come (a claim today would have them refunded), and says so."""
    from tests.participation.helpers import months_from_now, period

    period(user.person, months_from_now(-178), months_from_now(12), kind="bhxh_tn", payer="self", base=5_000_000)
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert "191" in page  # the period's own length, as the history shows it
    assert "(đóng trước 12 tháng chưa đến: chưa tính)" in page
    assert "Thời gian đóng BHXH được tính: 14 năm 11 tháng ." in page
    assert "Tổng cộng 179 tháng (14 năm 11 tháng)" in page
    assert "Đã đủ số năm đóng" not in page and "Còn thiếu 1 tháng" in page
    assert f"{timezone.localdate().year} Tự nguyện" in page  # step 4: this year's row, and none for next year's
    assert f"{timezone.localdate().year + 1} Tự nguyện" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "(12 months paid ahead, not reached yet: not counted)" in text(client.get(reverse("benefits:estimate")))


def test_a_period_paid_ahead_that_starts_after_this_month_says_its_own_months_not_reached(client, user):
    """A year paid ahead from next year on was said to be paid ahead for every month from this one
    to its last, months that belong to no period."""
    from tests.participation.helpers import months_from_now, period

    period(user.person, months_from_now(-178), months_from_now(0), kind="bhxh_tn", payer="self", base=5_000_000)
    period(user.person, months_from_now(13), months_from_now(24), kind="bhxh_tn", payer="self", base=5_000_000)
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert "(đóng trước 12 tháng chưa đến: chưa tính)" in page and "đóng trước 24 tháng" not in page
    assert "Thời gian đóng BHXH được tính: 14 năm 11 tháng ." in page


@pytest.mark.parametrize("status", ["received", "processing", "rejected"])
def test_a_one_time_claim_not_granted_settles_nothing(client, user, status):
    from tests.participation.helpers import period

    period(user.person, "01/1998", "07/2025", base=8_000_000)
    reason = {"reject_reason": "Hồ sơ thiếu sổ BHXH bản chính."} if status == "rejected" else {}
    record(user.person, Kind.ONE_TIME, received_on=datetime.date(2026, 5, 10), expected_on=None, status=status,
           **reason)
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert "không còn được tính" not in page and "Đã đủ số năm đóng" in page
    assert "Thời gian đóng BHXH được tính: 27 năm 7 tháng ." in page


def test_a_settled_estimate_reads_one_query_more_whatever_the_records(client, user, django_assert_max_num_queries):
    from benefits.selectors import one_time_estimate_for

    for year in (2020, 2021, 2022):
        record(user.person, Kind.ONE_TIME, received_on=datetime.date(year, 5, 10), expected_on=None,
               **decided(status="paid", decision_date=datetime.date(year, 5, 20), paid_on=datetime.date(year, 5, 24)))
    with django_assert_max_num_queries(3):
        estimate = one_time_estimate_for(person=user.person)
    assert estimate.settlement.record.received_on == datetime.date(2022, 5, 10)  # the latest one
    assert estimate.settlement.through == datetime.date(2022, 4, 1)


@pytest.mark.parametrize("name", ["index", "estimate", "detail"])
def test_a_form_posted_to_a_benefit_page_is_told_the_page_is_only_read(client, user, name):
    mine = record(user.person, Kind.SICKNESS, reference="OD-1")
    client.force_login(user)
    url = reverse(f"benefits:{name}", args=[mine.pk] if name == "detail" else [])
    response = client.post(url)
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert "OD-1" not in response.content.decode()


def test_a_person_without_records_is_told_whose_page_is_empty_and_what_will_appear(client, user):
    child = child_of(user)
    client.force_login(user)
    page = text(client.get(INDEX))
    assert "Bạn chưa có hồ sơ hưởng chế độ nào." in page
    assert "hồ sơ và tiến trình giải quyết sẽ hiện ở đây" in page

    client.post("/ca-nhan/xem/", {"child": child.pk})
    page = text(client.get(INDEX))
    assert "Nguyễn Gia Bảo chưa có hồ sơ hưởng chế độ nào." in page
    assert "tài khoản này" not in page  # the child is not the account that is logged in


@pytest.mark.parametrize("fields", [decided(), decided(status="paid", paid_on=datetime.date(2025, 9, 12)),
                                    {"status": "rejected", "reject_reason": "Chưa đủ 12 tháng nghỉ việc"}])
def test_a_claim_decided_without_a_promised_day_does_not_list_the_promise_as_done_and_missing(client, user, fields):
    record(user.person, Kind.ONE_TIME, expected_on=None, **fields)
    client.force_login(user)
    page = text(client.get(INDEX))
    assert "Kết quả (" in page
    assert "Ngày hẹn trả kết quả (" not in page and "Chưa có ngày hẹn" not in page


def test_a_claim_waiting_without_a_promised_day_says_there_is_none_yet(client, user):
    record(user.person, Kind.ONE_TIME, status=Status.PROCESSING, expected_on=None)
    client.force_login(user)
    page = text(client.get(INDEX))
    assert "Ngày hẹn trả kết quả (Chưa có ngày hẹn)" in page and "(Chưa đến) Chưa có ngày hẹn" not in page


def test_a_percentage_detail_names_its_unit_once(client, user):
    accident = record(user.person, Kind.ACCIDENT, impairment_percent=35)
    pension = record(user.person, Kind.PENSION, replacement_rate=63, **decided(amount=None, monthly_amount=8_000_000))
    client.force_login(user)
    assert "Tỷ lệ suy giảm khả năng lao động 35 %" in text(client.get(reverse("benefits:detail", args=[accident.pk])))
    assert "Tỷ lệ hưởng lương hưu 63 %" in text(client.get(reverse("benefits:detail", args=[pension.pk])))


def test_an_estimate_with_every_month_settled_does_not_say_there_was_never_a_contribution(client, user):
    from tests.participation.helpers import period

    period(user.person, "01/1998", "07/2025", base=8_000_000)
    record(user.person, Kind.ONE_TIME, received_on=datetime.date(2026, 5, 10), expected_on=None,
           **decided(status="paid", decision_date=datetime.date(2026, 5, 20), paid_on=datetime.date(2026, 5, 24)))
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert "Chưa có quá trình đóng BHXH nào" not in page and "Bước 1" not in page
    assert "Chưa có tháng đóng BHXH nào sau thời gian đã hưởng BHXH một lần để ước tính." in page
    assert "Đây là số tiền ước tính" not in page  # there is no estimate to qualify


def test_the_estimator_of_a_person_with_no_contribution_opens_with_no_estimate_disclaimer(client, user):
    from tests.participation.helpers import period

    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert "Chưa có quá trình đóng BHXH nào để ước tính." in page
    assert "Đây là số tiền ước tính" not in page and "Số tiền thực nhận" not in page
    period(user.person, "01/2020", "12/2024", base=8_000_000)
    page = text(client.get(reverse("benefits:estimate")))
    assert "Đây là số tiền ước tính" in page and "Kết quả ước tính" in page


@pytest.mark.parametrize(("fields", "shown"), [
    ({"status": Status.PROCESSING}, True),
    (decided(), False),
    ({"status": "rejected", "reject_reason": "Chưa đủ 12 tháng nghỉ việc"}, False),
])
def test_the_detail_page_says_a_promised_day_is_missing_only_while_one_may_still_come(client, user, fields, shown):
    claim = record(user.person, Kind.SICKNESS, expected_on=None, **fields)
    client.force_login(user)
    page = text(client.get(reverse("benefits:detail", args=[claim.pk])))
    assert ("Ngày hẹn trả kết quả Chưa có" in page) is shown


def test_the_estimate_writes_months_under_a_year_once(client, user):
    from tests.participation.helpers import period

    period(user.person, "01/2024", "02/2025", base=8_000_000)  # 14 months, all from 2014
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert "Trước năm 2014 0 tháng Từ năm 2014 14 tháng (1 năm 2 tháng)" in page
    assert "Trước năm 2014: 0 tháng = 0 năm ." in page
    assert "0 tháng (0 tháng)" not in page


def test_the_estimate_under_one_year_writes_its_months_once(client, user):
    from tests.participation.helpers import period

    period(user.person, "01/2025", "07/2025", base=8_000_000)
    client.force_login(user)
    page = text(client.get(reverse("benefits:estimate")))
    assert "Từ năm 2014 7 tháng Tổng cộng 7 tháng Bước 3" in page
    assert "7 tháng (7 tháng)" not in page


@pytest.mark.parametrize("fields", [
    {"status": Status.REJECTED, "reject_reason": "Chưa đủ 12 tháng nghỉ việc", "amount": 11_531_338},
    {"status": Status.PROCESSING, "amount": 11_531_338, "monthly_amount": 2_000_000},
])
def test_an_amount_stored_on_a_claim_not_granted_is_not_shown_as_the_amount_received(fields):
    """A refused claim, or one still being examined, that carried an amount showed it as "Số tiền được
    hưởng", as if granted: only a decision grants one. Such a record is refused since (BenefitRecord.clean
    and its constraint), but one stored before is kept: the lists and the record's page, which show
    the amounts through this include, still do not show it."""
    def shown(**values):
        return render_to_string("benefits/_amounts.html", {"record": BenefitRecord(kind=Kind.ONE_TIME, **values)})

    html = shown(**fields)
    assert "11.531.338" not in html and "Số tiền được hưởng" not in html and "2.000.000" not in html
    assert "11.531.338" in shown(**{**fields, "status": Status.APPROVED})


def test_a_payment_date_stored_on_a_claim_not_paid_is_not_its_payment_date():
    """A decided claim carrying a payment date typed ahead of the payment showed "Ngày chi trả" beside the
    status "Đã giải quyết", as if paid. Such a record is refused since, but one stored before is kept: the
    record's page and its notice read the date from paid_date, which has none for it."""
    typed = datetime.date(2025, 9, 20)
    assert BenefitRecord(kind=Kind.ONE_TIME, **decided(paid_on=typed)).paid_date is None
    assert BenefitRecord(kind=Kind.ONE_TIME, **decided(status=Status.PAID, paid_on=typed)).paid_date == typed


def test_a_period_ending_in_the_last_month_settled_is_not_listed_beside_a_new_estimate(user):
    """A one-time benefit received in 05/2022 settled every month through 04/2022: a period ending in that very
    month has no month left toward a new estimate, so the page does not list it; the next one is listed whole."""
    from benefits.selectors import one_time_estimate_for
    from tests.participation.helpers import period

    period(user.person, "01/2015", "04/2022", base=6_000_000)
    period(user.person, "01/2023", "12/2023", base=7_000_000)
    record(user.person, Kind.ONE_TIME, received_on=datetime.date(2022, 5, 10), expected_on=None,
           **decided(status="paid", decision_date=datetime.date(2022, 5, 20), paid_on=datetime.date(2022, 5, 24)))
    estimate = one_time_estimate_for(person=user.person)
    assert [(p.from_month, p.to_month) for p in estimate.periods] == [
        (datetime.date(2023, 1, 1), datetime.date(2023, 12, 1))]
    assert estimate.result.months_total == 12
