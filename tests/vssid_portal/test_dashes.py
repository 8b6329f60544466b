"""One dash between the parts of a sentence, on pages, in notices, e-mails and SMS alike: an en dash with
a space either side ("Hồ sơ HS… – Cấp lại sổ BHXH – đã nộp"), and an en dash for a range ("7–8 chữ số",
"01/2026–12/2026"); not a hyphen, which belongs to codes and words ("01-2026", "TNLĐ-BNN"), nor an em dash.
An SMS in the GSM 7-bit alphabet but for its en dashes sends them as hyphens (notifications.sms.sms_text)."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from notifications.sms import sms_text

ROOT = Path(__file__).resolve().parents[2]
# A hyphen or an em dash with a space either side, between words or a template's values
BREAK = re.compile(r"(?<=\S) [-—] (?=\S)")
COMMENT = re.compile(r"(?s){% comment %}.*?{% endcomment %}|{#.*?#}")


def templates():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if (path.suffix in {".html", ".txt"} and ("templates/" in relative or "jinja2/" in relative)
                and not relative.startswith((".venv/", "tests/", "var/")) and "/admin/" not in relative):
            yield relative, path


def test_no_page_or_message_template_breaks_a_sentence_with_a_hyphen_or_an_em_dash():
    found = [(relative, match.group(0)) for relative, path in templates()
             for match in BREAK.finditer(COMMENT.sub("", path.read_text(encoding="utf-8")))]
    assert found == []


def test_no_english_text_breaks_a_sentence_with_a_hyphen_or_an_em_dash():
    catalogue = (ROOT / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = [re.sub(r'"\n"', "", entry) for entry in catalogue.split("\n\n")]
    found = [entry for entry in entries if BREAK.search("\n".join(line for line in entry.splitlines()
                                                                 if line.startswith(("msgid", "msgstr"))))]
    assert found == []


STEP = {"filing": SimpleNamespace(tracking_number="HS2612ABCDEF", due_date=None),
        "event": SimpleNamespace(status="done", note="", get_status_display=lambda: "Đã trả kết quả"),
        "procedure_name": "Cấp lại sổ BHXH do mất, hỏng", "procedure_sms_name": "607A Cấp lại sổ BHXH", "for_child": False}


@pytest.mark.parametrize(("language", "notice", "sms"), [
    ("vi", "BHXH: Hồ sơ HS2612ABCDEF – Cấp lại sổ BHXH do mất, hỏng – đã trả kết quả.",
     "BHXH: Hồ sơ HS2612ABCDEF – 607A Cấp lại sổ BHXH – đã trả kết quả."),
    ("en", "BHXH: Application HS2612ABCDEF – Cấp lại sổ BHXH do mất, hỏng – đã trả kết quả.",
     "BHXH: Application HS2612ABCDEF – 607A Cấp lại sổ BHXH – đã trả kết quả."),
])
def test_a_filing_s_step_names_its_procedure_between_en_dashes(language, notice, sms):
    with translation.override(language):
        said = {channel: render_to_string("notifications/messages/public_service_filing.body.txt",
                                          {**STEP, "channel": channel}).strip() for channel in ("inbox", "email", "sms")}
    assert said["inbox"].startswith(notice) and said["email"].startswith(notice) and said["sms"] == sms, said


def test_an_english_step_sms_in_7_bits_sends_its_dashes_as_hyphens():
    context = {**STEP, "procedure_sms_name": "607A Book reissue", "channel": "sms",
               "event": SimpleNamespace(status="done", note="", get_status_display=lambda: "Done")}
    with translation.override("en"):
        sms = sms_text(render_to_string("notifications/messages/public_service_filing.body.txt", context).strip())
    assert sms == "BHXH: Application HS2612ABCDEF - 607A Book reissue - done."
