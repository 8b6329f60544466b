"""Bulk import of participation periods from CSV, streamed in batches.

Columns (header row required, UTF-8, comma-separated; a file whose header is one column holding ";", as
Excel set for Vietnamese saves CSV, is refused saying so and how to save it with commas):

| column | meaning | example |
|---|---|---|
| ma_so_bhxh | 10-digit BHXH code of a person in the registry | 7901234567 |
| loai | bhxh_bb, bhxh_tn, bhtn, bhtnld or bhyt | bhxh_bb |
| tu_thang, den_thang | first and last month, mm/yyyy (both counted) | 01/2020 |
| nguoi_dong | employer, self, household, state or fund | employer |
| ma_don_vi | employer unit code (required when nguoi_dong = employer) | TB3740U |
| chuc_vu | job title (optional) | Kỹ sư |
| muc_dong | monthly contribution base in đồng | 12500000 |
| ty_le | contribution rate in percent | 32 |
| so_tien | monthly amount in đồng | 4000000 |
| so_thang_no | months still owed at the end of the period (optional, default 0) | 0 |
| ma_tinh | 2-digit province code | 79 |
| ma_co_quan | managing BHXH agency code | 07901 |
| ma_kcb | initial KCB facility, BHYT rows only (optional) | 79001 |

A row is matched to an existing period by its natural key (code, type, first month, employer or
payer): importing the same file twice creates nothing the second time; a row repeating the key of an
earlier row of the file, in whatever batch, is refused naming that row's line. A row whose months a stored
period, or an earlier row, of the same person, type and payer (the same employer when an employer
pays) already covers is refused, as on the officers' form; different employers may overlap. Each
batch locks its people's rows (in primary-key order within the batch) before reading their periods,
until the import commits, as period_save does: an officer's form or a deletion writing periods of the
same person meanwhile is checked before or after it, never alongside. Lock order, everywhere: the
person, then the period rows. Imports run one at a time, and not alongside a deletion of several
people's periods (wait_for_writers_of_many_people, taken first): the people of one import's batches
are not in one order, so two such writers could each hold a person the other waits for. Rows with errors are
reported by line number and skipped, each error written when it is found in the language then active (the
officer's request's in the admin, LANGUAGE_CODE's in the command); a dry run reports without writing.
Only `BATCH` rows are held in memory at a time.

An officer's import reaches only the people the officer may see (`persons`): a code of someone
else gets the same answer as a code that does not exist, so a dry run cannot be used to probe
the registry. A real import leaves one admin log entry naming the officer and the counts.

Notices: one import tells each person whose periods it created or changed once — one in-portal
notice and one SMS (`person_notify`, template `participation_import`) summing up the insurance
types, the overall month range and the number of periods — however many rows or batches that
person's periods span. Who is told is what `people_told_of` decides. While the batches run, a
small summary is kept per person to tell (`_Told`: count, kinds as bits, first and last month;
≈ 220 bytes each with its dict entry, measured: an import touching 500,000 people with accounts
holds ≈ 110 MB), never the periods themselves; people without anyone to tell are not kept. The notices are written at
the end, in the import's transaction (SMS leave when it commits); a dry run, a file that changes
nothing and rows with errors tell nobody. Idempotency keys name the import run (`run_id`): a
retried delivery sends nothing twice, and every import that changes something tells anew.
"""

import csv
import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Person
from accounts.selectors import OFFICER_RECORD_UNKNOWN, officer_record_unknown, officers_own_person_ids, people_told_of
from accounts.services.notices import person_notify
from lookup.models import Agency, Employer, MedicalFacility, Province

from ..models import Period
from ..selectors import TABS_BY_KIND
from .periods import (
    OTHER_AGENCY_OVERLAP,
    TRACKED_FIELDS,
    kind_labels,
    overlap_message,
    wait_for_writers_of_many_people,
)

BATCH = 2000
COLUMNS = ["ma_so_bhxh", "loai", "tu_thang", "den_thang", "nguoi_dong", "ma_don_vi", "chuc_vu", "muc_dong", "ty_le",
           "so_tien", "so_thang_no", "ma_tinh", "ma_co_quan", "ma_kcb"]
REQUIRED = {"ma_so_bhxh", "loai", "tu_thang", "den_thang", "nguoi_dong", "muc_dong", "ty_le", "so_tien", "ma_tinh",
            "ma_co_quan"}
MAX_ERRORS_KEPT = 1000
KINDS = frozenset(Period.Kind.values)
PAYERS = frozenset(Period.Payer.values)
KIND_BITS = {kind: 1 << index for index, kind in enumerate(Period.Kind.values)}
NOTIFY_CHUNK = 500

# Per person to tell: (periods created or changed, kinds as KIND_BITS, first month, last month).
_Told = tuple[int, int, datetime.date, datetime.date]


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append((line, message))


class RowError(Exception):
    pass


def _month(value: str, column: str) -> datetime.date:
    try:
        month, year = value.strip().split("/")
        return datetime.date(int(year), int(month), 1)
    except (ValueError, TypeError, OverflowError):  # OverflowError: a year or month beyond a C int
        raise RowError(gettext("cột %(column)s phải có dạng tháng/năm, ví dụ 01/2020 (đang là “%(value)s”)")
                       % {"column": column, "value": value}) from None


def _amount(value: str, column: str) -> int:
    try:
        number = int(value.strip().replace(".", "").replace(",", ""))
    except (ValueError, AttributeError):
        raise RowError(gettext("cột %(column)s phải là số tiền bằng đồng, ví dụ 12500000 (đang là “%(value)s”)")
                       % {"column": column, "value": value}) from None
    if number < 0:
        raise RowError(gettext("cột %(column)s không được âm") % {"column": column})
    return number


class _Lookups:
    """Reference rows by code, loaded once per import; people loaded per batch."""

    def __init__(self, agency_scope: set[int] | None, persons: QuerySet | None, actor=None):
        # The records of the officer and of their children: their periods are not theirs to write.
        self.own_ids = officers_own_person_ids(actor) if actor is not None else set()
        self.provinces = dict(Province.objects.values_list("code", "id"))
        self.agencies = dict(Agency.objects.values_list("code", "id"))
        self.employers = dict(Employer.objects.values_list("code", "id"))
        self.facilities = dict(MedicalFacility.objects.values_list("code", "id"))
        self.agency_scope = agency_scope
        self.persons = Person.objects.all() if persons is None else persons

    def code(self, table: dict, value: str, column: str, unknown) -> int:
        """The id of the code `value`; `unknown`, the error of a code not in `table` (%(code)s, %(column)s)."""
        key = (value or "").strip()
        if key not in table:
            raise RowError(str(unknown) % {"code": key, "column": column})
        return table[key]


# The error of a code that a reference table does not have, by table; read in the language active when it is made.
UNKNOWN_AGENCY = gettext_lazy("Cơ quan BHXH “%(code)s” (cột %(column)s) không có trong danh mục")
UNKNOWN_EMPLOYER = gettext_lazy("Đơn vị “%(code)s” (cột %(column)s) không có trong danh mục")
UNKNOWN_PROVINCE = gettext_lazy("Tỉnh “%(code)s” (cột %(column)s) không có trong danh mục")
UNKNOWN_FACILITY = gettext_lazy("Cơ sở KCB “%(code)s” (cột %(column)s) không có trong danh mục")


def _period_from_row(row: dict, people: dict[str, Person], lookups: _Lookups) -> Period:
    if any("\x00" in value for value in row.values() if isinstance(value, str)):
        # PostgreSQL refuses NUL in text.
        raise RowError(gettext("dòng có ký tự rỗng (NUL); hãy lưu lại tệp dạng CSV UTF-8"))
    if None in row:  # csv.DictReader keeps the values beyond the header under None
        raise RowError(gettext("dòng có %(count)s cột, nhiều hơn dòng tiêu đề (%(header)s cột); giá trị có dấu phẩy "
                               "phải đặt trong ngoặc kép") % {"count": len(row) - 1 + len(row[None]), "header": len(row) - 1})
    missing = sorted(column for column in REQUIRED if not (row.get(column) or "").strip())
    if missing:
        raise RowError(gettext("thiếu %(columns)s") % {"columns": ", ".join(missing)})
    person = people.get(row["ma_so_bhxh"].strip())
    if person is None:
        # One answer for "no such code" and "someone you may not see": no registry probe.
        raise RowError(gettext("mã số BHXH %(code)s không có trong hồ sơ hoặc không thuộc phạm vi quản lý của bạn")
                       % {"code": row["ma_so_bhxh"].strip()})
    if person.pk in lookups.own_ids:
        raise RowError(gettext("mã số BHXH %(code)s là của chính bạn hoặc của người bạn là cha, mẹ, người giám hộ: "
                               "cán bộ không nhập quá trình tham gia của chính mình, hãy để một cán bộ khác của cơ "
                               "quan nhập") % {"code": person.bhxh_code})
    kind = row["loai"].strip()
    if kind not in KINDS:
        raise RowError(gettext("loại “%(value)s” không hợp lệ (dùng %(allowed)s)")
                       % {"value": kind, "allowed": ", ".join(Period.Kind.values)})
    payer = row["nguoi_dong"].strip()
    if payer not in PAYERS:
        raise RowError(gettext("người đóng “%(value)s” không hợp lệ (dùng %(allowed)s)")
                       % {"value": payer, "allowed": ", ".join(Period.Payer.values)})
    agency_id = lookups.code(lookups.agencies, row["ma_co_quan"], "ma_co_quan", UNKNOWN_AGENCY)
    if lookups.agency_scope is not None and agency_id not in lookups.agency_scope:
        raise RowError(gettext("cơ quan %(code)s không thuộc phạm vi quản lý của bạn") % {"code": row["ma_co_quan"].strip()})
    try:
        rate = Decimal(row["ty_le"].strip().replace(",", "."))
        if not rate.is_finite():  # "NaN", "Infinity": read by Decimal, no rate
            raise InvalidOperation
    except InvalidOperation:
        raise RowError(gettext("cột ty_le phải là số phần trăm, ví dụ 32 (đang là “%(value)s”)")
                       % {"value": row["ty_le"]}) from None
    unpaid = (row.get("so_thang_no") or "0").strip() or "0"
    if not (unpaid.isascii() and unpaid.isdigit()) or len(unpaid) > 4:  # "²" is a digit to isdigit(), not to int()
        raise RowError(gettext("cột so_thang_no phải là số tháng"))
    period = Period(
        person=person,
        kind=kind,
        from_month=_month(row["tu_thang"], "tu_thang"),
        to_month=_month(row["den_thang"], "den_thang"),
        payer=payer,
        employer_id=lookups.code(lookups.employers, row["ma_don_vi"], "ma_don_vi", UNKNOWN_EMPLOYER)
        if (row.get("ma_don_vi") or "").strip() else None,
        job_title=(row.get("chuc_vu") or "").strip()[:200],
        base=_amount(row["muc_dong"], "muc_dong"),
        rate=rate,
        amount=_amount(row["so_tien"], "so_tien"),
        unpaid_months=int(unpaid),
        province_id=lookups.code(lookups.provinces, row["ma_tinh"].zfill(2), "ma_tinh", UNKNOWN_PROVINCE),
        agency_id=agency_id,
        facility_id=lookups.code(lookups.facilities, row["ma_kcb"], "ma_kcb", UNKNOWN_FACILITY)
        if (row.get("ma_kcb") or "").strip() else None,
    )
    try:
        # Field checks and the model's own rules, in Python: the database constraints stay as the
        # last line of defence, but checking them row by row would cost a query per constraint.
        period.clean_fields(exclude=["import_key", "person", "employer", "province", "agency", "facility"])
        period.clean()
    except ValidationError as error:
        raise RowError(_sentences(error.messages)) from None
    employer_code = row["ma_don_vi"].strip() if period.employer_id else payer
    period.import_key = f"{person.bhxh_code}|{kind}|{period.from_month:%Y-%m}|{employer_code}"
    return period


def _sentences(messages: list[str]) -> str:
    """The model's messages about one row as one text, each sentence ending once."""
    return " ".join(message if message.endswith((".", "!", "?")) else message + "." for message in messages)


def _apply_batch(batch: list[tuple[int, dict]], lookups: _Lookups, report: ImportReport,
                 told: dict[int, _Told], seen: dict[str, int]) -> None:
    """`seen`: the import key of every row read so far in the file, earlier batches' too → its line."""
    codes = {(row.get("ma_so_bhxh") or "").strip() for _line, row in batch}
    people = {p.bhxh_code: p for p in lookups.persons.filter(bhxh_code__in=codes)}
    parsed: dict[str, tuple[int, Period]] = {}
    for line, row in batch:
        try:
            period = _period_from_row(row, people, lookups)
        except RowError as error:
            report.add_error(line, str(error))
            continue
        first = seen.setdefault(period.import_key, line)
        if first != line:
            report.add_error(line, gettext("trùng với dòng %(line)s (cùng người, loại, tháng bắt đầu, đơn vị)")
                             % {"line": first})
            continue
        parsed[period.import_key] = (line, period)
    # The people first, in key order, then their periods (the lock order of period_save and the form),
    # FOR NO KEY UPDATE as lock_person.
    list(Person.objects.select_for_update(no_key=True).filter(pk__in={p.person_id for _line, p in parsed.values()})
         .order_by("pk").values_list("pk", flat=True))
    existing = {p.import_key: p for p in Period.objects.filter(import_key__in=parsed.keys())}
    spans = _payer_spans([period for _line, period in parsed.values()])
    to_create, to_update, changed_fields = [], [], set()
    now = timezone.now()
    for key, (line, period) in parsed.items():
        current = existing.get(key)
        if current is not None and lookups.agency_scope is not None and current.agency_id not in lookups.agency_scope:
            # The row names the officer's agency, but the period it would rewrite is another's.
            report.add_error(line, gettext("giai đoạn này đã có và do cơ quan BHXH khác quản lý; chỉ cơ quan đó được "
                                           "sửa"))
            continue
        changes = {name for name in TRACKED_FIELDS if current is None or getattr(current, name) != getattr(period, name)}
        if not changes:
            report.unchanged += 1
            continue
        overlap = _overlap(period, line, spans, lookups.agency_scope)
        if overlap:
            report.add_error(line, overlap)
            continue
        if current is None:
            to_create.append(period)
            continue
        for name in changes:
            setattr(current, name, getattr(period, name))
        current.updated_at = now  # bulk_update does not apply auto_now
        changed_fields |= changes
        to_update.append(current)
    Period.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Period.objects.bulk_update(to_update, sorted(changed_fields | {"updated_at"}), batch_size=1000)
    report.created += len(to_create)
    report.updated += len(to_update)
    _remember(to_create + to_update, told)


# Per (person, type, payer, employer): import key → (first month, last month, line of the file or None
# when stored, employer's name, agency).
_Spans = dict[tuple, dict[str, tuple[datetime.date, datetime.date, int | None, str | None, int]]]


def _payer_key(person_id, kind, payer, employer_id) -> tuple:
    return person_id, kind, payer, employer_id if payer == Period.Payer.EMPLOYER else None


def _payer_spans(periods: list[Period]) -> _Spans:
    """The stored months of every payer the batch's periods name, for their people and types."""
    spans: _Spans = {}
    if not periods:
        return spans
    stored = Period.objects.filter(person_id__in={p.person_id for p in periods}, kind__in={p.kind for p in periods},
                                   to_month__gte=min(p.from_month for p in periods),
                                   from_month__lte=max(p.to_month for p in periods))
    for row in stored.values_list("person_id", "kind", "payer", "employer_id", "import_key", "from_month", "to_month",
                                  "employer__name", "agency_id"):
        person_id, kind, payer, employer_id, key, first, last, employer_name, agency_id = row
        spans.setdefault(_payer_key(person_id, kind, payer, employer_id), {})[key] = (
            first, last, None, employer_name, agency_id)
    return spans


def _overlap(period: Period, line: int, spans: _Spans, scope: set[int] | None) -> str | None:
    """Why this row's months cannot be taken (the same payer already pays the same type for one of
    them, in a stored period or an earlier row of the file), or None; when taken, its months replace
    those of the period it rewrites, for the rows after it. Rows of earlier batches are stored by then.
    A stored period outside the officer's `scope` is not named, as on the form."""
    group = spans.setdefault(_payer_key(period.person_id, period.kind, period.payer, period.employer_id), {})
    for key, (first, last, other_line, employer_name, agency_id) in sorted(group.items(), key=lambda item: item[1][0]):
        if key != period.import_key and first <= period.to_month and last >= period.from_month:
            if other_line is not None:
                return gettext("trùng với giai đoạn %(first)s–%(last)s ở dòng %(line)s (cùng người đóng, cùng loại bảo "
                               "hiểm)") % {"first": f"{first:%m/%Y}", "last": f"{last:%m/%Y}", "line": other_line}
            message = (str(OTHER_AGENCY_OVERLAP) if scope is not None and agency_id not in scope else
                       overlap_message(from_month=first, to_month=last, payer=period.payer, employer_name=employer_name))
            return message[0].lower() + message[1:]
    group[period.import_key] = (period.from_month, period.to_month, line, None, period.agency_id)
    return None


def _remember(touched: list[Period], told: dict[int, _Told]) -> None:
    """Add this batch's created and changed periods to the summaries of the people to tell."""
    notify = people_told_of({p.person_id for p in touched})
    for period in touched:
        if period.person_id not in notify:
            continue
        count, kinds, first, last = told.get(period.person_id, (0, 0, period.from_month, period.to_month))
        told[period.person_id] = (count + 1, kinds | KIND_BITS[period.kind], min(first, period.from_month),
                                  max(last, period.to_month))


def _kinds(kinds: int) -> list:
    """The insurance types of a summary's KIND_BITS, in the model's order."""
    return [kind for kind in Period.Kind if kinds & KIND_BITS[kind]]


def _notify_told(told: dict[int, _Told], run_id: str) -> None:
    """One summary notice (in-portal + SMS) per person told, for the whole import."""
    ids = sorted(told)
    for start in range(0, len(ids), NOTIFY_CHUNK):
        for person in Person.objects.filter(pk__in=ids[start:start + NOTIFY_CHUNK]).order_by("pk"):
            count, kinds, first, last = told[person.pk]
            # The link opens the tab of the first type the notice names: a tab that changed, and the
            # BHXH tab (the one the history opens on) whenever BHXH is among them.
            tab = TABS_BY_KIND[_kinds(kinds)[0]].slug
            person_notify(
                person=person, template="participation_import",
                context={"count": count, "kinds": kind_labels(_kinds(kinds)), "first": first, "last": last, "tab": tab},
                change_key=f"period-import-{run_id}-{person.pk}",
            )


def _log_import(actor, report: ImportReport, source: str) -> None:
    """One admin log entry per real import: who imported which file, and what it did."""
    LogEntry.objects.create(
        user=actor, content_type=ContentType.objects.get_for_model(Period), object_id=None,
        object_repr=f"Nhập CSV {source}".strip()[:200], action_flag=CHANGE,
        change_message=(f"Nhập quá trình tham gia từ CSV: {report.rows} dòng, thêm mới {report.created}, "
                        f"cập nhật {report.updated}, không thay đổi {report.unchanged}, lỗi {report.error_count}."),
    )


def periods_import(*, lines: Iterable[str], dry_run: bool, agency_scope: set[int] | None = None,
                   persons: QuerySet | None = None, actor=None, source: str = "",
                   run_id: str | None = None) -> ImportReport:
    """Import periods from CSV text lines. `agency_scope`: agency ids the importing officer may
    write for (None: all); `persons`: the people the officer may see (None: everyone); `actor`:
    the officer, named in the admin log of a real import, whose own and whose children's rows are
    refused (an officer whose own record is not known imports nothing); `source`: the file's name, for that log;
    `run_id`: names this import in the notices' idempotency keys (a task that may run twice passes
    its own; default: a new one per call). Returns what happened, or would happen on a dry run."""
    report = ImportReport(dry_run=dry_run)
    reader = csv.DictReader(lines)
    header = [name.strip() for name in (reader.fieldnames or [])]
    if len(header) == 1 and ";" in header[0]:
        # Excel set for Vietnamese saves "CSV" with semicolons: the columns are there, not separated by commas.
        report.add_error(1, gettext(
            "các cột của tệp cách nhau bằng dấu chấm phẩy (;), tệp phải cách cột bằng dấu phẩy (,). Excel đặt cho "
            "tiếng Việt lưu CSV bằng dấu chấm phẩy: hãy lưu từ LibreOffice Calc (Lưu thành “Văn bản CSV”, dấu phân "
            "cách trường là dấu phẩy) hoặc từ Google Trang tính (Tải xuống dạng CSV), hoặc đổi “List separator” của "
            "Windows (Region → Additional settings) thành dấu phẩy rồi lưu lại dạng CSV UTF-8 từ Excel"))
        return report
    missing = [name for name in sorted(REQUIRED) if name not in header]
    if missing:
        report.add_error(1, gettext("thiếu cột %(missing)s. Cột cần có: %(columns)s")
                         % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)})
        return report
    if actor is not None and officer_record_unknown(actor):  # whose periods are their own cannot be known
        report.add_error(1, str(OFFICER_RECORD_UNKNOWN))
        return report
    reader.fieldnames = header
    lookups = _Lookups(agency_scope, persons, actor)
    told: dict[int, _Told] = {}
    # Every row's key (code, type, first month, employer: ≈ 40 characters) for the whole file, so that a
    # row repeating one of an earlier batch is refused instead of rewriting what it wrote (≈ 150 bytes a
    # row with its dict entry: 15 MB for 100,000 rows).
    seen: dict[str, int] = {}
    with transaction.atomic():
        wait_for_writers_of_many_people()
        batch: list[tuple[int, dict]] = []
        for row in reader:
            report.rows += 1
            batch.append((reader.line_num, row))
            if len(batch) >= BATCH:
                _apply_batch(batch, lookups, report, told, seen)
                batch = []
        if batch:
            _apply_batch(batch, lookups, report, told, seen)
        if dry_run:
            transaction.set_rollback(True)
        else:
            _notify_told(told, run_id or uuid.uuid4().hex)
            if actor is not None:
                _log_import(actor, report, source)
    return report
