"""Hostile files against every upload field of the portal: registration photos, a child's
registration photos, the 608A evidence images and the 607A attached files (on the form and on the
correction page of a returned filing), the feedback attachment,
the news lead image in the admin, and the participation CSV import. Each file is refused with a Vietnamese message on the
field, or accepted and stored re-encoded (no metadata, nothing appended, a safe name); never a 500.
The fields are found in the portal's forms, procedures and admin, so a new one that no test here
sends the corpus to fails `test_every_upload_field_is_sent_the_corpus`.
"""

import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import User
from lookup.models import Agency, Province, Ward

from .corpus import HTML, Hostile, corpus
from .world import PASSWORD

pytestmark = [pytest.mark.security, pytest.mark.django_db,
              # The corpus holds decompression bombs on purpose: Pillow warns before refusing them.
              pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")]

VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
PHOTO_FIELDS = ("portrait", "id_front", "id_back")


def upload(item):
    return SimpleUploadedFile(item.filename, item.data, content_type=item.content_type)


def field_errors(response, field) -> list[str]:
    for context in response.context or []:
        form = context.get("form") if hasattr(context, "get") else None
        if form is None and hasattr(context, "get") and context.get("adminform") is not None:
            form = context["adminform"].form
        if form is not None and hasattr(form, "errors"):
            return list(form.errors.get(field, []))
    return []


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def clean_problems(path: Path, root: Path) -> list[str]:
    """What is wrong with a stored copy of an accepted upload."""
    data = path.read_bytes()
    problems = []
    if not path.resolve().is_relative_to(root.resolve()):
        problems.append(f"stored outside its folder: {path}")
    if not re.fullmatch(r"[\w.-]+", path.name) or path.suffix not in {".jpg", ".png", ".webp", ".pdf"}:
        problems.append(f"unsafe stored name {path.name!r}")
    if path.suffix == ".pdf":
        return problems
    if b"<script" in data or b"<html" in data or b"PhoneMaker" in data:
        problems.append("foreign bytes kept")
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.format not in {"JPEG", "PNG", "WEBP"}:
            problems.append(f"stored as {image.format}")
        kept = {key for key in image.info if key in {"exif", "icc_profile", "comment", "xmp", "Comment", "GPS"}}
        if kept or len(image.getexif()):
            problems.append(f"metadata kept: {kept or 'exif'}")
        if getattr(image, "n_frames", 1) != 1:
            problems.append("animation kept")
    return problems


# Django's stock admin message for a file extension outside its image list has no Vietnamese
# translation in Django's catalogue; officers see it in English.
def judge(item, response, fields, *, stored, root, accepted: bool) -> list[str]:
    """Problems with how one upload was handled (empty: handled right)."""
    if response.status_code >= 500:
        return [f"{item.name}: {response.status_code}"]
    errors = [message for field in fields for message in field_errors(response, field)]
    if item.expect == "reject":
        if accepted or stored:
            return [f"{item.name}: accepted ({response.status_code}, stored {[p.name for p in stored]})"]
        missing = [field for field in fields if not field_errors(response, field)]
        wrong = [message for message in errors if not VIETNAMESE.search(message)]
        return ([f"{item.name}: no message on {missing}"] if missing else []) + (
            [f"{item.name}: message not in Vietnamese: {wrong}"] if wrong else [])
    if not accepted:
        return [f"{item.name}: refused ({response.status_code}) {errors}"]
    if not stored:
        return [f"{item.name}: accepted but nothing stored"]
    return [f"{item.name}: {problem}" for path in stored for problem in clean_problems(path, root)]


@pytest.fixture
def private_root(settings):
    return Path(settings.PRIVATE_FILES_ROOT)


def fresh(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)


# Every upload field of the portal → the tests here that send it the corpus. A form, a procedure or
# an admin form that takes a file and is missing here fails `test_every_upload_field_is_sent_the_corpus`.
UPLOAD_FIELDS = {
    "accounts.forms.PhotosForm": {name: ["test_registration_photos"] for name in PHOTO_FIELDS},
    "accounts.forms.ChildRegistrationForm": {name: ["test_child_registration_photos"] for name in PHOTO_FIELDS},
    "public_services.procedures.book_reissue.BookReissueForm": {"attached_files": [
        "test_attached_files_of_the_607a_filing",
        "test_attached_files_on_the_correction_page_of_a_returned_607a_filing"]},
    "public_services.procedures.book_change.BookChangeForm": {name: [
        "test_evidence_images_of_the_608a_filing",
        "test_evidence_images_on_the_correction_page_of_a_returned_608a_filing"]
        for name in ("evidence_1", "evidence_2")},
    "public_services.forms.FeedbackForm": {"attachment": ["test_feedback_attachment"]},
    "lookup.admin_support.NewsArticleForm": {"lead_image": ["test_news_lead_image_in_the_admin"]},
    "participation.admin.ImportForm": {"file": ["test_participation_csv_import_refuses_every_hostile_file"]},
}


def upload_fields_of_the_portal() -> dict[str, set[str]]:
    """Form class → its file fields: every form class of the portal's apps (the URLconf and the
    admin import them all), the procedures' forms of the registry and the admin's own forms."""
    from django import forms
    from django.apps import apps
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import get_resolver

    from public_services.procedures import registry

    get_resolver().url_patterns  # imports every view, and with it every form
    ours = {app.name for app in apps.get_app_configs() if not app.name.startswith(("django.", "allauth"))}

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    def written_as(cls, model=None) -> str:
        """The class as written in the portal; a ModelAdmin's generated form, by the admin form it
        extends, or by its model where the admin has no form of its own."""
        mine = next((c for c in cls.__mro__ if c.__module__.split(".")[0] in ours), None)
        return f"{mine.__module__}.{mine.__qualname__}" if mine else f"admin {model._meta.label_lower}"

    forms_found = [(written_as(cls), cls) for cls in subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in ours]
    forms_found += [(written_as(procedure.form_class), procedure.form_class) for procedure in registry.all_procedures()]
    request = RequestFactory().get("/quan-tri/")
    request.user = User(is_staff=True, is_superuser=True)
    for model, model_admin in admin.site._registry.items():
        generated = [model_admin.get_form(request)] + [
            inline(model, admin.site).get_formset(request).form for inline in model_admin.inlines]
        forms_found += [(written_as(cls, cls._meta.model), cls) for cls in generated]
    found = {}
    for key, cls in forms_found:
        fields = {name for name, field in cls.base_fields.items() if isinstance(field, forms.FileField)}
        if fields:
            found.setdefault(key, set()).update(fields)
    return found


def test_every_upload_field_is_sent_the_corpus():
    covered = {form: set(fields) for form, fields in UPLOAD_FIELDS.items()}
    assert upload_fields_of_the_portal() == covered, "an upload field without hostile files, or a stale entry"
    tests = {name for fields in UPLOAD_FIELDS.values() for names in fields.values() for name in names}
    assert {name for name in tests if not callable(globals().get(name))} == set()


def test_the_corpus_is_large_and_varied():
    items = corpus()
    assert len(items) >= 30
    # Each kind of file the issue names is in it.
    assert {"truncated JPEG", "PNG declaring 30000 x 30000 pixels", "deflate bomb PNG 12000 x 12000",
            "polyglot JPEG + HTML", "SVG with script", "PDF renamed .jpg", "huge EXIF (60 kB)",
            "GPS EXIF"} <= {item.name for item in items}
    assert {"reject", "accept"} == {item.expect for item in items}
    assert len({item.name for item in items}) == len(items)


@pytest.fixture(autouse=True)
def posts_with_files_not_limited(monkeypatch):
    """One login posts the whole corpus to a form: the limits of posts carrying files per login
    (tests/security/test_registration_photo_limit.py, test_filing_limit.py) would stop it midway."""
    from accounts.views import personal
    from public_services.views import drafts

    monkeypatch.setattr(personal, "CHILD_PHOTO_POSTS_PER_USER", "1000/h")
    monkeypatch.setattr(drafts, "UPLOAD_POSTS_PER_LOGIN", "1000/h")


def registration_client(reference_data, address: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    session = client.session
    session["registration"] = {"token": "sec0123456789abcdef0123", "declaration": {
        "bhxh_code": "7901234567", "full_name": "Nguyễn Văn Đức", "id_type": "cccd", "id_number": "079088012345",
        "street": "12 Lê Lợi", "email": "", "birth_date": "1988-03-15",
        "province": Province.objects.get(code="79").pk, "ward": Ward.objects.get(name="Phường Sài Gòn").pk,
        "phone": "+84987654321"}}
    session.save()
    return client


def test_registration_photos(reference_data, private_root):
    failures = []
    for n, item in enumerate(corpus()):
        # each from an address of its own: one posting them all would meet the step's limit of posts
        client = registration_client(reference_data, address=f"10.0.{n // 250}.{n % 250 + 1}")
        fresh(private_root)
        response = client.post("/dang-ky/anh/", {field: upload(item) for field in PHOTO_FIELDS})
        accepted = response.status_code == 302 and response["Location"].endswith("/dang-ky/co-quan/")
        failures += judge(item, response, PHOTO_FIELDS, stored=stored_files(private_root), root=private_root,
                          accepted=accepted)
    assert failures == []


def test_child_registration_photos(reference_data, private_root):
    from tests.public_services.helpers import citizen

    client = Client()
    client.force_login(citizen())
    failures = []
    for item in corpus():
        # Only the photos are sent: the form comes back, each photo judged on its own.
        response = client.post("/ca-nhan/dang-ky-cho-con/", {field: upload(item) for field in PHOTO_FIELDS})
        if response.status_code >= 500:
            failures.append(f"{item.name}: {response.status_code}")
            continue
        errors = {field: field_errors(response, field) for field in PHOTO_FIELDS}
        if item.expect == "reject" and not all(errors.values()):
            failures.append(f"{item.name}: accepted")
        if item.expect == "reject" and not all(VIETNAMESE.search(m) for ms in errors.values() for m in ms):
            failures.append(f"{item.name}: message not in Vietnamese {errors}")
        if item.expect == "accept" and any(errors.values()):
            failures.append(f"{item.name}: refused {errors}")
    assert failures == []
    assert stored_files(private_root) == []  # nothing kept from a form that was never valid


def test_evidence_images_of_the_608a_filing(reference_data, private_root):
    from tests.public_services.helpers import answers, citizen

    url = "/dich-vu-cong/cap-lai-so-bhxh-thay-doi-thong-tin/"
    user = citizen()
    failures = []
    for item in corpus():
        client = Client()  # a fresh draft each time
        client.force_login(user)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)
        fresh(private_root)
        response = client.post(url, {**answers("608A"), "idempotency_key": key,
                                     "evidence_1": upload(item), "evidence_2": upload(item)})
        accepted = response.status_code == 302 and response["Location"].endswith("xem-lai/")
        failures += judge(item, response, ("evidence_1", "evidence_2"), stored=stored_files(private_root),
                          root=private_root, accepted=accepted)
    assert failures == []


def test_evidence_images_on_the_correction_page_of_a_returned_608a_filing(reference_data, private_root):
    """The same fields reached through the page that corrects a returned filing, which keeps the
    images that passed in a draft of its own before the filing is sent again."""
    from public_services.models import Filing
    from public_services.services import filing_return
    from tests.public_services.helpers import DISTRICT, citizen, correction, officer, submit

    user = citizen()
    returner = officer("canbo07901", "07901", DISTRICT)
    filing = submit(user, "608A")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    failures = []
    for item in corpus():
        filing.refresh_from_db()
        if filing.status != Filing.Status.RETURNED:  # the first time, and after each accepted correction
            filing_return(filing=filing, officer=returner, what="Chụp lại giấy tờ cho rõ.")
            filing.refresh_from_db()
        client = Client()
        client.force_login(user)
        before = set(stored_files(private_root))
        response = client.post(url, {**correction(filing, "608A"), "evidence_1": upload(item),
                                     "evidence_2": upload(item)})
        accepted = response.status_code == 302 and response["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
        stored = [path for path in stored_files(private_root) if path not in before]
        failures += judge(item, response, ("evidence_1", "evidence_2"), stored=stored, root=private_root,
                          accepted=accepted)
    assert failures == []


def test_attached_files_of_the_607a_filing(reference_data, private_root):
    """The 607A "Hồ sơ kèm theo" takes PDF, XML, JPG and XLSX: of the corpus (images and hostile
    files) only the JPEGs named .jpg are good, re-encoded like the photos; the rest is refused, and
    so are the hostile documents of tests/public_services/test_attachments.py (active or encrypted
    PDFs, XML with entities, SVG or HTML, XLSX with macros, traversal or a zip bomb)."""
    from tests.public_services.helpers import answers, citizen
    from tests.public_services.test_attachments import HOSTILE

    url = "/dich-vu-cong/cap-lai-so-bhxh/"
    user = citizen()
    failures = []
    documents = tuple(Hostile(f"document: {name}", name, build(), "application/octet-stream", "reject")
                      for name, build, _message in HOSTILE)
    for item in corpus() + documents:
        client = Client()  # a fresh draft each time
        client.force_login(user)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)
        fresh(private_root)
        response = client.post(url, {**answers("607A"), "idempotency_key": key, "attached_files": [upload(item)]})
        accepted = response.status_code == 302 and response["Location"].endswith("xem-lai/")
        good_jpeg = item.data.startswith(b"\xff\xd8\xff") and item.filename.lower().endswith((".jpg", ".jpeg"))
        expect = "accept" if item.expect == "accept" and good_jpeg else "reject"
        failures += judge(type(item)(**{**item.__dict__, "expect": expect}), response, ("attached_files",),
                          stored=stored_files(private_root), root=private_root, accepted=accepted)
    assert failures == []


def test_attached_files_on_the_correction_page_of_a_returned_607a_filing(reference_data, private_root):
    """The 607A files reached through the page that corrects a returned filing: the corpus and the
    hostile documents judged as on the form."""
    from public_services.models import Filing
    from public_services.services import filing_return
    from tests.public_services.helpers import DISTRICT, citizen, correction, officer, submit
    from tests.public_services.test_attachments import HOSTILE

    user = citizen()
    returner = officer("canbo07901", "07901", DISTRICT)
    filing = submit(user, "607A")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    documents = tuple(Hostile(f"document: {name}", name, build(), "application/octet-stream", "reject")
                      for name, build, _message in HOSTILE)
    failures = []
    for item in corpus() + documents:
        filing.refresh_from_db()
        if filing.status != Filing.Status.RETURNED:  # the first time, and after each accepted correction
            filing_return(filing=filing, officer=returner, what="Gửi kèm bản chụp giấy tờ.")
            filing.refresh_from_db()
        client = Client()
        client.force_login(user)
        before = set(stored_files(private_root))
        earlier = [document.field for document in filing.documents.all()]  # taken out: room for 6 again
        response = client.post(url, {**correction(filing, "607A"), "attached_files": [upload(item)],
                                     "remove_files": earlier})
        accepted = response.status_code == 302 and response["Location"] == f"/dich-vu-cong/ho-so/{filing.pk}/"
        good_jpeg = item.data.startswith(b"\xff\xd8\xff") and item.filename.lower().endswith((".jpg", ".jpeg"))
        expect = "accept" if item.expect == "accept" and good_jpeg else "reject"
        stored = [path for path in stored_files(private_root) if path not in before]
        failures += judge(type(item)(**{**item.__dict__, "expect": expect}), response, ("attached_files",),
                          stored=stored, root=private_root, accepted=accepted)
    assert failures == []


def test_feedback_attachment(reference_data, private_root):
    failures = []
    for number, item in enumerate(corpus()):
        client = Client(REMOTE_ADDR=f"10.20.{number}.1")  # one sender each: the submit limit is per client
        key = re.search(r'name="idempotency_key" value="([^"]+)"',
                        client.get("/dich-vu-cong/phan-anh/").content.decode()).group(1)
        fresh(private_root)
        response = client.post("/dich-vu-cong/phan-anh/", {
            "kind": "phan_anh", "topic": "khac", "content": "Ảnh chụp màn hình lỗi khi đăng nhập",
            "full_name": "Trần Văn Bình", "phone": "0912345678", "email": "", "idempotency_key": key,
            "agency": Agency.objects.get(code="07901").pk,
            "attachment": upload(item)})
        accepted = response.status_code == 302
        failures += judge(item, response, ("attachment",), stored=stored_files(private_root), root=private_root,
                          accepted=accepted)
    assert failures == []


def test_feedback_pdf_is_served_as_a_sandboxed_download():
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from vssid_portal.files import private_file_response

    name = default_storage.save("feedback/x/dinh-kem.pdf", ContentFile(b"%PDF-1.4\n" + HTML))
    response = private_file_response(name, filename="dinh-kem.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_news_lead_image_in_the_admin(reference_data, settings, tmp_path):
    settings.NEWS_MEDIA_ROOT = root = tmp_path / "news"
    client = Client()
    client.force_login(User.objects.create_superuser("quantri", password=PASSWORD))
    failures = []
    for number, item in enumerate(corpus()):
        fresh(root)
        response = client.post("/quan-tri/lookup/newsarticle/add/", {
            "title": f"Bản tin {number}", "slug": f"ban-tin-{number}", "summary": "Tóm tắt", "body": "Nội dung",
            "published_at_0": "01/12/2026", "published_at_1": "08:00:00", "is_published": "on",
            "lead_image": upload(item), "lead_image_alt": "Ảnh minh họa"})
        accepted = response.status_code == 302
        if item.expect == "accept" and field_errors(response, "lead_image"):
            # Django's own ImageField runs first in the admin (Pillow verify()) and is stricter
            # than the portal's check: refusing is also a correct answer here.
            item = type(item)(**{**item.__dict__, "expect": "reject"})
        failures += judge(item, response, ("lead_image",), stored=stored_files(root), root=root, accepted=accepted)
    assert failures == []


def test_participation_csv_import_refuses_every_hostile_file(reference_data):
    """None of the corpus is a CSV of periods: each is refused on the file field (not UTF-8, empty)
    or reported as having none of the columns, and nothing is imported, even without a dry run."""
    from participation.models import Period

    client = Client()
    client.force_login(User.objects.create_superuser("quantri", password=PASSWORD))
    failures = []
    for item in corpus():
        response = client.post("/quan-tri/participation/period/nhap-csv/", {"file": upload(item)})
        if response.status_code != 200:
            failures.append(f"{item.name}: {response.status_code}")
            continue
        errors, report = field_errors(response, "file"), response.context["report"]
        if not errors and not (report and report.error_count and report.created + report.updated == 0):
            failures.append(f"{item.name}: neither refused nor reported ({report})")
        wrong = [message for message in errors if not VIETNAMESE.search(message)]
        if wrong:
            failures.append(f"{item.name}: message not in Vietnamese: {wrong}")
    assert failures == []
    assert not Period.objects.exists()
