"""Hostile and awkward files for every upload field, each built here from a few bytes or Pillow.

`expect` says what the portal must do: "reject" (a clear Vietnamese message, nothing stored) or
"accept" (stored re-encoded: no metadata, no trailing bytes, a safe name).
"""

import functools
import io
import struct
import zlib
from dataclasses import dataclass

from PIL import Image, ImageCms

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
ONE_MB = 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    name: str
    filename: str
    data: bytes
    content_type: str
    expect: str  # "reject" or "accept"


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _photo(size=(160, 120), mode="RGB"):
    image = Image.new("RGB", size)
    for x in range(0, size[0], 8):  # a little structure, so encoders do real work
        for y in range(0, size[1], 8):
            image.putpixel((x, y), ((x * 7) % 256, (y * 5) % 256, (x + y) % 256))
    return image.convert(mode) if mode != "RGB" else image


def _jpeg(**options) -> bytes:
    return _save(_photo(), "JPEG", **options)


def _png(image=None, **options) -> bytes:
    return _save(image or _photo(), "PNG", **options)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int, *, idat: bytes | None = None) -> bytes:
    """A PNG whose header declares width × height; the pixel data is whatever `idat` holds."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat or zlib.compress(b"\x00" * 64))
            + _chunk(b"IEND", b""))


def _deflate_bomb(width: int, height: int) -> bytes:
    """Real, valid pixel data for a large black RGB image: a few hundred kB that inflate to GBs."""
    row = b"\x00" + b"\x00" * (width * 3)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return png_declaring(width, height, idat=data)


def _exif(gps: bool = False, comment_bytes: int = 0) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    if gps:
        info = exif.get_ifd(0x8825)
        info[1], info[2] = "N", (10.0, 46.0, 30.0)
        info[3], info[4] = "E", (106.0, 41.0, 50.0)
    if comment_bytes:
        exif[0x010E] = "A" * comment_bytes  # ImageDescription
    return exif.tobytes()


def _broken_exif() -> bytes:
    """EXIF saying "turn 90°", with XResolution (a RATIONAL tag) written as the text "abc": Pillow
    cannot write it back when it turns the image."""
    entries = [struct.pack("<HHI4s", 0x0112, 3, 1, struct.pack("<H", 6) + b"\0\0"),
               struct.pack("<HHI4s", 0x011A, 2, 4, b"abc\0")]
    ifd = struct.pack("<H", len(entries)) + b"".join(entries) + struct.pack("<I", 0)
    return b"Exif\0\0II*\0" + struct.pack("<I", 8) + ifd


def _png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", HTML.decode())
    info.add_text("GPS", "10.7751, 106.7009")
    return _png(pnginfo=info)


def _animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (64, 48), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def _bad_crc_png() -> bytes:
    data = bytearray(_png())
    idat = data.index(b"IDAT")
    length = struct.unpack(">I", data[idat - 4:idat])[0]
    data[idat + 4 + length] ^= 0xFF  # first byte of the IDAT chunk's CRC
    return bytes(data)


def _icc_jpeg() -> bytes:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _save(_photo(), "JPEG", icc_profile=profile, comment=HTML)


def _too_big_jpeg() -> bytes:
    head = _jpeg()
    return head[:-2] + b"\x00" * (10 * ONE_MB + 1 - len(head)) + b"\xff\xd9"


@functools.cache
def corpus() -> tuple[Hostile, ...]:
    jpeg, png = _jpeg(), _png()
    pdf = (b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
           b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    items = [
        # Broken or partial images.
        Hostile("truncated JPEG", "cat.jpg", _save(_photo((400, 300)), "JPEG")[:3000], "image/jpeg", "reject"),
        Hostile("truncated PNG", "cat.png", png[: len(png) // 2], "image/png", "reject"),
        Hostile("PNG with a broken CRC", "crc.png", _bad_crc_png(), "image/png", "accept"),
        Hostile("JPEG magic then HTML", "magic.jpg", b"\xff\xd8\xff\xe0" + HTML, "image/jpeg", "reject"),
        Hostile("zero bytes", "empty.jpg", b"", "image/jpeg", "reject"),
        # Decompression bombs and size caps.
        Hostile("PNG declaring 30000 x 30000 pixels", "bomb.png", png_declaring(30000, 30000), "image/png", "reject"),
        Hostile("deflate bomb PNG 12000 x 12000", "bomb2.png", _deflate_bomb(12000, 12000), "image/png", "reject"),
        Hostile("PNG just over 40 megapixels", "large.png", png_declaring(8000, 5001), "image/png", "reject"),
        Hostile("JPEG over 10 MB", "large.jpg", _too_big_jpeg(), "image/jpeg", "reject"),
        # Not an image, or a format the portal does not take.
        Hostile("SVG with script", "vector.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml", "reject"),
        Hostile("SVG renamed .png", "vector.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
                b'onload="alert(1)"/>', "image/png", "reject"),
        Hostile("PDF renamed .jpg", "scan.jpg", pdf, "image/jpeg", "reject"),
        Hostile("PDF then HTML", "scan.pdf", b"%PDF-1.4\n" + HTML, "application/pdf", "reject"),
        Hostile("HTML renamed .png", "page.png", HTML, "image/png", "reject"),
        Hostile("plain text renamed .jpg", "note.jpg", "Đây không phải là ảnh.\n".encode() * 50, "image/jpeg",
                "reject"),
        Hostile("ELF binary renamed .jpg", "run.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "image/jpeg", "reject"),
        Hostile("ZIP renamed .png", "archive.png", b"PK\x03\x04" + b"\x00" * 200, "image/png", "reject"),
        Hostile("GIF", "anim.gif", _save(_photo(), "GIF"), "image/gif", "reject"),
        Hostile("animated GIF renamed .jpg", "anim.jpg", _animated("GIF"), "image/jpeg", "reject"),
        Hostile("TIFF", "scan.tiff", _save(_photo(), "TIFF"), "image/tiff", "reject"),
        Hostile("BMP renamed .png", "scan.png", _save(_photo(), "BMP"), "image/png", "reject"),
        Hostile("ICO", "favicon.ico", _save(_photo((32, 32)), "ICO"), "image/x-icon", "reject"),
        Hostile("JPEG 2000", "scan.jp2", _save(_photo(), "JPEG2000"), "image/jp2", "reject"),
        # Valid images carrying something that must not survive.
        Hostile("polyglot JPEG + HTML", "poly.jpg", jpeg + HTML, "image/jpeg", "accept"),
        Hostile("polyglot PNG + HTML", "poly.png", png + HTML, "image/png", "accept"),
        Hostile("JPEG sent as text/html", "page.html", jpeg, "text/html", "accept"),
        Hostile("GPS EXIF", "gps.jpg", _jpeg(exif=_exif(gps=True)), "image/jpeg", "accept"),
        Hostile("huge EXIF (60 kB)", "exif.jpg", _jpeg(exif=_exif(comment_bytes=60_000)), "image/jpeg", "accept"),
        Hostile("damaged EXIF with a rotation", "turned.jpg", _jpeg(exif=_broken_exif()), "image/jpeg", "accept"),
        Hostile("ICC profile and HTML comment", "icc.jpg", _icc_jpeg(), "image/jpeg", "accept"),
        Hostile("PNG text chunks with script and GPS", "text.png", _png_with_text(), "image/png", "accept"),
        Hostile("CMYK JPEG", "cmyk.jpg", _save(_photo(mode="CMYK"), "JPEG"), "image/jpeg", "accept"),
        Hostile("16-bit grey PNG", "deep.png", _png(_photo().convert("I;16")), "image/png", "accept"),
        Hostile("animated WebP", "anim.webp", _animated("WEBP"), "image/webp", "accept"),
        Hostile("animated PNG", "anim.png", _animated("PNG"), "image/png", "accept"),
        Hostile("PNG named .jpg", "wrong.jpg", png, "image/jpeg", "accept"),
        Hostile("path traversal in the name", "../../../etc/cron.d/x.jpg", jpeg, "image/jpeg", "accept"),
        Hostile("NUL and script in the name", "a\x00.php<script>.jpg", jpeg, "image/jpeg", "accept"),
        Hostile("1 x 1 pixel", "dot.png", _png(Image.new("RGB", (1, 1))), "image/png", "accept"),
    ]
    assert len(items) >= 30
    return tuple(items)
