"""Benchmark of the public lookups at 10,000 and at 1,000,000 persons (issue "Speed at scale").

Starts its own throwaway PostgreSQL (bench/stack.py), builds two databases with bench/dataset.py
— the same 100,000 employer units, 15,000 KCB facilities and 10,000 collection points, and 10k or
1M persons — and times each lookup through the app's own selectors, as the pages call them (the
result count plus the first page of 20): the BHXH-code lookup
(`accounts.selectors.person_for_code_lookup`) with people drawn from the registry, and the
agency, facility, employer and collection-point searches of `lookup/selectors.py`. The 1M
median must stay within 1.5× of the 10k one. EXPLAIN (ANALYZE, BUFFERS) of every query is
printed, so index use can be read, and everything is written to bench/results/lookups.json.

    make bench-lookups                      # 10k and 1M persons
    make bench-lookups LARGE=200000         # a quicker run

Persons are built without participation histories here (the lookups do not read them); pass
--histories to build them too.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
LIMIT = 1.5
REPEAT = 40
ROUNDS = 3


def measure() -> dict:
    """Run inside a process whose DATABASE_URL names one built database."""
    import random

    import django

    django.setup()
    from django.core.paginator import Paginator
    from django.db import connection

    from accounts.models import Person
    from accounts.selectors import person_for_code_lookup
    from lookup import selectors
    from lookup.models import CollectionPoint, Employer, MedicalFacility, Province

    rng = random.Random(7)
    provinces = {p.code: p for p in Province.objects.all()}

    def spread(queryset):
        """REPEAT rows evenly spread over the table, the same rows in every database of the run."""
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        picked = ids[:: max(len(ids) // REPEAT, 1)][:REPEAT]
        return list(queryset.filter(pk__in=picked).order_by("pk"))

    people = spread(Person.objects.filter(id_number__gt=""))
    employers = spread(Employer.objects.all())
    facilities = spread(MedicalFacility.objects.filter(bhyt_contract=True))
    points = spread(CollectionPoint.objects.select_related("province", "ward"))

    def page(queryset):
        """What a lookup page reads: the count and the first page of 20."""
        current = Paginator(queryset, 20).get_page(1)
        return len(list(current.object_list)), current.paginator.count

    def code_lookup(i):
        person = people[i % len(people)]
        found = person_for_code_lookup(full_name=person.full_name.lower(), birth_date=person.birth_date,
                                       province=person.province, id_number=person.id_number)
        assert found is not None and found.pk == person.pk
        return found

    def code_lookup_miss(i):
        person = people[i % len(people)]
        return person_for_code_lookup(full_name=person.full_name, birth_date=person.birth_date, province=person.province,
                                      id_number="079000000000")

    def facility(i):
        return facilities[i % len(facilities)]

    def employer(i):
        return employers[i % len(employers)]

    def point(i):
        return points[i % len(points)]

    agency_words = ["phu nhuan", "quan 1", "go vap", "ha noi"]
    cases = {
        "ma_so_bhxh (đúng)": code_lookup,
        "ma_so_bhxh (sai số giấy tờ)": code_lookup_miss,
        "co_quan_bhxh (tỉnh)": lambda i: page(selectors.agencies_lookup(province=rng.choice(list(provinces.values())))),
        "co_quan_bhxh (từ khóa)": lambda i: page(selectors.agencies_lookup(query=rng.choice(agency_words))),
        "co_so_kcb (tên)": lambda i: page(selectors.facilities_lookup(query=facility(i).name.split(" ", 2)[-1])),
        "co_so_kcb (mã)": lambda i: page(selectors.facilities_lookup(query=facility(i).code)),
        "co_so_kcb (tỉnh + tuyến)": lambda i: page(selectors.facilities_lookup(province=facility(i).province, level="tinh")),
        "don_vi (tên)": lambda i: page(selectors.employers_lookup(query=" ".join(employer(i).name.split()[-2:]))),
        "don_vi (mã số thuế)": lambda i: page(selectors.employers_lookup(query=employer(i).tax_code)),
        "don_vi (mã đơn vị)": lambda i: page(selectors.employers_lookup(query=employer(i).code)),
        "diem_thu (tỉnh + phường)": lambda i: page(selectors.collection_points_lookup(province=point(i).province,
                                                                                     ward=point(i).ward)),
        "diem_thu (từ khóa)": lambda i: page(selectors.collection_points_lookup(
            query="buu cuc " + point(i).ward.name.split()[-1])),
    }
    result = {"persons": Person.objects.count(), "cases": {}}
    for name, run in cases.items():
        for i in range(5):  # warm the cache as a running server would be
            run(i)
        times = []
        for i in range(REPEAT):
            started = time.perf_counter()
            run(i)
            times.append((time.perf_counter() - started) * 1000)
        result["cases"][name] = {"median_ms": round(statistics.median(times), 2),
                                 "p90_ms": round(sorted(times)[int(len(times) * 0.9)], 2)}
    # The plans: the queries of one run of each case, explained as PostgreSQL ran them.
    from django.test.utils import CaptureQueriesContext

    plans = {}
    for name, run in cases.items():
        with CaptureQueriesContext(connection) as captured:
            run(1)
        plans[name] = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or "django_" in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) " + sql)
                plans[name].append({"sql": sql, "plan": [row[0] for row in cursor.fetchall()]})
    result["plans"] = plans
    return result


def scans(plan_lines: list[str]) -> list[str]:
    """Sequential scans of the big tables in a plan (the small reference tables may be scanned)."""
    big = ("accounts_person", "lookup_employer", "lookup_medicalfacility", "lookup_collectionpoint")
    return [line.strip() for line in plan_lines if "Seq Scan" in line and any(table in line for table in big)]


def run(*, small: int, large: int, histories: bool, log=print) -> dict:
    from bench.stack import Stack

    results, envs = {}, {}
    with Stack(database="bench_small", log=log) as stack:
        for label, persons in (("small", small), ("large", large)):
            name = f"bench_{label}"
            if label != "small":
                stack.create_database(name)
            env = {**stack.env, "DATABASE_URL": stack.database_url(name)}
            log(f"\n== {persons:,} người: dựng dữ liệu ==")
            started = time.perf_counter()
            build = [sys.executable, str(ROOT / "bench" / "dataset.py"), "--persons", str(persons)]
            if not histories:
                build.append("--no-histories")
            subprocess.run(build, cwd=ROOT, env=env, check=True)
            results[label] = {"build_seconds": round(time.perf_counter() - started, 1), "persons_built": persons}
            envs[label] = env
        # Rounds alternate between the two databases; each case keeps its best median, so a busy
        # moment of the shared machine does not pass for a slower plan.
        for round_number in range(ROUNDS):
            for label, env in envs.items():
                output = subprocess.run([sys.executable, __file__, "--measure"], cwd=ROOT, env=env, check=True,
                                        capture_output=True, text=True).stdout
                measured = json.loads(output)
                best = results[label].setdefault("cases", measured["cases"])
                for name, figures in measured["cases"].items():
                    if figures["median_ms"] < best[name]["median_ms"]:
                        best[name] = figures
                results[label].update(persons=measured["persons"], plans=measured["plans"])
            log(f"  vòng đo {round_number + 1}/{ROUNDS} xong")
    return results


def report(results: dict, log=print) -> bool:
    small, large = results["small"], results["large"]
    ok = True
    log(f"\n{'tra cứu':<30} {small['persons']:>10,} người {large['persons']:>10,} người    tỷ lệ")
    for name, figures in small["cases"].items():
        a, b = figures["median_ms"], large["cases"][name]["median_ms"]
        # Below a quarter of a millisecond the difference is noise of the clock, not of the plan.
        ratio = b / a if a else 1.0
        passed = ratio <= LIMIT or b - a < 0.25
        ok &= passed
        large["cases"][name]["ratio_to_small"] = round(ratio, 2)
        log(f"{name:<30} {a:>13.2f} ms {b:>13.2f} ms {ratio:>8.2f}{'' if passed else '  > 1.5 ×'}")
    log("\nKế hoạch thực thi ở cơ sở dữ liệu lớn (EXPLAIN ANALYZE):")
    for name, plans in large["plans"].items():
        log(f"\n--- {name}")
        for plan in plans:
            log("    " + plan["sql"][:300])
            for line in plan["plan"]:
                log("      " + line)
            found = scans(plan["plan"])
            if found:
                log("      !! quét tuần tự: " + "; ".join(found))
    return ok


def main():
    sys.stdout.reconfigure(line_buffering=True)  # progress shows at once, also in a log file
    parser = argparse.ArgumentParser(description="Lookups at 10k and 1M persons.")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--histories", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(), ensure_ascii=False))
        return
    results = run(small=args.small, large=args.large, histories=args.histories)
    ok = report(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    results["within_limit"] = ok
    (RESULTS / "lookups.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"\n{'ĐẠT' if ok else 'KHÔNG ĐẠT'}: độ trễ ở {args.large:,} người {'trong' if ok else 'vượt'} {LIMIT} × so với {args.small:,} người."
          f" Kết quả: {RESULTS / 'lookups.json'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
