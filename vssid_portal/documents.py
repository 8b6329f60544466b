"""Validation of attached documents (PDF, XML, JPEG, XLSX), by their content.

The kind of a file is read from its first bytes, never from its name or the browser's
Content-Type, and the name's extension must agree with it (a PDF named .jpg is refused). Each
kind is then opened by a parser that knows it:

- JPEG goes through the image pipeline (vssid_portal.images): decoded whole and re-encoded, so
  metadata and appended bytes are dropped;
- PDF is parsed by pypdf; an encrypted file, or one that carries JavaScript, launch or submit
  actions, automatic actions (/OpenAction, /AA) or embedded files is refused;
- XML is parsed by defusedxml (no DTD, no entities, no external references), in UTF-8 or the
  encoding it declares; XHTML and SVG (pages and scripts, not data) are refused;
- XLSX is a ZIP holding [Content_Types].xml and xl/workbook.xml, without macros (vbaProject.bin),
  with safe member names and bounded uncompressed size and compression ratio (zip bombs).

What is stored is the checked content under a safe version of the citizen's file name.
"""

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_fromstring
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from .images import validate_image

EXTENSIONS = {"pdf": {"pdf"}, "xml": {"xml"}, "jpg": {"jpg", "jpeg"}, "xlsx": {"xlsx"}}
ACCEPT = ".pdf,.xml,.jpg,.jpeg,.xlsx,application/pdf,text/xml,application/xml,image/jpeg," \
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML_MAX_BYTES = 5 * 1024 * 1024
XLSX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_MAX_MEMBERS = 2000
PDF_MAX_OBJECTS = 200_000
NAME_LIMIT = 100
# A file name is stored as the last part of a path: at most 100 bytes of UTF-8 (a Vietnamese letter
# takes 2 or 3), well inside a file system's 255 and the path column.
NAME_BYTES = 100

# PDF names that run something, open something or carry a file: refused wherever they appear.
_PDF_FORBIDDEN_KEYS = {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/OpenAction", "/AA",
                       "/RichMedia", "/XFA"}
_PDF_FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/Thread",
                          "/RichMediaExecute", "/Rendition", "/Sound", "/Movie"}
_PDF_FORBIDDEN_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound"}
_WEB_NAMESPACES = {"http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg"}
_UNSAFE_NAME_CHARS = re.compile(r"[^\w.-]")


@dataclass(frozen=True)
class CleanDocument:
    content: ContentFile  # named with the safe file name
    kind: str  # "pdf", "xml", "jpg", "xlsx"


def safe_filename(name: str, *, default_extension: str = "") -> str:
    """The citizen's file name made harmless for storage and for Content-Disposition: the last
    path part only, NFC, no control or punctuation characters (spaces become "_"), no leading dot,
    at most NAME_BYTES bytes of UTF-8, its extension kept (lower case)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, default_extension
    stem = _UNSAFE_NAME_CHARS.sub("", re.sub(r"\s+", "_", stem.strip())).strip("._") or "tep"
    extension = _UNSAFE_NAME_CHARS.sub("", extension).lower()[:10]
    budget = NAME_BYTES - (len(extension.encode()) + 1 if extension else 0)
    stem = stem.encode()[:budget].decode("utf-8", "ignore").rstrip("._") or "tep"
    return f"{stem}.{extension}" if extension else stem


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def sniff(data: bytes) -> str | None:
    """The kind of a file from its first bytes, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = data[:64]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            return "xml"
    if head.lstrip(b" \t\r\n").startswith(b"<"):
        return "xml"
    return None


def _refuse(message, name: str, code: str) -> ValidationError:
    return ValidationError(message, code=code, params={"name": name})


def validate_document(upload) -> CleanDocument:
    """Check an uploaded file and return what to store, or raise ValidationError naming the file."""
    original = str(getattr(upload, "name", "") or "")
    name = safe_filename(original)
    shown = shown_filename(original) or name
    try:
        return _validated(upload, name)
    except ValidationError as error:  # named as the citizen knows the file (the page escapes it)
        raise ValidationError(error.message, code=error.code, params={**(error.params or {}), "name": shown}) from error


def shown_filename(name: str) -> str:
    """The citizen's file name as a message shows it: the last path part, no control characters."""
    name = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    return "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()[:NAME_LIMIT + 10]


def _validated(upload, name: str) -> CleanDocument:
    upload.seek(0)
    data = upload.read()
    if not data:
        raise _refuse(_("Tệp “%(name)s” rỗng. Hãy chọn lại tệp."), name, "empty")
    kind = sniff(data)
    if kind is None:
        raise _refuse(_("Tệp “%(name)s” không phải PDF, XML, JPG hoặc XLSX. Chỉ nhận các loại tệp này."), name,
                      "kind")
    if _extension(name) not in EXTENSIONS[kind]:
        raise ValidationError(_("Tệp “%(name)s” có phần mở rộng không khớp với nội dung của tệp (nội dung là "
                                "tệp %(kind)s). Chỉ nhận PDF, XML, JPG hoặc XLSX đúng phần mở rộng."),
                              code="extension", params={"name": name, "kind": kind.upper()})
    checks = {"pdf": check_pdf, "xml": _check_xml, "jpg": _clean_jpeg, "xlsx": _check_xlsx}
    content = checks[kind](data, name)
    return CleanDocument(ContentFile(content, name=name), kind)


def _clean_jpeg(data: bytes, name: str) -> bytes:
    try:
        image = validate_image(io.BytesIO(data))
    except ValidationError as error:
        if error.code in {"too_large", "too_many_pixels"}:
            raise ValidationError(_("Tệp “%(name)s”: %(reason)s"), code="image",
                                  params={"name": name, "reason": " ".join(error.messages)}) from error
        raise _refuse(_("Tệp “%(name)s” là ảnh JPG bị hỏng hoặc không đầy đủ. Hãy chụp hoặc chọn lại ảnh."), name,
                      "image") from error
    if image.format != "JPEG":
        raise _refuse(_("Tệp “%(name)s” là ảnh JPG bị hỏng hoặc không đầy đủ. Hãy chụp hoặc chọn lại ảnh."), name,
                      "image")
    return image.content.read()


def check_pdf(data: bytes, name: str) -> bytes:
    """The PDF `data` when it is whole, unencrypted and passive (no JavaScript, actions or embedded
    files), else ValidationError naming `name`. The feedback attachment's PDFs are checked here too."""
    broken = _("Tệp “%(name)s” là PDF bị hỏng hoặc không đầy đủ. Hãy xuất lại tệp PDF.")
    if not data.rstrip(b"\r\n\t\f\x00 ").endswith(b"%%EOF"):  # truncated, or something hidden after its end
        raise _refuse(broken, name, "pdf_truncated")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse(_("Tệp “%(name)s” là PDF có mật khẩu hoặc mã hóa. Hãy gửi bản không mã hóa."), name,
                          "pdf_encrypted")
        if len(reader.pages) < 1:
            raise _refuse(broken, name, "pdf_empty")
        active = _pdf_active_content(reader)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError, OSError,
            AssertionError, IndexError, UnicodeError) as error:
        raise _refuse(broken, name, "pdf_broken") from error
    if active:
        raise _refuse(_("Tệp “%(name)s” là PDF có mã lệnh (JavaScript), lệnh tự chạy hoặc tệp nhúng. "
                        "Hãy gửi bản PDF thông thường."), name, "pdf_active")
    return data


def _pdf_active_content(reader: PdfReader) -> bool:
    """Whether any object reachable from the trailer runs, opens or embeds something."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            raise ValueError("too many PDF objects")
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in _PDF_FORBIDDEN_KEYS:
                    return True
                if key == "/S" and value in _PDF_FORBIDDEN_ACTIONS:
                    return True
                if key == "/Subtype" and value in _PDF_FORBIDDEN_SUBTYPES:
                    return True
                stack.append(value)  # every key, /Parent too: a field reached only through it is read
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif isinstance(item, NameObject) and item in {"/JavaScript", "/Launch"}:
            return True
    return False


def _check_xml(data: bytes, name: str) -> bytes:
    if len(data) > XML_MAX_BYTES:
        raise _refuse(_("Tệp “%(name)s” quá lớn."), name, "xml_size")
    try:
        root = xml_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise _refuse(_("Tệp “%(name)s” là XML có khai báo DTD hoặc thực thể, không được phép. "
                        "Hãy gửi tệp XML dữ liệu thông thường."), name, "xml_forbidden") from error
    except (SyntaxError, ValueError, LookupError, UnicodeError) as error:  # ParseError is a SyntaxError
        raise _refuse(_("Tệp “%(name)s” không phải XML hợp lệ (sai cú pháp hoặc sai bảng mã, "
                        "hãy dùng UTF-8)."), name, "xml_broken") from error
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
        local = tag.rpartition("}")[2].lower()
        if namespace in _WEB_NAMESPACES or (element is root and local in {"html", "svg"}):
            raise _refuse(_("Tệp “%(name)s” là trang web hoặc ảnh SVG, không phải tệp dữ liệu XML."), name,
                          "xml_web")
    return data


def _check_xlsx(data: bytes, name: str) -> bytes:
    broken = _("Tệp “%(name)s” không phải tệp Excel (.xlsx) hợp lệ.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise _refuse(broken, name, "xlsx_broken") from error
    names = {member.filename for member in members}
    if len(members) > XLSX_MAX_MEMBERS:
        raise _refuse(broken, name, "xlsx_members")
    for member in members:
        path = member.filename
        if (path.startswith(("/", "\\")) or "\\" in path or ".." in path.split("/") or re.match(r"^[A-Za-z]:", path)
                or any(unicodedata.category(char)[0] == "C" for char in path)):
            raise _refuse(broken, name, "xlsx_path")
        if path.lower().rsplit("/", 1)[-1] == "vbaproject.bin":
            raise _refuse(_("Tệp “%(name)s” có macro. Hãy lưu lại thành tệp .xlsx không có macro."), name,
                          "xlsx_macro")
        if _xlsx_active_part(path):
            raise _refuse(_("Tệp “%(name)s” có đối tượng nhúng, điều khiển ActiveX hoặc liên kết ngoài. "
                            "Hãy lưu lại thành tệp .xlsx chỉ có dữ liệu."), name, "xlsx_active")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _refuse(broken, name, "xlsx_parts")
    too_big = _("Tệp “%(name)s” khi giải nén quá lớn (nghi là tệp nén độc hại).")
    if sum(member.file_size for member in members) > XLSX_MAX_UNCOMPRESSED:
        raise _refuse(too_big, name, "xlsx_bomb")
    total = 0
    try:
        for member in members:
            if member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1) and member.file_size > 1024 * 1024:
                raise _refuse(too_big, name, "xlsx_ratio")
            read = 0
            with archive.open(member) as handle:  # the real size, whatever the header says; CRC checked
                while chunk := handle.read(64 * 1024):
                    read += len(chunk)
                    total += len(chunk)
                    ratio_cap = XLSX_MAX_RATIO * max(member.compress_size, 1) + 1024 * 1024
                    if total > XLSX_MAX_UNCOMPRESSED or read > ratio_cap:
                        raise _refuse(too_big, name, "xlsx_bomb")
        content_types = archive.read("[Content_Types].xml")
        xml_fromstring(content_types, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        xml_fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError, SyntaxError,
            DefusedXmlException, zlib.error) as error:
        raise _refuse(broken, name, "xlsx_broken") from error
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise _refuse(_("Tệp “%(name)s” có macro. Hãy lưu lại thành tệp .xlsx không có macro."), name, "xlsx_macro")
    return data


def _xlsx_active_part(path: str) -> bool:
    """Parts that carry programs or reach outside the workbook: embedded objects (OLE packages,
    other workbooks), ActiveX controls, external links (DDE), and any binary part but the printer
    settings Excel writes."""
    lower = path.lower()
    return (lower.startswith(("xl/embeddings/", "xl/activex/", "xl/externallinks/"))
            or (lower.endswith(".bin") and not lower.startswith("xl/printersettings/")))


class MultipleDocumentsInput(forms.FileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"multiple": True, "accept": ACCEPT, **(attrs or {})})


class DocumentBatch(list):
    """The files of one post that passed (each a ContentFile with its safe name); `problems` holds
    the messages of those refused, each naming its file."""

    def __init__(self, files=(), problems=()):
        super().__init__(files)
        self.problems = list(problems)


class DocumentsField(forms.FileField):
    """Several documents in one field (`<input type=file multiple>`), at most `max_files` of them and
    `max_bytes` in total. Its cleaned value is a DocumentBatch: the good files of a post are kept
    even when another is refused, and the form reports the refused ones (ProcedureForm)."""

    widget = MultipleDocumentsInput

    def __init__(self, *, max_files: int, max_bytes: int, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.max_files, self.max_bytes = max_files, max_bytes

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if len(files) > self.max_files:
            return DocumentBatch(problems=[too_many_files(self.max_files, len(files))])
        total = sum(getattr(item, "size", 0) or 0 for item in files)
        if total > self.max_bytes:
            return DocumentBatch(problems=[too_large_total(self.max_bytes, total)])
        batch = DocumentBatch()
        for item in files:
            try:
                clean = validate_document(item)
            except ValidationError as error:
                batch.problems.extend(error.messages)
                continue
            clean.content.name = distinct_name(clean.content.name, {other.name for other in batch})
            batch.append(clean.content)
        return batch

    def has_changed(self, initial, data):
        return bool(data)


def distinct_name(name: str, taken: set[str]) -> str:
    """`name`, or "name_2.ext", "name_3.ext"… when taken: phones call every photo image.jpg."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    number = 1
    while name in taken:
        number += 1
        name = f"{stem}_{number}.{extension}" if dot else f"{stem}_{number}"
    return name


def too_many_files(limit: int, count: int) -> str:
    return gettext("Chỉ gửi được tối đa %(limit)s tệp đính kèm; bạn đã chọn %(count)s tệp. "
                   "Không tệp nào trong lần chọn này được nhận.") % {"limit": limit, "count": count}


def too_many_files_sent(limit: int, sent: int) -> str:
    """More files chosen than the portal reads in one post (DATA_UPLOAD_MAX_NUMBER_FILES): the post
    stopped at them, so the answers after the field were not sent either."""
    return gettext("Chỉ gửi được tối đa %(limit)s tệp đính kèm; bạn đã chọn hơn %(sent)s tệp. Không tệp nào trong lần "
                   "chọn này được nhận, và các mục khai sau ô này chưa được gửi cùng: hãy kiểm tra và nhập lại."
                   ) % {"limit": limit, "sent": sent}


def no_room_for(limit: int, kept: int, chosen: int) -> str:
    return gettext("Đã có %(kept)s tệp đính kèm, tối đa %(limit)s tệp: chỉ thêm được %(room)s tệp nữa mà bạn đã chọn "
                   "%(chosen)s tệp. Bỏ bớt tệp đã có hoặc chọn ít tệp hơn; không tệp nào trong lần chọn này được "
                   "nhận.") % {"kept": kept, "limit": limit, "room": max(limit - kept, 0), "chosen": chosen}


def too_large_total(limit: int, total: int) -> str:
    return gettext("Tổng dung lượng tệp đính kèm tối đa %(limit)s MB; các tệp đã chọn là %(size)s MB. "
                   "Không tệp nào trong lần chọn này được nhận.") % {
        "limit": limit // (1024 * 1024), "size": f"{total / (1024 * 1024):.2f}".replace(".", ",")}
