"""Writes to the reference data: the idempotent loader behind `manage.py load_reference_data`."""

import csv
from dataclasses import dataclass
from pathlib import Path

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


def _read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


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
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _tree_levels(rows: list[dict]) -> list[list[dict]]:
    """Split tree rows into levels: roots first, then their children, and so on."""
    levels, placed, remaining = [], set(), rows
    while remaining:
        level = [r for r in remaining if not r["parent_code"] or r["parent_code"] in placed]
        if not level:
            missing = sorted({r["parent_code"] for r in remaining})
            raise ValueError(f"agencies.csv: unknown parent codes {missing}")
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
    overwrites rows that differ from the data (after a new release of the data files).
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
    for level in _tree_levels(_read_csv("agencies.csv")):  # parents before children
        level_result = sync(
            Agency,
            [
                {
                    "code": r["code"],
                    "name": r["name"],
                    "parent_id": agencies[r["parent_code"]] if r["parent_code"] else None,
                    "province_id": provinces[r["province_code"]],
                    "address": r["address"],
                    "phone": r["phone"],
                    "working_hours": r.get("working_hours") or DEFAULT_WORKING_HOURS,
                    "is_demo": _flag(r["is_demo"]),
                }
                for r in level
            ],
        )
        results["agencies"] = results["agencies"] + level_result
        agencies = _codes(Agency)

    results["facilities"] = sync(
        MedicalFacility,
        [
            {
                "code": r["code"],
                "name": r["name"],
                "address": r["address"],
                "province_id": provinces[r["province_code"]],
                "level": r["level"],
                "bhyt_contract": _flag(r["bhyt_contract"]),
                "issues_sick_leave": _flag(r["issues_sick_leave"]),
                "is_demo": _flag(r["is_demo"]),
            }
            for r in _read_csv("facilities.csv")
        ],
    )
    results["employers"] = sync(
        Employer,
        [
            {
                "code": r["code"],
                "name": r["name"],
                "tax_code": r["tax_code"],
                "address": r["address"],
                "province_id": provinces[r["province_code"]],
                "agency_id": agencies[r["agency_code"]],
                "in_arrears": _flag(r.get("in_arrears", "0")),
                "is_demo": _flag(r["is_demo"]),
            }
            for r in _read_csv("employers.csv")
        ],
    )
    results["collection_points"] = sync(
        CollectionPoint,
        [
            {
                "code": r["code"],
                "name": r["name"],
                "kind": r["kind"],
                "address": r["address"],
                "province_id": provinces[r["province_code"]],
                "ward_id": wards[r["ward_code"]] if r["ward_code"] else None,
                "phone": r["phone"],
                "agency_id": agencies[r["agency_code"]],
                "is_demo": _flag(r["is_demo"]),
            }
            for r in _read_csv("collection_points.csv")
        ],
    )
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

