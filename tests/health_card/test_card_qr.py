"""The QR layout: built, signed, parsed, checked — every failure kind, key rotation, zbarimg."""

import datetime
import subprocess
import time

import pytest
import qrcode
from django.utils import timezone

from health_card import keys, qr
from health_card.models import Card, SigningKey
from health_card.models.card import add_years
from health_card.qr import Kind, Purpose, QrError
from health_card.services import card_check, card_qr, card_revoke, reissue_card
from tests.conftest import ZBAR_QR, require_tool

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue

pytestmark = pytest.mark.django_db

REAL_NEW = ("0111077012|4e677579e1bb856e2056c4836e2041|29/03/1988|1|-|01 - C54|01/07/2023|-|31/07/2023|01050111077012|-|4|"
            " 01/10/2027|4641c59ff02659c3-1202|4|5175e1baad6e2031|$")
REAL_OLD = ("DN401AA31900313|4cc3aa205669e1bb87742048c6b06e67|04/09/1985|1|4374|01 - 043|01/07/2017|31/12/2017|"
            "21/07/2017|01059710639215|-|4|01/07/2022|1f2fa22c47f0bd18-7102|$")


def check(payload, **kwargs):
    return card_check(channel="qr", payload=payload, **kwargs)


def test_signed_payload_keeps_the_hospital_layout_and_verifies(card):
    payload = card_qr(card, purpose=Purpose.SCREEN)
    parts = payload.split("|")
    assert len(parts) == 18 and parts[-1] == "$"
    assert parts[0] == "7901234567"
    assert bytes.fromhex(parts[1]).decode() == "Nguyễn Văn Đức"
    assert parts[2] == "15/03/1988" and parts[3] == "1" and parts[4] == "-"
    assert parts[5] == qr.facility_text(card.facility.code)
    assert parts[6:9] == ["01/01/2024", "-", "05/01/2024"]
    assert parts[9] == "10017901234567" and len(parts[9]) == 14
    assert parts[12] == "01/01/2029"
    assert len(parts[13]) == 21 and parts[13].endswith("-1001")
    assert parts[14] == "4" and bytes.fromhex(parts[15]).decode() == card.agency.name
    assert parts[16].startswith("v1.1001.")
    parsed = qr.parse(payload)
    assert parsed.layout == "signed" and parsed.version == 1 and parsed.purpose == Purpose.SCREEN
    qr.verify_signature(parsed, timezone.now())
    result = check(payload)
    assert result.kind == Kind.VALID and result.card == card


def test_signature_verifies_offline_with_the_published_key(card, client):
    payload = card_qr(card, purpose=Purpose.PRINT)
    document = client.get("/.well-known/bhyt-keys.json").json()
    key = next(k for k in document["keys"] if k["kid"] == "1001")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    public = Ed25519PublicKey.from_public_bytes(keys.b64url_decode(key["x"]))
    signed, signature = payload.removesuffix("|$").rsplit(".", 1)  # every character before it
    public.verify(keys.b64url_decode(signature), (signed + ".").encode())
    assert {k["kid"] for k in document["keys"]} == {"1000", "1001"}
    assert "d" not in key  # no private part is ever published


def test_parser_reads_real_old_and_new_cards_in_any_hex_case_and_year_only():
    new = qr.parse(REAL_NEW)
    assert new.layout == "new" and new.fields.full_name == "Nguyễn Văn A"
    assert new.fields.five_year_date == datetime.date(2027, 10, 1) and new.fields.valid_to is None
    old = qr.parse(REAL_OLD.upper().replace("|$", "|$\r\n"))
    assert old.layout == "old" and old.fields.full_name == "Lê Việt Hưng" and old.fields.number == "DN401AA31900313"
    year_only = qr.parse(REAL_NEW.replace("29/03/1988", "1988"))
    assert year_only.fields.birth_year_only and year_only.fields.birth_year == 1988


def test_year_only_birth_date_is_signed_as_a_year(card):
    card.person.birth_year_only = True
    card.person.save()
    card.refresh_from_db()
    payload = card_qr(card, purpose=Purpose.PRINT)
    assert payload.split("|")[2] == "1988"
    assert check(payload).kind == Kind.VALID


@pytest.mark.parametrize("payload, kind", [
    (b"\xff\xfe\x00junk\x80", Kind.JUNK),
    ("abc\ufffd|$", Kind.JUNK),
    ("xin chào", Kind.MALFORMED),
    ("", Kind.MALFORMED),
    (REAL_NEW[:80], Kind.TRUNCATED),
    ("0111077012|4e67|29/03/1988|$", Kind.TRUNCATED),
    (REAL_NEW.replace("|29/03/1988|", "|31/02/1988|"), Kind.INVALID_QR),
    (REAL_NEW.replace("4e677579e1bb856e2056c4836e2041", "zz"), Kind.INVALID_QR),
    (REAL_NEW.replace("|1|-|", "|3|-|"), Kind.INVALID_QR),
    (REAL_NEW.replace("|$", "|extra|more|$"), Kind.MALFORMED),
])
def test_parse_failures_have_their_kind(payload, kind):
    with pytest.raises(QrError) as error:
        qr.parse(payload)
    assert error.value.kind == kind
    assert card_check(channel="qr", payload=payload).kind == kind


def test_failures_of_a_signed_payload(card, settings):
    payload = card_qr(card, purpose=Purpose.SCREEN)
    parts = payload.split("|")
    # wrong signature: one field changed (the name)
    forged_name = payload.replace(parts[1], "Trần Văn Tú".encode().hex())
    assert check(forged_name).kind == Kind.FORGED
    # a changed signature
    sig = parts[16]
    flipped = sig[:-3] + ("A" if sig[-3] != "A" else "B") + sig[-2:]
    assert check(payload.replace(sig, flipped)).kind == Kind.FORGED
    # a forged field 13 re-signed by someone else's key under our key id
    other = keys.Signer("1001", keys._private(keys.new_private_key_text()))
    assert check(qr.build(qr.parse(payload).fields, issued_at=int(time.time()), signer=other)).kind == Kind.FORGED
    # unknown key id
    assert check(payload.replace("v1.1001.", "v1.7777.").replace("-1001|", "-7777|")).kind == Kind.UNKNOWN_KEY
    # expired on-screen QR (issued 11 minutes ago)
    stale = card_qr(card, purpose=Purpose.SCREEN, issued_at=int(time.time()) - 11 * 60)
    assert check(stale).kind == Kind.QR_EXPIRED
    # ...while a printed QR of the same age is still good
    assert check(card_qr(card, purpose=Purpose.PRINT, issued_at=int(time.time()) - 86400 * 300)).kind == Kind.VALID
    # issued in the future
    assert check(card_qr(card, purpose=Purpose.SCREEN, issued_at=int(time.time()) + 3600)).kind == Kind.QR_ISSUED_AHEAD
    # the issued-at is signed: an expired on-screen QR given a new time is forged, not fresh
    version, key_id, issued_at, signature = stale.split("|")[16].split(".")
    renewed = stale.replace(f"{version}.{key_id}.{issued_at}.", f"{version}.{key_id}.{int(time.time())}.")
    assert renewed != stale and check(renewed).kind == Kind.FORGED


def test_one_signature_is_taken_in_the_one_spelling_the_portal_writes(card):
    """86 base64url characters carry 516 bits for a 512-bit signature: the last character's four
    unused bits give fifteen other spellings of it, which decode to the same bytes."""
    payload = card_qr(card, purpose=Purpose.SCREEN)
    signature = payload.split("|")[16].rsplit(".", 1)[1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature[-1])
    spellings = [signature[:-1] + alphabet[last & 0b110000 | low] for low in range(16)]
    assert {keys.b64url_decode(spelling) for spelling in spellings} == {keys.b64url_decode(signature)}
    for spelling in spellings:
        expected = Kind.VALID if spelling == signature else Kind.FORGED
        assert check(payload.replace(signature, spelling)).kind == expected


def test_card_validity_expired_not_yet_valid_revoked_and_replaced(card, holder, facility):
    Card.objects.filter(pk=card.pk).update(valid_to=datetime.date(2024, 12, 31))
    card.refresh_from_db()
    assert check(card_qr(card, purpose=Purpose.PRINT)).kind == Kind.EXPIRED
    Card.objects.filter(pk=card.pk).update(valid_to=None, valid_from=timezone.localdate() + datetime.timedelta(days=10))
    card.refresh_from_db()
    assert check(card_qr(card, purpose=Purpose.PRINT)).kind == Kind.NOT_YET_VALID
    Card.objects.filter(pk=card.pk).update(valid_from=datetime.date(2024, 1, 1))
    card.refresh_from_db()
    old_payload = card_qr(card, purpose=Purpose.PRINT)
    new = reissue_card(holder.person, "Thẻ bị hỏng")
    assert new.version == 2 and check(old_payload).kind == Kind.REPLACED
    new_payload = card_qr(new, purpose=Purpose.PRINT)
    assert qr.parse(new_payload).version == 2 and check(new_payload).kind == Kind.VALID
    card_revoke(card=new, reason="Gian lận")
    assert check(new_payload).kind == Kind.REVOKED


def test_key_rotation_retired_key_verifies_until_its_end(card, settings):
    payload_1001 = card_qr(card, purpose=Purpose.PRINT)
    now = timezone.now()
    # 1001 stops signing: 1000 would be next, so add a new key 1002 which takes over
    settings.HEALTH_CARD_SIGNING_KEYS = {**settings.HEALTH_CARD_SIGNING_KEYS, "1002": keys.new_private_key_text()}
    key = SigningKey.objects.get(key_id="1001")
    key.retired_at, key.verify_until = now, now + datetime.timedelta(days=30)
    key.save()  # as the admin does
    payload_1002 = card_qr(card, purpose=Purpose.PRINT)
    assert qr.parse(payload_1002).signature.key_id == "1002"
    assert check(payload_1001).kind == Kind.VALID and check(payload_1002).kind == Kind.VALID
    # the retired key's private half may leave the environment: the public key still verifies
    del settings.HEALTH_CARD_SIGNING_KEYS["1001"]
    assert check(payload_1001).kind == Kind.VALID
    # past its end date, its QRs are no longer accepted
    key.verify_until = now - datetime.timedelta(seconds=1)
    key.save()
    assert check(payload_1001).kind == Kind.UNKNOWN_KEY
    assert check(payload_1002).kind == Kind.VALID
    kids = {k["kid"] for k in keys.published_keys()["keys"]}
    assert "1001" not in kids and "1002" in kids


def test_a_key_ended_by_another_process_is_refused_within_a_minute(card, monkeypatch):
    """Each process keeps the public keys it read for a minute; a change it did not make itself
    (no signal here: another worker, or SQL) is seen once that minute is over."""
    payload = card_qr(card, purpose=Purpose.PRINT)
    assert check(payload).kind == Kind.VALID
    SigningKey.objects.filter(key_id="1001").update(verify_until=timezone.now() - datetime.timedelta(seconds=1))
    assert check(payload).kind == Kind.VALID  # this process's copy, read a moment ago
    later = time.monotonic() + keys.VERIFYING_KEY_SECONDS + 1
    monkeypatch.setattr(keys.time, "monotonic", lambda: later)
    assert check(payload).kind == Kind.UNKNOWN_KEY


def test_a_changed_private_key_for_a_published_id_is_refused(card, settings):
    from django.core.exceptions import ImproperlyConfigured
    card_qr(card, purpose=Purpose.PRINT)
    settings.HEALTH_CARD_SIGNING_KEYS = {"1001": keys.new_private_key_text()}
    keys._synced.clear()
    with pytest.raises(ImproperlyConfigured):
        card_qr(card, purpose=Purpose.PRINT)


def test_development_key_is_made_once_outside_the_repository(card, settings, tmp_path):
    settings.HEALTH_CARD_SIGNING_KEYS = {}
    keys._synced.clear()
    payload = card_qr(card, purpose=Purpose.PRINT)
    assert settings.HEALTH_CARD_DEV_KEY_FILE.stat().st_mode & 0o777 == 0o600
    assert check(payload).kind == Kind.VALID
    settings.PRODUCTION = True
    settings.HEALTH_CARD_DEV_KEY_FILE = tmp_path / "none.json"
    from django.core.exceptions import ImproperlyConfigured
    with pytest.raises(ImproperlyConfigured):
        card_qr(card, purpose=Purpose.PRINT)


def unsigned_qr(card) -> str:
    """The QR of a card printed before the portal: the same fields, no signature."""
    fields = qr.CardFields(number=card.legacy_number, full_name="NGUYỄN VĂN ĐỨC", birth_date=datetime.date(1988, 3, 15),
                           birth_year_only=False, sex=1, facility_code=card.facility.code, valid_from=card.valid_from,
                           valid_to=None, issued_on=card.issued_on, management_code="", five_year_date=None,
                           check="1f2fa22c47f0bd18-7102")
    return "|".join(qr._field_list(fields)[:14]) + "|$"


def test_unsigned_real_card_is_checked_against_the_registry(card, holder):
    unsigned = unsigned_qr(card)
    result = check(unsigned)
    assert result.kind == Kind.VALID and result.card == card and result.unsigned
    wrong = unsigned.replace(qr._hex("NGUYỄN VĂN ĐỨC"), qr._hex("Nguyễn Văn Tài"))
    assert check(wrong).kind == Kind.WRONG_NAME
    # once the card is reissued, the printed card's QR (issued before the new one) is the old card's
    new = reissue_card(holder.person, "Mất thẻ")
    Card.objects.filter(pk=new.pk).update(issued_on=card.issued_on + datetime.timedelta(days=30))
    result = check(unsigned)
    assert result.kind == Kind.REPLACED and result.card == card


def without_signature(payload: str) -> str:
    """A portal QR with its last field (v1.<key>.<time>.<signature>) deleted."""
    head, _signature, end = payload.rsplit("|", 2)
    return f"{head}|{end}"


def test_a_portal_qr_with_its_signature_cut_off_is_forged(card, holder):
    """What the portal issued carries its MAC in field 13: without the signature field it is not a
    card printed before the portal, whatever the registry says of the card."""
    stale = card_qr(card, purpose=Purpose.SCREEN, issued_at=int(time.time()) - 11 * 60)
    assert check(stale).kind == Kind.QR_EXPIRED
    for channel in ("qr", "api", "public"):
        result = card_check(channel=channel, payload=without_signature(stale))
        assert result.kind == Kind.FORGED and result.card is None and result.qr_fault, channel
    printed = card_qr(card, purpose=Purpose.PRINT)
    new = reissue_card(holder.person, "Mất thẻ")
    assert check(printed).kind == Kind.REPLACED
    assert check(without_signature(printed)).kind == Kind.FORGED
    # field 13 blanked as well: compared with the registry as an unsigned QR, in the version it was
    # issued with (the old card's issue date), and said to be unsigned
    Card.objects.filter(pk=new.pk).update(issued_on=card.issued_on + datetime.timedelta(days=30))
    blanked = without_signature(printed).replace(f"|{qr.parse(printed).fields.check}|", "|-|")
    result = check(blanked)
    assert result.kind == Kind.REPLACED and result.card == card and result.unsigned
    assert check(without_signature(card_qr(Card.objects.get(pk=new.pk), purpose=Purpose.PRINT))).kind == Kind.FORGED


def test_an_unsigned_qr_of_a_card_issued_since_the_portal_signs_is_forged(card, holder):
    """Field 13 blanked too, the QR no longer shows it came from the portal, but the registry does:
    a card issued since the first signing key was printed with a signed QR. A stale screen QR
    stripped this way does not pass as a card printed before the portal."""
    Card.objects.filter(pk=card.pk).update(issued_on=timezone.localdate())
    card.refresh_from_db()
    stale = card_qr(card, purpose=Purpose.SCREEN, issued_at=int(time.time()) - 60 * 60)
    assert check(stale).kind == Kind.QR_EXPIRED
    blanked = without_signature(stale).replace(f"|{qr.parse(stale).fields.check}|", "|-|")
    for channel in ("qr", "api"):
        result = card_check(channel=channel, payload=blanked)
        assert result.kind == Kind.FORGED and result.card is None and result.qr_fault, channel
    # the same card as the registry had it before the portal signed: an unsigned QR is its own
    Card.objects.filter(pk=card.pk).update(issued_on=datetime.date(2024, 1, 5))
    assert check(blanked.replace(f"|{timezone.localdate():%d/%m/%Y}|", "|05/01/2024|")).kind == Kind.VALID


def test_the_public_page_does_not_compare_an_unsigned_qr_with_the_registry(card, clinic_user):
    """Anyone could write an unsigned QR by hand: on the public page it would answer whether a
    code goes with a name and a birth date. Only clinics compare it with the registry."""
    from django.test import Client

    from health_card.models import CardCheck

    from .card_fixtures import logged_in

    right, wrong = unsigned_qr(card), unsigned_qr(card).replace(qr._hex("NGUYỄN VĂN ĐỨC"), qr._hex("Nguyễn Văn Tài"))
    answers = [card_check(channel="public", payload=text) for text in (right, wrong)]
    assert [a.kind for a in answers] == [Kind.UNSIGNED, Kind.UNSIGNED] and answers[0].card is None
    page = Client().post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": right}).content.decode()
    assert "Mã QR không có chữ ký" in page and "trang công khai không xác thực được" in page
    assert "Thẻ hợp lệ" not in page and "NGUYỄN V*** Đ" not in page
    assert CardCheck.objects.filter(channel="public", result="unsigned", card=None).count() == 3
    clinic = logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": right}).content.decode()
    assert "Thẻ hợp lệ" in clinic and "NGUYỄN VĂN ĐỨC" in clinic


def test_qr_png_decoded_by_zbarimg_equals_the_signed_payload(card, tmp_path, holder, monkeypatch):
    import types

    from health_card.views import card as card_views

    # One instant for the whole test: the PNG built here, the payload expected and the page's
    # image all fall in the same 300-second window, wherever the test starts in it.
    frozen = time.time()
    monkeypatch.setattr(card_views, "time", types.SimpleNamespace(time=lambda: frozen))
    window = int(frozen // card_views.QR_WINDOW_SECONDS) * card_views.QR_WINDOW_SECONDS
    path = tmp_path / "qr.png"
    path.write_bytes(card_views.screen_qr_png(card, now=frozen))
    decoded = subprocess.run([require_tool("zbarimg", "zbar-tools"), *ZBAR_QR, str(path)],
                             capture_output=True,
                             check=True).stdout.decode("utf-8").rstrip("\n")
    assert decoded == card_qr(card, purpose=Purpose.SCREEN, issued_at=window)
    assert check(decoded).kind == Kind.VALID
    # the page's image is the same QR
    from .card_fixtures import logged_in
    response = logged_in(holder).get(f"/the-bhyt/{card.pk}/ma-qr.png")
    assert response["Content-Type"] == "image/png" and response.content == path.read_bytes()
    qrcode.make(decoded)  # fits a QR code


def test_issue_refuses_a_second_active_card(card, facility):
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):
        issue(card.person, facility)


@pytest.mark.parametrize(("body", "message"), [
    ("[" * 100_000 + "]" * 100_000, "Nội dung không phải JSON hợp lệ."),
    ('{"maQR": ' + "[" * 50_000 + "]" * 50_000 + "}", "Nội dung không phải JSON hợp lệ."),
    ('["maQR"]', "Nội dung phải là một đối tượng JSON."),
    ('{"maQR": 7901234567}', "Các trường maQR, maThe, hoTen, ngaySinh phải là chuỗi ký tự."),
    ('{"maThe": "7901234567", "hoTen": ["Nguyễn Văn Đức"], "ngaySinh": "15/03/1988"}',
     "Các trường maQR, maThe, hoTen, ngaySinh phải là chuỗi ký tự."),
])
def test_the_api_answers_json_it_cannot_use_with_a_400_in_vietnamese(card, facility, body, message):
    from django.test import Client

    from health_card.models import CardCheck
    from health_card.services import api_token_create

    _token, raw = api_token_create(facility=facility, name="HIS")
    response = Client().post("/api/xac-thuc/the-bhyt/", body, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 400 and response.json()["thongBao"] == message
    assert not CardCheck.objects.exists()  # nothing was checked, nothing logged


def test_a_young_childs_card_names_the_parent_and_an_older_ones_does_not(holder, facility):
    """QR field 10 carries the parent's or guardian's name on the card of a child under six, as on
    the cards hospital software reads; from the sixth birthday it is "-"."""
    from accounts.models import Guardianship
    from tests.accounts.helpers import make_person

    today = timezone.localdate()
    born = add_years(today, -5) - datetime.timedelta(days=1)  # five years and a day old
    young = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=f"0792{born.year % 100:02d}012345")
    older = make_person("7905555556", "Nguyễn Gia Huy", birth=datetime.date(today.year - 7, 1, 1),
                        id_number=f"0792{(today.year - 7) % 100:02d}012346")
    for child in (young, older):
        Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    young_qr = card_qr(issue(young, facility, group="TE"), purpose=Purpose.PRINT)
    assert young_qr.split("|")[10] == holder.person.full_name.encode().hex()
    assert qr.parse(young_qr).fields.guardian == holder.person.full_name
    assert card_qr(issue(older, facility, group="TE"), purpose=Purpose.PRINT).split("|")[10] == "-"


@pytest.mark.parametrize("version", ["v2", "v10"])
def test_a_qr_signed_in_another_version_is_answered_as_not_verifiable_not_as_a_misread_to_scan_again(
        card, facility, client, version):
    """The portal signs in version v1 only: a signature field of another version reads the same however
    often it is scanned, so the answer is the key's (not verifiable here), not "scan again"."""
    from health_card.services import api_token_create

    payload = card_qr(card, purpose=Purpose.PRINT).replace("|v1.", f"|{version}.")
    result = check(payload)
    assert result.kind == Kind.UNKNOWN_KEY and result.qr_fault
    assert str(result.detail) == f"chữ ký phiên bản {version}: Cổng chỉ xác thực chữ ký phiên bản v1"
    _token, raw = api_token_create(facility=facility, name="HIS")
    answer = client.post("/api/xac-thuc/the-bhyt/", {"maQR": payload}, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert (answer["maKetQua"], answer["ketQua"]) == ("902", "unknown_key")
    assert "Hãy quét lại" not in answer["ghiChu"]


def test_the_on_screen_qr_carries_a_name_corrected_without_a_reissue_at_once(card, holder, monkeypatch):
    """The image was kept by card, issue and window: a name an officer corrected without reissuing the
    card went on showing, signed, in the QR for the rest of the window (up to 5 minutes)."""
    import types

    from health_card.views import card as card_views

    from .card_fixtures import logged_in

    frozen = time.time()  # one window for the whole test, wherever it starts in it
    monkeypatch.setattr(card_views, "time", types.SimpleNamespace(time=lambda: frozen))
    window = int(frozen // card_views.QR_WINDOW_SECONDS) * card_views.QR_WINDOW_SECONDS
    client = logged_in(holder)
    drawn, draw = [], qrcode.make
    monkeypatch.setattr(qrcode, "make", lambda payload, **kwargs: drawn.append(payload) or draw(payload, **kwargs))

    def decoded(png: bytes) -> str:
        return subprocess.run([require_tool("zbarimg", "zbar-tools"), *ZBAR_QR, "-"],
                              input=png, capture_output=True, check=True).stdout.decode("utf-8").rstrip("\n")

    before = client.get(f"/the-bhyt/{card.pk}/ma-qr.png").content
    assert qr._hex("Nguyễn Văn Đức") in decoded(before)
    holder.person.full_name = "Nguyễn Văn Đức Anh"
    holder.person.save(update_fields=["full_name"])
    card.refresh_from_db()
    assert card.version == 1  # corrected, not reissued
    after = client.get(f"/the-bhyt/{card.pk}/ma-qr.png").content
    assert decoded(after) == card_qr(card, purpose=Purpose.SCREEN, issued_at=window)
    assert qr._hex("Nguyễn Văn Đức Anh") in decoded(after)
    assert client.get(f"/the-bhyt/{card.pk}/ma-qr.png").content == after
    assert len(drawn) == 2  # each QR drawn once, then kept for the window


def test_a_drawn_on_screen_qr_is_fetched_again_with_no_query_but_the_cards_own(
        card, holder, facility, monkeypatch, django_assert_num_queries):
    """Looking the image up by the hash of its signed string signed it first on every fetch, and the
    signing key's choice read the database twice: 4 queries where a drawn image had cost 2, the person
    in view and the card. The key is made of what the card's one query read, a young child's parent's
    name included, so a change of that name shows at once as a corrected holder's name does."""
    import types

    from accounts.models import Guardianship
    from health_card.selectors import child_card_valid_to
    from health_card.views import card as card_views
    from tests.accounts.helpers import make_person

    from .card_fixtures import logged_in

    frozen = time.time()  # one window for the whole test, wherever it starts in it
    monkeypatch.setattr(card_views, "time", types.SimpleNamespace(time=lambda: frozen))
    born = timezone.localdate().replace(day=1) - datetime.timedelta(days=2 * 365)
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=f"0792{born:%y}012345")
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    child_card = issue(child, facility, group="TE", valid_to=child_card_valid_to(born))
    client = logged_in(holder)
    url = f"/the-bhyt/{card.pk}/ma-qr.png"
    drawn = client.get(url).content
    with django_assert_num_queries(2):  # the person in view, the card
        assert client.get(url).content == drawn

    session = client.session
    session["viewing_person_id"] = child.pk  # the parent viewing the child
    session.save()
    url = f"/the-bhyt/{child_card.pk}/ma-qr.png"
    drawn = client.get(url).content
    with django_assert_num_queries(2):
        assert client.get(url).content == drawn
    holder.person.full_name = "Nguyễn Văn Đức Anh"
    holder.person.save(update_fields=["full_name"])
    renamed = subprocess.run([require_tool("zbarimg", "zbar-tools"), *ZBAR_QR, "-"],
                             input=client.get(url).content, capture_output=True, check=True).stdout.decode("utf-8")
    assert qr.parse(renamed.rstrip("\n")).fields.guardian == "Nguyễn Văn Đức Anh"


def test_a_signing_key_retired_in_the_admin_stops_signing_the_on_screen_qr_at_once(
        card, holder, monkeypatch, django_assert_num_queries):
    """The drawn image was kept under the configured key ids, which a key retired and ended in the admin
    (the way to stop a leaked key) leaves alone: citizens went on being shown, for the rest of the
    window, a QR signed by the ended key, which clinics' checks refused as an unknown key."""
    import types

    from health_card.views import card as card_views

    from .card_fixtures import logged_in

    frozen = time.time()  # one window for the whole test, wherever it starts in it
    monkeypatch.setattr(card_views, "time", types.SimpleNamespace(time=lambda: frozen))

    def decoded(png: bytes) -> str:
        return subprocess.run([require_tool("zbarimg", "zbar-tools"), *ZBAR_QR, "-"],
                              input=png, capture_output=True, check=True).stdout.decode("utf-8").rstrip("\n")

    client = logged_in(holder)
    url = f"/the-bhyt/{card.pk}/ma-qr.png"
    before = decoded(client.get(url).content)
    assert qr.parse(before).signature.key_id == "1001"
    leaked = SigningKey.objects.get(key_id="1001")
    leaked.retired_at = leaked.verify_until = timezone.now() - datetime.timedelta(seconds=1)
    leaked.save()  # as the admin does
    assert check(before).kind == Kind.UNKNOWN_KEY
    after = client.get(url).content
    assert qr.parse(decoded(after)).signature.key_id == "1000"
    assert check(decoded(after)).kind == Kind.VALID
    with django_assert_num_queries(2):  # the person in view, the card: the new image is kept
        assert client.get(url).content == after


def test_a_signing_key_retired_for_later_stops_signing_the_on_screen_qr_when_that_time_comes(card, holder, monkeypatch):
    """A retirement set in the admin for a later time changes no row when it comes: the image drawn
    before it, signed by that key, is not kept past it."""
    import types

    from health_card.views import card as card_views

    from .card_fixtures import logged_in

    frozen = time.time()  # one window for the whole test, wherever it starts in it
    monkeypatch.setattr(card_views, "time", types.SimpleNamespace(time=lambda: frozen))

    def key_id(png: bytes) -> str:
        payload = subprocess.run([require_tool("zbarimg", "zbar-tools"), *ZBAR_QR, "-"],
                                 input=png, capture_output=True, check=True).stdout.decode("utf-8").rstrip("\n")
        return qr.parse(payload).signature.key_id

    client = logged_in(holder)
    url = f"/the-bhyt/{card.pk}/ma-qr.png"
    keys.sync_public_keys()  # the configured keys' rows, made by the first signing
    retiring = SigningKey.objects.get(key_id="1001")
    retiring.retired_at = timezone.now() + datetime.timedelta(seconds=3)
    retiring.save()  # as the admin does
    assert key_id(client.get(url).content) == "1001"
    while timezone.now() < retiring.retired_at + datetime.timedelta(seconds=1.1):  # a cache's whole seconds
        time.sleep(0.2)
    assert key_id(client.get(url).content) == "1000"
