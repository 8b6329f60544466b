"""`load_reference_data`: the real 2025 division, the HCMC agency tree, idempotent loading."""

import csv
import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command

from lookup.models import Agency, CollectionPoint, Employer, MedicalFacility, Province, Ward
from lookup.services import DATA_DIR, reference_data_load

HCMC_DISTRICTS = {"07901": "BHXH Quận 1", "07902": "BHXH Quận 12", "07903": "BHXH thành phố Thủ Đức",
                  "07905": "BHXH Gò Vấp", "07906": "BHXH Bình Thạnh", "07907": "BHXH Tân Bình",
                  "07908": "BHXH Tân Phú", "07909": "BHXH Phú Nhuận", "07911": "BHXH Quận 3",
                  "07912": "BHXH Quận 10", "07913": "BHXH Quận 11", "07914": "BHXH Quận 4",
                  "07915": "BHXH Quận 5", "07916": "BHXH Quận 6", "07917": "BHXH Quận 8"}


@pytest.mark.django_db
def test_loads_the_two_level_division_and_the_hcmc_agency_tree(no_reference_data):
    results = reference_data_load()
    assert results["provinces"].created == 34 and Province.objects.count() == 34
    assert results["wards"].created == 3321 and Ward.objects.count() == 3321
    assert Ward.objects.get(name="Phường Sài Gòn").province.code == "79"

    hcmc = Agency.objects.get(code="079")
    assert str(hcmc) == "[079] BHXH TP. Hồ Chí Minh"
    assert hcmc.parent is None and hcmc.phone == "(028) 39.979.039" and not hcmc.is_demo
    children = {a.code: a.name for a in hcmc.children.all()}
    assert children == HCMC_DISTRICTS
    assert Agency.objects.filter(is_demo=False).count() == 16

    assert MedicalFacility.objects.filter(province__code="79", bhyt_contract=True).exists()
    facility = MedicalFacility.objects.get(code="79001")
    assert facility.display_code == "79 - 001"
    assert Employer.objects.filter(agency__code="07901").count() >= 10
    assert all(name.endswith("(dữ liệu mẫu)") for name in Employer.objects.values_list("name", flat=True))
    point = CollectionPoint.objects.filter(ward__isnull=False).select_related("ward").first()
    assert point.ward.province_id == point.province_id


@pytest.mark.django_db
def test_second_run_changes_nothing_keeps_an_officers_edit_and_update_restores_the_data(no_reference_data):
    reference_data_load()
    again = reference_data_load()
    assert all(r.created == 0 and r.updated == 0 for r in again.values()), again
    Agency.objects.filter(code="07901").update(phone="028 0000 0000")
    kept = reference_data_load()  # `make run` reloads on every start: an admin's correction stays
    assert kept["agencies"].updated == 0
    assert Agency.objects.get(code="07901").phone == "028 0000 0000"
    restored = reference_data_load(update=True)
    assert restored["agencies"].updated == 1
    assert Agency.objects.get(code="07901").phone != "028 0000 0000"


@pytest.mark.django_db
def test_a_row_missing_from_the_database_is_added_back(no_reference_data):
    reference_data_load()
    facility = MedicalFacility.objects.order_by("code").last()
    code = facility.code
    facility.delete()
    again = reference_data_load()
    assert again["facilities"].created == 1 and MedicalFacility.objects.filter(code=code).exists()


@pytest.mark.django_db
def test_search_keys_fold_accents(no_reference_data):
    reference_data_load()
    assert Agency.objects.filter(search_key__contains="ho chi minh").count() >= 1
    assert MedicalFacility.objects.filter(search_key__contains="cho ray").exists()


@pytest.mark.django_db
def test_command_prints_a_line_per_table(no_reference_data):
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "wards: 3321 mới, 0 cập nhật, 0 không đổi" in out.getvalue()


@pytest.mark.parametrize("name", ["agencies.csv", "facilities.csv", "employers.csv", "collection_points.csv"])
def test_data_files_are_nfc_with_unique_codes(name):
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text
    codes = [row["code"] for row in csv.DictReader(io.StringIO(text))]
    assert len(codes) == len(set(codes))


@pytest.mark.django_db
def test_a_loop_in_the_agency_tree_is_refused_and_cannot_hang_scoping():
    from django.core.exceptions import ValidationError

    from lookup.selectors import agency_subtree_ids

    reference_data_load()
    province, district = Agency.objects.get(code="079"), Agency.objects.get(code="07901")
    province.parent = district
    with pytest.raises(ValidationError):
        province.full_clean()
    Agency.objects.filter(pk=province.pk).update(parent=district)  # forced past validation
    assert district.pk in agency_subtree_ids(province) and province.pk in agency_subtree_ids(district)


def test_names_are_stored_with_single_spaces(reference_data):
    """The source writes a few wards as "Phường  An Nhơn": stored as a name is typed and printed."""
    assert Ward.objects.filter(name="Phường An Nhơn").exists()
    assert not Ward.objects.filter(name__contains="  ").exists()
    assert not Province.objects.filter(name__contains="  ").exists()


def test_an_officers_agencies_are_read_once_per_user_object(reference_data, django_assert_num_queries):
    from lookup.selectors import officer_agency_ids
    from tests.accounts.helpers import officer

    user = officer("canbo079", "079", "Cán bộ BHXH tỉnh")
    districts = officer_agency_ids(user)
    assert Agency.objects.get(code="07901").pk in districts
    with django_assert_num_queries(0):  # asked again in the same request
        assert officer_agency_ids(user) == districts
    user.agency = Agency.objects.get(code="07901")  # another agency: read again, for it
    assert officer_agency_ids(user) == {user.agency_id}


@pytest.mark.django_db
def test_the_planner_knows_the_reference_tables_once_loaded(no_reference_data):
    """PostgreSQL: the tables just filled are analysed in the loading transaction, so that the
    planner does not take the 3,321 wards for an empty table (a few registrations joined with them
    row by row took minutes) until autovacuum reads them, a minute after the commit."""
    from django.db import connection

    from tests.conftest import missing

    if connection.vendor != "postgresql":
        missing("the planner's statistics asserted are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE lookup_ward, lookup_agency")  # as empty: what a flushed test database says
        # ANALYZE reads a sample of 30,000 pages. A test run fills and rolls back the ward table hundreds
        # of times: past 30,000 pages, the count is estimated from the few pages of live rows the sample
        # hits (3,304 was seen; 2,911 to 3,639 at 34,000 pages). Reading up to 3 million pages, for this
        # transaction only, it counts every row, as it does of a table loaded once.
        cursor.execute("SET LOCAL default_statistics_target = 10000")
        reference_data_load()
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname IN ('lookup_ward', 'lookup_agency')")
        rows = dict(cursor.fetchall())
    # An unanalysed table reads 0 or -1.
    assert rows["lookup_ward"] == 3321 and rows["lookup_agency"] == Agency.objects.count()


GOOD_FACILITY = '79901,Phòng khám Mẫu,"1 Lê Lợi, TP. Hồ Chí Minh",79,1,0,tinh,1\n'


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A copy of the bundled data files that a test may break; the loader reads it instead."""
    from lookup import services

    for source in DATA_DIR.glob("*.csv"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    monkeypatch.setattr(services, "DATA_DIR", tmp_path)
    return tmp_path


def broken(data_dir, name: str, change) -> None:
    path = data_dir / name
    path.write_bytes(change(path.read_bytes()))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "change", "said"), [
    ("facilities.csv", lambda data: data + GOOD_FACILITY.encode() + b'79902,"Phong kham,x\n', "facilities.csv, dòng 125"),
    ("facilities.csv", lambda data: data + GOOD_FACILITY.encode() + "79903,Sai mã tỉnh,x,99,1,0,tinh,1\n".encode(),
     "facilities.csv, dòng 125: không có mã “99”"),
    ("facilities.csv", lambda data: data + b"79904,\xff\xfe,x,79,1,0,tinh,1\n", "facilities.csv, dòng 124"),
    ("facilities.csv", lambda data: data + b"79905,Thi\xe1\xbb\x83u c\xe1\xbb\x99t,x,79\n", "facilities.csv, dòng 124"),
    ("facilities.csv", lambda data: data + "79906,Sai hạng,x,79,1,0,khong-co,1\n".encode(), "facilities.csv, dòng 124"),
    ("employers.csv", lambda data: data.replace(b",agency_code,", b",agency,", 1), "employers.csv: thiếu cột agency_code"),
    ("agencies.csv", lambda data: data + "07999,BHXH Mồ côi,07998,79,x,,,0\n".encode(), "agencies.csv, dòng 139"),
    ("collection_points.csv", lambda data: data + b'DT79999,"x\n', "collection_points.csv, dòng 62"),
    ("facilities.csv", lambda data: data + GOOD_FACILITY.encode() * 2, "facilities.csv, dòng 125: mã “79901” đã có ở dòng 124"),
    # Blank lines are skipped but counted, and a quoted value may run over several lines.
    ("facilities.csv", lambda data: data + b"\n\n79907,x,x,79,1,0,tinh,1,9\n", "facilities.csv, dòng 126: có 9 giá trị"),
    ("facilities.csv", lambda data: data + b"\n" + GOOD_FACILITY.encode() * 2,
     "facilities.csv, dòng 126: mã “79901” đã có ở dòng 125"),
    ("facilities.csv", lambda data: data + b'79908,"Ph\xc3\xb2ng\n\nkh\xc3\xa1m",x,79,1,0,tinh,1\n\n79909,x\n',
     "facilities.csv, dòng 128: có 2 giá trị"),
    ("facilities.csv", lambda data: data + b'\n\n79902,"Phong kham,x\n', "facilities.csv, dòng 126: sai định dạng CSV"),
    # The column of an unknown or missing code is the one read, not the first holding the same value.
    ("agencies.csv", lambda data: data + "07999,BHXH Gốc,,,x,,,0\n".encode(), "agencies.csv, dòng 139: cột province_code để trống."),
    ("employers.csv", lambda data: data + b"TB9999X,07998,0300000000,x,79,07998,0,1\n",
     "employers.csv, dòng 82: không có mã “07998” (cột agency_code)."),
    ("collection_points.csv", lambda data: data + b"DT79999,x,buu_dien,x,79,79,x,07901,1\n",
     "collection_points.csv, dòng 62: không có mã “79” (cột ward_code)."),
])
def test_a_malformed_data_file_stops_the_command_naming_the_file_and_line_and_changes_nothing(
        data_dir, no_reference_data, name, change, said):
    reference_data_load()
    before = {model: model.objects.count() for model in (Agency, MedicalFacility, Employer, CollectionPoint)}
    Agency.objects.filter(code="07901").update(phone="028 0000 0000")
    broken(data_dir, name, change)
    with pytest.raises(CommandError) as refused:
        call_command("load_reference_data", "--update", stdout=io.StringIO())
    assert said in str(refused.value), str(refused.value)
    assert "Traceback" not in str(refused.value) and "không thay đổi gì" in str(refused.value)
    assert before == {model: model.objects.count() for model in before}  # not one row of the good files either
    assert Agency.objects.get(code="07901").phone == "028 0000 0000"


def test_a_missing_data_file_is_named(data_dir, no_reference_data):
    (data_dir / "employers.csv").unlink()
    with pytest.raises(CommandError, match="employers.csv"):
        call_command("load_reference_data", stdout=io.StringIO())
    assert not Province.objects.exists()
