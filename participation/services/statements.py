"""Verifiable statements of participation ("bản xác nhận quá trình tham gia").

A citizen asks for a statement; a Celery task builds its PDF (every period grouped by insurance
type, the totals, a QR code and a short code) and a public page confirms that a printed copy is
genuine.

The short code (`XXXX-XXXX-XXXX-XXXX` when shown, 16 characters when stored) is 12 random
symbols (60 bits) followed by 4 symbols (20 bits) of an HMAC-SHA256 of the random part keyed with
SECRET_KEY. The alphabet has 32 symbols without the lookalikes 0/O and 1/I. A code that was
mistyped, altered or made up fails the MAC check and is refused before any database query; only a
code the portal itself made can reach the database, and guessing one that exists means guessing
60 random bits and the 20-bit MAC that goes with them. SECRET_KEY_FALLBACKS are accepted so that a
key rotation does not void statements already printed.

`content_hash` is the SHA-256 of a canonical serialisation of the statement's data. The PDF is
drawn from that data alone (plus the hash and the QR of its verify URL), so it prints nothing the
hash does not cover. Canonical form: JSON with keys sorted, no insignificant whitespace, UTF-8
without escapes, every string NFC-normalised, money and counts as integers, rates as decimal
strings with two places, months as `YYYY-MM`, dates as ISO 8601, the issue time in UTC
(`YYYY-MM-DDTHH:MM:SSZ`). With only ASCII keys, strings and integers in it, that is the form
RFC 8785 (JCS) gives.

Format `vssid-statement/2` totals each type's months up to the month the statement is issued in and
states the months already paid after it (`months_ahead`); a `vssid-statement/1` statement, issued
before, counted those in `months` and has no `months_ahead`. Its snapshot is kept as it was
hashed, so it still verifies, and its page states what it printed. A period's row prints as owed
its `unpaid_months` up to the issue month only, as the total counts them, and the others as not
due yet (drawn from `to` and `issued_at`; a PDF, once built, is never drawn again).

The canonical bytes are also kept privately beside the PDF (`<pdf name>.json`): the public page
reads the totals the document states from them, after checking them against `content_hash`, so a
verifier can compare the paper with what was issued even when the records change later.

Reads used only by the statement pages live here too (`statements_of`, `statement_for_code`), next to the code format they depend on.
"""

import datetime
import hashlib
import json
import logging
import secrets
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import Person
from vssid_portal.files import delete_files_once_committed, kept_only_if_committed
from vssid_portal.jobs import dispatch, run_counted
from vssid_portal.pdf import qr_data_uri, render_pdf
from vssid_portal.secret_keys import secret_keys

from ..models import Period, Statement
from ..selectors import TABS, format_months, owed_until, periods_for, totals_of

logger = logging.getLogger(__name__)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols = 5 bits each; no 0/O, 1/I
CODE_RANDOM_LENGTH = 12  # 60 bits
CODE_MAC_LENGTH = 4  # 20 bits
CODE_LENGTH = CODE_RANDOM_LENGTH + CODE_MAC_LENGTH
CODE_GROUP = 4
_CODE_SALT = "participation.statement.code.v1"
_CODE_INPUT_MAX = 40  # longer input is refused before any work

# A second request while one is being built returns that one (double clicks, impatient reloads),
# counted from when its build was last started (a request, or "Tạo lại văn bản").
REUSE_BUILDING_FOR = datetime.timedelta(minutes=5)
# After this long the building page stops checking for the result and offers to start the task again.
BUILDING_PATIENCE = datetime.timedelta(minutes=2)

DOCUMENT_FORMAT = "vssid-statement/2"
PDF_TEMPLATE = "participation/pdf/statement.html"


# --- The short code --------------------------------------------------------------------------

def _mac(random_part: str, secret: str) -> str:
    digest = salted_hmac(_CODE_SALT, random_part, secret=secret, algorithm="sha256").digest()
    value = int.from_bytes(digest[:4], "big") >> (32 - 5 * CODE_MAC_LENGTH)
    return "".join(CODE_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(CODE_MAC_LENGTH)))


def code_new() -> str:
    """A fresh code in its stored form (16 symbols, no separators)."""
    random_part = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_RANDOM_LENGTH))
    return random_part + _mac(random_part, settings.SECRET_KEY)


def code_display(code: str) -> str:
    """'ABCDEFGHJKLMNPQR' → 'ABCD-EFGH-JKLM-NPQR' (the form printed, read aloud and put in URLs)."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def _code_separator(ch: str) -> bool:
    """What a code copied from a document, a chat or a word processor may carry between its
    symbols besides '-' and ' ': other spaces (no-break, tab), other dashes (en dash, minus) and
    invisible characters (zero-width space, soft hyphen, direction marks)."""
    return ch.isspace() or unicodedata.category(ch) in ("Pd", "Cf") or ch == "\u2212"


def code_check(text: str) -> str | None:
    """The stored form of a code typed, pasted or scanned in any case, with or without separators
    (see _code_separator), when its MAC is right; None otherwise. Touches no database."""
    if not text or len(text) > _CODE_INPUT_MAX:
        return None
    # NFKC: fullwidth letters and digits ("ＡＢ２３", as some keyboards type them) as the ASCII ones.
    code = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if not _code_separator(ch))
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    random_part, mac = code[:CODE_RANDOM_LENGTH], code[CODE_RANDOM_LENGTH:]
    if any(constant_time_compare(mac, _mac(random_part, secret)) for secret in secret_keys()):
        return code
    return None


def verify_path(code: str) -> str:
    return reverse("participation:statement_verify", args=[code_display(code)])


def verify_base_for(request) -> str:
    """Scheme and host the printed verify URL starts with: `PORTAL_PUBLIC_URL` when set, else the
    host of the request that asked for the statement (checked against ALLOWED_HOSTS by Django)."""
    configured = getattr(settings, "PORTAL_PUBLIC_URL", "")
    if configured:
        return configured.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")


# --- Reads -----------------------------------------------------------------------------------

def statements_of(*, person):
    """The person's statements, newest first: the list on the statements page, paged there."""
    return Statement.objects.filter(person=person).order_by("-created_at", "-pk")


def statement_for_code(text: str) -> Statement | None:
    """The statement a code names, or None when the code is malformed (no query made) or unknown.
    A statement whose build failed is unknown to the public."""
    code = code_check(text)
    if code is None:
        return None
    return (
        Statement.objects.select_related("person")
        .exclude(status=Statement.Status.FAILED)
        .filter(code=code)
        .first()
    )


def statement_is_stalled(statement: Statement, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return statement.status == Statement.Status.BUILDING and now - statement.build_started_at > BUILDING_PATIENCE


def statement_is_building(statement: Statement, now: datetime.datetime | None = None) -> bool:
    """Its build is under way and still waited for: asking to start it again starts nothing."""
    return statement.status == Statement.Status.BUILDING and not statement_is_stalled(statement, now)


# --- The document data (hashed, and the only source the PDF is drawn from) --------------------

def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "")


def _rate(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def _period_data(period: Period) -> dict:
    return {
        "kind": period.kind,
        "kind_label": _text(period.get_kind_display()),
        "from": f"{period.from_month:%Y-%m}",
        "to": f"{period.to_month:%Y-%m}",
        "months": period.months,
        "payer": period.payer,
        "payer_label": _text(period.get_payer_display()),
        "employer_code": period.employer.code if period.employer_id else "",
        "employer_name": _text(period.employer.name) if period.employer_id else "",
        "job_title": _text(period.job_title),
        "base": int(period.base),
        "rate": _rate(period.rate),
        "amount": int(period.amount),
        "unpaid_months": int(period.unpaid_months),
        "province": period.province.code,
        "agency": period.agency.code,
        "facility": period.facility.code if period.facility_id else "",
    }


def _issue_month(issued_at: datetime.datetime) -> datetime.date:
    """The month a statement counts to: the one it is issued in, where the portal is."""
    return timezone.localtime(issued_at).date().replace(day=1)


def statement_data(statement: Statement, *, issued_at: datetime.datetime, verify_url: str) -> dict:
    """Everything the statement states, in plain JSON types (see the module docstring). Always in
    Vietnamese: the type and payer labels are lazy translations, and the hashed data must not depend
    on the language active where it is built (an English request runs the eager task in place)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _statement_data(statement, issued_at=issued_at, verify_url=verify_url)


def _statement_data(statement: Statement, *, issued_at: datetime.datetime, verify_url: str) -> dict:
    person = statement.person
    periods = sorted(periods_for(person=person), key=lambda p: (p.from_month, p.to_month, p.kind, p.pk))
    issue_month = _issue_month(issued_at)
    groups = []
    for tab in TABS:
        rows = [p for p in periods if p.kind in tab.kinds]
        totals = totals_of(rows, until=issue_month)
        groups.append({
            "type": tab.slug,
            "label": _text(str(tab.label)),
            "months": totals.months,
            "months_owed": totals.months_owed,
            "months_ahead": totals.months_ahead,
            "periods": [_period_data(p) for p in rows],
        })
    return {
        "format": DOCUMENT_FORMAT,
        "code": statement.code,
        "issued_at": issued_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verify_url": verify_url,
        "person": {
            "bhxh_code": person.bhxh_code,
            "full_name": _text(person.full_name),
            "birth_date": f"{person.birth_date.year:04d}" if person.birth_year_only else person.birth_date.isoformat(),
        },
        "groups": groups,
    }


def canonical_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode("utf-8")


def content_hash_of(data: dict) -> str:
    return hashlib.sha256(canonical_bytes(data)).hexdigest()


def hash_display(value: str) -> str:
    """64 hex digits in groups of 8, so the hash wraps on narrow screens and reads in chunks."""
    return " ".join(value[i : i + 8] for i in range(0, len(value), 8))


def duration(months: int) -> str:
    """The statement says both units: 41 → '3 năm 5 tháng', 5 → '0 năm 5 tháng'; no month at all
    (every month of the type paid ahead, none reached yet) is '0 tháng', as the history page says it
    (format_months with both units), in Vietnamese whatever language is active: the document is
    Vietnamese only."""
    with translation.override("vi"):
        return format_months(months, both_units=True)


def _month(value: str) -> str:
    year, month = value.split("-")
    return f"{month}/{year}"


def _birth(value: str) -> str:
    if len(value) == 4:
        return value
    year, month, day = value.split("-")
    return f"{day}/{month}/{year}"


def _owed(row: dict, issue_month: datetime.date) -> dict:
    """A row's unpaid months up to the issue month (owed, as its group's total counts them) and
    after it (not due yet)."""
    year, month = row["to"].split("-")
    owed, not_due = owed_until(to_month=datetime.date(int(year), int(month), 1), unpaid_months=row["unpaid_months"],
                               until=issue_month)
    return {"months_owed": owed, "months_not_due": not_due}


def _pdf_context(data: dict, content_hash: str) -> dict:
    """Display strings drawn only from `data`, so the PDF shows what was hashed."""
    issued = datetime.datetime.strptime(data["issued_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    issue_month = _issue_month(issued)
    groups = []
    for group in data["groups"]:
        rows = [
            {
                **row,
                "from_display": _month(row["from"]),
                "to_display": _month(row["to"]),
                "payer_display": (f"{row['employer_name']} ({row['employer_code']})" if row["employer_code"]
                                  else row["payer_label"]),
                **_owed(row, issue_month),
            }
            for row in group["periods"]
        ]
        groups.append({**group, "rows": rows, "duration": duration(group["months"]),
                       "show_kind": len({row["kind"] for row in rows}) > 1 or group["type"] == "bhxh"})
    return {
        "data": data,
        "groups": groups,
        "person": data["person"],
        "birth_display": _birth(data["person"]["birth_date"]),
        "code_display": code_display(data["code"]),
        "issued_at": issued,
        "verify_url": data["verify_url"],
        "qr": qr_data_uri(data["verify_url"]),
        "content_hash": content_hash,
        "content_hash_display": hash_display(content_hash),
    }


# --- The snapshot: the hashed bytes, kept privately beside the PDF ----------------------------

def _storage():
    return Statement._meta.get_field("pdf").storage


def _snapshot_name(pdf_name: str) -> str:
    return pdf_name.removesuffix(".pdf") + ".json"


def _save_snapshot(pdf_name: str, content: bytes) -> None:
    storage, name = _storage(), _snapshot_name(pdf_name)
    if storage.exists(name):  # left by a build that died before its commit
        storage.delete(name)
    stored = storage.save(name, ContentFile(content))
    if stored != name:
        raise OSError(f"snapshot stored as {stored!r} instead of {name!r}")


def _pdf_filename(code: str) -> str:
    """The file name a statement's build gives its PDF (under the field's upload_to)."""
    return f"xac-nhan-{code}.pdf"


def statement_files_deleted(sender, instance: Statement, **kwargs) -> None:
    """Receiver of post_delete of Statement (participation/apps.py): a statement deleted, on its own or
    cascaded away with the login that asked for it or the person it states (Statement.requested_by,
    Statement.person), takes its PDF and snapshot with it once the deletion commits; a deletion rolled
    back keeps them. In a receiver, not the deletion services: a cascade reaches it from either side.
    Also the files its build names from its code: a deletion's collector may have read the row (no PDF
    yet) before a build running meanwhile committed them, and the row deleted after it."""
    named = Statement._meta.get_field("pdf").generate_filename(instance, _pdf_filename(instance.code))
    pdfs = {named, instance.pdf.name} if instance.pdf else {named}
    delete_files_once_committed([name for pdf in sorted(pdfs) for name in (pdf, _snapshot_name(pdf))])


def statement_snapshot(statement: Statement) -> dict | None:
    """The data a ready statement states, read back from its snapshot and checked against
    `content_hash`; None when it is missing or does not match (logged: that is tampering or loss)."""
    if not statement.pdf or not statement.content_hash:
        return None
    try:
        with _storage().open(_snapshot_name(statement.pdf.name), "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        logger.error("statement %s: snapshot missing", statement.pk)
        return None
    if not constant_time_compare(hashlib.sha256(content).hexdigest(), statement.content_hash):
        logger.error("statement %s: snapshot does not match content_hash", statement.pk)
        return None
    return json.loads(content)


# --- Writes ----------------------------------------------------------------------------------

def _dispatch_build(statement_id: int, verify_base: str) -> None:
    from ..tasks import build_statement_pdf

    dispatch(build_statement_pdf, statement_id, verify_base)  # broker away: the status page offers to start again


def statement_pending_for(person) -> Statement | None:
    """The person's statement being built, started within REUSE_BUILDING_FOR, which a new request
    gives back instead of building another; None when there is none."""
    return Statement.objects.filter(
        person=person, status=Statement.Status.BUILDING, build_started_at__gte=timezone.now() - REUSE_BUILDING_FOR
    ).order_by("-build_started_at").first()


def statement_request(*, person, requested_by, verify_base: str) -> Statement:
    """Create a statement for `person` and start its PDF on commit. `verify_base` is the scheme and
    host the printed verify URL starts with (see `verify_base_for`)."""
    with transaction.atomic():
        # One request per person at a time; FOR NO KEY UPDATE, as it changes no key of the person: a filing
        # for them committed meanwhile is not waited for (vssid_portal/locks.py).
        Person.objects.select_for_update(no_key=True).filter(pk=person.pk).first()
        pending = statement_pending_for(person)
        if pending is not None:
            return pending
        code = code_new()
        while Statement.objects.filter(code=code).exists():  # 2^-60 per pair; cheap to be sure
            code = code_new()
        statement = Statement(code=code, person=person, requested_by=requested_by)
        statement.full_clean()
        statement.save()
        transaction.on_commit(lambda: _dispatch_build(statement.pk, verify_base))
    return statement


def statement_retry(*, statement: Statement, verify_base: str) -> Statement:
    """Start the build again for a statement that failed or whose task seems lost."""
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.pdf:
            return locked
        if locked.status == Statement.Status.FAILED or statement_is_stalled(locked):
            locked.status = Statement.Status.BUILDING
            locked.pdf_attempts = 0
            locked.build_started_at = timezone.now()
            locked.save(update_fields=["status", "pdf_attempts", "build_started_at"])
            transaction.on_commit(lambda: _dispatch_build(locked.pk, verify_base))
    return locked


def statement_build(*, statement_id: int, verify_base: str) -> Statement | None:
    """Render the PDF once and store it with its content hash; a statement that already has its
    PDF (a task delivered twice) is left as it is. After `JOB_MAX_ATTEMPTS` attempts the statement
    is marked failed, and its page offers to start again. Returns None for a statement that is gone."""
    built = run_counted(Statement.objects.filter(pk=statement_id, pdf=""), "pdf_attempts",
                        lambda: _statement_rendered(statement_id, verify_base), name=f"statement {statement_id}: PDF",
                        on_give_up=lambda: statement_mark_failed(statement_id=statement_id))
    return built or Statement.objects.filter(pk=statement_id).first()


def _statement_rendered(statement_id: int, verify_base: str) -> Statement | None:
    with kept_only_if_committed(_storage()) as saved, transaction.atomic():
        # The statement only (one build of it at a time), not the person read with it: a filing, a card or
        # a change of the person committed while the PDF is drawn waits for none of it.
        statement = (Statement.objects.select_for_update(of=("self",)).select_related("person")
                     .filter(pk=statement_id).first())
        if statement is None or statement.pdf:
            return statement
        issued_at = timezone.now().replace(microsecond=0)
        data = statement_data(statement, issued_at=issued_at,
                              verify_url=verify_base.rstrip("/") + verify_path(statement.code))
        content_hash = content_hash_of(data)
        pdf = render_pdf(PDF_TEMPLATE, _pdf_context(data, content_hash))
        statement.pdf.save(_pdf_filename(statement.code), ContentFile(pdf), save=False)
        saved += [statement.pdf.name, _snapshot_name(statement.pdf.name)]
        _save_snapshot(statement.pdf.name, canonical_bytes(data))
        statement.content_hash = content_hash
        statement.issued_at = issued_at
        statement.status = Statement.Status.READY
        statement.save(update_fields=["pdf", "content_hash", "issued_at", "status"])
    return statement


def statement_mark_failed(*, statement_id: int) -> None:
    Statement.objects.filter(pk=statement_id, pdf="").update(status=Statement.Status.FAILED)
