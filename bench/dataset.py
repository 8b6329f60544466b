"""The benchmarks' data set: a national-scale registry built fast on PostgreSQL.

`build(persons=100_000)` fills a migrated database with
- the reference data (`manage.py load_reference_data`) plus 15,000 KCB facilities, 100,000
  employer units and 10,000 collection points spread over every province and ward;
- N persons with Vietnamese names (weighted family names, one or two middle names, diacritics),
  birth dates, CCCD numbers that agree with birth year and sex, mobile numbers, addresses,
  parents' names, and the managing agency;
- a participation history for each (jobs at employer units, salary steps, BHXH, BHTN from 2009,
  BHTNLĐ-BNN from 2016, BHYT with the initial KCB facility, some voluntary BHXH at the end) and
  an active BHYT card;
- one person with 40 years of monthly history (`LONG_HISTORY_CODE`, 480 months of each kind it
  paid), a login for that citizen, a clinic staff login and API tokens of clinic software.

Rows go in with COPY in chunks (never the ORM row by row); the large tables' secondary indexes
and constraints are dropped during the load and rebuilt once after it, then ANALYZE. Search keys
are the app's own: `vssid_portal.text.fold`, checked against a sample after the load. The
handful of rows that need the app's rules (logins, the card of the 40-year person, API tokens)
go through the app's own services and models.

Run alone: `DATABASE_URL=postgres://… .venv/bin/python bench/dataset.py --persons 100000`
(the database must be empty or freshly migrated; the benchmarks build it themselves).
"""

import argparse
import datetime
import io
import itertools
import os
import random
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vssid_portal.settings")

LONG_HISTORY_CODE = "7900000040"
CITIZEN_PASSWORD = "Bench-Mat-khau-2026!"
CLINIC_USERNAME = "nhanvienkcb_bench"
CLINIC_PERSON_CODE = "7900000041"
API_TOKENS = 100
CHUNK = 20_000

# Family names with their approximate share of the population; the rest share "other".
SURNAMES = [("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 51), ("Huỳnh", 51),
            ("Phan", 45), ("Vũ", 39), ("Võ", 39), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
            ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Trương", 6), ("Đinh", 5), ("Lâm", 4), ("Mai", 4),
            ("Tạ", 3), ("Lương", 3), ("Trịnh", 3), ("Đoàn", 3), ("Cao", 2), ("Quách", 2), ("Tô", 2),
            ("Hà", 2), ("Châu", 2), ("Thái", 2), ("Kiều", 1), ("Lục", 1), ("Âu", 1), ("Triệu", 1)]
MIDDLE = {1: ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Gia", "Xuân", "Công", "Trọng", "Đình", "Ngọc",
              "Tuấn", "Hoàng", "Quang", "Bá", "Duy", "Việt", "Mạnh", "Thế"],
          2: ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hoài", "Bảo", "Mỹ", "Phương", "Diệu", "Thùy", "Hồng",
              "Quỳnh", "Khánh", "Minh", "Tuyết", "Bích", "Hải", "Xuân", "Ánh"]}
GIVEN = {1: ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khang", "Long", "Nam", "Phúc", "Quân",
             "Sơn", "Tâm", "Thắng", "Toàn", "Trí", "Tuấn", "Việt", "Vinh", "Hiếu", "Huy", "Khoa", "Kiên",
             "Lâm", "Lộc", "Lợi", "Nghĩa", "Nhân", "Phong", "Quang", "Tài", "Thành", "Thịnh", "Tiến",
             "Trung", "Tú", "Vũ", "Đạt", "Định", "Bảo", "Duy", "Hoàng", "Khải", "Mạnh", "Phát", "Sang",
             "Thái", "Triều", "Hưng"],
         2: ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Loan", "Mai", "Ngân",
             "Nhung", "Oanh", "Phượng", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Hằng", "Hoa", "Huyền",
             "Khánh", "Liên", "Ly", "My", "Nga", "Ngọc", "Nhi", "Như", "Quyên", "Quỳnh", "Thu", "Thủy",
             "Thư", "Trâm", "Uyên", "Vy", "Xuân", "Diệp", "Duyên", "Hiền", "Hồng", "Lệ", "Nguyệt",
             "Phương", "Tâm", "Thoa", "Đào"]}
STREETS = ["Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Trần Hưng Đạo", "Lý Thường Kiệt", "Cách Mạng Tháng Tám",
           "Nguyễn Trãi", "Điện Biên Phủ", "Võ Văn Tần", "Pasteur", "Nguyễn Đình Chiểu", "Phan Xích Long",
           "Quang Trung", "Lê Duẩn", "Hùng Vương", "Trần Phú", "Ngô Quyền", "Bà Triệu", "Phạm Văn Đồng",
           "Nguyễn Văn Linh", "Lê Hồng Phong", "Đống Đa", "Hoàng Diệu", "Lạc Long Quân"]
COMPANY_FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã", "Công ty TNHH MTV",
                 "Chi nhánh Công ty Cổ phần"]
TRADES = ["Dệt may", "Xây dựng", "Thương mại", "Dịch vụ", "Vận tải", "Thực phẩm", "Cơ khí", "Điện tử",
          "Nông sản", "Thủy sản", "Du lịch", "Công nghệ", "Giáo dục", "Bất động sản", "Xuất nhập khẩu",
          "Giày da", "Chế biến gỗ", "Nhựa", "Dược phẩm", "Logistics", "In ấn", "Môi trường", "Cà phê", "Điện lạnh"]
BRANDS = ["Sài Gòn", "Hà Nội", "Đông Á", "Phương Nam", "Miền Bắc", "Việt Hưng", "Thành Công", "Hoàng Long",
          "An Phát", "Minh Khang", "Tân Tiến", "Hồng Hà", "Mê Kông", "Trường Sơn", "Bình Minh", "Đại Việt",
          "Hưng Thịnh", "Phúc Lộc", "Kim Ngân", "Thăng Long", "Cửu Long", "Sông Đà", "Hòa Bình", "Ánh Dương",
          "Quốc Tế", "Thiên Phú", "Đức Thành", "Nam Á", "Bắc Sơn", "Lạc Hồng"]
JOBS = ["Công nhân", "Nhân viên kinh doanh", "Kế toán", "Kỹ sư", "Nhân viên văn phòng", "Tổ trưởng sản xuất",
        "Lái xe", "Giáo viên", "Điều dưỡng", "Thợ may", "Trưởng phòng", "Nhân viên kỹ thuật", "Bảo vệ"]
FACILITY_KINDS = [("Trạm Y tế", "co_so", 55), ("Phòng khám Đa khoa", "co_so", 20), ("Trung tâm Y tế", "co_so", 12),
                  ("Bệnh viện Đa khoa", "tinh", 8), ("Bệnh viện", "tinh", 4), ("Bệnh viện Trung ương", "trung_uong", 1)]
FACILITY_FIELDS = ["Nội tiết", "Nhi", "Sản", "Mắt", "Tai Mũi Họng", "Y học cổ truyền", "Phục hồi chức năng"]
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _setup():
    import django

    django.setup()


# --- COPY helpers -------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


class Copier:
    """Rows of one table as COPY text, sent in chunks on Django's psycopg connection."""

    def __init__(self, cursor, table: str, columns: list[str]):
        self.cursor, self.table, self.columns = cursor, table, columns
        self.buffer, self.count = io.StringIO(), 0

    def add(self, *values) -> None:
        self.buffer.write("\t".join(map(_text, values)))
        self.buffer.write("\n")
        self.count += 1

    def flush(self) -> None:
        data = self.buffer.getvalue()
        if data:
            with self.cursor.copy(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
                copy.write(data)
        self.buffer = io.StringIO()


def _required_columns(cursor, table: str) -> set[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO' "
        "AND column_default IS NULL AND is_identity = 'NO'", [table])
    return {row[0] for row in cursor.fetchall()}


def _check_columns(cursor, table: str, columns: list[str]) -> None:
    missing = _required_columns(cursor, table) - set(columns) - {"id"}
    if missing:
        raise RuntimeError(f"{table}: the builder does not fill the required columns {sorted(missing)}; add them to bench/dataset.py")


@contextmanager
def deferred_indexes(cursor, table: str):
    """Drop the table's secondary indexes and constraints (not the primary key) while rows are
    loaded, and rebuild each once afterwards, from PostgreSQL's own definitions."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('u', 'f', 'c')",
        [table])
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)",
        [table, table])
    indexes = cursor.fetchall()
    for name, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield  # after an error the transaction rolls back, and the drops with it
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


@contextmanager
def version_triggers_off(cursor, *tables: str):
    """Load new persons' rows without the content-version triggers (accounts/content_version.py):
    they would rewrite every new person once per chunk, and a person created here has no page
    stored under any version yet."""
    for table in tables:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    for table in tables:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def _sync_sequence(cursor, table: str) -> None:
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


# --- names ------------------------------------------------------------------------------------

@dataclass
class Namer:
    """Random Vietnamese names with their folded keys, folded once per word (fold works word by word)."""

    rng: random.Random
    fold: object
    folded: dict = field(default_factory=dict)

    def __post_init__(self):
        self.surnames = [name for name, _ in SURNAMES]
        self.weights = [weight for _, weight in SURNAMES]
        self.cumulative = list(itertools.accumulate(self.weights))
        for word in {*self.surnames, *itertools.chain(*MIDDLE.values()), *itertools.chain(*GIVEN.values())}:
            self.folded[word] = self.fold(word)

    def surname(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self.cumulative)[0]

    def name(self, sex: int, surname: str | None = None) -> tuple[str, str]:
        rng = self.rng
        words = [surname or self.surname(), rng.choice(MIDDLE[sex])]
        if rng.random() < 0.3:
            second = rng.choice(MIDDLE[sex])
            if second != words[1]:
                words.append(second)
        words.append(rng.choice(GIVEN[sex]))
        return " ".join(words), " ".join(self.folded[word] for word in words)


# --- the builder --------------------------------------------------------------------------------

@dataclass
class Reference:
    provinces: list  # (id, code, name)
    wards: dict  # province id → [(id, name)]
    agencies: dict  # province id → [agency id] (local offices, or the province office)
    facilities: dict = field(default_factory=dict)  # province id → [facility id] with a BHYT contract
    employers: dict = field(default_factory=dict)  # province id → [(id, code, agency id)]


def _reference(cursor) -> Reference:
    cursor.execute("SELECT id, code, name FROM lookup_province ORDER BY code")
    provinces = cursor.fetchall()
    wards: dict = {}
    cursor.execute("SELECT id, name, province_id FROM lookup_ward ORDER BY code")
    for ward_id, name, province_id in cursor.fetchall():
        wards.setdefault(province_id, []).append((ward_id, name))
    agencies: dict = {}
    cursor.execute("SELECT id, province_id, parent_id FROM lookup_agency ORDER BY code")
    rows = cursor.fetchall()
    for agency_id, province_id, parent_id in rows:
        if parent_id is not None:
            agencies.setdefault(province_id, []).append(agency_id)
    for agency_id, province_id, parent_id in rows:
        if parent_id is None and province_id not in agencies:
            agencies[province_id] = [agency_id]
    fallback = rows[0][0]
    for province_id, _code, _name in provinces:
        agencies.setdefault(province_id, [fallback])
    return Reference(provinces=provinces, wards=wards, agencies=agencies)


def _address(rng, ref: Reference, province) -> tuple[int, str]:
    ward_id, ward_name = rng.choice(ref.wards[province[0]])
    return ward_id, f"{rng.randrange(1, 500)} {rng.choice(STREETS)}, {ward_name}, {province[2]}"


def build_facilities(cursor, ref: Reference, *, total: int, rng, fold) -> int:
    cursor.execute("SELECT code FROM lookup_medicalfacility")
    codes = {row[0] for row in cursor.fetchall()}
    kinds = [(prefix, level) for prefix, level, _w in FACILITY_KINDS]
    weights = [w for _p, _l, w in FACILITY_KINDS]
    columns = ["search_key", "code", "name", "address", "province_id", "level", "bhyt_contract", "issues_sick_leave", "is_demo"]
    _check_columns(cursor, "lookup_medicalfacility", columns)
    copier = Copier(cursor, "lookup_medicalfacility", columns)
    made = 0
    while len(codes) < total:
        province = ref.provinces[made % len(ref.provinces)]
        code = province[1] + "".join(rng.choice(ALNUM) for _ in range(3))
        made += 1
        if code in codes:
            continue
        codes.add(code)
        prefix, level = rng.choices(kinds, weights)[0]
        _ward, address = _address(rng, ref, province)
        place = address.split(", ")[1]
        if prefix == "Trạm Y tế":
            name = f"Trạm Y tế {place}"
        elif prefix == "Bệnh viện":
            name = f"Bệnh viện {rng.choice(FACILITY_FIELDS)} {province[2]}"
        else:
            name = f"{prefix} {rng.choice(BRANDS)} {place}"
        copier.add(fold(f"{code} {name} {address}"), code, name, address, province[0], level,
                   rng.random() < 0.95, level != "co_so" or rng.random() < 0.1, True)
    copier.flush()
    return copier.count


def build_employers(cursor, ref: Reference, *, total: int, rng, fold) -> int:
    cursor.execute("SELECT code, tax_code FROM lookup_employer")
    rows = cursor.fetchall()
    codes, taxes = {r[0] for r in rows}, {r[1] for r in rows}
    columns = ["search_key", "code", "name", "tax_code", "address", "province_id", "agency_id", "in_arrears", "is_demo"]
    _check_columns(cursor, "lookup_employer", columns)
    copier = Copier(cursor, "lookup_employer", columns)
    # Two thirds of the units in the two big cities, the rest spread over every province.
    big = [p for p in ref.provinces if p[1] in {"79", "01"}]
    index = 0
    while len(codes) < total:
        index += 1
        code = f"{LETTERS[index % 26]}{LETTERS[index // 26 % 26]}{index // 676 % 10000:04d}{LETTERS[index // 6_760_000 % 26]}"
        tax = f"{(3_000_000_000 + index * 7919) % 10**10:010d}"
        if code in codes or tax in taxes:
            continue
        codes.add(code)
        taxes.add(tax)
        province = rng.choice(big) if rng.random() < 0.66 else rng.choice(ref.provinces)
        name = f"{rng.choice(COMPANY_FORMS)} {rng.choice(TRADES)} {rng.choice(BRANDS)} {rng.choice(BRANDS)}"
        _ward, address = _address(rng, ref, province)
        copier.add(fold(f"{code} {tax} {name}"), code, name, tax, address, province[0],
                   rng.choice(ref.agencies[province[0]]), rng.random() < 0.04, True)
        if copier.count % CHUNK == 0:
            copier.flush()
    copier.flush()
    return copier.count


def build_collection_points(cursor, ref: Reference, *, total: int, rng, fold) -> int:
    from django.utils import translation

    from lookup.models import CollectionPoint

    with translation.override("vi"):  # the key holds the kind as the page shows it (CollectionPoint.search_text)
        kinds = {kind.value: str(kind.label) for kind in CollectionPoint.Kind}
    cursor.execute("SELECT COUNT(*) FROM lookup_collectionpoint")
    have = cursor.fetchone()[0]
    columns = ["search_key", "code", "name", "kind", "address", "province_id", "ward_id", "phone", "agency_id", "is_demo"]
    _check_columns(cursor, "lookup_collectionpoint", columns)
    copier = Copier(cursor, "lookup_collectionpoint", columns)
    for index in range(max(total - have, 0)):
        province = ref.provinces[index % len(ref.provinces)]
        ward_id, ward_name = rng.choice(ref.wards[province[0]])
        kind, label = rng.choice([("buu_dien", "Bưu cục"), ("ubnd", "UBND"), ("dai_ly", "Đại lý thu")])
        name = f"{label} {ward_name}" if kind != "dai_ly" else f"Đại lý thu {rng.choice(BRANDS)} – {ward_name}"
        address = f"{rng.randrange(1, 500)} {rng.choice(STREETS)}, {ward_name}, {province[2]}"
        code = f"BN{province[1]}{index:06d}"
        copier.add(fold(f"{code} {name} {kinds[kind]} {address}"), code, name, kind, address, province[0], ward_id,
                   f"(0{rng.randrange(20, 300)}) {rng.randrange(1000, 9999)}.{rng.randrange(1000, 9999)}",
                   rng.choice(ref.agencies[province[0]]), True)
    copier.flush()
    return copier.count


def _ids_by_province(cursor, sql: str) -> dict:
    cursor.execute(sql)
    result: dict = {}
    for row in cursor.fetchall():
        result.setdefault(row[-1], []).append(row[:-1] if len(row) > 2 else row[0])
    return result


def _month(year: int, month: int) -> datetime.date:
    return datetime.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _base(year: int, rng) -> int:
    """A contribution base that grows with the years (đồng, rounded to thousands)."""
    reference = 180_000 if year < 2000 else 290_000 + (year - 2000) * 95_000
    return int(round(reference * rng.uniform(1.6, 6.0), -3))


@dataclass
class PersonRows:
    persons: Copier
    periods: Copier
    cards: Copier


def build_persons(cursor, ref: Reference, *, total: int, histories: bool, rng, fold, log) -> dict:
    """N persons (with histories and cards) in chunks; returns the counts."""
    import phonenumbers

    from accounts.validators import MOBILE_PREFIXES, cccd_birth_digits

    namer = Namer(rng, fold)
    today = timezone.localdate()  # the portal's day (Vietnam), as its pages count it
    this_month = today.replace(day=1)
    prefixes = sorted(MOBILE_PREFIXES)
    cursor.execute("SELECT now()")  # COPY cannot call now(): one timestamp for every row
    now = cursor.fetchone()[0].isoformat()
    cursor.execute("SELECT code, level_id FROM health_card_beneficiarygroup")
    group_level = dict(cursor.fetchall())
    person_columns = ["id", "bhxh_code", "full_name", "name_key", "birth_date", "birth_year_only", "sex", "id_type",
                      "id_number", "phone", "province_id", "ward_id", "street", "mother_name", "father_name",
                      "mother_key", "father_key", "agency_id", "created_at", "updated_at"]
    period_columns = ["person_id", "kind", "from_month", "to_month", "payer", "employer_id", "job_title", "base", "rate",
                      "amount", "unpaid_months", "province_id", "agency_id", "facility_id", "import_key",
                      "created_at", "updated_at"]
    card_columns = ["person_id", "number", "legacy_number", "group_id", "level_id", "facility_id", "valid_from",
                    "valid_to", "five_year_date", "issued_on", "agency_id", "living_area", "status", "version",
                    "reason", "created_at"]
    _check_columns(cursor, "accounts_person", person_columns)
    _check_columns(cursor, "participation_period", period_columns)
    _check_columns(cursor, "health_card_card", card_columns)
    rows = PersonRows(Copier(cursor, "accounts_person", person_columns),
                      Copier(cursor, "participation_period", period_columns),
                      Copier(cursor, "health_card_card", card_columns))
    person_id = _next_id(cursor, "accounts_person")
    cursor.execute("SELECT bhxh_code FROM accounts_person")
    taken = {row[0] for row in cursor.fetchall()} | {LONG_HISTORY_CODE, CLINIC_PERSON_CODE}
    counters = {p[1]: 0 for p in ref.provinces}
    hcm = next(p for p in ref.provinces if p[1] == "79")
    employer_pool = [e for items in ref.employers.values() for e in items]
    valid_prefix: dict = {}
    started = time.perf_counter()
    for made in range(total):
        province = hcm if rng.random() < 0.3 else rng.choice(ref.provinces)
        while True:  # codes look random inside a province and never repeat (7919 is prime to 10^8)
            counters[province[1]] += 1
            code = f"{province[1]}{(counters[province[1]] * 7919 + 13_579) % 10**8:08d}"
            if code not in taken:
                break
        sex = 1 if rng.random() < 0.5 else 2
        surname = namer.surname()
        full_name, name_key = namer.name(sex, surname)
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 45))
        year_only = rng.random() < 0.03
        if year_only:
            birth = birth.replace(month=1, day=1)
        birth_place = f"0{province[1]}" if rng.random() < 0.7 else f"0{rng.choice(ref.provinces)[1]}"
        id_number = f"{birth_place}{cccd_birth_digits(birth.year, sex)}{rng.randrange(10**6):06d}"
        while True:
            prefix = rng.choice(prefixes)
            phone = f"+84{prefix[1:]}{rng.randrange(10**7):07d}"
            block = phone[:7]
            if block not in valid_prefix:
                valid_prefix[block] = phonenumbers.is_valid_number(phonenumbers.parse(phone))
            if valid_prefix[block]:
                break
        ward_id, _ward_name = rng.choice(ref.wards[province[0]])
        mother, mother_key = namer.name(2)
        father, father_key = namer.name(1, surname)
        agency_id = rng.choice(ref.agencies[province[0]])
        rows.persons.add(person_id, code, full_name, name_key, birth, year_only, sex, "cccd", id_number, phone,
                         province[0], ward_id, f"{rng.randrange(1, 500)} {rng.choice(STREETS)}", mother, father,
                         mother_key, father_key, agency_id, now, now)
        if histories:
            _history(rows, rng, person_id=person_id, code=code, birth=birth, ref=ref, province=province,
                     employer_pool=employer_pool, this_month=this_month, now=now, group_level=group_level,
                     agency_id=agency_id, today=today)
        person_id += 1
        if (made + 1) % CHUNK == 0:
            for copier in (rows.persons, rows.periods, rows.cards):
                copier.flush()
            if (made + 1) % (CHUNK * 10) == 0:
                log(f"  {made + 1:,} người ({time.perf_counter() - started:.0f} s)")
    for copier in (rows.persons, rows.periods, rows.cards):
        copier.flush()
    _sync_sequence(cursor, "accounts_person")
    return {"persons": rows.persons.count, "periods": rows.periods.count, "cards": rows.cards.count}


def _history(rows: PersonRows, rng, *, person_id, code, birth, ref, province, employer_pool, this_month, now,
             group_level, agency_id, today):
    """Jobs from age 18–26: each at one unit, in salary steps of 1–4 years (BHXH), with BHTN from
    2009, BHTNLĐ-BNN from 2016 and BHYT per job; a tenth end with voluntary BHXH."""
    from health_card.selectors import five_year_date

    start_year = max(birth.year + rng.randrange(18, 27), 1986)
    month = _month(start_year, rng.randrange(1, 13))
    last_bhyt = None
    bhyt_spans = []
    while month < this_month:
        employer_id, employer_code, employer_agency, employer_province = rng.choice(employer_pool)
        job_end = min(_month(month.year, month.month + rng.randrange(6, 15 * 12)), this_month)
        job_title = rng.choice(JOBS)
        step = month
        while step <= job_end:
            step_end = min(_month(step.year, step.month + rng.randrange(12, 48) - 1), job_end)
            base = _base(step.year, rng)
            rows.periods.add(person_id, "bhxh_bb", step, step_end, "employer", employer_id, job_title, base, "25.00",
                             base // 4, 0, employer_province, employer_agency, None,
                             f"{code}|bhxh_bb|{step:%Y-%m}|{employer_code}", now, now)
            step = _month(step_end.year, step_end.month + 1)
        base = _base(job_end.year, rng)
        for kind, since, rate in (("bhtn", datetime.date(2009, 1, 1), "2.00"), ("bhtnld", datetime.date(2016, 1, 1), "0.50")):
            begin = max(month, since)
            if begin <= job_end:
                rows.periods.add(person_id, kind, begin, job_end, "employer", employer_id, job_title, base, rate,
                                 round(base * float(rate) / 100), 0, employer_province, employer_agency, None,
                                 f"{code}|{kind}|{begin:%Y-%m}|{employer_code}", now, now)
        facility_id = rng.choice(ref.facilities.get(employer_province) or ref.facilities[ref.provinces[0][0]])
        rows.periods.add(person_id, "bhyt", month, job_end, "employer", employer_id, job_title, base, "4.50",
                         round(base * 0.045), 0, employer_province, employer_agency, facility_id,
                         f"{code}|bhyt|{month:%Y-%m}|{employer_code}", now, now)
        bhyt_spans.append((month, job_end))
        last_bhyt = ("DN", facility_id, job_end)
        month = _month(job_end.year, job_end.month + 1 + rng.randrange(0, 18))
    if rng.random() < 0.1 and month <= this_month:
        voluntary_from = min(month, this_month)
        base = 1_500_000 + rng.randrange(0, 30) * 100_000
        rows.periods.add(person_id, "bhxh_tn", voluntary_from, this_month, "self", None, "", base, "22.00",
                         base * 22 // 100, 0, province[0], agency_id, None, f"{code}|bhxh_tn|{voluntary_from:%Y-%m}|self",
                         now, now)
    # Every person holds an active card: from their last job, or by household.
    if last_bhyt is not None and last_bhyt[2] >= this_month:
        group, facility_id, valid_to = "DN", last_bhyt[1], None
    else:
        group = "HT" if birth.year < 1966 else "GD"
        facility_id = rng.choice(ref.facilities.get(province[0]) or ref.facilities[ref.provinces[0][0]])
        valid_to = datetime.date(today.year, 12, 31)
    valid_from = datetime.date(today.year, 1, 1)
    level = group_level[group]
    five_years = five_year_date([*bhyt_spans, (valid_from, valid_to or valid_from)])  # as card_issue reads it
    rows.cards.add(person_id, code, f"{group}{level}{province[1]}{code}", group, level, facility_id, valid_from,
                   valid_to, five_years, valid_from, agency_id, "", "active", 1, "Cấp mới", now)


def build_long_history_person(*, log) -> dict:
    """The citizen with 40 years of monthly history, the login of that citizen, a clinic staff
    login and the clinic software's API tokens: through the app's models and services."""
    from django.contrib.auth.models import Group, Permission
    from django.db import transaction

    from accounts import roles
    from accounts.models import Person, User
    from accounts.roles import sync_groups
    from health_card.models import BeneficiaryGroup
    from health_card.services import api_token_create, card_issue
    from lookup.models import Agency, Employer, MedicalFacility, Province, Ward
    from participation.models import Period

    hcm = Province.objects.get(code="79")
    ward = Ward.objects.filter(province=hcm).order_by("code").first()
    agency = Agency.objects.get(code="07901")
    facility = MedicalFacility.objects.filter(province=hcm, bhyt_contract=True).order_by("code").first()
    employers = list(Employer.objects.filter(province=hcm).order_by("code")[:4])
    with transaction.atomic():
        person = Person.objects.create(
            bhxh_code=LONG_HISTORY_CODE, full_name="Lê Thị Thu Hương", birth_date=datetime.date(1967, 5, 20),
            sex=Person.Sex.FEMALE, id_type="cccd", id_number="079167012345", phone="+84912345670", province=hcm,
            ward=ward, street="12 Lê Lợi", agency=agency, mother_name="Trần Thị Lan", father_name="Lê Văn Hùng")
        periods = []
        this_month = timezone.localdate().replace(day=1)
        first = _month(this_month.year - 40, this_month.month)
        rng = random.Random(40)
        for n in range(480):
            month = _month(first.year, first.month + n)
            employer = employers[n // 120]
            base = _base(month.year, rng)
            for kind, since, rate, facility_of in (
                ("bhxh_bb", None, "25.00", None), ("bhtn", datetime.date(2009, 1, 1), "2.00", None),
                ("bhtnld", datetime.date(2016, 1, 1), "0.50", None), ("bhyt", None, "4.50", facility),
            ):
                if since and month < since:
                    continue
                periods.append(Period(
                    person=person, kind=kind, from_month=month, to_month=month, payer="employer", employer=employer,
                    job_title="Kế toán trưởng" if n > 240 else "Kế toán", base=base, rate=rate,
                    amount=round(base * float(rate) / 100), province=hcm, agency=employer.agency, facility=facility_of,
                    import_key=f"{LONG_HISTORY_CODE}|{kind}|{month:%Y-%m}|{employer.code}"))
        Period.objects.bulk_create(periods, batch_size=2000)
        card_issue(person=person, group=BeneficiaryGroup.objects.get(code="DN"), facility=facility, agency=agency,
                   valid_from=datetime.date(this_month.year, 1, 1), valid_to=None,
                   issued_on=datetime.date(this_month.year, 1, 1), living_area="", reason="Cấp mới")
        citizen = User.objects.create_user(LONG_HISTORY_CODE, password=CITIZEN_PASSWORD, person=person,
                                           first_name="Hương", last_name="Lê Thị Thu")
        staff_person = Person.objects.create(
            bhxh_code=CLINIC_PERSON_CODE, full_name="Phạm Thu Hà", birth_date=datetime.date(1990, 9, 2),
            sex=Person.Sex.FEMALE, id_type="cccd", id_number="079190054321", phone="+84912345671", province=hcm,
            ward=ward, street="45 Pasteur", agency=agency)
        staff = User.objects.create_user(CLINIC_USERNAME, password=CITIZEN_PASSWORD, person=staff_person,
                                         facility=facility, is_staff=True, first_name="Hà", last_name="Phạm Thu")
        staff.groups.add(sync_groups(Group, Permission)[roles.CLINIC_STAFF])
        tokens = []
        for clinic in MedicalFacility.objects.filter(bhyt_contract=True).order_by("code")[:API_TOKENS]:
            tokens.append(api_token_create(facility=clinic, name="Phần mềm HIS (đo tải)")[1])
    log(f"  người có 40 năm lịch sử: {LONG_HISTORY_CODE}, {len(periods)} giai đoạn theo tháng")
    return {"citizen": citizen.username, "clinic_staff": staff.username, "api_tokens": tokens,
            "long_history_periods": len(periods)}


def check_search_keys(fold, sample: int = 2000) -> None:
    """The keys written by COPY must equal what the app computes itself."""
    from accounts.models import Person
    from lookup.models import Employer, MedicalFacility

    for person in Person.objects.order_by("?")[:sample]:
        assert person.name_key == fold(person.full_name), (person.bhxh_code, person.name_key, fold(person.full_name))
        assert (person.mother_key, person.father_key) == (fold(person.mother_name or ""), fold(person.father_name or "")), \
            (person.bhxh_code, person.mother_key, person.father_key)
    for model in (Employer, MedicalFacility):
        for row in model.objects.order_by("?")[:sample // 4]:
            assert row.search_key == fold(row.search_text()), (row.code, row.search_key)


def build(*, persons: int = 100_000, employers: int = 100_000, facilities: int = 15_000, collection_points: int = 10_000,
          histories: bool = True, seed: int = 2026, log=print) -> dict:
    """Fill the database named by DATABASE_URL; returns counts and seconds per step."""
    _setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from vssid_portal.text import fold

    rng = random.Random(seed)
    timings: dict = {}
    started = time.perf_counter()

    def step(name):
        timings[name] = round(time.perf_counter() - started - sum(timings.values()), 1)
        log(f"{name}: {timings[name]} s")

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_reference_data", stdout=quiet)
    step("migrate + load_reference_data")
    with connection.cursor() as cursor:
        cursor = cursor.cursor  # psycopg's own cursor: COPY
        ref = _reference(cursor)
        with transaction.atomic():
            counts = {"facilities": build_facilities(cursor, ref, total=facilities, rng=rng, fold=fold)}
            counts["employers"] = build_employers(cursor, ref, total=employers, rng=rng, fold=fold)
            counts["collection_points"] = build_collection_points(cursor, ref, total=collection_points, rng=rng, fold=fold)
        step("reference data at scale")
        ref.facilities = _ids_by_province(cursor, "SELECT id, province_id FROM lookup_medicalfacility WHERE bhyt_contract")
        ref.employers = _ids_by_province(cursor, "SELECT id, code, agency_id, province_id, province_id FROM lookup_employer")
        with transaction.atomic():
            with deferred_indexes(cursor, "accounts_person"), deferred_indexes(cursor, "participation_period"), \
                    deferred_indexes(cursor, "health_card_card"), \
                    version_triggers_off(cursor, "accounts_person", "participation_period", "health_card_card"):
                counts.update(build_persons(cursor, ref, total=persons, histories=histories, rng=rng, fold=fold, log=log))
                step("persons, histories, cards (COPY)")
            step("indexes and constraints rebuilt")
        for table in ("lookup_medicalfacility", "lookup_employer", "lookup_collectionpoint", "accounts_person",
                      "participation_period", "health_card_card"):
            cursor.execute(f"ANALYZE {table}")
        step("analyze")
    accounts = build_long_history_person(log=log)
    check_search_keys(fold)
    step("logins, 40-year history, checks")
    with connection.cursor() as cursor:
        for table in ("accounts_person", "participation_period", "health_card_card", "lookup_employer", "lookup_medicalfacility",
                      "lookup_collectionpoint"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[f"{table}_rows"] = cursor.fetchone()[0]
    timings["total"] = round(time.perf_counter() - started, 1)
    return {"counts": counts, "seconds": timings, "accounts": accounts}


def main():
    parser = argparse.ArgumentParser(description="Build the benchmark data set in DATABASE_URL (PostgreSQL).")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--employers", type=int, default=100_000)
    parser.add_argument("--facilities", type=int, default=15_000)
    parser.add_argument("--no-histories", action="store_true", help="persons only, no periods or cards")
    args = parser.parse_args()
    result = build(persons=args.persons, employers=args.employers, facilities=args.facilities,
                   histories=not args.no_histories)
    result["accounts"].pop("api_tokens")
    print(result)


if __name__ == "__main__":
    main()
