"""Image validation: only whole JPEG/PNG/WebP images within the caps, stored re-encoded without metadata."""

import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from vssid_portal.images import SafeImageField, validate_image


def jpeg_bytes(size=(64, 48), exif=None, color=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", exif=exif or b"")
    return out.getvalue()


def upload(data, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (10.0, 46.0, 30.0)
    gps[3], gps[4] = "E", (106.0, 41.0, 50.0)
    return exif.tobytes()


def png_header_only(width, height):
    """A PNG whose IHDR declares width×height but whose pixel data is a few bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_valid_jpeg_is_accepted_and_reencoded():
    clean = validate_image(upload(jpeg_bytes()))
    assert (clean.format, clean.width, clean.height) == ("JPEG", 64, 48)
    with Image.open(io.BytesIO(clean.content.read())) as image:
        assert image.format == "JPEG"


@pytest.mark.parametrize("weasyprint_loaded", [False, True])
def test_truncated_jpeg_is_rejected(weasyprint_loaded):
    if weasyprint_loaded:
        import vssid_portal.pdf  # noqa: F401 — WeasyPrint turns on LOAD_TRUNCATED_IMAGES process-wide
    data = jpeg_bytes(size=(400, 300))
    with pytest.raises(ValidationError) as error:
        validate_image(upload(data[: len(data) // 2]))
    assert error.value.code == "corrupt"
    assert "hỏng" in error.value.messages[0]


def test_png_declaring_30000_by_30000_pixels_is_rejected_before_decoding():
    with pytest.raises(ValidationError) as error:
        validate_image(upload(png_header_only(30000, 30000), name="bom.png", content_type="image/png"))
    assert error.value.code == "too_many_pixels"
    assert error.value.messages == ["Ảnh có kích thước quá lớn; tối đa 40 triệu điểm ảnh."]  # Vietnamese words, not "megapixel"
    with translation.override("en"):
        assert error.value.messages == ["The image has too many pixels; 40 megapixels at most."]


def test_png_just_over_40_megapixels_is_rejected_by_the_portal_cap():
    with pytest.raises(ValidationError) as error:
        validate_image(upload(png_header_only(8000, 5001), name="lon.png", content_type="image/png"))
    assert error.value.code == "too_many_pixels"
    assert error.value.messages == ["Ảnh có kích thước quá lớn (8000 × 5001 điểm ảnh); tối đa 40 triệu điểm ảnh."]
    with translation.override("en"):
        assert error.value.messages == ["The image has too many pixels (8000 × 5001); 40 megapixels at most."]


def test_text_file_renamed_jpg_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_image(upload("Đây không phải là ảnh.\n".encode() * 20))
    assert error.value.code == "not_image"
    assert error.value.messages == ["Tệp không phải là ảnh JPEG, PNG hoặc WebP hợp lệ."]


def test_gif_is_refused_even_though_pillow_reads_it():
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    with pytest.raises(ValidationError) as error:
        validate_image(upload(out.getvalue(), name="anh.gif"))
    assert error.value.code == "format"


def test_file_over_10_mb_is_rejected_without_decoding():
    with pytest.raises(ValidationError) as error:
        validate_image(upload(b"\xff\xd8" + b"0" * (10 * 1024 * 1024)))
    assert error.value.code == "too_large"


def test_gps_exif_is_stripped_and_orientation_applied():
    original = jpeg_bytes(size=(80, 40), exif=gps_exif())
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)  # the upload does carry GPS
    clean = validate_image(upload(original))
    data = clean.content.read()
    with Image.open(io.BytesIO(data)) as after:
        assert after.size == (40, 80)  # rotated upright
        assert len(after.getexif()) == 0
        assert "exif" not in after.info and "icc_profile" not in after.info
    assert b"PhoneMaker" not in data and b"Exif" not in data


def test_a_16_bit_grayscale_png_keeps_its_shades_instead_of_turning_white():
    """A scanner saves an ID card as a 16-bit grayscale PNG: its greys stay greys."""
    scan = Image.new("I;16", (4, 1))
    for x, value in enumerate([0, 16384, 32768, 65535]):
        scan.putpixel((x, 0), value)
    out = io.BytesIO()
    scan.save(out, "PNG")
    clean = validate_image(upload(out.getvalue(), name="the-can-cuoc.png", content_type="image/png"))
    with Image.open(io.BytesIO(clean.content.read())) as stored:
        shades = [stored.convert("L").getpixel((x, 0)) for x in range(4)]
    assert shades == [0, 64, 128, 255]


def test_a_phone_jpeg_carrying_a_second_picture_is_kept_as_the_jpeg_it_shows():
    """Phones write a depth map or an HDR gain map into the JPEG as a second picture (MPF), which
    Pillow reads as MPO: the photo is a JPEG all the same, stored as its first picture."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "MPO", save_all=True,
                                                   append_images=[Image.new("L", (16, 12), 128)])
    field = SafeImageField()
    cleaned = field.clean(upload(out.getvalue(), name="IMG_0412.JPG"))
    assert cleaned.name == "image.jpg"
    with Image.open(io.BytesIO(cleaned.read())) as stored:
        assert (stored.format, stored.size, getattr(stored, "n_frames", 1)) == ("JPEG", (64, 48), 1)
        assert stored.getpixel((10, 10))[0] > 150


def test_polyglot_jpeg_with_trailing_html_is_cleaned():
    clean = validate_image(upload(jpeg_bytes() + b"<html><script>alert(1)</script></html>"))
    assert b"<script>" not in clean.content.read()


def test_form_field_returns_the_clean_copy_with_a_safe_name():
    field = SafeImageField()
    cleaned = field.clean(upload(jpeg_bytes(), name="../../etc/chan-dung.jpg"))
    assert cleaned.name == "image.jpg"
    with pytest.raises(ValidationError) as error:
        field.clean(upload(b"GIF89a not really"))
    assert "JPEG, PNG hoặc WebP" in error.value.messages[0]


def test_a_missing_photo_is_named_in_its_message():
    """A form asks for several photos: each message says which one is missing."""
    with pytest.raises(ValidationError) as error:
        SafeImageField(label="Ảnh mặt sau giấy tờ").clean(None)
    assert error.value.messages == ["Hãy chọn ảnh mặt sau giấy tờ để tải lên."]
    with pytest.raises(ValidationError) as error:
        SafeImageField(label="Ảnh chân dung", error_messages={"required": "Chụp ảnh chân dung."}).clean(None)
    assert error.value.messages == ["Chụp ảnh chân dung."]  # a message of the field's own is kept
    with pytest.raises(ValidationError) as error:
        SafeImageField().clean(None)
    assert error.value.messages == ["Hãy chọn ảnh để tải lên."]  # no label: nothing to name


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "named"), [
    ("/dang-ky/anh/", ["ảnh chân dung", "ảnh mặt trước giấy tờ", "ảnh mặt sau giấy tờ"]),
    ("/ca-nhan/dang-ky-cho-con/", ["ảnh chân dung của trẻ", "ảnh giấy khai sinh",
                                   "ảnh giấy tờ chứng minh quan hệ (hoặc mặt sau giấy khai sinh)"]),
])
def test_the_error_summary_names_each_missing_photo(client, reference_data, url, named):
    links = photo_errors_summed_up(client, url, {"portrait": ""})  # sent with no photo chosen
    assert links == [f"Hãy chọn {photo} để tải lên." for photo in named]


def photo_errors_summed_up(client, url: str, data: dict) -> list[str]:
    """The photo page at `url` (a newcomer's registration, or a citizen's child's) posted with `data`:
    the error summary's links to its photos, in order."""
    from tests.accounts.helpers import declaration_data, make_person
    from tests.public_services.helpers import citizen

    if url == "/dang-ky/anh/":
        make_person()
        client.post("/dang-ky/", declaration_data())
    else:
        client.force_login(citizen())
    html = client.post(url, data).content.decode()
    summary = html[html.index('class="error-summary"'):]
    return re.findall(r'<a href="#id_(?:portrait|id_front|id_back)">([^<]+)</a>', summary[:summary.index("</div>")])


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "named"), [
    ("/dang-ky/anh/", ["Ảnh chân dung", "Ảnh mặt trước giấy tờ", "Ảnh mặt sau giấy tờ"]),
    ("/ca-nhan/dang-ky-cho-con/", ["Ảnh chân dung của trẻ", "Ảnh giấy khai sinh",
                                   "Ảnh giấy tờ chứng minh quan hệ (hoặc mặt sau giấy khai sinh)"]),
])
def test_the_error_summary_names_each_refused_photo(client, reference_data, url, named):
    """A PDF renamed .jpg chosen for every photo: each refusal says which photo it is about."""
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    links = photo_errors_summed_up(client, url, {name: upload(pdf, name="scan.jpg")
                                                 for name in ("portrait", "id_front", "id_back")})
    assert links == [f"{photo}: tệp không phải là ảnh JPEG, PNG hoặc WebP hợp lệ." for photo in named]


def test_a_photo_with_damaged_exif_is_turned_upright_and_kept():
    from tests.security.corpus import corpus

    data = next(item.data for item in corpus() if item.name == "damaged EXIF with a rotation")
    with Image.open(io.BytesIO(data)) as sent:
        assert sent.size == (160, 120)
    clean = validate_image(SimpleUploadedFile("turned.jpg", data, content_type="image/jpeg"))
    assert (clean.width, clean.height) == (120, 160)  # orientation 6: turned a quarter
    with Image.open(io.BytesIO(clean.content.read())) as kept:
        assert kept.size == (120, 160) and not kept.getexif()


def test_a_file_of_exactly_10_mb_is_taken_and_one_byte_more_is_refused():
    """The cap is 10 MB inclusive: a phone's photo (here with bytes after its image, which the
    re-encoding drops) of exactly that size is taken, one byte more is too large."""
    from vssid_portal.images import MAX_BYTES

    picture = jpeg_bytes()
    at_cap = picture + b"\0" * (MAX_BYTES - len(picture))
    assert len(at_cap) == MAX_BYTES
    assert validate_image(upload(at_cap)).format == "JPEG"
    with pytest.raises(ValidationError) as error:
        validate_image(upload(at_cap + b"\0"))
    assert error.value.code == "too_large"


def test_an_image_of_exactly_the_pixel_cap_is_taken_and_one_pixel_more_is_refused():
    width, height = 64, 48
    assert validate_image(upload(jpeg_bytes((width, height))), max_pixels=width * height).width == width
    with pytest.raises(ValidationError) as error:
        validate_image(upload(jpeg_bytes((width, height))), max_pixels=width * height - 1)
    assert error.value.code == "too_many_pixels"


def test_an_empty_file_is_refused_as_empty_not_as_a_broken_image():
    with pytest.raises(ValidationError) as error:
        validate_image(upload(b""))
    assert error.value.code == "empty"
    assert error.value.messages == ["Tệp tải lên rỗng. Hãy chọn lại ảnh."]


def test_a_comment_inside_the_jpeg_is_not_written_back_into_the_stored_copy():
    """A JPEG comment block is metadata like EXIF: one that holds HTML is gone from what is kept."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG", comment=b"<script>alert(1)</script>")
    assert b"<script>" in out.getvalue()
    clean = validate_image(upload(out.getvalue()))
    assert b"<script>" not in clean.content.read()
