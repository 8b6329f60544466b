"""Writes to the reference data: the idempotent loader behind `manage.py load_reference_data`."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from vietnam_provinces import Province as VnProvince
from vietnam_provinces import Ward as VnWard

from vssid_portal.text import normalize_name

from .models import (
    DEFAULT_WORKING_HOURS,
    Agency,
    CollectionPoint,
    Employer,
    MedicalFacility,
    Province,
    Searchable,
    Ward,
)
from .signals import bulk_updated

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other):
        return SyncResult(self.created + other.created, self.updated + other.updated, self.unchanged + other.unchanged)

    def __str__(self):
        return f"{self.created} mới, {self.updated} cập nhật, {self.unchanged} không đổi"


class ReferenceDataError(Exception):
    """A bundled data file that cannot be loaded as it is; the message names the file and the line."""


LINE = "_line"  # the line of the data file a row starts on


def _read_csv(name: str, columns: tuple[str, ...]) -> list[dict]:
    """The rows of a data file, each with the line it starts on (`LINE`): UTF-8 CSV with a header
    naming `columns` at least (`code` first), a value for each column in every row, each code once."""
    try:
        data = (DATA_DIR / name).read_bytes()
    except OSError as exc:
        raise ReferenceDataError(f"{name}: không đọc được tệp ({exc.strerror}).") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ReferenceDataError(f"{name}, dòng {line}: không phải văn bản UTF-8.") from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, start, lines = [], 1, {}
    try:
        header = next(reader, [])
        if missing := [column for column in columns if column not in header]:
            raise ReferenceDataError(f"{name}: thiếu cột {', '.join(missing)}.")
        while True:
            start = reader.line_num + 1  # a quoted value may run over several lines
            if (values := next(reader, None)) is None:
                break
            if not values:  # a blank line
                continue
            if len(values) != len(header):
                raise ReferenceDataError(f"{name}, dòng {start}: có {len(values)} giá trị, dòng tiêu đề có {len(header)} cột.")
            row = dict(zip(header, values))
            if row["code"] in lines:
                raise ReferenceDataError(f"{name}, dòng {start}: mã “{row['code']}” đã có ở dòng {lines[row['code']]}.")
            row[LINE] = lines[row["code"]] = start
            rows.append(row)
    except csv.Error as exc:
        raise ReferenceDataError(f"{name}, dòng {start}: sai định dạng CSV ({exc}).") from exc
    return rows


class _UnknownCode(Exception):
    """A row names a code not loaded, or none, in the column given."""


def _id(codes: dict[str, int], row: dict, column: str) -> int:
    """The id of the code that the row names in `column`, among `codes` (code → id)."""
    try:
        return codes[row[column]]
    except KeyError:
        raise _UnknownCode(column) from None


def _values(name: str, model: type[models.Model], rows: list[dict], make) -> list[dict]:
    """The model's values that `make` reads from each row of the data file `name`; a row naming a
    code not loaded (a province, an agency, a ward) or holding a value the model does not take
    stops the load, naming its line."""
    made = []
    for row in rows:
        try:
            values = make(row)
        except _UnknownCode as exc:
            column = exc.args[0]
            problem = f"không có mã “{row[column]}” (cột {column})" if row[column] else f"cột {column} để trống"
            raise ReferenceDataError(f"{name}, dòng {row[LINE]}: {problem}.") from exc
        unchecked = [field.name for field in model._meta.fields if field.is_relation or field.attname not in values]
        try:
            model(**values).clean_fields(exclude=unchecked)
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
            raise ReferenceDataError(f"{name}, dòng {row[LINE]}: {problems}") from exc
        made.append(values)
    return made


def _flag(value: str) -> bool:
    return value.strip() == "1"


def _sync(model: type[models.Model], rows: list[dict], *, update: bool) -> SyncResult:
    """Create missing rows, matched by `code`, and with `update` bring changed ones back to the
    data files; never delete (other records may point at a row that a data file no longer lists).
    Without `update` a row already present is kept as it is, officers' corrections included."""
    result = SyncResult()
    existing = {obj.code: obj for obj in model.objects.all()}
    searchable = issubclass(model, Searchable)
    to_create, to_update, changed_fields = [], [], set()
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            obj = model(**row)
            if searchable:
                obj.refresh_search_key()
            to_create.append(obj)
            continue
        changes = {name: value for name, value in row.items() if getattr(obj, name) != value} if update else {}
        for name, value in changes.items():
            setattr(obj, name, value)
        if searchable and changes:
            old_key = obj.search_key
            obj.refresh_search_key()
            if obj.search_key != old_key:
                changes["search_key"] = obj.search_key
        if changes:
            changed_fields.update(changes)
            to_update.append(obj)
        else:
            result.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=1000)
        bulk_updated.send(sender=model, pks=[obj.pk for obj in to_update])
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _tree_levels(rows: list[dict]) -> list[list[dict]]:
    """Split tree rows into levels: roots first, then their children, and so on."""
    levels, placed, remaining = [], set(), rows
    while remaining:
        level = [r for r in remaining if not r["parent_code"] or r["parent_code"] in placed]
        if not level:
            orphan = min(remaining, key=lambda r: r[LINE])
            raise ReferenceDataError(f"agencies.csv, dòng {orphan[LINE]}: không có mã “{orphan['parent_code']}” "
                                     "(cột parent_code), hoặc các cơ quan là cấp trên của nhau.")
        levels.append(level)
        placed.update(r["code"] for r in level)
        remaining = [r for r in remaining if r["code"] not in placed]
    return levels


def _codes(model) -> dict[str, int]:
    return dict(model.objects.values_list("code", "id"))


@transaction.atomic
def reference_data_load(*, update: bool = False) -> dict[str, SyncResult]:
    """Load administrative units from `vietnam-provinces` and the rest from `lookup/data/*.csv`.

    Running it again adds what is new in the data and changes nothing else; `update=True` also
    overwrites rows that differ from the data (after a new release of the data files). A data
    file that cannot be loaded raises ReferenceDataError, and nothing is changed.
    """
    def sync(model, rows):
        return _sync(model, rows, update=update)

    results = {}
    results["provinces"] = sync(
        Province,
        [
            {"code": f"{int(p.code):02d}", "name": normalize_name(p.name), "sort_key": Province.sort_key_for(p.name),
             "division_type": p.division_type.value}
            for p in VnProvince.iter_all()
        ],
    )
    provinces = _codes(Province)
    results["wards"] = sync(
        Ward,
        [
            {
                "code": f"{int(w.code):05d}",
                "name": normalize_name(w.name),  # the source writes a few with two spaces
                "sort_key": Ward.sort_key_for(w.name),
                "division_type": w.division_type.value,
                "province_id": provinces[f"{int(w.province_code):02d}"],
            }
            for w in VnWard.iter_all()
        ],
    )
    wards = _codes(Ward)

    results["agencies"] = SyncResult()
    agencies: dict[str, int] = {}
    agency_rows = _read_csv("agencies.csv", ("code", "name", "parent_code", "province_code", "address", "phone",
                                             "is_demo"))
    for level in _tree_levels(agency_rows):  # parents before children
        level_result = sync(
            Agency,
            _values("agencies.csv", Agency, level, lambda r: {
                "code": r["code"],
                "name": r["name"],
                "parent_id": _id(agencies, r, "parent_code") if r["parent_code"] else None,
                "province_id": _id(provinces, r, "province_code"),
                "address": r["address"],
                "phone": r["phone"],
                "working_hours": r.get("working_hours") or DEFAULT_WORKING_HOURS,
                "is_demo": _flag(r["is_demo"]),
            }),
        )
        results["agencies"] = results["agencies"] + level_result
        agencies = _codes(Agency)

    name = "facilities.csv"
    results["facilities"] = sync(MedicalFacility, _values(name, MedicalFacility, _read_csv(name, (
        "code", "name", "address", "province_code", "level", "bhyt_contract", "issues_sick_leave", "is_demo",
    )), lambda r: {
        "code": r["code"],
        "name": r["name"],
        "address": r["address"],
        "province_id": _id(provinces, r, "province_code"),
        "level": r["level"],
        "bhyt_contract": _flag(r["bhyt_contract"]),
        "issues_sick_leave": _flag(r["issues_sick_leave"]),
        "is_demo": _flag(r["is_demo"]),
    }))
    name = "employers.csv"
    results["employers"] = sync(Employer, _values(name, Employer, _read_csv(name, (
        "code", "name", "tax_code", "address", "province_code", "agency_code", "is_demo",
    )), lambda r: {
        "code": r["code"],
        "name": r["name"],
        "tax_code": r["tax_code"],
        "address": r["address"],
        "province_id": _id(provinces, r, "province_code"),
        "agency_id": _id(agencies, r, "agency_code"),
        "in_arrears": _flag(r.get("in_arrears", "0")),
        "is_demo": _flag(r["is_demo"]),
    }))
    name = "collection_points.csv"
    results["collection_points"] = sync(CollectionPoint, _values(name, CollectionPoint, _read_csv(name, (
        "code", "name", "kind", "address", "province_code", "ward_code", "phone", "agency_code", "is_demo",
    )), lambda r: {
        "code": r["code"],
        "name": r["name"],
        "kind": r["kind"],
        "address": r["address"],
        "province_id": _id(provinces, r, "province_code"),
        "ward_id": _id(wards, r, "ward_code") if r["ward_code"] else None,
        "phone": r["phone"],
        "agency_id": _id(agencies, r, "agency_code"),
        "is_demo": _flag(r["is_demo"]),
    }))
    _statistics_refreshed([model for name, model in LOADED.items() if results[name].created or results[name].updated])
    return results


LOADED = {"provinces": Province, "wards": Ward, "agencies": Agency, "facilities": MedicalFacility,
          "employers": Employer, "collection_points": CollectionPoint}


def _statistics_refreshed(models_) -> None:
    """PostgreSQL's planner statistics of the tables just filled. Until autovacuum reads them (up to
    a minute after the commit, never before it), the planner takes the thousands of wards for an
    empty table and may join them row by row with the rest: a list of a few registrations took
    minutes. ANALYZE counts the rows of its own transaction."""
    if connection.vendor != "postgresql" or not models_:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models_))

