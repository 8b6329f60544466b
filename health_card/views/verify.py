"""Card checks: the clinic verify page, the JSON API for clinic software, the public keys.

- `/xac-thuc/the-bhyt/`: clinic staff (a login attached to a KCB facility, role "Nhân viên cơ sở
  KCB") scan with the camera (static/health_card/js/scan.js with the vendored jsQR decoder), with
  a handheld scanner (types into the focused field, Enter posts the form — no JavaScript needed),
  or type card number + full name + birth date; they see the whole result. A check that answers
  "wrong name" or "wrong birth date" (typed, or from a CCCD's QR; `CheckResult.wrong_guess`) is
  counted per login (per token on the API), and past `CLINIC_MISMATCHES` the page checks nothing more for a while: those answers would otherwise let a
  login try birth dates for a known card number and name. Every check of a clinic login, scanned or
  typed, right or wrong, is counted too, up to settings.HEALTH_CARD_CLINIC_CHECK_RATE, far more than a
  busy desk sends, so that a scanner stuck sending or a script is stopped. For clinic staff
  the scan field has the focus on the first visit (a handheld scanner types into it); after a check
  the verdict has it, for a screen reader to read first (scan.js sends the next scan's keys to the
  field; without JavaScript, Tab once). Anyone else may check a scanned string only, sees
  valid/invalid with the name masked, and is rate-limited per IP; their page opens at its top, as
  any other (a focused field would open a phone's keyboard and pass over the skip link).
- `/api/xac-thuc/the-bhyt/`: POST, `Authorization: Bearer <facility token>`, the answer in the
  field names and codes of the BHXH card-check service; every other method gets its JSON 405 with
  `Allow: POST`. It reads a JSON object or the scanned string itself; a form post gets a 415. CSRF-exempt
  because the token, not a cookie, authenticates it. Its answers to a missing or wrong token are counted
  per client address: past settings.HEALTH_CARD_API_UNAUTHORISED_RATE, they are 429s (a right token
  from that address is still answered).
- `/.well-known/bhyt-keys.json`: the public keys that verify the QR signatures offline.
Every check is logged (services.card_check).
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import get_usage

from vssid_portal.cache import cache_reachable
from vssid_portal.middleware import answers_every_method
from vssid_portal.ratelimit import (
    LimitRefusal,
    limit_refusal,
    minutes_left,
    retry_after,
    unavailable_instead,
    usage_refusal,
)
from vssid_portal.templatetags.vn_format import vn_date
from vssid_portal.text import mask_name

from ..forms import ScanForm, TypedForm, card_number_in
from ..keys import published_keys
from ..mismatches import (
    API_MISMATCHES,
    CLINIC_MISMATCHES,
    clinic_caller,
    given_back_if_raised,
    mismatch_give_back,
    mismatch_reserve,
    mismatches_limited,
    mismatches_refused_wait,
)
from ..models import CardCheck
from ..qr import MAX_LENGTH, Kind, too_long, trim
from ..results import NEWER_CARD_NOTE, UNSIGNED_NOTE
from ..selectors import card_in_use, facility_checks_cards, is_clinic_staff, lapsed_facility, replacing_card_number
from ..services import CheckResult, api_token_authenticate, api_token_end, api_token_ended, card_check
from .card import photo_url

PUBLIC_RATE = "20/m"
API_RATE = "600/m"
RATE_LIMITED = gettext_lazy("Bạn đã xác thực quá nhiều lần trong một phút. Hãy thử lại sau 1 phút.")
UNAVAILABLE = gettext_lazy("Xác thực thẻ BHYT đang tạm gián đoạn. Hãy thử lại sau vài phút.")
def clinic_checks_limited(wait: float | None) -> str:
    """What a clinic login past settings.HEALTH_CARD_CLINIC_CHECK_RATE is told: the minutes left of
    the limit's window when it can tell them (`wait` seconds)."""
    minutes = minutes_left(wait)
    if minutes is None:
        return gettext("Tài khoản này đã xác thực quá nhiều thẻ trong thời gian ngắn nên tạm thời không xác thực "
                       "được. Hãy thử lại sau vài phút; nếu máy quét tự gửi liên tục, hãy kiểm tra lại máy quét.")
    return ngettext(
        "Tài khoản này đã xác thực quá nhiều thẻ trong thời gian ngắn nên tạm thời không xác thực được. "
        "Hãy thử lại sau %(minutes)s phút; nếu máy quét tự gửi liên tục, hãy kiểm tra lại máy quét.",
        "Tài khoản này đã xác thực quá nhiều thẻ trong thời gian ngắn nên tạm thời không xác thực được. "
        "Hãy thử lại sau %(minutes)s phút; nếu máy quét tự gửi liên tục, hãy kiểm tra lại máy quét.",
        minutes) % {"minutes": minutes}


def _render(request, *, scan_form, typed_form, result=None, clinic=False, status=200, limited=""):
    context = {
        "scan_form": scan_form, "typed_form": typed_form, "clinic": clinic, "result": result,
        "limited_message": limited, "facility": request.user.facility if clinic else None,
        # Staff of a clinic whose BHYT contract has ended: the page as anyone sees it, and why.
        "lapsed_facility": None if clinic else lapsed_facility(request.user),
    }
    if result is not None:
        outcome = result.outcome
        # The verdict names the result for clinic staff, and for a QR that could not be judged; anyone
        # else learns valid or not, no more.
        verdict = (outcome.label if clinic or result.kind == Kind.UNSIGNED or result.qr_fault
                   else gettext_lazy("Thẻ hợp lệ") if outcome.valid else gettext_lazy("Thẻ không hợp lệ"))
        context.update(outcome=outcome, verdict=verdict, unsigned_note=UNSIGNED_NOTE if result.unsigned else "",
                       newer_card_note=NEWER_CARD_NOTE if clinic and result.newer_card else "")
        card = result.card
        if clinic and card is not None:
            # The card in use that took this one's place, as the API names it (maTheMoi): clinics only.
            context.update(card=card, person=card.person, photo_url=photo_url(request, card.person),
                           own_facility=card.facility_id == request.user.facility_id,
                           new_card=new_card(result))
        elif card is not None:
            context["masked_name"] = mask_name(card.person.full_name, given_initial=True)
    response = render(request, "health_card/verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@sensitive_post_parameters("ma_qr", "so_the", "ho_ten", "ngay_sinh")
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    clinic = is_clinic_staff(request.user)
    if request.method == "GET":
        return _render(request, scan_form=ScanForm(autofocus=clinic), typed_form=TypedForm(), clinic=clinic)
    caller, reserved = clinic_caller(request.user), None
    if clinic:
        refusal, reserved = _clinic_refusal(request, caller)
    else:
        refusal = usage_refusal(get_usage(request, group="health_card.verify", rate=PUBLIC_RATE, method="POST",
                                          key="vssid_portal.ratelimit.client_ip", increment=True),
                                RATE_LIMITED, UNAVAILABLE)
    if not cache_reachable():  # the limit could not be read or counted (Redis down): neither lifted nor blamed
        return unavailable_instead(_render(request, scan_form=ScanForm(), typed_form=TypedForm(), clinic=clinic,
                                           limited=UNAVAILABLE))
    if refusal is not None:  # told in Retry-After how long is left of the limit's window, as the portal's other 429s
        return refusal.answer(_render(request, scan_form=ScanForm(), typed_form=TypedForm(), clinic=clinic,
                                      limited=refusal.message))
    with given_back_if_raised(reserved):
        scan_form, typed_form, result = _page_check(request, clinic)
    if result is None or not result.wrong_guess:  # the slot taken for a wrong guess, given back
        mismatch_give_back(reserved)
    status = 400 if result is None else 200
    return _render(request, scan_form=scan_form, typed_form=typed_form, result=result, clinic=clinic, status=status)


def _page_check(request, clinic: bool):
    """The check the page's post asks for: the scan and typed forms to show again and its result, None
    when the post holds none to make."""
    scan_form, typed_form = ScanForm(), TypedForm()
    result = None
    if clinic and request.POST.get("cach") == "nhap":
        typed_form = TypedForm(request.POST)
        if typed_form.is_valid():
            birth_date, birth_year = typed_form.cleaned_data["ngay_sinh"]
            result = card_check(channel=CardCheck.Channel.TYPED, user=request.user,
                                number=typed_form.cleaned_data["so_the"], full_name=typed_form.cleaned_data["ho_ten"],
                                birth_date=birth_date, birth_year=birth_year)
            if result.valid:  # the next patient; after a failed check, what was typed stays to be corrected
                typed_form = TypedForm()
    else:
        scan_form = ScanForm(request.POST)
        if scan_form.is_valid():
            result = card_check(channel=CardCheck.Channel.QR if clinic else CardCheck.Channel.PUBLIC,
                                user=request.user, payload=scan_form.cleaned_data["ma_qr"])
            scan_form = ScanForm()
        elif clinic and scan_form.card_number:  # a card number typed by hand: the typed check begins with it
            typed_form = TypedForm(initial={"so_the": scan_form.card_number})
    return scan_form, typed_form, result


def _clinic_refusal(request, caller: str) -> tuple[LimitRefusal | None, object]:
    """The refusal of a clinic login's check, this one counted against
    settings.HEALTH_CARD_CLINIC_CHECK_RATE: past its answers of a wrong name or birth date (the
    reason told when both limits refuse), or past its checks of any kind; Retry-After the longest
    wait of the two the next check would meet. None while both let it through, with the slot of a
    wrong guess taken for the check (mismatches.mismatch_reserve), to give back unless it answers one."""
    checks = get_usage(request, group="health_card.verify.clinic", key=lambda _group, _request: caller,
                       rate=settings.HEALTH_CARD_CLINIC_CHECK_RATE, method="POST", increment=True)
    reserved = mismatch_reserve(caller=caller, rate=CLINIC_MISMATCHES)
    if reserved is not None:
        refusal = usage_refusal(checks, clinic_checks_limited, UNAVAILABLE)
        if refusal is not None:  # nothing is checked
            mismatch_give_back(reserved)
            reserved = None
        return refusal, reserved
    wait = mismatches_refused_wait(caller=caller, rate=CLINIC_MISMATCHES)
    if wait is None:  # not counted (Redis down, its lock busy): no wrong guess too many, unless checks refuse it
        return usage_refusal(checks, clinic_checks_limited, UNAVAILABLE) or LimitRefusal(503, UNAVAILABLE), None
    waits = [wait]
    if checks is not None and checks["count"] >= checks["limit"]:  # the next check meets this one too
        waits.append(checks["time_left"] if checks["time_left"] >= 0 else None)
    return limit_refusal(mismatches_limited, UNAVAILABLE, None if None in waits else max(waits)), None


def new_card_number(result) -> str | None:
    """The number (15-character form) of the card in use that a checked card gave way to: the one
    that replaced it (a reissue), or one issued to the holder after it expired; None for any other
    answer or when no card is in use. What the API answers in maTheMoi (the clinic page: new_card)."""
    if result.kind == Kind.REPLACED and result.card is not None:
        return replacing_card_number(person=result.card.person)
    return result.newer_card


def new_card(result):
    """The card new_card_number names, for the clinic page, which names its issue too: a reissue keeps
    the card's number, and the new card would read as the one just scanned."""
    if (result.kind == Kind.REPLACED or result.newer_card) and result.card is not None:
        return card_in_use(person=result.card.person)
    return None


# --- JSON API -------------------------------------------------------------------------------

def api_answer(result) -> dict:
    """A check in the card-check service's names (maKetQua, hoTen, gioiTinh, maDKBD, ...), its words
    in Vietnamese ("Thẻ hợp lệ", "Nam"/"Nữ") as that service gives them: `api_verify` builds it in
    LANGUAGE_CODE."""
    outcome = result.outcome
    answer = {"maKetQua": outcome.code, "ketQua": str(result.kind), "hopLe": outcome.valid,
              "thongBao": str(outcome.label), "ghiChu": str(result.explanation)}
    if result.payload is not None:  # a QR that could be read: did it carry a signature (valid or not: ketQua)?
        answer["coChuKy"] = result.payload.signature is not None
    if result.unsigned:
        answer["ghiChu"] += " " + str(UNSIGNED_NOTE)
    if result.newer_card:
        answer["ghiChu"] += " " + str(NEWER_CARD_NOTE)
    card = result.card
    if card is None:
        return answer
    person = card.person
    sex = person.get_sex_display()
    answer.update({
        "maSoBHXH": person.bhxh_code,
        "maThe": card.legacy_number,
        "hoTen": person.full_name,
        "ngaySinh": vn_date(person.birth_date, person.birth_year_only) or None,
        "gioiTinh": sex,
        "maDKBD": card.facility.code,
        "tenDKBD": card.facility.name,
        "cqBHXH": card.agency.name,
        "gtTheTu": vn_date(card.valid_from) or None,
        "gtTheDen": vn_date(card.ended_on) or None,
        "maKV": card.living_area,
        "ngayDu5Nam": vn_date(card.five_year_date) or None,
        "mucHuong": card.level_id,
        "tyLeHuong": card.level.percent,
        "lanCap": card.version,
        "maTheCu": None,
        "maTheMoi": None,
    })
    if result.kind == Kind.REPLACED or result.newer_card:
        answer.update(maTheCu=card.legacy_number, maTheMoi=new_card_number(result))
    return answer


def _api_error(status: int, code: str, message: str, **extra) -> JsonResponse:
    return JsonResponse({"maKetQua": code, "hopLe": False, "thongBao": message, **extra}, status=status,
                        json_dumps_params={"ensure_ascii": False})


# A card number sent as the QR string (clinic software that has no QR, only the number on the card):
# not an unreadable QR, and nothing is checked or logged; the number goes in maThe, beside hoTen and
# ngaySinh, as the verify page's scan field tells staff (forms.ScanForm.CARD_NUMBER).
API_CARD_NUMBER = ("maQR chứa mã thẻ, không phải chuỗi mã QR trên thẻ. Thẻ được đối chiếu theo mã thẻ, họ tên và "
                   "ngày sinh: gửi mã thẻ ở maThe cùng hoTen và ngaySinh (dd/mm/yyyy).")
# Longer than any card's QR, as the verify page's scan field says ("Chuỗi quá dài"): nothing to scan
# again, and nothing is checked or logged.
API_TOO_LONG = f"Chuỗi mã QR quá dài (tối đa {MAX_LENGTH} ký tự): đây không phải chuỗi mã QR trên thẻ BHYT."


def _api_not_a_qr(text: bytes | str) -> JsonResponse | None:
    """The refusal of a maQR (or raw body) that cannot be a card's QR string: one too long, or a card
    number; None for one to check."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")  # a card number is ASCII: undecodable bytes are none
    if too_long(text):
        return _api_error(400, "205", API_TOO_LONG, ketQua="too_long", loi={"maQR": [API_TOO_LONG]})
    if not card_number_in(text):
        return None
    return _api_error(400, "205", API_CARD_NUMBER, ketQua="card_number", loi={"maQR": [API_CARD_NUMBER]})


# A form post: the API reads JSON or the scanned string itself, and a form read as a scanned string
# would be answered as an unreadable QR.
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# The typed check's fields under the API's names (the answer's "loi" names the field the caller sent).
API_FIELDS = {"so_the": "maThe", "ho_ten": "hoTen", "ngay_sinh": "ngaySinh"}


API_UNAVAILABLE = "Xác thực thẻ BHYT đang tạm gián đoạn; hãy thử lại sau vài phút."


@csrf_exempt
@answers_every_method  # clinic software gets the API's JSON 405 and "Allow: POST" for every other method
def api_verify(request):
    # Clinic software reads the words of the answer ("thongBao", "ghiChu", the field errors in "loi",
    # "gioiTinh") in Vietnamese, whatever language cookie the caller sends: the messages of the
    # forms and results are lazy translations, so the whole answer is built in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        response = _api_verify(request)
    response["Content-Language"] = settings.LANGUAGE_CODE
    return response


def _api_verify(request):
    if request.method != "POST":
        response = _api_error(405, "405", "Chỉ nhận yêu cầu POST.")
        response["Allow"] = "POST"
        return response
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    raw = raw.strip() if scheme.lower() == "bearer" else ""
    token = api_token_authenticate(raw)
    if token is None:
        # Answers to a missing or wrong token are counted per client address, and refused past
        # settings.HEALTH_CARD_API_UNAUTHORISED_RATE, so tokens cannot be tried without end. A right token
        # from that address is still answered: it is never guessed (256 bits), and one clinic's broken
        # token must not stop the other clinics' software behind the same address.
        unauthorised = get_usage(request, group="health_card.api.unauthorised",
                                 key="vssid_portal.ratelimit.client_ip",
                                 rate=settings.HEALTH_CARD_API_UNAUTHORISED_RATE, increment=True)
        if not cache_reachable():  # the answers cannot be counted: neither lifted nor blamed on the caller
            return unavailable_instead(_api_error(503, "503", API_UNAVAILABLE))
        if unauthorised is not None and unauthorised["should_limit"]:
            wait = max(unauthorised["time_left"], 1)
            return retry_after(_api_error(429, "429", "Quá nhiều yêu cầu thiếu hoặc sai mã truy cập API từ địa chỉ "
                                                      f"này. Kiểm tra mã truy cập của cơ sở KCB rồi thử lại sau {wait} "
                                                      "giây."), wait)
        message = "Thiếu hoặc sai mã truy cập API của cơ sở KCB."
        if ended := api_token_ended(raw):  # told apart for the clinic's IT: its holder knows the token already
            revoked, when = api_token_end(ended)
            message = (f"Mã truy cập API này đã {'bị thu hồi' if revoked else 'hết hạn'} ngày {vn_date(when)}. "
                       "Liên hệ cơ quan BHXH để được cấp mã mới.")
        response = _api_error(401, "401", message)
        response["WWW-Authenticate"] = 'Bearer realm="xac-thuc-the-bhyt"'
        return response
    if not facility_checks_cards(token.facility):
        return _api_error(403, "403", f"Cơ sở KCB {token.facility.code} không còn hợp đồng khám chữa bệnh BHYT nên "
                                      "mã truy cập này không dùng được để xác thực thẻ. Liên hệ cơ quan BHXH.")
    # One count per token, however the caller spells the header ("bearer", extra spaces...).
    usage = get_usage(request, group="health_card.api", key=lambda _group, _request: str(token.pk), rate=API_RATE,
                      increment=True)
    if not cache_reachable():  # the limits cannot be counted (Redis down): neither lifted nor blamed on the caller
        return unavailable_instead(_api_error(503, "503", API_UNAVAILABLE))
    if usage is not None and usage["should_limit"]:
        return retry_after(_api_error(429, "429", "Quá nhiều yêu cầu trong một phút."), usage["time_left"])
    # The slot of a wrong guess taken before the check, given back unless it answers one.
    caller = f"token-{token.pk}"
    reserved = mismatch_reserve(caller=caller, rate=API_MISMATCHES)
    if reserved is None:
        wait = mismatches_refused_wait(caller=caller, rate=API_MISMATCHES)
        if wait is None:  # not counted (Redis down, its lock busy): no wrong guess too many
            return unavailable_instead(_api_error(503, "503", API_UNAVAILABLE))
        return retry_after(_api_error(429, "429", "Quá nhiều lần xác thực sai họ tên hoặc ngày sinh trong một giờ; "
                                                  "hãy thử lại sau hoặc liên hệ cơ quan BHXH."), wait)
    with given_back_if_raised(reserved):
        result = _api_result(request, token)
    if isinstance(result, JsonResponse) or not result.wrong_guess:
        mismatch_give_back(reserved)
    if isinstance(result, JsonResponse):  # refused before any check
        return result
    return JsonResponse(api_answer(result), json_dumps_params={"ensure_ascii": False})


def _api_result(request, token) -> CheckResult | JsonResponse:
    """The check the API's caller sent, or the refusal of a request that holds none to make."""
    if request.content_type in FORM_CONTENT_TYPES:
        return _api_error(415, "415", "Gửi một đối tượng JSON (Content-Type: application/json) có maQR, hoặc maThe + "
                                      "hoTen + ngaySinh (dd/mm/yyyy); hoặc gửi chuỗi mã QR dạng text/plain.")
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: arrays nested thousands deep
            return _api_error(400, "205", "Nội dung không phải JSON hợp lệ.")
        if not isinstance(body, dict):
            return _api_error(400, "205", "Nội dung phải là một đối tượng JSON.")
        if any(not isinstance(body[name], str) for name in ("maQR", "maThe", "hoTen", "ngaySinh") if name in body):
            return _api_error(400, "205", "Các trường maQR, maThe, hoTen, ngaySinh phải là chuỗi ký tự.")
        if trim(body.get("maQR", "")):  # an empty maQR beside typed fields: the typed fields
            if refusal := _api_not_a_qr(body["maQR"]):
                return refusal
            result = card_check(channel=CardCheck.Channel.API, token=token, payload=body["maQR"])
        else:
            form = TypedForm({name: body.get(api_name) or "" for name, api_name in API_FIELDS.items()})
            if not form.is_valid():
                errors = {API_FIELDS[name]: [str(e) for e in errs] for name, errs in form.errors.items()}
                return _api_error(400, "205", "Cần maQR, hoặc maThe + hoTen + ngaySinh (dd/mm/yyyy).", loi=errors)
            birth_date, birth_year = form.cleaned_data["ngay_sinh"]
            result = card_check(channel=CardCheck.Channel.API, token=token, number=form.cleaned_data["so_the"],
                                full_name=form.cleaned_data["ho_ten"], birth_date=birth_date, birth_year=birth_year)
    else:
        # The scanned string as the raw body (text/plain): bytes, so junk is reported as junk.
        # Nothing scanned (spaces, a byte order mark): a request to correct, not an unreadable QR to log.
        if not trim(request.body.decode("utf-8", "replace")):
            return _api_error(400, "205", "Cần maQR, hoặc maThe + hoTen + ngaySinh (dd/mm/yyyy).")
        if refusal := _api_not_a_qr(request.body):
            return refusal
        result = card_check(channel=CardCheck.Channel.API, token=token, payload=request.body)
    return result


@require_safe
def public_keys(request):
    response = JsonResponse(published_keys())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
