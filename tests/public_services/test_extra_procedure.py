"""Adding a procedure needs no change elsewhere: a throwaway procedure declared here, the way a
module of public_services/procedures declares itself (a `Procedure` subclass with `@register`,
its own form class and its own declaration template), goes through the whole portal — the list
of procedures, form, review, submit, the declaration PDF built by the task, the officer's queue
and filing page, the steps to "done" with its completion hook — and is removed again afterwards,
so no other test sees it.

The declaration template lives beside this module (tests/public_services/templates/): the
registry takes a template *name*, found by Django's template loaders, so the fixture adds that
folder to the template directories for the duration of the test.
"""

import contextlib
import copy
import re
import subprocess
from pathlib import Path

import pytest
from django import forms
from django.core.files.storage import default_storage
from django.test import Client

from public_services.models import Filing
from public_services.procedures import registry
from public_services.procedures.base import Procedure, ProcedureForm
from public_services.procedures.fields import long_text, phone_field
from tests.conftest import require_tool

from .helpers import district_officer, other_district_officer, owner, review_post  # noqa: F401

pytestmark = pytest.mark.django_db

CODE, SLUG = "TN-99", "thu-tuc-thu-nghiem"
NAME = "Xác nhận thời gian tham gia (thủ tục thử nghiệm)"
FORM = f"/dich-vu-cong/{SLUG}/"
QUEUE = "/quan-tri/public_services/filing/"
TEMPLATES = Path(__file__).resolve().parent / "templates"


class TrialForm(ProcedureForm):
    purpose = forms.ChoiceField(
        label="Mục đích xác nhận", widget=forms.RadioSelect,
        choices=[("vay_von", "Vay vốn ngân hàng"), ("xin_viec", "Nộp hồ sơ xin việc")],
        error_messages={"required": "Chọn mục đích xác nhận."},
    )
    months = forms.IntegerField(label="Số tháng đề nghị xác nhận", min_value=1, max_value=600,
                                error_messages={"required": "Nhập số tháng.", "min_value": "Nhập từ 1 tháng trở lên."})
    phone = phone_field()
    details = long_text("Ghi chú thêm", required=False)
    field_order = ["purpose", "months", "phone", "details"]


@contextlib.contextmanager
def trial_registered(settings):
    """The procedure declared (with its template folder) inside the block, gone after it."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = templates
    registry.all_procedures()  # the real procedures are loaded first, as on any request
    completed = []

    @registry.register
    class Trial(Procedure):
        code, slug, name = CODE, SLUG, NAME
        public_code = CODE  # shown as "Mã thủ tục TN-99" and on the declaration
        summary = "Thủ tục chỉ dùng khi kiểm thử."
        form_class = TrialForm
        documents = ["Không cần giấy tờ"]
        handling_days = 3
        pdf_template = "tests_public_services/tk_thu_nghiem.html"
        declaration_name = "Tờ khai đề nghị xác nhận thời gian tham gia"
        order = 999

        def initial(self, person, *, user=None):
            return {**super().initial(person, user=user), "months": 12}  # the contact phone from the base

        def on_complete(self, *, filing, actor):
            completed.append((filing.pk, actor.username))

    try:
        yield registry.get(CODE), completed
    finally:
        # The registry has no unregister: a procedure module is never removed at run time.
        registry._PROCEDURES.pop(CODE, None)


@pytest.fixture
def trial_procedure(settings):
    """Declare the procedure for one test, then take it out of the registry again."""
    with trial_registered(settings) as declared:
        yield declared
    assert registry.by_slug(SLUG) is None


def key_of(response) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode()).group(1)


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_a_procedure_declared_in_one_place_goes_from_form_to_done(
        client, owner, district_officer, other_district_officer, trial_procedure, django_capture_on_commit_callbacks,
        tmp_path, sms_outbox):
    procedure, completed = trial_procedure
    client.force_login(owner)
    assert NAME in html_of(client, "/dich-vu-cong/") and FORM in html_of(client, "/dich-vu-cong/")

    # The form: pre-filled by the procedure, its own errors, every answer kept.
    html = html_of(client, FORM)
    assert NAME in html and "Mục đích xác nhận" in html and 'value="12"' in html and 'value="0912 345 678"' in html
    key = key_of(client.get(FORM))
    wrong = client.post(FORM, {"idempotency_key": key, "months": "0", "phone": "0912345678", "details": "Cần gấp"})
    html = wrong.content.decode()
    assert wrong.status_code == 200 and 'class="error-summary"' in html
    assert "Chọn mục đích xác nhận." in html and "Nhập từ 1 tháng trở lên." in html and "Cần gấp" in html

    # Review, then submit.
    answers = {"idempotency_key": key, "purpose": "vay_von", "months": "48", "phone": "0912345678",
               "details": "Nộp cho Ngân hàng Nông nghiệp chi nhánh Thủ Đức"}
    response = client.post(FORM, answers)
    assert response.status_code == 302 and response["Location"] == f"{FORM}xem-lai/"
    review = html_of(client, f"{FORM}xem-lai/")
    assert "Vay vốn ngân hàng" in review and "48" in review and "Ngân hàng Nông nghiệp chi nhánh Thủ Đức" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{FORM}xem-lai/", review_post(client, FORM, key))
    filing = Filing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
    assert filing.procedure_code == CODE and filing.procedure is procedure
    assert filing.agency.code == "07901" and filing.data["months"] == "48"
    status = html_of(client, f"/dich-vu-cong/ho-so/{filing.pk}/")
    assert filing.tracking_number in status and NAME in status and "Tải tờ khai (PDF)" in status
    assert any(filing.tracking_number in sms["text"] for sms in sms_outbox())

    # The declaration PDF, built by the task from this procedure's own template.
    filing.refresh_from_db()
    assert filing.pdf_ready
    path = tmp_path / "to-khai.pdf"
    with default_storage.open(filing.declaration_pdf.name, "rb") as handle:
        path.write_bytes(handle.read())
    text = "".join(subprocess.run([require_tool("pdftotext", "poppler-utils"), str(path), "-"],
                                  capture_output=True, check=True).stdout.decode().split())
    for expected in ("Mẫu TN-99 (thử nghiệm)", "TỜ KHAI ĐỀ NGHỊ XÁC NHẬN THỜI GIAN THAM GIA",  # the heading, in capitals
                     filing.tracking_number,
                     "Nguyễn Văn Đức", "7901234567", "Vay vốn ngân hàng", "Số tháng đề nghị xác nhận: 48",
                     "Ngân hàng Nông nghiệp chi nhánh Thủ Đức", f"{NAME} ({CODE})"):
        assert "".join(expected.split()) in text, expected

    # The officer's queue and filing page, then the steps to "done" with the procedure's hook.
    officer = Client()
    officer.force_login(district_officer)
    queue = html_of(officer, QUEUE)
    assert filing.tracking_number in queue and f"{CODE} – {NAME}" in queue
    assert filing.tracking_number in html_of(officer, f"{QUEUE}?procedure_code__exact={CODE}")
    page = html_of(officer, f"{QUEUE}{filing.pk}/change/")
    assert "Vay vốn ngân hàng" in page and "Ngân hàng Nông nghiệp chi nhánh Thủ Đức" in page
    assert "Tải tờ khai (PDF)" in page and officer.get(f"{QUEUE}{filing.pk}/to-khai/").status_code == 200
    outsider = Client()
    outsider.force_login(other_district_officer)
    assert filing.tracking_number not in html_of(outsider, QUEUE)
    for step in ("receive", "start", "complete"):
        assert officer.post(f"{QUEUE}{filing.pk}/buoc/{step}/").status_code == 302
    filing.refresh_from_db()
    assert filing.status == Filing.Status.DONE
    assert completed == [(filing.pk, "canbo07901")]
    assert "Đã có kết quả" in html_of(client, f"/dich-vu-cong/ho-so/{filing.pk}/")


def test_the_trial_procedure_is_gone_after_its_test(client, owner, settings):
    """Declared, the procedure is on the portal; once its block ends, nothing of it is left, so no
    other test sees it (whatever order the tests run in)."""
    real = [procedure.code for procedure in registry.all_procedures()]
    client.force_login(owner)
    with trial_registered(settings):
        assert client.get(FORM).status_code == 200 and NAME in html_of(client, "/dich-vu-cong/")
    assert [procedure.code for procedure in registry.all_procedures()] == real and CODE not in real
    assert registry.by_slug(SLUG) is None
    assert client.get(FORM).status_code == 404
    assert NAME not in html_of(client, "/dich-vu-cong/")
