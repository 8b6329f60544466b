"""CSV import of periods (dry run, errors, idempotency, scope) and change notices from every write."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.models import Person
from lookup.models import Agency
from lookup.selectors import agency_subtree_ids
from notifications.models import Message
from participation.models import Period
from participation.services.imports import periods_import
from participation.services.periods import period_save
from tests.accounts.helpers import make_person, officer

from .helpers import months_from_now, period

pytestmark = pytest.mark.usefixtures("reference_data")

HEADER = "ma_so_bhxh,loai,tu_thang,den_thang,nguoi_dong,ma_don_vi,chuc_vu,muc_dong,ty_le,so_tien,so_thang_no,ma_tinh,ma_co_quan,ma_kcb\n"


def employer_code():
    from lookup.models import Employer

    return Employer.objects.filter(agency__code="07901").order_by("code").first().code


def csv_lines(*rows):
    """CSV text; `{E}` in a row stands for an employer of agency 07901."""
    code = employer_code()
    return io.StringIO(HEADER + "".join(row.replace("{E}", code) + "\n" for row in rows))


GOOD = [
    "7901234567,bhxh_bb,01/2015,12/2018,employer,{E},Kỹ sư,12000000,25,3000000,0,79,07901,",
    "7901234567,bhyt,01/2015,12/2018,employer,{E},,12000000,4.5,540000,0,79,07901,79001",
    "7901234567,bhxh_tn,01/2019,06/2019,self,,,5000000,22,1100000,,79,07901,",
]


def test_dry_run_reports_without_writing(person):
    report = periods_import(lines=csv_lines(*GOOD), dry_run=True)
    assert (report.rows, report.created, report.error_count) == (3, 3, 0)
    assert Period.objects.count() == 0
    assert Message.objects.count() == 0


def test_import_then_same_file_again_creates_nothing(person):
    first = periods_import(lines=csv_lines(*GOOD), dry_run=False)
    assert first.created == 3 and Period.objects.count() == 3
    again = periods_import(lines=csv_lines(*GOOD), dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Period.objects.count() == 3
    before = Period.objects.get(kind="bhxh_bb").updated_at
    changed = periods_import(lines=csv_lines(GOOD[0].replace("12000000,25,3000000", "13000000,25,3250000")), dry_run=False)
    assert (changed.created, changed.updated) == (0, 1)
    updated = Period.objects.get(kind="bhxh_bb")
    assert updated.base == 13_000_000 and updated.updated_at > before  # the change is dated


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("7909999999,bhxh_bb,01/2015,12/2018,employer,{E},,1,25,1,0,79,07901,", "không có trong hồ sơ"),
        ("7901234567,bhxh,01/2015,12/2018,employer,{E},,1,25,1,0,79,07901,", "loại “bhxh” không hợp lệ"),
        ("7901234567,bhxh_bb,2015-01,12/2018,employer,{E},,1,25,1,0,79,07901,", "tháng/năm"),
        ("7901234567,bhxh_bb,01/2019,12/2018,employer,{E},,1,25,1,0,79,07901,", "Tháng kết thúc phải sau"),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,,,1,25,1,0,79,07901,", "phải có đơn vị"),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,XX9999X,,1,25,1,0,79,07901,", "Đơn vị “XX9999X”"),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,mười,25,1,0,79,07901,", "muc_dong"),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,1000000000000000,25,250000000000000,0,79,07901,",
         "Căn cứ đóng không được lớn hơn 200.000.000 đ một tháng"),
        # Past what the column holds: the period's own ceiling, not Django's "… bằng với 9223372036854775807 ."
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,99999999999999999999,25,1,0,79,07901,",
         "Căn cứ đóng không được lớn hơn 200.000.000 đ một tháng: kiểm tra lại số chữ số đã nhập."),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,1000000,25,99999999999999999999,0,79,07901,",
         "Số tiền đóng mỗi tháng không được lớn hơn 200.000.000 đ: kiểm tra lại số chữ số đã nhập."),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,1,25,1,0,79,99999,", "Cơ quan BHXH “99999”"),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,1,25,1,0,79,,", "thiếu ma_co_quan"),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,1,25,1,²,79,07901,", "cột so_thang_no phải là số tháng"),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,1,25,1,99999999,79,07901,", "so_thang_no"),
        # A year or month beyond what a date holds (OverflowError, not ValueError) is a row error too.
        ("7901234567,bhxh_bb,01/99999999999999999999,12/2018,employer,{E},,1,25,1,0,79,07901,", "tu_thang phải có dạng"),
        ("7901234567,bhxh_bb,01/2015,99999999999999999999/2018,employer,{E},,1,25,1,0,79,07901,", "den_thang phải có"),
        # A comma left unquoted in a value shifts the columns after it: refused, not read askew.
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},Kỹ sư, trưởng nhóm,1,25,1,0,79,07901,",
         "nhiều hơn dòng tiêu đề (14 cột)"),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,1,25,1,0,79,07901,,", "nhiều hơn dòng tiêu đề"),
        # Decimal reads these, but no rate is one: the message names the column, as for "abc".
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,1,NaN,1,0,79,07901,", "cột ty_le phải là số phần trăm"),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,1,Infinity,1,0,79,07901,", "cột ty_le phải là số phần trăm"),
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},,1,sNaN,1,0,79,07901,", "cột ty_le phải là số phần trăm"),
        # PostgreSQL refuses NUL in text: refused here, on every database.
        ("7901234567,bhxh_bb,01/2015,12/2018,employer,{E},Kỹ\x00sư,1,25,1,0,79,07901,", "ký tự rỗng (NUL)"),
    ],
)
def test_bad_rows_are_reported_by_line_in_vietnamese_and_skipped(person, row, message):
    report = periods_import(lines=csv_lines(GOOD[0], row), dry_run=False)
    assert report.created == 1
    [(line, text)] = report.errors
    assert line == 3 and message in text, text


def test_duplicate_rows_in_one_file_are_reported(person):
    report = periods_import(lines=csv_lines(GOOD[0], GOOD[0]), dry_run=False)
    assert report.created == 1 and "trùng với dòng 2" in report.errors[0][1]


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_row_repeating_one_of_an_earlier_batch_is_reported_not_rewriting_it(person, monkeypatch, dry_run):
    """The rows seen are kept for the whole import, not one batch: the same key further down the file
    is refused as within a batch, and the period the first row made stays as that row has it."""
    from participation.services import imports

    monkeypatch.setattr(imports, "BATCH", 2)
    later = GOOD[0].replace("12000000,25,3000000", "13000000,25,3250000")
    report = periods_import(lines=csv_lines(GOOD[0], GOOD[2], GOOD[1], later), dry_run=dry_run)
    assert (report.created, report.updated) == (3, 0)
    [(line, text)] = report.errors
    assert line == 5 and text.startswith("trùng với dòng 2 "), text
    if not dry_run:
        assert Period.objects.get(kind="bhxh_bb").base == 12_000_000


def test_a_row_with_several_errors_ends_each_sentence_once(person):
    this_month = months_from_now(0)
    row = f"7901234567,bhxh_tn,{months_from_now(2)},{months_from_now(1)},self,,,5000000,22,1100000,0,79,07901,"
    report = periods_import(lines=csv_lines(row), dry_run=True)
    [(line, text)] = report.errors
    assert f"Tháng bắt đầu không được sau tháng hiện tại ({this_month})." in text
    assert "Tháng kết thúc phải sau hoặc bằng tháng bắt đầu." in text
    assert ".;" not in text and ".." not in text and text.endswith(".")


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_row_starting_after_the_current_month_is_refused(person, dry_run):
    this_month, next_month = months_from_now(0), months_from_now(1)
    rows = [f"7901234567,bhxh_tn,{this_month},{months_from_now(11)},self,,,5000000,22,1100000,0,79,07901,",
            f"7901234567,bhyt,{next_month},{months_from_now(3)},household,,,2340000,4.5,105300,0,79,07901,"]
    report = periods_import(lines=csv_lines(*rows), dry_run=dry_run)
    assert report.created == 1  # the current month is declared; the last month may lie ahead
    assert report.errors == [(3, f"Tháng bắt đầu không được sau tháng hiện tại ({this_month}).")]
    assert not Period.objects.filter(kind="bhyt").exists()


def test_period_save_refuses_a_period_starting_after_the_current_month(person):
    future = period(person, months_from_now(1), months_from_now(2), kind=Period.Kind.BHXH_VOLUNTARY,
                    payer=Period.Payer.SELF, save=False)
    with pytest.raises(ValidationError) as refused:
        period_save(period=future)
    assert refused.value.message_dict == {"from_month": [f"Tháng bắt đầu không được sau tháng hiện tại ({months_from_now(0)})."]}
    assert period_save(period=period(person, months_from_now(0), months_from_now(0), payer=Period.Payer.SELF, save=False))


def test_missing_columns_stop_the_import(person):
    report = periods_import(lines=io.StringIO("ma_so_bhxh,loai\n7901234567,bhyt\n"), dry_run=False)
    assert report.rows == 0 and "thiếu cột" in report.errors[0][1]


def test_a_file_separated_by_semicolons_is_told_to_be_saved_with_commas(person):
    """Excel set for Vietnamese saves "CSV" with ";": its columns are there, the separator is what is wrong."""
    text = HEADER.replace(",", ";") + GOOD[2].replace(",", ";") + "\n"
    report = periods_import(lines=io.StringIO(text), dry_run=True)
    [(line, message)] = report.errors
    assert report.rows == 0 and line == 1
    assert "thiếu cột" not in message and "dấu chấm phẩy (;)" in message and "dấu phẩy (,)" in message


def test_an_officer_imports_only_for_the_agencies_they_manage(person):
    scope = agency_subtree_ids(Agency.objects.get(code="07903"))
    report = periods_import(lines=csv_lines(GOOD[0]), dry_run=False, agency_scope=scope)
    assert report.created == 0 and "không thuộc phạm vi" in report.errors[0][1]


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_officer_cannot_rewrite_another_agencys_period_through_a_row_naming_their_own(person, dry_run):
    theirs = period(person, "01/2015", "06/2016", agency_code="07902", employer_code=employer_code())
    scope = agency_subtree_ids(Agency.objects.get(code="07901"))
    report = periods_import(lines=csv_lines(GOOD[0]), dry_run=dry_run, agency_scope=scope)
    assert (report.created, report.updated, report.error_count) == (0, 0, 1)
    assert report.errors[0] == (2, "giai đoạn này đã có và do cơ quan BHXH khác quản lý; chỉ cơ quan đó được sửa")
    theirs.refresh_from_db()
    assert (theirs.agency.code, theirs.base, f"{theirs.to_month:%m/%Y}") == ("07902", 10_000_000, "06/2016")
    # The province officer above both agencies may.
    province = agency_subtree_ids(Agency.objects.get(code="079"))
    assert periods_import(lines=csv_lines(GOOD[0]), dry_run=dry_run, agency_scope=province).updated == 1


def test_change_notices_once_per_change_and_none_for_a_no_op(person, django_capture_on_commit_callbacks, sms_outbox):
    get_user_model().objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
    with django_capture_on_commit_callbacks(execute=True):
        created = period(person, "01/2020", "12/2020", save=False)
        assert period_save(period=created)
    assert Message.objects.filter(template="participation_changed", channel="inbox").count() == 1
    assert len(sms_outbox()) == 1 and "vừa được cập nhật" in sms_outbox()[0]["text"]
    with django_capture_on_commit_callbacks(execute=True):
        assert not period_save(period=Period.objects.get(pk=created.pk))  # nothing changed
    assert Message.objects.filter(template="participation_changed").count() == 2  # inbox + SMS, still
    changed = Period.objects.get(pk=created.pk)
    changed.base, changed.amount = 11_000_000, 2_750_000
    with django_capture_on_commit_callbacks(execute=True):
        assert period_save(period=changed)
    assert Message.objects.filter(template="participation_changed", channel="inbox").count() == 2
    # an import tells once (one summary, tests/participation/test_import_notices.py); importing the
    # same values again is not a change either
    periods_import(lines=csv_lines(GOOD[0]), dry_run=False)
    periods_import(lines=csv_lines(GOOD[0]), dry_run=False)
    assert Message.objects.filter(template="participation_changed", channel="inbox").count() == 2
    assert Message.objects.filter(template="participation_import", channel="inbox").count() == 1


def test_admin_lists_and_imports_within_the_officers_scope(client, person):
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))  # one of the officer's people
    mine = period(person, "01/2010", "12/2010", agency_code="07901")
    theirs = period(person, "01/2011", "12/2011", agency_code="07903")
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    listing = client.get("/quan-tri/participation/period/").content.decode()
    assert f"/quan-tri/participation/period/{mine.pk}/change/" in listing
    assert f"/quan-tri/participation/period/{theirs.pk}/change/" not in listing
    upload = io.BytesIO((HEADER + GOOD[0].replace("{E}", employer_code()) + "\n").encode())
    upload.name = "qua-trinh.csv"
    response = client.post("/quan-tri/participation/period/nhap-csv/", {"file": upload, "dry_run": "on"})
    assert "Kết quả chạy thử" in response.content.decode() and Period.objects.count() == 2
    upload.seek(0)
    client.post("/quan-tri/participation/period/nhap-csv/", {"file": upload})
    assert Period.objects.count() == 3
    utf16 = io.BytesIO((HEADER + "7901234567,bhxh_bb,01/2015,12/2018,employer,X,Kỹ sư,1,25,1,0,79,07901,\n").encode("utf-16"))
    utf16.name = "sai-ma.csv"
    assert "UTF-8" in client.post("/quan-tri/participation/period/nhap-csv/", {"file": utf16}).content.decode()
    # A field longer than the csv module takes (128 KiB) is a clear error on the form, not a server error.
    huge = io.BytesIO((HEADER + '7901234567,bhxh_bb,01/2015,12/2018,employer,X,"' + "a" * 200_000 + '",1,25,1,0,79,07901,\n').encode())
    huge.name = "qua-dai.csv"
    response = client.post("/quan-tri/participation/period/nhap-csv/", {"file": huge})
    assert response.status_code == 200 and "ký tự, thường do thiếu dấu ngoặc kép" in response.content.decode()
    assert Period.objects.count() == 3


IMPORT = "/quan-tri/participation/period/nhap-csv/"


def test_a_field_past_the_csv_limit_is_refused_in_vietnamese_naming_the_limit(client, person):
    """The csv module's own words ("field larger than field limit (131072)") are not shown to the
    officer: the refusal says in Vietnamese how long a cell may be and the usual cause."""
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    huge = io.BytesIO((HEADER + '7901234567,bhxh_bb,01/2015,12/2018,self,,"' + "a" * 200_000 + "\n").encode())
    huge.name = "thieu-ngoac.csv"
    page = client.post(IMPORT, {"file": huge, "dry_run": "on"}).content.decode()
    assert "field larger" not in page and "field limit" not in page
    assert "131.072 ký tự" in page and "dấu ngoặc kép" in page
    assert Period.objects.count() == 0


def upload(*rows, dry_run):
    csv = io.BytesIO(csv_lines(*rows).getvalue().encode())
    csv.name = "qua-trinh.csv"
    return {"file": csv, **({"dry_run": "on"} if dry_run else {})}


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_officers_import_treats_a_person_they_may_not_see_as_an_unknown_code(client, person, dry_run):
    """The admin's period form offers only the officer's people: the import reaches no one else,
    and answers for someone else's code what it answers for a code nobody has (no registry probe)."""
    foreign = make_person("7903111111", "Hoàng Thị Thu Trang", id_number="079192012345", sex=2)
    Person.objects.filter(pk=foreign.pk).update(agency=Agency.objects.get(code="07903"))
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    answers = []
    for code in ("7903111111", "7903111112"):  # someone else's; nobody's
        response = client.post(IMPORT, upload(GOOD[0].replace("7901234567", code), dry_run=dry_run))
        report = response.context["report"]
        assert (report.created, report.error_count) == (0, 1)
        answers.append(report.errors[0][1].replace(code, "…"))
    assert answers[0] == answers[1] == "mã số BHXH … không có trong hồ sơ hoặc không thuộc phạm vi quản lý của bạn"
    assert not Period.objects.exists()
    # The province officer above 07903 sees the person, and imports for them.
    client.force_login(officer("canbo079", "079", "Cán bộ BHXH tỉnh"))
    report = client.post(IMPORT, upload(GOOD[0].replace("7901234567", "7903111111"), dry_run=dry_run)).context["report"]
    assert (report.created, report.error_count) == (1, 0)


def test_a_real_import_is_logged_with_the_officer_and_the_counts(client, person):
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))
    user = officer("canbo07901", "07901", "Cán bộ BHXH cơ sở")
    client.force_login(user)
    client.post(IMPORT, upload(*GOOD, dry_run=True))
    assert not LogEntry.objects.exists()  # a dry run writes nothing, its log neither
    client.post(IMPORT, upload(*GOOD, "7909999999,bhyt,01/2015,12/2018,self,,,1,4.5,1,0,79,07901,", dry_run=False))
    entry = LogEntry.objects.get()
    assert entry.user == user and entry.content_type.model_class() is Period
    assert entry.object_repr == "Nhập CSV qua-trinh.csv"
    assert entry.get_change_message() == ("Nhập quá trình tham gia từ CSV: 4 dòng, thêm mới 3, cập nhật 0, "
                                          "không thay đổi 0, lỗi 1.")
    index = client.get("/quan-tri/")  # the admin's "recent actions" show it, with no link to an object
    assert index.status_code == 200 and "Nhập CSV qua-trinh.csv" in index.content.decode()
