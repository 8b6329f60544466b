"""What the files the portal makes say, read as the page sweep (`test_visible_text.py`) reads its
pages: every kind of PDF (the declaration of each procedure, the registration declarations of an
adult and of a child, the participation statement, the printed health card) read back with pdftotext,
and the participation CSV export. No English, no ISO or US date, no 12-hour time, no money written
the English way, no "None" or "null"."""

import csv
import io
import subprocess

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import translation

from accounts.models import Registration
from accounts.services.registration import registration_build_declaration
from lookup.models import Employer
from participation.services import statements as statement_service
from public_services.procedures import registry
from public_services.services import filing_build_declaration, filing_withdraw
from tests.accounts.helpers import make_person
from tests.accounts.helpers import submit as submit_registration
from tests.accounts.test_child_account import child, send  # noqa: F401 (child: fixture)
from tests.conftest import require_tool
from tests.health_card.card_fixtures import card, facility, holder, logged_in, signing_keys  # noqa: F401 (fixtures)
from tests.participation.test_statement import add_period
from tests.public_services.helpers import answers, stored_upload
from tests.public_services.helpers import submit as submit_filing
from tests.test_visible_text import text_defects

pytestmark = pytest.mark.django_db

# The optional answers filled, so that every box of a form is printed.
FILLED = {"email": "duc.nguyen@example.vn", "attachments": "Giấy xác nhận mất sổ của công an phường",
          "delivery": "buu_dien", "delivery_address": "12 Lê Lợi, Phường Sài Gòn, Thành phố Hồ Chí Minh"}


def english_sentences() -> set[str]:
    """The portal's own English: every English text of the catalogue of a few words or more that
    differs from its Vietnamese (the admin's English is in the page sweep's list)."""
    catalogue = translation.trans_real.translation("en")._catalog
    return {" ".join(english.split()) for vietnamese, english in catalogue.items()
            if isinstance(english, str) and isinstance(vietnamese, str) and english != vietnamese
            and len(english.split()) >= 3 and "%" not in english and "{" not in english}


def pdf_text(pdf: bytes) -> str:
    require_tool("pdftotext", "poppler-utils")
    return " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                   check=True).stdout.decode().split())


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def declarations(user):
    for procedure in registry.all_procedures():
        uploads = {name: stored_upload(name) for name in procedure.upload_fields}
        filled = {key: value for key, value in FILLED.items() if key in answers(procedure.code)}
        filing = submit_filing(user, procedure.code, uploads=uploads, **filled)
        yield procedure.code, stored(filing_build_declaration(filing_id=filing.pk).declaration_pdf.name)
        filing_withdraw(filing=filing, user=user)  # 607A and 608A are not open together


def registration_declaration(registration) -> bytes:
    return stored(registration_build_declaration(registration_id=registration.pk).declaration_pdf.name)


def statement(user) -> bytes:
    employer = Employer.objects.order_by("code").first()
    for kind in ("bhxh_bb", "bhtn", "bhyt"):
        add_period(user.person, kind, "03/2015", "12/2017", employer=employer, job="Kỹ sư phần mềm",
                   base=12_500_000, rate="1.5")
    add_period(user.person, "bhxh_tn", "01/2018", "11/2019", payer="self", base=4_680_000, rate="22", unpaid=2)
    built = statement_service.statement_request(person=user.person, requested_by=user, verify_base="http://testserver")
    statement_service.statement_build(statement_id=built.pk, verify_base="http://testserver")
    built.refresh_from_db()
    return stored(built.pdf.name)


# Files built in-process while a page speaks English are printed in Vietnamese all the same.
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_generated_file_reads_as_vietnamese(holder, card, client, child, language):  # noqa: F811 (fixtures)
    with translation.override(language):
        found = generated_file_defects(holder, card, client)
    assert found == [], "\n".join(found)


def generated_file_defects(holder, card, client) -> list[str]:  # noqa: F811 (fixtures)
    language = translation.get_language()
    files = {f"declaration {code}": pdf_text(pdf) for code, pdf in declarations(holder)}
    assert len(files) == len(registry.all_procedures())
    files["registration declaration"] = pdf_text(registration_declaration(
        submit_registration(make_person("7907777777", "Trần Văn Minh", id_number="079088012399"),
                            email="minh.tran@example.vn")))
    Registration.objects.all().delete()
    client.force_login(holder)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    send(client)
    files["child's registration declaration"] = pdf_text(registration_declaration(Registration.objects.get()))
    files["participation statement"] = pdf_text(statement(holder))
    browser = logged_in(holder)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    printed = browser.get(f"/the-bhyt/{card.pk}/in/")
    assert printed["Content-Type"] == "application/pdf"
    files["printed health card"] = pdf_text(printed.content)
    export = browser.get("/qua-trinh-tham-gia/xuat-csv/")
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 5
    files["participation CSV"] = " ".join(" | ".join(row) for row in rows)
    english = english_sentences()
    assert len(english) > 100  # the catalogue was read
    return [f"{name}: {defect}" for name, text in files.items()
            for defect in text_defects(text) + [f"English {words!r}" for words in english if words in text]]
