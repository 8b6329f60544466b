"""Benchmark: import N participation periods from one CSV file (default 100,000 rows).

Run against the real database: `DATABASE_URL=postgres://… .venv/bin/python bench/import_periods.py`
(or `make bench-import`). It makes the registry people it needs (`accounts.demo`), writes the CSV
to a temporary file, imports it twice (the second run must change nothing) and prints the time
and the process's peak resident memory after each run: the import streams the file, so memory
stays flat whatever the number of rows (tracemalloc would measure Python's allocations more
finely but slows the import several times, so it is not used). Results are also written to
bench/results/import_periods.json.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vssid_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from accounts.demo import seed_persons  # noqa: E402
from lookup.models import Employer  # noqa: E402
from participation.services.imports import COLUMNS, periods_import  # noqa: E402


def write_csv(path: Path, codes: list[str], rows: int, employers: list[tuple[str, str]]) -> None:
    per_person = -(-rows // len(codes))
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(COLUMNS) + "\n")
        written = 0
        for index, code in enumerate(codes):
            employer, agency = employers[index % len(employers)]
            for n in range(per_person):
                if written == rows:
                    return
                year, month = 1960 + n // 12, n % 12 + 1  # monthly periods far in the past: no clash with demo data
                base = 2_000_000 + n * 1000
                out.write(f"{code},bhxh_bb,{month:02d}/{year},{month:02d}/{year},employer,{employer},Công nhân,"
                          f"{base},25,{base // 4},0,79,{agency},\n")
                written += 1


def timed_import(path: Path) -> dict:
    started = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as lines:
        report = periods_import(lines=lines, dry_run=False)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(peak_kib / 1024, 1), "rows": report.rows,
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "errors": report.error_count}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--persons", type=int, default=2_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=open(os.devnull, "w"))
    people, _created = seed_persons(count=args.persons, seed=99)
    employers = [(e.code, e.agency.code) for e in Employer.objects.filter(province__code="79").select_related("agency")]
    rss_before = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "periods.csv"
        write_csv(path, [p.bhxh_code for p in people], args.rows, employers)
        size_mib = path.stat().st_size / 2**20
        first, second = timed_import(path), timed_import(path)
    result = {"rows": args.rows, "file_mib": round(size_mib, 1), "peak_rss_mib_before_import": rss_before,
              "first_import": first, "second_import": second,
              "rows_per_second": round(args.rows / first["seconds"])}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "import_periods.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    assert second["created"] == 0 and second["updated"] == 0, "re-import must change nothing"


if __name__ == "__main__":
    main()
