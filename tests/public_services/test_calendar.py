"""Working days for due dates: weekends, public holidays and their compensatory days skipped, make-up
Saturdays worked, one query per call, an estimate of the statutory holidays (lunar ones and weekend
make-up days included) beyond the table; the holiday table itself (2025–2027 seed, lunar dates) and
its admin."""

import datetime
import logging
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from accounts.models import User
from public_services import calendar
from public_services.calendar import HOLIDAYS, WorkingCalendar, add_working_days, load
from public_services.models import Holiday

pytestmark = pytest.mark.django_db

D = datetime.date
ADMIN = "/quan-tri/public_services/holiday/"


@pytest.fixture(autouse=True)
def holidays():
    load(Holiday)  # the migration seeds them; a flush by a transactional test elsewhere may not have kept them


@pytest.fixture
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(calendar, "_warned_years", set())


def is_working_day(day: datetime.date) -> bool:
    """Whether the BHXH agencies work on `day`, as a due date counts it (one query: its year's rows)."""
    return WorkingCalendar.load(day, day).is_working_day(day)


def weekdays_off(year: int) -> list[datetime.date]:
    cal = WorkingCalendar.load(D(year, 1, 1), D(year, 12, 31))
    day, found = D(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and not cal.is_working_day(day):
            found.append(day)
        day += datetime.timedelta(days=1)
    return found


# ---- the table ---------------------------------------------------------------------------------

def test_2026_weekdays_off_are_the_announced_ones():
    assert weekdays_off(2026) == [
        D(2026, 1, 1), D(2026, 1, 2),  # Tết Dương lịch + swapped Friday
        D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20),  # Tết Bính Ngọ
        D(2026, 4, 27),  # Giỗ Tổ on Sunday 26/04, made up on Monday
        D(2026, 4, 30), D(2026, 5, 1),
        D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2),  # swapped Monday + Quốc khánh
    ]


def test_the_whole_tet_2026_break_is_off_and_the_make_up_saturdays_are_worked():
    break_ = [D(2026, 2, 14) + datetime.timedelta(days=n) for n in range(9)]  # Sat 14/02 – Sun 22/02
    assert not any(is_working_day(day) for day in break_)
    assert is_working_day(D(2026, 2, 13)) and is_working_day(D(2026, 2, 23))
    assert is_working_day(D(2026, 1, 10)) and D(2026, 1, 10).weekday() == 5
    assert is_working_day(D(2026, 8, 22)) and D(2026, 8, 22).weekday() == 5


def test_2025_and_2027_weekdays_off():
    assert weekdays_off(2025) == [
        D(2025, 1, 1), D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31),
        D(2025, 4, 7), D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2), D(2025, 9, 1), D(2025, 9, 2),
    ]
    assert is_working_day(D(2025, 4, 26))  # Saturday worked for Friday 02/05
    assert weekdays_off(2027) == [
        D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10), D(2027, 2, 11),
        D(2027, 4, 16), D(2027, 4, 30), D(2027, 5, 3), D(2027, 9, 2), D(2027, 9, 3),
    ]


@pytest.mark.parametrize("year,tet,gio_to", [
    (2025, D(2025, 1, 29), D(2025, 4, 7)),
    (2026, D(2026, 2, 17), D(2026, 4, 26)),
    (2027, D(2027, 2, 6), D(2027, 4, 16)),
])
def test_lunar_holidays_fall_on_the_right_solar_dates(year, tet, gio_to):
    names = {day: name for day, name, _kind in HOLIDAYS}
    assert names[tet].startswith("Tết Âm lịch (mùng 1")
    assert names[gio_to].startswith("Giỗ Tổ Hùng Vương (10/3")


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_each_year_has_the_eleven_statutory_holidays(year):
    """Labour Code 2019 art. 112.1: 1 + 5 + 1 + 1 + 1 + 2 days."""
    kinds = [kind for day, _name, kind in HOLIDAYS if day.year == year]
    assert kinds.count("holiday") == 11
    assert Holiday.objects.filter(date__year=year, kind=Holiday.Kind.HOLIDAY).count() == 11


def test_the_seed_rows_are_valid_and_unique():
    assert len({day for day, _name, _kind in HOLIDAYS}) == len(HOLIDAYS)
    for day, name, kind in HOLIDAYS:
        Holiday(date=day, name=name, kind=kind).clean_fields()
        Holiday(date=day, name=name, kind=kind).clean()


def test_load_adds_only_missing_rows_and_keeps_edits():
    Holiday.objects.filter(date=D(2027, 9, 3)).update(date=D(2027, 9, 1), name="Quốc khánh (ngày liền kề trước 2/9)")
    Holiday.objects.filter(date=D(2027, 1, 1)).delete()
    assert load(Holiday) == 2  # 01/01 and 03/09 again (03/09 was moved, so it is missing)
    assert load(Holiday) == 0
    assert Holiday.objects.get(date=D(2027, 9, 1)).name == "Quốc khánh (ngày liền kề trước 2/9)"


def test_a_make_up_day_must_be_a_weekend_day_and_a_day_off_a_weekday():
    with pytest.raises(ValidationError) as error:
        Holiday(date=D(2026, 3, 4), name="Làm bù", kind=Holiday.Kind.WORKING_SATURDAY).full_clean()
    assert "thứ Bảy hoặc Chủ nhật" in str(error.value)
    with pytest.raises(ValidationError):
        Holiday(date=D(2026, 3, 7), name="Nghỉ bù", kind=Holiday.Kind.COMPENSATORY).full_clean()


# ---- due dates -----------------------------------------------------------------------------------

def test_a_due_date_across_tet():
    # received Thursday 12/02/2026, 5 working days: 13/02, then 23–26/02 after the Tết break
    assert add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert add_working_days(D(2026, 2, 15), 1) == D(2026, 2, 23)  # received during the break


def test_a_working_saturday_counts():
    assert add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)  # Friday → the make-up Saturday
    assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert add_working_days(D(2025, 4, 29), 2) == D(2025, 5, 6)  # 30/4, 1/5, 2/5 off, then the weekend


def test_weekends_are_skipped():
    assert not is_working_day(D(2026, 3, 7)) and not is_working_day(D(2026, 3, 8))
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)  # received on Saturday
    assert add_working_days(D(2026, 3, 2), 10) == D(2026, 3, 16)


def test_zero_days_is_the_start_day_itself_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert add_working_days(D(2026, 3, 7), 0) == D(2026, 3, 7)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 7), -1)


def test_one_query_per_call_whatever_the_range(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert add_working_days(D(2025, 1, 2), 400) > D(2026, 6, 1)
    with django_assert_num_queries(1):
        assert is_working_day(D(2026, 2, 17)) is False
    with django_assert_num_queries(1):
        calendar_ = WorkingCalendar.load(D(2026, 1, 1), D(2026, 12, 31))
        for day in (D(2026, 2, 10), D(2026, 5, 4), D(2026, 10, 1)):
            calendar_.add_working_days(day, 5)
    with pytest.raises(ValueError):
        calendar_.is_working_day(D(2027, 1, 4))  # outside what was loaded


# ---- beyond the table ----------------------------------------------------------------------------

def test_beyond_the_table_the_estimated_statutory_holidays_count_and_a_warning_is_logged_once_a_year(
    caplog, fresh_warnings, django_assert_num_queries
):
    """2028 has no rows (its arrangement is not announced): Tết and Giỗ Tổ Hùng Vương fall on the
    solar dates of the lunar calendar, and a holiday on a weekend is made up (art. 111.3)."""
    caplog.set_level(logging.WARNING, logger="public_services.calendar")
    with django_assert_num_queries(1):
        assert weekdays_off(2028) == [
            D(2028, 1, 3),  # Tết Dương lịch on Saturday 01/01, made up on Monday
            D(2028, 1, 24), D(2028, 1, 25), D(2028, 1, 26), D(2028, 1, 27), D(2028, 1, 28),  # Tết Mậu Thân
            D(2028, 4, 4),  # Giỗ Tổ Hùng Vương (10/3 năm Mậu Thân)
            D(2028, 5, 1), D(2028, 5, 2),  # 1/5, and 30/4 on Sunday made up on Tuesday
            D(2028, 9, 1), D(2028, 9, 4),  # the day next to 2/9, and 2/9 on Saturday made up on Monday
        ]
    assert not is_working_day(D(2028, 1, 26))  # mùng 1 Tết Mậu Thân
    assert add_working_days(D(2028, 1, 21), 1) == D(2028, 1, 31)  # Friday before Tết → Monday after it
    assert add_working_days(D(2028, 3, 31), 3) == D(2028, 4, 6)  # Giỗ Tổ on Tuesday 04/04 skipped
    assert is_working_day(D(2028, 11, 24))  # Ngày Văn hóa Việt Nam is not in art. 112.1 (NOT_IN_ARTICLE_112)
    assert not is_working_day(D(2029, 2, 13))  # mùng 1 Tết Kỷ Dậu
    warnings = [record.getMessage() for record in caplog.records if record.name == "public_services.calendar"]
    assert len(warnings) == 2 and "2028" in warnings[0] and "2029" in warnings[1]
    assert all("estimate" in warning and "not the government's arrangement" in warning for warning in warnings)


@pytest.mark.parametrize("holiday,made_up_on", [
    (D(2028, 1, 1), D(2028, 1, 3)),  # Saturday → Monday
    (D(2028, 4, 30), D(2028, 5, 2)),  # Sunday → Tuesday, Monday being 1/5
    (D(2028, 9, 2), D(2028, 9, 4)),  # Saturday → Monday
    (D(2029, 9, 2), D(2029, 9, 4)),  # Sunday → Tuesday, Monday being the day next to 2/9
])
def test_beyond_the_table_a_holiday_on_a_weekend_is_made_up_on_the_next_working_day(fresh_warnings, holiday, made_up_on):
    assert holiday.weekday() >= 5 and made_up_on.weekday() < 5
    assert not is_working_day(made_up_on)
    assert is_working_day(made_up_on + datetime.timedelta(days=1))


def test_beyond_the_table_a_weekend_day_the_package_knows_was_worked_counts_as_a_working_day(fresh_warnings):
    """A year without rows (2024, before the seed) counts the make-up Saturdays the government announced,
    as far as the package carries them: a due date from the Friday before one is due on it."""
    assert not Holiday.objects.filter(date__year=2024).exists()
    _days_off, worked = calendar.estimated_days(2024)
    assert worked  # the package carries the swap of Friday 02/05/2024
    for saturday in worked:
        assert saturday.weekday() >= 5 and is_working_day(saturday)
        friday = saturday - datetime.timedelta(days=saturday.weekday() - 4)
        if is_working_day(friday):
            assert add_working_days(friday, 1) == saturday


def test_beyond_the_lunar_calendar_of_the_package_the_fixed_date_holidays_still_count(fresh_warnings):
    # the package's lunar calendar ends in 2100; of 2101's fixed dates only Friday 02/09 is a weekday
    assert weekdays_off(2101) == [D(2101, 9, 2)]


def test_a_year_with_rows_counts_its_rows_and_not_the_estimate(caplog):
    caplog.set_level(logging.WARNING, logger="public_services.calendar")
    # 2027: the estimate moves mùng 1 (Saturday) back to Thursday 04/02; the rows make it up on 11/02
    estimate, _worked = calendar.estimated_days(2027)
    assert D(2027, 2, 4) in estimate and D(2027, 2, 11) not in estimate
    assert is_working_day(D(2027, 2, 4)) and not is_working_day(D(2027, 2, 11))
    # 2026: the swap of Friday 02/01 with Saturday 10/01 is the government's, unknown to the estimate
    estimate, worked = calendar.estimated_days(2026)
    assert D(2026, 1, 2) not in estimate and D(2026, 1, 10) not in worked
    assert not is_working_day(D(2026, 1, 2)) and is_working_day(D(2026, 1, 10))
    assert is_working_day(D(2026, 11, 24))
    assert not caplog.records


def test_a_due_date_runs_from_the_table_into_the_fallback(fresh_warnings):
    # Fri 31/12/2027, then Saturday 01/01/2028 (Tết Dương lịch), Sunday, Monday 03/01 (its make-up day)
    assert add_working_days(D(2027, 12, 31), 1) == D(2028, 1, 4)
    assert add_working_days(D(2027, 12, 30), 1) == D(2027, 12, 31)


def test_a_year_entered_in_the_admin_replaces_the_fallback(fresh_warnings, caplog):
    Holiday.objects.create(date=D(2028, 1, 26), name="Tết Âm lịch (mùng 1 Tết Mậu Thân)")
    caplog.set_level(logging.WARNING, logger="public_services.calendar")
    assert not is_working_day(D(2028, 1, 26))
    assert is_working_day(D(2028, 5, 2)) and is_working_day(D(2028, 1, 24))  # the estimate's days no longer count
    assert not caplog.records


# ---- admin ---------------------------------------------------------------------------------------

def staff(username, *codenames):
    user = User.objects.create_user(username, password="x-Pass-2026!", is_staff=True)
    permissions = Permission.objects.filter(content_type__app_label="public_services", codename__in=codenames)
    user.user_permissions.set(permissions)
    return user


def test_superusers_list_holidays_by_year_filter_by_kind_and_search(client):
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    page = client.get(ADMIN, {"nam": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "17/02/2026" in html and "Tết Âm lịch (mùng 1 Tết Bính Ngọ)" in html and "29/01/2025" not in html
    assert "Thứ Ba" in html
    saturdays = client.get(ADMIN, {"kind__exact": "working_saturday"}).content.decode()
    assert "10/01/2026" in saturdays and "17/02/2026" not in saturdays
    found = client.get(ADMIN, {"q": "Giỗ Tổ"}).content.decode()
    assert "07/04/2025" in found and "26/04/2026" in found and "17/02/2026" not in found


def test_staff_need_the_holiday_permission(client):
    client.force_login(staff("canbo_khong_quyen"))
    assert client.get(ADMIN).status_code == 403
    client.force_login(staff("canbo_xem", "view_holiday"))
    assert client.get(ADMIN).status_code == 200
    assert client.get(ADMIN + "add/").status_code == 403
    client.force_login(staff("canbo_sua", "view_holiday", "change_holiday", "add_holiday"))
    response = client.post(ADMIN + "add/", {"date": "26/01/2028", "name": "Tết Âm lịch (mùng 1 Tết Mậu Thân)",
                                            "kind": "holiday"})
    assert response.status_code == 302, re.findall(r'errorlist[^<]*<li>([^<]*)', response.content.decode())
    assert Holiday.objects.filter(date=D(2028, 1, 26)).exists()
    refused = client.post(ADMIN + "add/", {"date": "2028-01-27", "name": "Làm bù", "kind": "working_saturday"})
    assert "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật" in refused.content.decode()


@pytest.mark.parametrize("year", ["²", "２０２６", "0", "10000", "2026x", ""])
def test_a_year_filter_that_is_not_a_year_lists_every_year(client, year):
    # "²" and full-width digits pass str.isdigit() but not int(); 0 and 10000 are outside the
    # calendar: each used to be a 500.
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    response = client.get(ADMIN, {"nam": year})
    html = response.content.decode()
    assert response.status_code == 200 and "17/02/2026" in html and "29/01/2025" in html


def test_a_holiday_before_the_year_1000_is_shown_and_edited_with_four_digits(client):
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    old = Holiday.objects.create(date=D(900, 1, 2), name="Ngày thử", kind=Holiday.Kind.HOLIDAY)
    listed = client.get(ADMIN, {"nam": "900"}).content.decode()
    assert re.search(r'<th class="field-day"><a href="[^"]+">02/01/0900</a></th>', listed)
    assert str(old) == "02/01/0900 – Ngày thử"
    page = client.get(f"{ADMIN}{old.pk}/change/").content.decode()
    value = re.search(r'name="date" value="([^"]*)"', page).group(1)
    assert value == "02/01/0900"
    response = client.post(f"{ADMIN}{old.pk}/change/", {"date": value, "name": "Ngày thử đã sửa", "kind": "holiday"})
    assert response.status_code == 302  # what the page showed is read back
    old.refresh_from_db()
    assert old.date == D(900, 1, 2) and old.name == "Ngày thử đã sửa"


@pytest.mark.parametrize(("language", "said"), [
    ("vi", "Ngày 01/01/2026 đã có trong lịch (Tết Dương lịch): mỗi ngày chỉ có một dòng, hãy sửa dòng đó."),
    ("en", "01/01/2026 is already in the calendar (Tết Dương lịch): each day has one row only, edit that row."),
])
def test_a_date_already_in_the_table_names_the_row_that_holds_it(client, settings, language, said):
    """Django's message read "Ngày nghỉ lễ hoặc làm bù có Ngày đã tồn tại." without saying which row;
    an English admin (LANGUAGE_CODE) read the portal's in Vietnamese."""
    settings.LANGUAGE_CODE = language
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    response = client.post(ADMIN + "add/", {"date": "01/01/2026", "name": "Tết", "kind": "holiday"})
    errors = re.findall(r'errorlist[^<]*<li>([^<]*)', response.content.decode())
    assert errors == [said]
    assert Holiday.objects.filter(date=D(2026, 1, 1)).count() == 1
    held = Holiday.objects.get(date=D(2026, 1, 1))
    kept = client.post(f"{ADMIN}{held.pk}/change/", {"date": "01/01/2026", "name": "Tết Dương lịch 2026", "kind": "holiday"})
    assert kept.status_code == 302  # the row's own date is no conflict


def test_the_date_box_is_labelled_like_the_others(client):
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    html = client.get(ADMIN + "add/").content.decode()
    labels = re.findall(r'<label[^>]*for="id_(?:date|name|kind)"[^>]*>([^<]*)</label>', html)
    assert labels == ["Ngày:", "Tên:", "Loại:"]


def test_a_make_up_day_or_a_day_off_in_lieu_on_the_wrong_day_is_refused_in_the_admins_language():
    """An English admin read in Vietnamese why a make-up working day or a day off in lieu was refused."""
    from django.utils import translation

    cases = [
        (Holiday(date=D(2028, 1, 27), name="Làm bù", kind="working_saturday"), {
            "vi": "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật: ngày thường vốn đã là ngày làm việc.",
            "en": "A make-up working day must be a Saturday or a Sunday: a weekday is a working day already."}),
        (Holiday(date=D(2028, 1, 29), name="Nghỉ bù", kind="compensatory"), {
            "vi": "Ngày nghỉ bù phải là ngày làm việc (thứ Hai đến thứ Sáu).",
            "en": "A compensatory day off must be a working day (Monday to Friday)."}),
    ]
    for holiday, said in cases:
        for language, message in said.items():
            with translation.override(language), pytest.raises(ValidationError) as refused:
                holiday.clean()
            assert refused.value.message_dict == {"kind": [message]}
