"""The 607A form's attached files ("Hồ sơ kèm theo"): PDF, XML, JPG and XLSX judged by their
content, at most 6 files and 5 MB in all, kept between the form and the review page, stored
privately with the filing, served as downloads to the owner and the agency's officers only,
listed on the pages and in the declaration, and added or replaced when a returned filing is
corrected."""

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from public_services.models import Filing, FilingDocument
from public_services.services import filing_build_declaration, filing_return, filings, uploads_sweep
from tests.conftest import require_tool

from .helpers import answers, correction, district_officer, logged, other_district_officer, owner, review_post, stranger  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/dich-vu-cong/cap-lai-so-bhxh/"
QUEUE = "/quan-tri/public_services/filing/"
FIELD = "attached_files"


# Real files, built here.
def real_pdf(text="Giấy xác nhận mất sổ") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def real_xlsx(*, extra: dict | None = None, leave_out=()) -> bytes:
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                               'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="'
                               'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       'relationships"/>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                           '2006/main"><sheets/></workbook>',
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if name not in leave_out:
                archive.writestr(name, content)
    return out.getvalue()


def real_xlsx_types() -> str:
    with zipfile.ZipFile(io.BytesIO(real_xlsx())) as archive:
        return archive.read("[Content_Types].xml").decode()


def real_xml() -> bytes:
    return '<?xml version="1.0" encoding="UTF-8"?><HoSo><HoTen>Nguyễn Văn Đức</HoTen></HoSo>'.encode()


def real_jpeg() -> bytes:
    image = Image.new("RGB", (80, 60), (20, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def pdf_with(change) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _javascript(writer):
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert(1)")})
    scripts = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(action)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})


def _launch(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})


def _javascript_behind_a_parent(writer):
    """A widget whose field (reached only through the widget's /Parent, not listed in /AcroForm)
    runs JavaScript on a keystroke."""
    field = writer._add_object(DictionaryObject({
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("ho_ten"),
        NameObject("/AA"): DictionaryObject({NameObject("/K"): DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})}),
    }))
    widget = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/Parent"): field,
        NameObject("/Rect"): ArrayObject([NumberObject(10), NumberObject(10), NumberObject(50), NumberObject(30)]),
    }))
    writer.pages[0][NameObject("/Annots")] = ArrayObject([widget])


def _remote_goto(writer):
    link = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(10), NumberObject(10), NumberObject(50), NumberObject(30)]),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/GoToR"),
                                            NameObject("/F"): TextStringObject("\\\\may-ngoai\\s\\x.pdf")}),
    }))
    writer.pages[0][NameObject("/Annots")] = ArrayObject([link])


def _bomb() -> bytes:
    return real_xlsx(extra={"xl/worksheets/sheet1.xml": "<a>" + "0" * (60 * 1024 * 1024) + "</a>"})


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


HOSTILE = [
    ("pdf-js.pdf", lambda: pdf_with(_javascript), "mã lệnh"),
    ("pdf-launch.pdf", lambda: pdf_with(_launch), "mã lệnh"),
    ("pdf-embedded.pdf", lambda: pdf_with(lambda w: w.add_attachment("run.exe", b"MZ" + b"\0" * 64)), "mã lệnh"),
    ("pdf-encrypted.pdf", lambda: pdf_with(lambda w: w.encrypt("mat-khau")), "mã hóa"),
    ("truncated.pdf", lambda: real_pdf()[:1500], "bị hỏng"),
    ("pdf-then-html.pdf", lambda: real_pdf() + b"<html><script>alert(1)</script></html>", "bị hỏng"),
    ("scan.jpg", real_pdf, "không khớp"),
    ("setup.pdf", lambda: b"MZ\x90\x00" + b"\x00" * 500, "không phải PDF, XML, JPG hoặc XLSX"),
    ("run.xlsx", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "không phải PDF, XML, JPG hoặc XLSX"),
    ("page.xml", lambda: b"<html><body><script>alert(1)</script></body></html>", "trang web hoặc ảnh SVG"),
    ("page.html", lambda: b"<html><body><script>alert(1)</script></body></html>", "không khớp"),
    ("image.xml", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "trang web hoặc ảnh SVG"),
    ("vector.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "không khớp"),
    ("laughs.xml", lambda: b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>',
     "DTD"),
    ("external.xml", lambda: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
     "DTD"),
    ("broken.xml", lambda: b"<?xml version='1.0'?><HoSo><HoTen>", "không phải XML hợp lệ"),
    ("cp1258.xml", lambda: "<HoSo>Đông</HoSo>".encode("cp1258"), "sai bảng mã"),
    ("macro.xlsx", lambda: real_xlsx(extra={"xl/vbaProject.bin": "macro"}), "có macro"),
    ("macro-enabled.xlsx", lambda: real_xlsx(extra={"[Content_Types].xml": real_xlsx_types().replace(
        "spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml")}), "có macro"),
    ("pdf-field-js.pdf", lambda: pdf_with(_javascript_behind_a_parent), "mã lệnh"),
    ("pdf-remote.pdf", lambda: pdf_with(_remote_goto), "mã lệnh"),
    ("ole.xlsx", lambda: real_xlsx(extra={"xl/embeddings/oleObject1.bin": "MZ"}), "đối tượng nhúng"),
    ("nested.xlsx", lambda: real_xlsx(extra={"xl/embeddings/Book1.xlsm": "PK"}), "đối tượng nhúng"),
    ("activex.xlsx", lambda: real_xlsx(extra={"xl/activeX/activeX1.bin": "x"}), "đối tượng nhúng"),
    ("dde.xlsx", lambda: real_xlsx(extra={"xl/externalLinks/externalLink1.xml": '<externalLink><ddeLink '
                                          'ddeService="cmd" ddeTopic="/c calc"/></externalLink>'}), "đối tượng nhúng"),
    ("traversal.xlsx", lambda: real_xlsx(extra={"../../evil.sh": "rm -rf /"}), "không phải tệp Excel"),
    ("no-workbook.xlsx", lambda: real_xlsx(leave_out={"xl/workbook.xml"}), "không phải tệp Excel"),
    ("bomb.xlsx", _bomb, "quá lớn"),
    ("truncated.xlsx", lambda: real_xlsx()[:200], "không phải tệp Excel"),
    ("truncated.jpg", lambda: real_jpeg()[:400], "ảnh JPG bị hỏng"),
    ("png.jpg", lambda: _png(), "không phải PDF, XML, JPG hoặc XLSX"),
    ("empty.pdf", lambda: b"", "rỗng"),
]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    return out.getvalue()


def key_of(client) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', client.get(URL).content.decode()).group(1)


def post_form(client, key, files, **overrides):
    return client.post(URL, {**answers("607A", **overrides), "idempotency_key": key, FIELD: files})


def field_errors(response) -> list[str]:
    return list(response.context["form"].errors.get(FIELD, []))


def stored(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def submit_with(client, files) -> Filing:
    key = key_of(client)
    response = post_form(client, key, files)
    assert response.status_code == 302, field_errors(response)
    response = client.post(URL + "xem-lai/", review_post(client, URL, key))
    assert response.status_code == 302
    return Filing.objects.get(idempotency_key=key)


@pytest.fixture
def root(settings) -> Path:
    return Path(settings.PRIVATE_FILES_ROOT)


def test_the_field_takes_several_files_of_the_four_kinds_and_says_its_limits(owner):
    html = logged(owner).get(URL).content.decode()
    tag = re.search(rf'<input[^>]+name="{FIELD}"[^>]*>', html).group(0)
    assert "multiple" in tag and 'accept=".pdf,.xml,.jpg,.jpeg,.xlsx' in tag
    assert "tối đa 6 tệp, tổng dung lượng tối đa 5 MB" in html


def test_real_files_of_the_four_kinds_are_accepted_stored_privately_and_the_jpeg_re_encoded(owner, root,
                                                                          django_capture_on_commit_callbacks):
    client = logged(owner)
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit_with(client, [upload("Giấy xác nhận.pdf", real_pdf()), upload("bang-luong.xlsx", real_xlsx()),
                                      upload("ho-so.xml", real_xml()), upload("so cu.JPG", real_jpeg())])
    documents = sorted(filing.documents.all(), key=lambda document: document.field)
    assert [document.filename for document in documents] == [
        "Giấy_xác_nhận.pdf", "bang-luong.xlsx", "ho-so.xml", "so_cu.jpg"]
    assert all(document.field.startswith(f"{FIELD}-") for document in documents)
    for document in documents:
        path = Path(default_storage.path(document.file.name))
        assert path.resolve().is_relative_to(root.resolve())
    with default_storage.open(documents[3].file.name, "rb") as handle:
        data = handle.read()
    assert b"PhoneMaker" not in data and not len(Image.open(io.BytesIO(data)).getexif())
    # no draft file left once submitted
    assert not [path for path in stored(root) if "/filings/tmp/" in str(path)]


@pytest.mark.parametrize("name,build,message", HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_files_are_refused_naming_the_file_and_nothing_is_saved(owner, root, name, build, message):
    client = logged(owner)
    response = post_form(client, key_of(client), [upload(name, build())])
    errors = field_errors(response)
    assert response.status_code == 200 and errors
    assert any(message in error for error in errors), errors
    from vssid_portal.documents import safe_filename

    assert any(f"“{safe_filename(name)}”" in error for error in errors), errors
    assert stored(root) == []


def test_an_xml_file_may_declare_an_encoding_python_reads(owner):
    client = logged(owner)
    data = '<?xml version="1.0" encoding="windows-1258"?><HoSo>Đông</HoSo>'.encode("cp1258")
    assert post_form(client, key_of(client), [upload("ho-so.xml", data)]).status_code == 302
    assert "ho-so.xml</a>" in client.get(URL + "xem-lai/").content.decode()


def test_seven_files_or_one_byte_over_5_mb_are_refused_and_nothing_is_saved(owner, root):
    client = logged(owner)
    response = post_form(client, key_of(client), [upload(f"tep-{n}.xml", real_xml()) for n in range(7)])
    assert "tối đa 6 tệp" in " ".join(field_errors(response))
    assert stored(root) == []
    half = 5 * 1024 * 1024 // 2
    big = [upload("a.xml", b"<a>" + b"x" * (half - 7) + b"</a>"),
           upload("b.xml", b"<b>" + b"x" * (half - 14) + b"</b>"), upload("c.xml", b"<c>x</c>")]
    assert sum(item.size for item in big) == 5 * 1024 * 1024 + 1
    response = post_form(client, key_of(client), big)
    assert "tối đa 5 MB" in " ".join(field_errors(response))
    assert stored(root) == []


def browser_post(client, url, files, **overrides) -> dict:
    """A post as a browser sends the 607A form: the CSRF token and the key first, then the answers
    in the page's order, the chosen files where their field is."""
    html = client.get(url).content.decode()
    first = {"csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)}
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    revision = re.search(r'name="revision" value="([^"]+)"', html)
    first |= {"idempotency_key": key.group(1)} if key else {"revision": revision.group(1)}
    typed = answers("607A", **overrides)
    order = ["reason", "details", "attachments", FIELD, "phone", "email", "delivery", "delivery_address"]
    return client.post(url, {**first, **{name: files if name == FIELD else typed[name] for name in order}})


def test_more_files_than_the_portal_reads_at_once_are_refused_in_the_form_keeping_the_answers_before(
        owner, root, settings):
    client = Client(enforce_csrf_checks=True)  # the CSRF check reads the post first
    client.force_login(owner)
    key = key_of(client)
    files = [upload(f"tep-{n}.xml", real_xml()) for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = browser_post(client, URL, files, details="Mất sổ ở bến xe Miền Đông")
    assert response.status_code == 200
    assert field_errors(response) == [
        "Chỉ gửi được tối đa 6 tệp đính kèm; bạn đã chọn hơn 100 tệp. Không tệp nào trong lần chọn này được nhận, "
        "và các mục khai sau ô này chưa được gửi cùng: hãy kiểm tra và nhập lại."]
    html = response.content.decode()
    assert "Mất sổ ở bến xe Miền Đông" in html and re.search(r'value="mat"[^>]*checked', html)
    assert f'value="{key}"' in html and stored(root) == []
    # chosen again, fewer: it goes through
    response = browser_post(client, URL, [upload("giay.pdf", real_pdf())], details="Mất sổ ở bến xe Miền Đông")
    assert response.status_code == 302


def test_answers_over_the_portal_size_limit_are_refused_in_the_form(owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = browser_post(client, URL, [], details="Mất sổ", attachments="Giấy xác nhận " * 400)
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Nội dung vừa gửi vượt giới hạn của cổng") and "rút gọn nội dung quá dài" in error
    html = response.content.decode()
    assert error in html and ">\nMất sổ</textarea>" in html and re.search(r'value="mat"[^>]*checked', html)  # typed before the cut


def test_a_correction_with_more_files_than_the_portal_reads_is_refused_in_the_form(owner, district_officer, settings):
    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf())])
    filing_return(filing=filing, officer=district_officer, what="Bổ sung bảng lương")
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    files = [upload(f"tep-{n}.xml", real_xml()) for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = browser_post(client, f"/dich-vu-cong/ho-so/{filing.pk}/sua/", files, details="Đã bổ sung")
    assert response.status_code == 200 and "bạn đã chọn hơn 100 tệp" in " ".join(field_errors(response))
    assert "Đã bổ sung" in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED


def test_limits_count_the_files_kept_from_an_earlier_post(owner):
    client = logged(owner)
    key = key_of(client)
    post_form(client, key, [upload(f"tep-{n}.xml", real_xml()) for n in range(5)], details="")
    response = post_form(client, key, [upload("tep-5.xml", real_xml()), upload("tep-6.xml", real_xml())])
    assert field_errors(response) == [  # what the citizen chose and what is kept, counted apart
        "Đã có 5 tệp đính kèm, tối đa 6 tệp: chỉ thêm được 1 tệp nữa mà bạn đã chọn 2 tệp. Bỏ bớt tệp đã có hoặc "
        "chọn ít tệp hơn; không tệp nào trong lần chọn này được nhận."]
    html = response.content.decode()  # the kept files are listed right under their field, before the next one
    assert html.index('name="attached_files"') < html.index("Tệp hồ sơ kèm theo đã nhận") < html.index('name="phone"')
    response = post_form(client, key, [upload("tep-0.xml", real_xml()), upload("tep-5.xml", real_xml())])
    assert response.status_code == 302  # one replaces a kept file of its name: six in all


def test_a_refused_file_or_another_error_keeps_the_answers_and_the_accepted_files(owner):
    client = logged(owner)
    key = key_of(client)
    response = post_form(client, key, [upload("giay.pdf", real_pdf()), upload("hong.pdf", b"%PDF-1.4 broken")],
                         details="Mất sổ ở bến xe")
    assert any("“hong.pdf”" in error for error in field_errors(response))
    assert "Các tệp khác trong lần chọn này đã được nhận: giay.pdf." in field_errors(response)
    html = response.content.decode()
    assert "Mất sổ ở bến xe" in html and "giay.pdf" in html
    response = post_form(client, key, [], details="Mất sổ ở bến xe")
    assert response.status_code == 302
    review = client.get(URL + "xem-lai/").content.decode()
    assert "giay.pdf" in review and "hong.pdf" not in review
    client.post(URL + "xem-lai/", review_post(client, URL, key))
    assert [d.filename for d in Filing.objects.get(idempotency_key=key).documents.all()] == ["giay.pdf"]


def test_files_received_beside_an_error_stay_when_the_form_is_opened_again(owner):
    client = logged(owner)
    key = key_of(client)
    response = post_form(client, key, [upload("giay.pdf", real_pdf())], details="")
    assert "Tệp hồ sơ kèm theo đã nhận" in response.content.decode()
    reopened = client.get(URL)  # the menu, the back link, another tab
    assert [name for _key, name, _url in reopened.context["attached"]] == ["giay.pdf"]
    assert key_of(client) == key
    assert post_form(client, key, []).status_code == 302
    client.post(URL + "xem-lai/", review_post(client, URL, key))
    assert [d.filename for d in Filing.objects.get(idempotency_key=key).documents.all()] == ["giay.pdf"]


def test_round_trips_and_a_double_submit_do_not_duplicate_files(owner):
    client = logged(owner)
    key = key_of(client)
    post_form(client, key, [upload("giay.pdf", real_pdf())])
    client.get(URL)  # back to the form from the review page
    post_form(client, key, [upload("giay.pdf", real_pdf("bản mới"))])
    post_form(client, key, [])
    review = client.get(URL + "xem-lai/").content.decode()
    assert review.count("giay.pdf</a>") == 1
    client.post(URL + "xem-lai/", review_post(client, URL, key))
    client.post(URL + "xem-lai/", review_post(client, URL, key))
    assert Filing.objects.count() == 1 and FilingDocument.objects.count() == 1


def test_a_failed_submit_deletes_the_files_it_stored(owner, root, monkeypatch):
    client = logged(owner)
    key = key_of(client)
    post_form(client, key, [upload("giay.pdf", real_pdf())])

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(filings, "_record", broken)
    with pytest.raises(RuntimeError):
        client.post(URL + "xem-lai/", review_post(client, URL, key))
    assert Filing.objects.count() == 0
    assert [path.name for path in stored(root)] == ["giay.pdf"]  # the draft's copy only
    assert "/filings/tmp/" in str(stored(root)[0])


def test_stale_drafts_files_are_swept(owner, root):
    import datetime

    client = logged(owner)
    post_form(client, key_of(client), [upload("giay.pdf", real_pdf())], details="")
    assert len(stored(root)) == 1
    assert uploads_sweep(older_than=datetime.timedelta(seconds=-60)) == 1
    assert stored(root) == []
    assert [folder for folder in (root / "filings" / "tmp").iterdir()] == []  # each file's own folder went too


def test_files_are_served_as_safe_downloads_to_the_owner_and_the_agency_only(
        owner, stranger, district_officer, other_district_officer):
    filing = submit_with(logged(owner), [upload("../../Giấy\x07 xác<nhận>.pdf", real_pdf())])
    document = filing.documents.get()
    url = f"/dich-vu-cong/ho-so/{filing.pk}/giay-to/{document.pk}/"
    status = logged(owner).get(f"/dich-vu-cong/ho-so/{filing.pk}/").content.decode()
    assert f'href="{url}"' in status and "Giấy_xácnhận.pdf" in status
    response = logged(owner).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "Gi%E1%BA%A5y_x%C3%A1cnh%E1%BA%ADn.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert logged(stranger).get(url).status_code == 404
    admin_url = f"{QUEUE}{filing.pk}/giay-to/{document.pk}/"
    page = logged(district_officer).get(f"{QUEUE}{filing.pk}/change/").content.decode()
    assert f'href="{admin_url}"' in page and "Giấy_xácnhận.pdf" in page
    response = logged(district_officer).get(admin_url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert logged(other_district_officer).get(admin_url).status_code == 404


def test_the_declaration_lists_the_files_in_row_05(owner):
    require_tool("pdftotext", "poppler-utils")
    filing = submit_with(logged(owner), [upload("giay.pdf", real_pdf()), upload("bang.xlsx", real_xlsx())])
    built = filing_build_declaration(filing_id=filing.pk)
    with default_storage.open(built.declaration_pdf.name, "rb") as handle:
        pdf = handle.read()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    row = text[text.index("[05]"):]
    assert "giay.pdf" in row and "bang.xlsx" in row
    assert "không bắt buộc" not in text


def test_a_returned_filing_can_add_and_replace_files(owner, district_officer, django_capture_on_commit_callbacks):
    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf("bản cũ"))])
    old = filing.documents.get()
    old_name = old.file.name
    filing_return(filing=filing, officer=district_officer, what="Bổ sung bảng lương")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**correction(filing, "607A"), FIELD: [upload("bang.xlsx", real_xlsx()),
                                                                upload("giay.pdf", real_pdf("bản mới"))]})
    assert response.status_code == 302, field_errors(response)
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED
    assert sorted(document.filename for document in filing.documents.all()) == ["bang.xlsx", "giay.pdf"]
    replaced = filing.documents.get(field=old.field)
    assert replaced.pk == old.pk and replaced.file.name != old_name
    assert not default_storage.exists(old_name)


def test_a_returned_filing_lists_a_file_it_accepted_beside_another_error(owner, district_officer):
    """Like the new-filing form: a file taken while another answer is refused is listed with the
    kept ones at once, not only on the next visit."""
    client = logged(owner)
    filing = submit_with(client, [upload("p.jpg", real_jpeg()), upload("keep.jpg", real_jpeg())])
    filing_return(filing=filing, officer=district_officer, what="Bổ sung giấy xác nhận")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    response = client.post(url, {**correction(filing, "607A"), "details": "", FIELD: [upload("giay-xac-nhan.pdf", real_pdf())]})
    assert response.status_code == 200 and response.context["form"].errors.get("details")
    listed = [name for _key, name, _url in response.context["attached"]]
    assert listed == ["p.jpg", "keep.jpg", "giay-xac-nhan.pdf"]
    assert listed == [name for _key, name, _url in client.get(url).context["attached"]]


def test_a_returned_filing_refuses_a_hostile_file_and_keeps_the_filing_as_it_was(owner, district_officer, root):
    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf())])
    filing_return(filing=filing, officer=district_officer, what="Bổ sung")
    before = stored(root)
    response = client.post(f"/dich-vu-cong/ho-so/{filing.pk}/sua/",
                           {**correction(filing, "607A"), FIELD: [upload("x.pdf", pdf_with(_javascript))]})
    assert any("“x.pdf”" in error for error in field_errors(response))
    assert stored(root) == before
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED


def test_a_kept_file_can_be_taken_out_before_submitting(owner, root, django_capture_on_commit_callbacks):
    client = logged(owner)
    key = key_of(client)
    response = post_form(client, key, [upload("giay.pdf", real_pdf()), upload("bang.xlsx", real_xlsx())], details="")
    html = response.content.decode()
    assert 'name="remove_files" value="attached_files-1"' in html and "Bỏ tệp giay.pdf" in html
    with django_capture_on_commit_callbacks(execute=True):  # the deletions wait for the commit, if any
        response = client.post(URL, {**answers("607A"), "idempotency_key": key,
                                     "remove_files": ["attached_files-1", "evidence_1", "x-9"]})
    assert response.status_code == 302
    review = client.get(URL + "xem-lai/").content.decode()
    assert "giay.pdf" not in review and "bang.xlsx" in review
    assert [path.name for path in stored(root)] == ["bang.xlsx"]


def test_a_returned_filing_can_take_a_file_out(owner, district_officer, django_capture_on_commit_callbacks):
    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf()), upload("bang.xlsx", real_xlsx())])
    filing_return(filing=filing, officer=district_officer, what="Bảng lương gửi nhầm")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    gone = filing.documents.get(file__endswith="bang.xlsx")
    html = client.get(url).content.decode()
    assert f'name="remove_files" value="{gone.field}"' in html
    assert f'href="/dich-vu-cong/ho-so/{filing.pk}/giay-to/{gone.pk}/"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**correction(filing, "607A"), "remove_files": [gone.field]})
    assert response.status_code == 302
    assert [document.filename for document in filing.documents.all()] == ["giay.pdf"]
    assert not default_storage.exists(gone.file.name)


def test_a_file_taken_out_in_a_refused_post_stays_marked_and_goes_with_the_next_post(owner, district_officer):
    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf()), upload("bang.xlsx", real_xlsx())])
    filing_return(filing=filing, officer=district_officer, what="Bảng lương gửi nhầm")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    gone = filing.documents.get(file__endswith="bang.xlsx")
    response = client.post(url, {**correction(filing, "607A"), "details": "", "remove_files": [gone.field]})
    assert response.status_code == 200 and response.context["form"].errors.get("details")
    html = response.content.decode()
    ticked = re.findall(r'name="remove_files" value="([^"]+)" checked', html)
    assert ticked == [gone.field]  # still marked "Bỏ tệp": the next post asks for it again
    response = client.post(url, {**correction(filing, "607A"), "remove_files": ticked})
    assert response.status_code == 302
    assert [document.filename for document in filing.documents.all()] == ["giay.pdf"]


def test_a_file_taken_out_in_a_refused_post_of_one_tab_is_not_taken_out_by_another_tab(owner, district_officer):
    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf()), upload("bang.xlsx", real_xlsx())])
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    gone = filing.documents.get(file__endswith="bang.xlsx")
    tab_a = client.post(url, {**correction(filing, "607A"), "details": "", "remove_files": [gone.field]})
    assert tab_a.status_code == 200
    tab_b = client.post(url, correction(filing, "607A", delivery_address="12 Lê Lợi, Phường Sài Gòn (nhà số 2)"))
    assert tab_b.status_code == 302
    assert sorted(document.filename for document in filing.documents.all()) == ["bang.xlsx", "giay.pdf"]


def test_a_long_vietnamese_file_name_is_shortened_to_fit_and_the_filing_goes_through(owner, root):
    name = "Giấy xác nhận " + "ữ" * 90 + ".pdf"
    filing = submit_with(logged(owner), [upload(name, real_pdf())])
    [document] = filing.documents.all()
    stored_name = Path(document.file.name).name
    assert stored_name.startswith("Giấy_xác_nhận_ữ") and stored_name.endswith(".pdf")
    assert len(stored_name.encode()) <= 100 and default_storage.exists(document.file.name)


def test_files_of_one_name_in_one_post_are_all_kept_under_names_of_their_own(owner):
    photos = [upload("image.jpg", real_jpeg()) for _ in range(3)]
    filing = submit_with(logged(owner), photos)
    assert sorted(document.filename for document in filing.documents.all()) == [
        "image.jpg", "image_2.jpg", "image_3.jpg"]


def test_a_file_replacing_one_of_its_name_from_an_earlier_post_is_said(owner):
    client = logged(owner)
    key = key_of(client)
    post_form(client, key, [upload("image.jpg", real_jpeg())], reason="")  # refused for the reason: file kept
    response = post_form(client, key, [upload("image.jpg", real_jpeg())], reason="")
    assert "Tệp “image.jpg” đã thay tệp cùng tên gửi trước đó." in response.content.decode()


def test_the_printer_settings_excel_writes_are_no_active_part(owner):
    workbook = real_xlsx(extra={"xl/printerSettings/printerSettings1.bin": "\0" * 64})
    filing = submit_with(logged(owner), [upload("bang-luong.xlsx", workbook)])
    assert [document.filename for document in filing.documents.all()] == ["bang-luong.xlsx"]



def test_a_file_ticked_before_a_refresh_without_javascript_stays_ticked_on_the_page_shown_after(
        owner, district_officer):
    """The refresh's post answers with the correction page by a GET (post/redirect/get): the "Bỏ tệp"
    boxes it ticked are kept with what was typed, only of the files the page lists, and shown ticked,
    so that the next post asks for them again; nothing is taken out until the correction is sent."""
    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf()), upload("bang.xlsx", real_xlsx())])
    filing_return(filing=filing, officer=district_officer, what="Bảng lương gửi nhầm")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    gone = filing.documents.get(file__endswith="bang.xlsx")
    response = client.post(url, {**correction(filing, "607A", details="Sổ bị ướt (sửa)"), "refresh": "1",
                                 "remove_files": [gone.field, gone.field, "attached_files-99", "x" * 10_000]})
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert re.findall(r'name="remove_files" value="([^"]+)" checked', html) == [gone.field]
    assert "Sổ bị ướt (sửa)" in html
    assert sorted(document.filename for document in filing.documents.all()) == ["bang.xlsx", "giay.pdf"]
    response = client.post(url, {**correction(filing, "607A"), "remove_files": [gone.field]})
    assert response.status_code == 302
    assert [document.filename for document in filing.documents.all()] == ["giay.pdf"]


def _returned_for_a_child(owner, officer) -> Filing:
    """A 607A `owner` filed for their child, returned: a filing of another person the same login corrects."""
    from accounts.models import Guardianship
    from tests.accounts.helpers import born_years_ago, cccd_for, make_person

    from .helpers import submit

    born = born_years_ago(10)
    child = make_person("7909990003", "Trần Minh Khang", birth=born, id_number=cccd_for(born))
    child.agency = owner.person.agency
    child.save(update_fields=["agency"])
    Guardianship.objects.create(parent=owner, child=child, relationship="cha")
    return filing_return(filing=submit(owner, person=child), officer=officer, what="Bổ sung giấy xác nhận")


def test_a_send_from_a_page_opened_before_a_later_return_stores_none_of_its_files_and_leaves_the_others(
        owner, district_officer, root):
    """Tab A opened the correction of revision 1; tab B sent it (revision 2), which the agency returned
    again; tab C, opened after, kept a file beside a refused answer, then ticked one of the filing's to
    take out and typed on, refreshed without JavaScript. Tab A's send, with a file and a box ticked, is
    refused (409): its file is not stored, and the files kept for revision 2, the box ticked there and
    the files kept for another filing's correction stay. Before, tab A's file was stored with revision
    2's, its tick deleted the file tab C kept, and its file waited for the sweep once forgotten."""
    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf())])
    other = _returned_for_a_child(owner, district_officer)
    other_url = f"/dich-vu-cong/ho-so/{other.pk}/sua/"
    assert client.post(other_url, {**correction(other, "607A", details=""),
                                   FIELD: [upload("cua-con.pdf", real_pdf("của con"))]}).status_code == 200
    filing_return(filing=filing, officer=district_officer, what="Bổ sung bảng lương")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    tab_a = correction(filing, "607A", details="Sổ bị ướt (trang cũ)")
    assert client.post(url, correction(filing, "607A")).status_code == 302  # tab B
    filing.refresh_from_db()
    filing_return(filing=filing, officer=district_officer, what="Gửi bảng lương có dấu")
    filing.refresh_from_db()
    own = filing.documents.get().field
    response = client.post(url, {**correction(filing, "607A", details=""), FIELD: [upload("bang.pdf", real_pdf())]})
    assert response.status_code == 200  # tab C: its file kept for revision 2 beside the refused answer
    [(kept_key, _name, _url)] = [row for row in response.context["attached"] if row[1] == "bang.pdf"]
    tab_c = {**correction(filing, "607A", details="Sổ bị ướt (trang mới)"), "refresh": "1", "remove_files": [own]}
    assert client.post(url, tab_c).status_code == 302
    before = stored(root)

    response = client.post(url, {**tab_a, FIELD: [upload("cu.pdf", real_pdf("trang cũ"))],
                                 "remove_files": [kept_key]})
    html = response.content.decode()
    assert response.status_code == 409 and "đã được trả lại lần nữa sau khi trang này được mở" in html
    assert stored(root) == before  # nothing stored of tab A's, nothing of the others' deleted
    assert "Các tệp vừa chọn chưa được lưu. Hãy chọn lại nếu vẫn cần gửi kèm." in html
    html = client.get(url).content.decode()  # tab C's page, as it kept it
    assert "Sổ bị ướt (trang mới)" in html and "bang.pdf" in html and "cu.pdf" not in html
    assert re.findall(r'name="remove_files" value="([^"]+)" checked', html) == [own]
    assert "cua-con.pdf" in client.get(other_url).content.decode()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED and filing.revision == 2


def test_files_of_a_send_refused_as_the_filing_was_returned_again_meanwhile_are_deleted_at_once(
        owner, district_officer, root, monkeypatch, django_capture_on_commit_callbacks):
    """The filing is sent from another tab and returned again while this send, read as of the filing's
    revision, is being judged: refused (409) with the new request, and the files this correction kept
    for the revision gone by, which no page sends any more, are deleted at once, not left to the sweep;
    the filing's own stay."""
    from public_services.services import filing_receive, filing_resubmit
    from public_services.views import correction as correction_views

    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf())])
    filing_return(filing=filing, officer=district_officer, what="Bổ sung bảng lương")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    assert client.post(url, {**correction(filing, "607A", details=""),
                             FIELD: [upload("truoc.pdf", real_pdf("trước"))]}).status_code == 200
    before = stored(root)
    assert "truoc.pdf" in [path.name for path in before]

    def returned_again_meanwhile(**kwargs):
        filing_resubmit(**{**kwargs, "uploads": {}, "removed": ()})  # another tab's send
        filing_receive(filing=Filing.objects.get(pk=filing.pk), officer=district_officer)
        filing_return(filing=Filing.objects.get(pk=filing.pk), officer=district_officer, what="Gửi bảng lương có dấu")
        filing_resubmit(**kwargs)

    monkeypatch.setattr(correction_views, "filing_resubmit", returned_again_meanwhile)
    with django_capture_on_commit_callbacks(execute=True):  # the deletions wait for the commit, if any
        response = client.post(url, {**correction(filing, "607A"), FIELD: [upload("bang.pdf", real_pdf("bảng"))]})
    html = response.content.decode()
    assert response.status_code == 409 and "Gửi bảng lương có dấu" in html and 'name="revision" value="2"' in html
    names = [path.name for path in stored(root)]
    assert "truoc.pdf" not in names and "bang.pdf" not in names
    assert all(default_storage.exists(document.file.name) for document in filing.documents.all())
    assert "truoc.pdf" not in client.get(url).content.decode()


def test_files_kept_for_a_correction_are_deleted_at_once_when_the_filing_is_no_longer_returned(
        owner, district_officer, root, django_capture_on_commit_callbacks):
    """A file kept beside a refused answer, then the filing withdrawn from another tab: the send that
    follows is refused (409, not sent) and the file, which no page can send any more, is deleted at
    once, as the correction's draft is forgotten, not left to the sweep of stale uploads."""
    from public_services.services import filing_withdraw

    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf())])
    filing_return(filing=filing, officer=district_officer, what="Bổ sung bảng lương")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    assert client.post(url, {**correction(filing, "607A", details=""),
                             FIELD: [upload("bang.pdf", real_pdf("bảng"))]}).status_code == 200
    assert "bang.pdf" in [path.name for path in stored(root)]
    filing_withdraw(filing=filing, user=owner)
    with django_capture_on_commit_callbacks(execute=True):  # the deletions wait for the commit, if any
        response = client.post(url, correction(filing, "607A"))
    assert response.status_code == 409 and "đã được rút" in response.content.decode()
    assert "bang.pdf" not in [path.name for path in stored(root)]
    assert default_storage.exists(filing.documents.get().file.name)


def test_a_file_the_storage_will_not_delete_does_not_break_the_page_of_a_filing_no_longer_returned(
        owner, district_officer, root, monkeypatch, caplog, django_capture_on_commit_callbacks):
    """The files kept for a correction are deleted as its draft is forgotten: one the storage refuses to
    delete (an OSError) is logged and left to the sweep of stale uploads, the page still answers, and the
    draft is forgotten all the same, so a later visit neither fails nor tries again."""
    from public_services.services import filing_withdraw

    client = logged(owner)
    filing = submit_with(client, [upload("giay.pdf", real_pdf())])
    filing_return(filing=filing, officer=district_officer, what="Bổ sung bảng lương")
    url = f"/dich-vu-cong/ho-so/{filing.pk}/sua/"
    assert client.post(url, {**correction(filing, "607A", details=""),
                             FIELD: [upload("bang.pdf", real_pdf("bảng"))]}).status_code == 200
    filing_withdraw(filing=filing, user=owner)
    asked = []

    def refused(name):
        asked.append(name)
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr(default_storage, "delete", refused)

    with django_capture_on_commit_callbacks(execute=True):  # the deletions wait for the commit, if any
        first = client.get(url)
        again = client.get(url)

    assert first.status_code < 500 and again.status_code == first.status_code
    assert [name.rsplit("/", 1)[-1] for name in asked] == ["bang.pdf"], "not asked once, or asked again"
    assert "bang.pdf" in caplog.text


def test_an_xml_file_of_exactly_5_mb_is_read_and_one_byte_more_is_refused_as_too_large():
    """Each XML is read whole by the parser only up to 5 MB (whatever cap the form adds around it)."""
    from django.core.exceptions import ValidationError

    from vssid_portal.documents import XML_MAX_BYTES, validate_document

    at_cap = b"<HoSo>" + b"x" * (XML_MAX_BYTES - 13) + b"</HoSo>"
    assert len(at_cap) == XML_MAX_BYTES
    assert validate_document(upload("ho-so.xml", at_cap)).kind == "xml"
    with pytest.raises(ValidationError) as error:
        validate_document(upload("ho-so.xml", at_cap.replace(b"<HoSo>", b"<HoSo> ")))
    assert error.value.code == "xml_size" and "“ho-so.xml” quá lớn" in error.value.messages[0]


def test_a_jpg_of_too_many_pixels_is_told_so_not_called_broken():
    """A photo the image caps refuse is refused for that reason, in the image's own words: the
    citizen is not told to take again a photo that is whole."""
    from django.core.exceptions import ValidationError

    from vssid_portal.documents import validate_document

    data = bytearray(real_jpeg())
    sof = data.index(b"\xff\xc0")  # the frame header: precision, then height and width
    data[sof + 5:sof + 9] = (5001).to_bytes(2, "big") + (8000).to_bytes(2, "big")
    with pytest.raises(ValidationError) as error:
        validate_document(upload("anh.jpg", bytes(data)))
    assert error.value.code == "image"
    assert "“anh.jpg”: Ảnh có kích thước quá lớn (8000 × 5001 điểm ảnh)" in error.value.messages[0]


def test_a_workbook_of_more_than_2000_parts_is_refused():
    from django.core.exceptions import ValidationError

    from vssid_portal.documents import XLSX_MAX_MEMBERS, validate_document

    many = {f"xl/media/a{n}.txt": "" for n in range(XLSX_MAX_MEMBERS - 3)}  # beside the 3 parts of a workbook
    assert validate_document(upload("bang.xlsx", real_xlsx(extra=many))).kind == "xlsx"
    with pytest.raises(ValidationError) as error:
        validate_document(upload("bang.xlsx", real_xlsx(extra={**many, "xl/media/one-more.txt": ""})))
    assert error.value.code == "xlsx_members"
