"""`make bench` and `make load`: the portal's pages under wrk, on the production configuration.

`make bench` (this module without --load):
1. starts a throwaway PostgreSQL and Redis (bench/stack.py), builds the data set
   (bench/dataset.py, default 100,000 persons with histories; PERSONS=1000000 for the national
   size), collects the static files, starts a Celery worker and gunicorn (2 sync workers) with
   DJANGO_ENV=production, all on loopback ports picked at start;
2. logs in as a real browser would: the citizen with the 40-year history (BHXH code + password,
   then the new-device code that the worker delivers by SMS, read from the file SMS backend),
   then again with the trusted-browser cookie it got (no code asked); the clinic staff the same;
3. measures with wrk, in rounds, every page one after the other in each round (interleaved, so
   a slow moment of the shared machine hits every page alike): the bare view (the ceiling),
   home, personal dashboard, participation history, card, verify (API and form), the BHXH-code
   lookup page and the clinic lookup;
4. counts SQL queries per request (Django's test client with the same session cookies against
   the same database, CaptureQueriesContext), bytes per page compressed (gzip of the HTML plus
   the page's static files as whitenoise serves them compressed), and the declaration-PDF
   render time as a ratio of a blank WeasyPrint page;
5. prints one table and writes bench/results/pages.json; exits non-zero when a target is missed.

`make load` (--load): the same stack and logins, then 200 connections for 60 s on a mix of
verify (API and form), dashboard and lookups; zero non-2xx/3xx responses and zero socket errors
are required. Writes bench/results/load.json.

Requests carry `X-Forwarded-Proto: https`, as they would from the TLS-terminating proxy in
front of gunicorn (settings.SECURE_PROXY_SSL_HEADER): production's SSL redirect, HSTS and secure
cookies stay exactly as deployed.
"""

import argparse
import gzip
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dataset  # noqa: E402
from bench.stack import Stack  # noqa: E402

RESULTS = ROOT / "bench" / "results"
WRK_SCRIPT = ROOT / "bench" / "wrk" / "request.lua"
TARGETS = {"dashboard": 0.6, "participation": 0.5, "card": 0.6, "verify_api": 0.7, "verify_form": 0.7}
PDF_TARGET = 3.0
SIZE_LIMIT = 100 * 1024


# --- a small browser: cookies, CSRF, the proxy's https header ------------------------------------

class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def headers(self, extra: dict | None = None) -> dict:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", "User-Agent": "vssid-bench/1.0"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**headers, **(extra or {})}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body=body, headers=self.headers(headers))
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                for name, morsel in SimpleCookie(value).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        connection.close()
        return response, content

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, referer: str | None = None):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "Referer": self.origin + (referer or path)})


LOGIN, CONFIRM = "/tai-khoan/dang-nhap/", "/tai-khoan/dang-nhap/xac-nhan/"


def _sms_code(sms_file: Path, phone: str, after: int, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sms_file.exists():
            lines = sms_file.read_text(encoding="utf-8").splitlines()[after:]
            for line in reversed(lines):
                message = json.loads(line)
                code = re.search(r"\b(\d{6})\b", message["text"])
                if message["to"] == phone and code:
                    return code.group(1)
        time.sleep(0.2)
    raise RuntimeError(f"no SMS code reached {phone} in {timeout:.0f} s: is the Celery worker running?")


def log_in(port: int, *, username: str, password: str, phone: str, sms_file: Path, log=print) -> Browser:
    """A new browser logs in (password, then the SMS code), is trusted, and logs in again without a code."""
    browser = Browser(port)
    browser.get(LOGIN)
    sent = len(sms_file.read_text(encoding="utf-8").splitlines()) if sms_file.exists() else 0
    response, content = browser.post(LOGIN, {"login": username, "password": password})
    if response.status != 302 or response.getheader("Location") != CONFIRM:
        raise RuntimeError(f"login of {username}: {response.status} {response.getheader('Location')} {content[:500]!r}")
    browser.get(CONFIRM)
    code = _sms_code(sms_file, phone, sent)
    response, _ = browser.post(CONFIRM, {"action": "verify", "code": code})
    if response.status != 302:
        raise RuntimeError(f"login code of {username} refused: {response.status}")
    browser.post("/tai-khoan/dang-xuat/", {})
    # The same browser again: trusted now, so the password alone logs it in.
    browser.get(LOGIN)
    response, _ = browser.post(LOGIN, {"login": username, "password": password})
    if response.status != 302 or response.getheader("Location") == CONFIRM:
        raise RuntimeError(f"the trusted browser of {username} was asked for a code again")
    browser.get(response.getheader("Location"))  # shows (and so clears) the login's flash messages
    browser.cookies.pop("messages", None)
    log(f"  đăng nhập {username}: mã SMS qua worker, rồi trình duyệt tin cậy đăng nhập lại không cần mã")
    return browser


# --- what the stack serves -----------------------------------------------------------------------

def prepare_requests(*, citizen: Browser, clinic: Browser, api_tokens: list[str], folder: Path) -> list[dict]:
    """The measured pages: name, method, path, headers, bodies (one per line), tokens."""
    from health_card.models import Card
    from health_card.qr import Purpose
    from health_card.services import card_qr

    cards = Card.objects.filter(status=Card.Status.ACTIVE).select_related("person", "facility", "agency", "level")
    payloads = [card_qr(card, purpose=Purpose.PRINT) for card in cards.order_by("?")[:200]]
    csrf = clinic.cookies["csrftoken"]
    (folder / "verify_form.txt").write_text("".join(
        urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "ma_qr": payload}) + "\n" for payload in payloads))
    (folder / "verify_api.txt").write_text("".join(json.dumps({"maQR": payload}) + "\n" for payload in payloads))
    (folder / "tokens.txt").write_text("\n".join(api_tokens) + "\n")

    def cookie(browser):
        return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())

    https = {"X-Forwarded-Proto": "https"}
    return [
        {"name": "bare", "label": "Bare view (trần)", "path": "/__bench__/bare/", "headers": https},
        {"name": "bare_session", "label": "Bare view, đã đăng nhập", "path": "/__bench__/bare/",
         "headers": {**https, "Cookie": cookie(citizen)}, "browser": citizen},
        {"name": "home", "label": "Trang chủ", "path": "/", "headers": https},
        {"name": "dashboard", "label": "Cá nhân", "path": "/ca-nhan/", "headers": {**https, "Cookie": cookie(citizen)},
         "browser": citizen},
        {"name": "participation", "label": "Quá trình 40 năm", "path": "/qua-trinh-tham-gia/",
         "headers": {**https, "Cookie": cookie(citizen)}, "browser": citizen},
        {"name": "card", "label": "Thẻ BHYT", "path": "/the-bhyt/", "headers": {**https, "Cookie": cookie(citizen)},
         "browser": citizen},
        {"name": "verify_api", "label": "Xác thực thẻ (API)", "path": "/api/xac-thuc/the-bhyt/", "method": "POST",
         "headers": {**https, "Content-Type": "application/json"}, "bodies": folder / "verify_api.txt",
         "tokens": folder / "tokens.txt", "sample_body": json.dumps({"maQR": payloads[0]}),
         "sample_token": api_tokens[0]},
        {"name": "verify_form", "label": "Xác thực thẻ (biểu mẫu)", "path": "/xac-thuc/the-bhyt/", "method": "POST",
         "headers": {**https, "Cookie": cookie(clinic), "Content-Type": "application/x-www-form-urlencoded",
                     "Referer": f"{clinic.origin}/xac-thuc/the-bhyt/"},
         "bodies": folder / "verify_form.txt", "browser": clinic,
         "sample_body": urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "ma_qr": payloads[0]})},
        {"name": "code_lookup", "label": "Tra cứu mã số BHXH", "path": "/tra-cuu/ma-so-bhxh/", "headers": https},
        {"name": "clinic_lookup", "label": "Tra cứu cơ sở KCB", "path": "/tra-cuu/co-so-kcb/?q=benh+vien&province=79",
         "headers": https},
    ]


def wrk(port: int, page: dict, *, seconds: float, connections: int, threads: int = 2, timeout: str = "10s") -> dict:
    env = {**os.environ, "WRK_METHOD": page.get("method", "GET"),
           "WRK_HEADERS": "\n".join(f"{k}: {v}" for k, v in page["headers"].items()),
           "WRK_BODIES": str(page.get("bodies", "")), "WRK_TOKENS": str(page.get("tokens", ""))}
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}", "-s", str(page.get("script", WRK_SCRIPT)),
               f"http://127.0.0.1:{port}{page['path']}"]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    figures = json.loads(line[len("WRKJSON "):])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def check_page(port: int, page: dict) -> dict:
    """One request as a browser makes it: status, and bytes compressed (HTML and its static files)."""
    browser = Browser(port)
    headers = dict(page["headers"])
    if page.get("sample_token"):
        headers["Authorization"] = f"Bearer {page['sample_token']}"
    body = page.get("sample_body", "").encode() or None
    response, content = browser.request(page.get("method", "GET"), page["path"], body, headers)
    if response.status != 200:
        raise RuntimeError(f"{page['name']} {page['path']}: HTTP {response.status} {content[:300]!r}")
    html_gzip = len(gzip.compress(content, 6))
    assets = 0
    # Static files (whitenoise serves them precompressed) and every same-origin image (the card's QR).
    urls = set(re.findall(rb'href="(/static/[^"]+)"', content)) | set(re.findall(rb'src="(/[^"/][^"]*)"', content))
    for url in urls:
        asset, data = browser.get(url.decode().replace("&amp;", "&"),
                                  {"Accept-Encoding": "gzip", "Cookie": page["headers"].get("Cookie", "")})
        if asset.status == 200:
            assets += len(data)
    return {"status": response.status, "html_bytes": len(content), "html_gzip_bytes": html_gzip,
            "static_gzip_bytes": assets, "total_gzip_bytes": html_gzip + assets}


def count_queries(page: dict) -> int:
    """SQL queries of one request, through Django's test client with the same cookies."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    browser = page.get("browser")
    if browser is not None:
        for name, value in browser.cookies.items():
            client.cookies[name] = value
    headers = {k: v for k, v in page["headers"].items() if k not in {"Cookie", "Content-Type", "X-Forwarded-Proto"}}
    if page.get("sample_token"):
        headers["Authorization"] = f"Bearer {page['sample_token']}"
    counts = []
    for _ in range(2):  # the second request: what a warm worker does
        with CaptureQueriesContext(connection) as captured:
            if page.get("method") == "POST":
                content_type = page["headers"].get("Content-Type")
                response = client.generic("POST", page["path"], page["sample_body"], content_type=content_type,
                                          secure=True, headers=headers)
            else:
                response = client.get(page["path"], secure=True, headers=headers)
        assert response.status_code == 200, (page["name"], response.status_code)
        counts.append(len(captured.captured_queries))
    page["sql"] = [query["sql"] for query in captured.captured_queries]
    return counts[-1]


def pdf_ratio(*, user_code: str, repeat: int = 15) -> dict:
    """The declaration PDF of a real filing against a blank page, both through WeasyPrint."""
    import io

    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image
    from weasyprint import HTML

    from accounts.models import User
    from public_services.models import Filing
    from public_services.procedures import registry
    from public_services.services import declaration_render, filing_submit
    from vssid_portal.form_keys import new_idempotency_key
    from vssid_portal.pdf import render_pdf

    user = User.objects.get(username=user_code)
    procedure = registry.get("607A")
    uploads = {}
    for name in procedure.upload_fields:
        if procedure.form_class.base_fields[name].required:
            image = io.BytesIO()
            Image.new("RGB", (120, 90), (30, 140, 90)).save(image, "JPEG")
            uploads[name] = default_storage.save(f"filings/tmp/bench/{name}.jpg", SimpleUploadedFile(f"{name}.jpg", image.getvalue()))
    filing = filing_submit(procedure=procedure, person=user.person, user=user, idempotency_key=new_idempotency_key(), uploads=uploads,
                           data={"reason": "mat", "details": "Mất sổ khi chuyển nhà", "attachments": "", "phone": "0912345670",
                                 "email": "", "delivery": "buu_dien", "delivery_address": "12 Lê Lợi, Phường Sài Gòn, TP. Hồ Chí Minh"})
    filing = Filing.objects.select_related("agency", "person", "submitted_by__person").get(pk=filing.pk)
    blank_html = '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Trang trắng</title></head><body></body></html>'

    renders = {
        "declaration": lambda: declaration_render(filing),  # what the declaration task renders
        # The blank page of the portal's PDF layout (templates/pdf/base.html: its stylesheet, fonts
        # and national heading, no content) is the reference; WeasyPrint's minimum is shown beside it.
        "blank": lambda: render_pdf("pdf/base.html", {}),
        "bare": lambda: HTML(string=blank_html).write_pdf(pdf_variant="pdf/ua-1"),
    }
    times = {name: [] for name in renders}
    for render in renders.values():
        render()
    for _ in range(repeat):  # alternated, so a busy moment of the machine weighs on all three alike
        for name, render in renders.items():
            started = time.perf_counter()
            render()
            times[name].append(time.perf_counter() - started)
    declaration, blank, bare = (statistics.median(times[name]) for name in renders)
    return {"declaration_ms": round(declaration * 1000, 1), "blank_ms": round(blank * 1000, 1),
            "ratio": round(declaration / blank, 2), "weasyprint_empty_ms": round(bare * 1000, 1),
            "ratio_to_weasyprint_empty": round(declaration / bare, 2)}


# --- the run -------------------------------------------------------------------------------------

def start(stack: Stack, *, persons: int, log) -> dict:
    os.environ.update(stack.env)
    log(f"== Dữ liệu: {persons:,} người ==")
    built = dataset.build(persons=persons, log=log)
    log("== collectstatic, Celery worker, gunicorn (2 worker) ==")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=stack.env, check=True)
    stack.start_worker()
    port = stack.start_web(workers=2)
    sms = Path(stack.env["SMS_FILE_PATH"]) / "sms.jsonl"
    citizen = log_in(port, username=dataset.LONG_HISTORY_CODE, password=dataset.CITIZEN_PASSWORD, phone="+84912345670",
                     sms_file=sms, log=log)
    clinic = log_in(port, username=dataset.CLINIC_USERNAME, password=dataset.CITIZEN_PASSWORD, phone="+84912345671",
                    sms_file=sms, log=log)
    return {"built": built, "port": port, "citizen": citizen, "clinic": clinic}


def bench(args, log=print) -> int:
    with Stack(log=log) as stack, tempfile.TemporaryDirectory() as folder:
        ready = start(stack, persons=args.persons, log=log)
        port = ready["port"]
        pages = prepare_requests(citizen=ready["citizen"], clinic=ready["clinic"],
                                 api_tokens=ready["built"]["accounts"]["api_tokens"], folder=Path(folder))
        log("== Kiểm tra từng trang, số truy vấn SQL, dung lượng nén ==")
        facts = {}
        for page in pages:
            facts[page["name"]] = {**check_page(port, page), "queries": count_queries(page)}
            if args.show_queries:
                log(f"--- {page['name']}: {facts[page['name']]['queries']} truy vấn")
                for sql in page["sql"]:
                    log("    " + sql[:160])
        log(f"== wrk: {args.rounds} vòng × {len(pages)} trang × {args.seconds} s, {args.connections} kết nối ==")
        runs = {page["name"]: [] for page in pages}
        for page in pages:  # warm every worker and cache once
            wrk(port, page, seconds=2, connections=args.connections)
        for round_number in range(args.rounds):
            for page in pages:
                runs[page["name"]].append(wrk(port, page, seconds=args.seconds, connections=args.connections))
            log(f"  vòng {round_number + 1}: " + ", ".join(f"{n} {r[-1]['rps']:.0f}" for n, r in runs.items()))
        log("== PDF tờ khai so với trang trắng ==")
        pdf = pdf_ratio(user_code=dataset.LONG_HISTORY_CODE)
        worker_log = stack.tail("gunicorn", 20)
    rows, failures = [], []
    bare = runs["bare"]
    for page in pages:
        name = page["name"]
        per_round = runs[name]
        ratios = [run["rps"] / base["rps"] for run, base in zip(per_round, bare)]
        errors = sum(run["status"] + run["connect"] + run["read"] + run["write"] + run["timeout"] for run in per_round)
        row = {
            "page": name, "label": page["label"], "path": page["path"],
            "rps": round(statistics.mean(r["rps"] for r in per_round), 1),
            "p50_ms": round(statistics.median(r["p50_us"] for r in per_round) / 1000, 2),
            "p99_ms": round(statistics.median(r["p99_us"] for r in per_round) / 1000, 2),
            "ratio_to_bare": round(statistics.median(ratios), 3),
            "ratio_to_bare_session": round(statistics.median(
                run["rps"] / base["rps"] for run, base in zip(per_round, runs["bare_session"])), 3),
            "queries": facts[name]["queries"], "errors": errors,
            "html_bytes": facts[name]["html_bytes"], "gzip_bytes": facts[name]["total_gzip_bytes"],
            "html_gzip_bytes": facts[name]["html_gzip_bytes"], "target": TARGETS.get(name), "sql": page["sql"],
        }
        if row["target"] and row["ratio_to_bare"] < row["target"]:
            failures.append(f"{name}: {row['ratio_to_bare']:.2f} < {row['target']}")
        if row["gzip_bytes"] > SIZE_LIMIT:
            failures.append(f"{name}: {row['gzip_bytes']} B > 100 KB")
        if errors:
            failures.append(f"{name}: {errors} lỗi")
        rows.append(row)
    if pdf["ratio"] > PDF_TARGET:
        failures.append(f"PDF: {pdf['ratio']} × > {PDF_TARGET} ×")
    log("")
    log(f"{'trang':<26}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'/ trần':>8}{'mục tiêu':>9}{'/ trần+phiên':>13}{'SQL':>5}"
        f"{'KB nén':>8}{'lỗi':>5}")
    for row in rows:
        target = f"≥ {row['target']}" if row["target"] else ""
        log(f"{row['label']:<26}{row['rps']:>8.0f}{row['p50_ms']:>8.1f}{row['p99_ms']:>8.1f}{row['ratio_to_bare']:>8.2f}"
            f"{target:>9}{row['ratio_to_bare_session']:>13.2f}{row['queries']:>5}{row['gzip_bytes'] / 1024:>8.1f}{row['errors']:>5}")
    log(f"\nPDF tờ khai 607A: {pdf['declaration_ms']} ms, trang trắng của mẫu PDF {pdf['blank_ms']} ms → {pdf['ratio']} ×"
        f" (mục tiêu ≤ {PDF_TARGET} ×); trang WeasyPrint rỗng {pdf['weasyprint_empty_ms']} ms → {pdf['ratio_to_weasyprint_empty']} ×")
    result = {"persons": args.persons, "rounds": args.rounds, "seconds_per_run": args.seconds,
              "connections": args.connections, "gunicorn_workers": 2, "build": ready["built"]["seconds"],
              "counts": ready["built"]["counts"], "pages": rows, "pdf": pdf, "failures": failures,
              "runs": {name: [{k: v for k, v in r.items()} for r in per] for name, per in runs.items()}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    if failures:
        log("\nCHƯA ĐẠT: " + "; ".join(failures))
        if any("lỗi" in f for f in failures):
            log(worker_log)
    else:
        log("\nĐẠT mọi mục tiêu.")
    log(f"Kết quả: {RESULTS / 'pages.json'}")
    return 1 if failures else 0


def load(args, log=print) -> int:
    with Stack(log=log) as stack, tempfile.TemporaryDirectory() as folder:
        ready = start(stack, persons=args.persons, log=log)
        port = ready["port"]
        pages = {p["name"]: p for p in prepare_requests(citizen=ready["citizen"], clinic=ready["clinic"],
                                                         api_tokens=ready["built"]["accounts"]["api_tokens"], folder=Path(folder))}
        mix = [pages[name] for name in ("verify_api", "verify_form", "dashboard", "clinic_lookup", "code_lookup")]
        lines = []
        for page in mix:
            bodies = Path(page["bodies"]).read_text().splitlines() if page.get("bodies") else [""]
            tokens = Path(page["tokens"]).read_text().split() if page.get("tokens") else [""]
            for index, body in enumerate(bodies[:50]):
                headers = dict(page["headers"])
                if tokens[0]:
                    headers["Authorization"] = f"Bearer {tokens[index % len(tokens)]}"
                lines.append("\t".join([page.get("method", "GET"), page["path"],
                                        "\\n".join(f"{k}: {v}" for k, v in headers.items()), body]))
        (Path(folder) / "mix.txt").write_text("\n".join(lines) + "\n")
        log(f"== wrk: {args.connections} kết nối, {args.seconds} s, hỗn hợp xác thực thẻ + cá nhân + tra cứu ==")
        os.environ["WRK_MIX"] = str(Path(folder) / "mix.txt")
        figures = wrk(port, {"path": "/", "headers": {}, "script": ROOT / "bench" / "wrk" / "mix.lua"},
                      seconds=args.seconds, connections=args.connections, threads=2, timeout="30s")
        # wrk counts a redirect as success: each page must still answer 200 (the sessions survived).
        after = {page["name"]: check_page(port, page)["status"] for page in mix}
        gunicorn_log = stack.tail("gunicorn", 20)
    socket_errors = figures["connect"] + figures["read"] + figures["write"] + figures["timeout"]
    result = {"connections": args.connections, "seconds": args.seconds, "persons": args.persons,
              "requests": figures["requests"], "rps": round(figures["rps"], 1),
              "p50_ms": round(figures["p50_us"] / 1000, 1), "p90_ms": round(figures["p90_us"] / 1000, 1),
              "p99_ms": round(figures["p99_us"] / 1000, 1), "max_ms": round(figures["max_us"] / 1000, 1),
              "non_2xx_3xx": figures["status"], "socket_errors": socket_errors,
              "socket_errors_detail": {k: figures[k] for k in ("connect", "read", "write", "timeout")},
              "status_after_load": after}
    log(json.dumps(result, ensure_ascii=False, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    ok = figures["status"] == 0 and socket_errors == 0
    log("ĐẠT: không có phản hồi lỗi, không có lỗi socket." if ok else "CHƯA ĐẠT.\n" + gunicorn_log)
    return 0 if ok else 1


def main():
    sys.stdout.reconfigure(line_buffering=True)  # progress shows at once, also in a log file
    parser = argparse.ArgumentParser(description="make bench / make load")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--load", action="store_true", help="200 connections for 60 s on a mix of pages")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=None, help="per wrk run (bench: 5; load: 60)")
    parser.add_argument("--connections", type=int, default=None, help="bench: 8; load: 200")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request of each page")
    args = parser.parse_args()
    if args.load:
        args.seconds, args.connections = args.seconds or 60, args.connections or 200
        sys.exit(load(args))
    args.seconds, args.connections = args.seconds or 5, args.connections or 8
    sys.exit(bench(args))


if __name__ == "__main__":
    main()
