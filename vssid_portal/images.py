"""Validation of uploaded images (ID photos, portraits).

An upload is accepted only if Pillow decodes it completely as JPEG, PNG or WebP within the
size and pixel caps. It is then re-encoded from its pixels: EXIF orientation applied, every
metadata block (EXIF with GPS, XMP, ICC, comments) dropped, and any bytes appended to the image
(an HTML or script polyglot) left behind. What is stored is the re-encoded copy, never the upload.
"""

import io
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .forms import first_lower, named

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# A phone's JPEG carrying a second picture (a depth map, an HDR gain map: MPF) is read by Pillow as
# MPO; it is a JPEG all the same, and its first picture is the photo.
READ_AS = {"MPO": "JPEG"}
# What a photo field says it accepts (its hint), from the limits above.
LIMITS_HELP = format_lazy(_("JPEG, PNG hoặc WebP, tối đa {limit} MB và {pixels} triệu điểm ảnh."),
                          limit=MAX_BYTES // (1024 * 1024), pixels=MAX_PIXELS // 1_000_000)


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    format: str
    width: int
    height: int


def validate_image(upload, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> CleanImage:
    """Check an uploaded file and return a clean re-encoded copy, or raise ValidationError."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise ValidationError(_("Tệp tải lên rỗng. Hãy chọn lại ảnh."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("Ảnh quá lớn: tối đa %(limit)s MB."), code="too_large", params={"limit": max_bytes // (1024 * 1024)}
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = READ_AS.get(probe.format, probe.format)
            width, height = probe.size
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _("Ảnh có kích thước quá lớn; tối đa %(mp)s triệu điểm ảnh."),
            code="too_many_pixels",
            params={"mp": max_pixels // 1_000_000},
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError(_("Tệp không phải là ảnh JPEG, PNG hoặc WebP hợp lệ."), code="not_image") from exc
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Chỉ nhận ảnh JPEG, PNG hoặc WebP."), code="format")
    # Checked from the header, before any pixel is decoded: a decompression bomb stops here.
    if width * height > max_pixels:
        raise ValidationError(
            _("Ảnh có kích thước quá lớn (%(w)s × %(h)s điểm ảnh); tối đa %(mp)s triệu điểm ảnh."),
            code="too_many_pixels",
            params={"w": width, "h": height, "mp": max_pixels // 1_000_000},
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image, _strict_decoding():
            image.load()
            upright = _upright(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Ảnh bị hỏng hoặc không đầy đủ. Hãy chụp hoặc chọn lại ảnh."), code="corrupt") from exc
    return _reencode(upright, image_format)


# EXIF orientation → the turn that makes the image upright (as ImageOps.exif_transpose does).
_TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
          5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_90}


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says. Pillow also rewrites the EXIF of the turned
    copy, and fails, with whatever error the damage leads to, on tags a phone or an editor wrote
    badly: the pixels are whole then, so they are turned here (the EXIF goes at re-encoding)."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - any damage in the EXIF; the pixels were decoded already
        try:
            turn = _TURNS.get(image.getexif().get(0x0112))
        except Exception:  # noqa: BLE001 - an EXIF too damaged to read its orientation
            turn = None
        return image.transpose(turn) if turn is not None else image


@contextmanager
def _strict_decoding():
    """Refuse truncated images while decoding. WeasyPrint sets Pillow's process-wide
    LOAD_TRUNCATED_IMAGES on import, which would let half an image through."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _reencode(image: Image.Image, image_format: str) -> CleanImage:
    out = io.BytesIO()
    if image.mode.startswith("I"):  # 16-bit grey (a scanner's PNG): to 8 bits, or convert() clips it to white
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    mode = "RGB" if image_format == "JPEG" or image.mode not in {"RGBA", "LA", "P", "PA"} else "RGBA"
    pixels = image.convert(mode)
    # convert() copies `info`, and Pillow writes some of it back on save (a JPEG comment, which
    # may hold HTML): the copy keeps the pixels only.
    pixels.info = {}
    if image_format == "JPEG":
        pixels.save(out, "JPEG", quality=90, optimize=True)
    elif image_format == "PNG":
        pixels.save(out, "PNG", optimize=True)
    else:
        pixels.save(out, "WEBP", quality=90)
    width, height = image.size
    return CleanImage(ContentFile(out.getvalue()), image_format, width, height)




class SafeImageField(forms.FileField):
    """A form field whose cleaned value is the re-encoded image (a ContentFile with a safe name)."""

    default_error_messages = {
        "required": _("Hãy chọn ảnh để tải lên."),
        "invalid": _("Tệp không hợp lệ."),
        "missing": _("Không nhận được tệp. Hãy chọn lại."),
        "empty": _("Tệp tải lên rỗng. Hãy chọn lại ảnh."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)
        if self.label and "required" not in (kwargs.get("error_messages") or {}):
            # A form asks for several photos: the message names the one missing (in the error
            # summary, three links "Choose a photo" would not say which is which).
            self.error_messages["required"] = format_lazy(_("Hãy chọn {photo} để tải lên."),
                                                          photo=first_lower(self.label))

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            clean = validate_image(upload)
        except ValidationError as error:
            if not self.label:
                raise
            # As for a missing photo: three refusals "not a valid image" in the error summary
            # would not say which photo each is about.
            problem = " ".join(error.messages)
            raise ValidationError(named(self.label, problem), code=error.code) from error
        clean.content.name = f"image.{ALLOWED_FORMATS[clean.format]}"
        return clean.content
