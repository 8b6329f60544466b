"""Citizen registration in three steps (declaration → photos → receiving agency), then status.

The steps keep their answers in the session, so going back or fixing an error never loses what
was already accepted (photos included: each valid photo is stored privately at once). The last
step carries a one-time key: whatever is posted twice with it (double click, back button, a retry)
shows the first registration's status page instead of making another.

Messages and the status label are lazy translations shown on the page; what the registration sends
(SMS, the declaration PDF) is written by the service, in Vietnamese.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_ratelimit import ALL
from django_ratelimit.core import get_usage
from phonenumber_field.phonenumber import PhoneNumber

from lookup.models import Province, Ward
from lookup.selectors import agencies_lookup
from vssid_portal.files import DEFAULT_MAX_AGE, delete_files_once_committed, private_file_url
from vssid_portal.form_keys import new_idempotency_key, posted_key
from vssid_portal.forms import posted_as_initial, refreshed_by_script, typed_to_keep
from vssid_portal.ratelimit import (
    LimitRefusal,
    client_ip,
    counted_or_let_through,
    minutes_left,
    refusal_on_form,
    usage_refusal,
    usages_refusal,
)
from vssid_portal.text import clean_text, normalize_code, with_hotline

from ..forms import AgencyForm, DeclarationForm, PhotosForm, StatusLookupForm
from ..models import Registration
from ..selectors import registration_for_status
from ..services.registration import (
    PHOTO_FIELDS,
    UPLOAD_DIR,
    PhotosExpired,
    registration_submit,
    registration_submitted_with,
)
from ..sessions import REGISTRATION_DRAFT, REGISTRATIONS_SEEN

SESSION_KEY = REGISTRATION_DRAFT
STATUS_SALT = "accounts.registration.status"


STATUS_LINK_DAYS = 30
AGENCIES_LISTED = 30  # on the agency step; more words narrow a longer list


STATUS_SEEN = REGISTRATIONS_SEEN  # references this browser filed or looked up

def status_url(registration: Registration) -> str:
    """A link to the status page that stops working after 30 days (it shows personal data)."""
    token = signing.TimestampSigner(salt=STATUS_SALT).sign(registration.reference)
    return reverse("accounts:registration_status", args=[token])


def status_redirect(request, registration: Registration):
    """To the status page, which opens only in a browser that filed the registration or looked it
    up with its reference, BHXH code and birth date: the link alone (in a history, a log) shows nothing."""
    seen = [reference for reference in request.session.get(STATUS_SEEN, []) if reference != registration.reference]
    request.session[STATUS_SEEN] = [*seen[-9:], registration.reference]
    return redirect(status_url(registration))


def sent_redirect(request, registration: Registration):
    """To the status page of a registration just sent, saying so in the messages box that the focus
    moves to (the status box that comes with the page is not announced)."""
    messages.success(request, gettext("Đã gửi đăng ký. Số tham chiếu của bạn là %(reference)s.")
                     % {"reference": registration.reference})
    return status_redirect(request, registration)


SESSION_ENDED = _("Phiên đăng ký đã hết hạn. Hãy kê khai lại từ bước 1.")


def _restart(request):
    """Back to step 1: the session holds no declaration. A step posted without one lost its
    answers (the session ended, or its cookie was lost), and the citizen is told why step 1 is blank."""
    if request.method == "POST":
        messages.error(request, SESSION_ENDED)
    return redirect("accounts:registration")


def _state(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _store(request, state: dict) -> None:
    request.session[SESSION_KEY] = state


def _serialize(cleaned: dict) -> dict:
    return {
        **{key: cleaned[key] for key in ("bhxh_code", "full_name", "id_type", "id_number", "street", "email")},
        "birth_date": cleaned["birth_date"].isoformat(),
        "province": cleaned["province"].pk,
        "ward": cleaned["ward"].pk,
        "phone": cleaned["phone"].as_e164,
    }


def _declaration(stored: dict) -> dict:
    """The stored answers as the service wants them (objects, dates)."""
    return {
        **stored,
        "birth_date": datetime.date.fromisoformat(stored["birth_date"]),
        "province": Province.objects.get(pk=stored["province"]),
        "ward": Ward.objects.get(pk=stored["ward"]),
        "phone": PhoneNumber.from_string(stored["phone"]),
    }


def _initial(stored: dict | None) -> dict:
    if not stored:
        return {}
    birth = datetime.date.fromisoformat(stored["birth_date"])
    phone = PhoneNumber.from_string(stored["phone"])
    return {**stored, "birth_date": birth, "phone": phone}


def _unsaved_changes(state: dict) -> bool:
    """Whether step 1 shows values its no-JavaScript ward refresh kept (`typed`) other than those of the
    declaration it accepted before, which steps 2 and 3 would go on with and register: until "Tiếp
    tục" sends them, step 1 says they are not saved and the later steps send the visitor back to it."""
    typed, declared = state.get("typed"), state.get("declaration")
    return typed is not None and declared is not None and DeclarationForm(typed, initial=_initial(declared)).has_changed()


UNAVAILABLE = _("Đăng ký tài khoản đang tạm gián đoạn. Hãy thử lại sau vài phút.")


# Said when the wait is not known (the count the cache kept has no window): at most the limits' hour.
TOO_MANY_WITHIN_THE_HOUR = with_hotline(_(
    "Bạn đã thử quá nhiều lần. Để bảo vệ thông tin của người tham gia, hãy thử lại sau 1 giờ hoặc gọi %(hotline)s."
))


def too_many(wait: float | None) -> str:
    """The refusal by the registration's limits, with the minutes left of the window that refused (as
    Retry-After says them), not a fixed hour a citizen refused near the window's end would wait for
    nothing."""
    minutes = minutes_left(wait)
    if minutes is None:
        return str(TOO_MANY_WITHIN_THE_HOUR)
    return ngettext(
        "Bạn đã thử quá nhiều lần. Để bảo vệ thông tin của người tham gia, hãy thử lại sau %(minutes)s phút "
        "hoặc gọi %(hotline)s.",
        "Bạn đã thử quá nhiều lần. Để bảo vệ thông tin của người tham gia, hãy thử lại sau %(minutes)s phút "
        "hoặc gọi %(hotline)s.",
        minutes,
    ) % {"minutes": minutes, "hotline": settings.PORTAL_HOTLINE}


def photos_too_many(wait: float | None) -> str:
    """The refusal of a post of photos past PHOTO_POSTS_PER_CLIENT or a child's CHILD_PHOTO_POSTS_PER_USER:
    what was sent too often (photos, not a check of the registry's records) and the minutes left of the
    window that refused, as Retry-After says them (the hour when it cannot tell), the photos received
    before kept."""
    minutes = minutes_left(wait) or 60
    return ngettext("Bạn đã gửi ảnh quá nhiều lần trong một giờ. Hãy thử lại sau %(minutes)s phút; các ảnh đã "
                    "nhận trước đó và nội dung đã khai vẫn được giữ.",
                    "Bạn đã gửi ảnh quá nhiều lần trong một giờ. Hãy thử lại sau %(minutes)s phút; các ảnh đã "
                    "nhận trước đó và nội dung đã khai vẫn được giữ.", minutes) % {"minutes": minutes}


def counted_try(request, *, group: str, rate: str, key="vssid_portal.ratelimit.client_ip") -> dict | None:
    """One try counted against the limit `group`: django-ratelimit's count, which says whether the
    limit is now over and how long is left of its window (`usages_refusal`)."""
    return get_usage(request, group=group, key=key, rate=rate, method=ALL, increment=True)


def declared_code(group, request) -> str:
    """The BHXH code as the form reads it: "７９０…" or "7901 234 567" count as 7901234567."""
    return normalize_code(request.POST.get("bhxh_code") or "")[:10]


# The registry check tells whether a code exists and whether the identity matches it, so it must not
# become an oracle: a few tries per hour per BHXH code and per client. The child registration counts in
# the same groups.
CHECKS_PER_CLIENT = ("registration-ip", "20/h")
CHECKS_PER_CODE = ("registration-code", "8/h")
# Each submission texts the declared phone: a few per hour per BHXH code and per phone.
SUBMISSIONS_PER_CODE = ("registration-submit-code", "3/h")
SUBMISSIONS_PER_PHONE = ("registration-submit-phone", "3/h")
# Posts of photos to the second step from one client: each photo is decoded, checked and re-encoded
# (up to three of 40 million pixels each), work that a script past the first step could otherwise ask
# for without end. A registrant choosing again a blurred photo or two stays far below.
PHOTO_POSTS_PER_CLIENT = ("registration-photos-ip", "30/h")

def keep_photos(form, kept: dict, *, folder: str) -> None:
    """Store privately every photo of the form that passed, even when another field failed, so
    the next attempt does not ask for it again. The photo it replaces is deleted (tidying only: one
    the storage will not delete is logged and left to the sweep of temporary photos)."""
    cleaned = getattr(form, "cleaned_data", {})
    for field in PHOTO_FIELDS:
        content = cleaned.get(field)
        if content:
            extension = content.name.rsplit(".", 1)[-1]
            name = default_storage.save(f"{folder}/{field}.{extension}", content)
            if kept.get(field):
                delete_files_once_committed([kept[field]])
            kept[field] = name
    form.mark_kept(kept)


def forget_photos(request, kept: dict, fields, form_class) -> None:
    """Drop kept photos whose temporary file is gone and say which ones to upload again."""
    for field in fields:
        kept.pop(field, None)
    if fields:
        labels = ", ".join(str(form_class.base_fields[field].label).lower() for field in fields)
        messages.error(request, gettext(
            "Hãy tải lên lại %(labels)s: ảnh đã tải lên trước đó chỉ được lưu tạm trong 1 ngày.") % {"labels": labels})


def forget_expired_photos(request, kept: dict, form_class) -> list[str]:
    """Drop the kept photos swept since they were uploaded (older than a day) and say so.
    Returns the fields dropped."""
    expired = [field for field, name in kept.items() if not default_storage.exists(name)]
    forget_photos(request, kept, expired, form_class)
    return expired


@sensitive_post_parameters("bhxh_code", "full_name", "id_number", "birth_date", "street", "phone", "email")
@require_http_methods(["GET", "POST"])
def declaration(request):
    state = _state(request)
    if request.method == "POST" and "refresh_wards" in request.POST and not refreshed_by_script(request):
        # No-JavaScript province → ward: kept as typed in the registration's session and shown by a GET
        # with the wards of the chosen province, so that Back to the page loads it again (no-store, the
        # visitor having a session) with that list, in which the browser puts back the ward chosen, and
        # never comes to this post, which a browser would offer only to send again.
        state["typed"] = typed_to_keep(DeclarationForm, request.POST)
        _store(request, state)
        return redirect("accounts:registration")  # the browser keeps the button's #fragment
    if request.method == "POST" and "refresh_wards" in request.POST:
        # refresh-list.js's: the page as posted, with the wards of the chosen province, nothing kept.
        form = DeclarationForm(initial=posted_as_initial(DeclarationForm, request.POST))
    elif request.method == "POST":
        if state.pop("typed", None) is not None:  # sent to be judged: opened again, step 1 shows what passed
            _store(request, state)
        # Only a declaration complete enough to be checked against the registry counts against the limits.
        form = DeclarationForm(request.POST, registry_check_refused=lambda: usages_refusal([
            counted_try(request, group=CHECKS_PER_CLIENT[0], rate=CHECKS_PER_CLIENT[1]),
            counted_try(request, group=CHECKS_PER_CODE[0], rate=CHECKS_PER_CODE[1], key=declared_code),
        ], too_many, UNAVAILABLE))
        if form.is_valid():
            state["declaration"] = _serialize(form.cleaned_data)
            state.setdefault("token", secrets.token_hex(12))
            _store(request, state)
            return redirect("accounts:registration_photos")
        if form.refused_by_limit:
            form.errors.clear()
            refusal = form.refused_by_limit
            refusal_on_form(form, refusal.message)
            return refusal.answer(render(request, "accounts/registration/declaration.html", {"form": form, "step": 1}))
    else:
        typed = state.get("typed")
        form = DeclarationForm(initial=typed if typed is not None else _initial(state.get("declaration")))
    return render(request, "accounts/registration/declaration.html", {
        "form": form, "step": 1, "unsaved": request.method == "GET" and _unsaved_changes(state)})


@require_http_methods(["GET", "POST"])
def photos(request):
    state = _state(request)
    if "declaration" not in state:
        return _restart(request)
    if _unsaved_changes(state):  # step 1 shows other answers than those accepted: sent first, or nothing goes on
        return redirect("accounts:registration")
    kept: dict = state.setdefault("photos", {})
    if forget_expired_photos(request, kept, PhotosForm):
        _store(request, state)
    refusal = usage_refusal(counted_try(request, group=PHOTO_POSTS_PER_CLIENT[0], rate=PHOTO_POSTS_PER_CLIENT[1]),
                            photos_too_many, UNAVAILABLE) if request.method == "POST" and request.FILES else None
    if refusal is not None:  # nothing posted is read: the step again, saying so, its kept photos still there
        form = PhotosForm({}, {}, kept=kept.keys())
        form.is_valid()
        form.errors.clear()
        refusal_on_form(form, refusal.message)
        return refusal.answer(_photos_page(request, form, kept))
    form = PhotosForm(request.POST or None, request.FILES or None, kept=kept.keys())
    if request.method == "POST":
        valid = form.is_valid()
        keep_photos(form, kept, folder=f"{UPLOAD_DIR}/{state['token']}")
        _store(request, state)
        if valid:
            return redirect("accounts:registration_agency")
    return _photos_page(request, form, kept)


def _photos_page(request, form, kept: dict):
    request.session.save()  # previews are bound to this session's key
    previews = {
        field: private_file_url(name, user=None, inline=True, session_key=request.session.session_key)
        for field, name in kept.items()
    }
    return render(request, "accounts/registration/photos.html", {"form": form, "previews": previews, "step": 2})


def _sent_already(request, state: dict) -> Registration | None:
    """The registration this form already made: the key posted with it (the session has ended), or
    the session's (a second post that read the session before the first one ended it)."""
    for key in (posted_key(request, "submission_key") or "", state.get("submission_key", "")):
        try:
            registration = registration_submitted_with(submission_key=key)
        except ValidationError:  # the key of a parent's child registration: not this form's
            continue
        if registration is not None:
            return registration
    return None


@require_http_methods(["GET", "POST"])
def agency(request):
    state = _state(request)
    if request.method == "POST":
        sent = _sent_already(request, state)
        if sent is not None:  # double click, back button, a retry: the first post's result again
            if state.get("submission_key") == sent.submission_key:  # not a registration begun since
                request.session.pop(SESSION_KEY, None)
            return status_redirect(request, sent)
    if "declaration" not in state:
        return _restart(request)
    if _unsaved_changes(state):  # never registered with answers other than those step 1 shows
        return redirect("accounts:registration")
    if request.method == "GET" and forget_expired_photos(request, state.get("photos", {}), PhotosForm):
        _store(request, state)
        return redirect("accounts:registration_photos")
    if set(state.get("photos", {})) != set(PHOTO_FIELDS):
        return redirect("accounts:registration_photos")
    if "submission_key" not in state:
        state["submission_key"] = new_idempotency_key()
        _store(request, state)
    query = clean_text(request.GET.get("q", "")).strip()[:100]  # put back in its box: no NUL
    refusal = None
    declaration = _declaration(state["declaration"])
    form = AgencyForm(request.POST or None)
    declared = state["declaration"]
    if request.method == "POST" and form.is_valid():
        # A post refused for its agency texts nothing and is not counted.
        refusal = usages_refusal([
            counted_try(request, group=SUBMISSIONS_PER_CODE[0], rate=SUBMISSIONS_PER_CODE[1],
                        key=lambda g, r: declared["bhxh_code"]),
            counted_try(request, group=SUBMISSIONS_PER_PHONE[0], rate=SUBMISSIONS_PER_PHONE[1],
                        key=lambda g, r: declared["phone"]),
        ], too_many, UNAVAILABLE)
    if refusal is not None:
        refusal_on_form(form, refusal.message)
    elif request.method == "POST" and form.is_valid():
        try:
            registration = registration_submit(
                declaration=declaration, photos=state["photos"], agency=form.cleaned_data["agency"],
                submission_key=state["submission_key"],
            )
        except PhotosExpired as error:  # swept since this page was shown
            forget_photos(request, state["photos"], error.fields, PhotosForm)
            _store(request, state)
            return redirect("accounts:registration_photos")
        except ValidationError as error:
            # The service names fields of the earlier steps (the registry may have changed since):
            # this step's form shows them at the top.
            form.add_error(None, error.messages)
        else:
            request.session.pop(SESSION_KEY, None)
            return sent_redirect(request, registration)
    search_refusal = _agency_search_refused(request, query)
    if search_refusal is not None:  # nothing searched: the words kept in their box, the refusal at the top
        if not form.is_bound:
            form = AgencyForm({})
            form.is_valid()
            form.errors.clear()
        refusal_on_form(form, search_refusal.message)
    # Without words, the agencies of the declared province; with words, those they find anywhere.
    searched = query if search_refusal is None else ""
    found = agencies_lookup(province=None if searched else declaration["province"], query=searched)
    choices = list(found[:AGENCIES_LISTED + 1])
    more_found, choices = len(choices) > AGENCIES_LISTED, choices[:AGENCIES_LISTED]
    refusal = refusal or search_refusal
    response = render(
        request,
        "accounts/registration/agency.html",
        {"form": form, "agencies": choices, "more_found": more_found, "listed": AGENCIES_LISTED, "query": query, "step": 3,
         "declaration": declaration, "submission_key": state["submission_key"]},
    )
    return refusal.answer(response) if refusal else response


def agency_searches_limited(wait: float) -> str:
    """The refusal past REGISTRATION_AGENCY_SEARCHES_PER_CLIENT, with the minutes left of its hour (`wait`
    seconds), as Retry-After says them."""
    minutes = minutes_left(wait)
    return ngettext(
        "Bạn đã tìm cơ quan BHXH quá nhiều lần trong một giờ. Hãy thử tìm lại sau %(minutes)s phút, hoặc chọn một "
        "cơ quan BHXH ở tỉnh, thành phố bạn đã khai trong danh sách bên dưới.",
        "Bạn đã tìm cơ quan BHXH quá nhiều lần trong một giờ. Hãy thử tìm lại sau %(minutes)s phút, hoặc chọn một "
        "cơ quan BHXH ở tỉnh, thành phố bạn đã khai trong danh sách bên dưới.",
        minutes,
    ) % {"minutes": minutes}


def _agency_search_refused(request, query: str) -> LimitRefusal | None:
    """Counts a search of the agency step (words typed in its box; the step without them lists the declared
    province's agencies and counts nothing) against the client's settings.REGISTRATION_AGENCY_SEARCHES_PER_CLIENT:
    the refusal, with the seconds left of the limit's window, when it is over the limit, or None. The limit
    only spares the servers' work: the agencies are public (the lookup's directory shows them), and a search
    tells nothing of a person nor sends anything, so while Redis cannot count it the search is let through
    uncounted (counted_or_let_through), as the public directory's are, rather than the registrations of an
    outage refused at their last step; the registration's limits that guard the registry and the SMS refuse."""
    if not query:
        return None
    return counted_or_let_through(request, group="registration-agency-search-ip", key=client_ip,
                                  rate=settings.REGISTRATION_AGENCY_SEARCHES_PER_CLIENT, too_many=agency_searches_limited)


def status(request, token):
    try:
        reference = signing.TimestampSigner(salt=STATUS_SALT).unsign(token, max_age=STATUS_LINK_DAYS * 86400)
    except signing.SignatureExpired:  # a bookmark kept too long: looked up again, it opens anew
        messages.info(request, gettext(
            "Đường dẫn xem đăng ký chỉ dùng được trong %(days)s ngày và đã hết hạn. "
            "Hãy nhập số tham chiếu, mã số BHXH và ngày sinh để xem lại.") % {"days": STATUS_LINK_DAYS})
        return redirect("accounts:registration_lookup")
    except signing.BadSignature as exc:  # forged
        raise Http404 from exc
    if reference not in request.session.get(STATUS_SEEN, []):
        messages.info(request, gettext("Để xem đăng ký, hãy nhập số tham chiếu, mã số BHXH và ngày sinh."))
        return redirect("accounts:registration_lookup")
    registration = Registration.objects.select_related("agency").filter(reference=reference).first()
    if registration is None:
        raise Http404
    pdf_url = None
    # Only while it waits for a decision: approved, the person logs in (the agency keeps the declaration);
    # refused, it is of no use. It holds the whole identity: no longer offered is no longer at risk.
    declaration_offered = registration.status == Registration.Status.PENDING
    if registration.declaration_pdf and declaration_offered:
        request.session.save()
        pdf_url = private_file_url(registration.declaration_pdf.name, user=None, filename=f"to-khai-{reference}.pdf",
                                   session_key=request.session.session_key)  # no back: the status link is secret
    return render(request, "accounts/registration/status.html",
                  {"registration": registration, "declaration_offered": declaration_offered, "pdf_url": pdf_url,
                   "link_minutes": DEFAULT_MAX_AGE // 60})


STATUS_LOOKUP_RATE = "10/m"


@sensitive_post_parameters("reference", "bhxh_code", "birth_date")
@require_http_methods(["GET", "POST"])
def status_lookup(request):
    form = StatusLookupForm(request.POST or None)
    usage = get_usage(request, group="accounts.registration_status_lookup", key="vssid_portal.ratelimit.client_ip",
                      rate=STATUS_LOOKUP_RATE, method="POST", increment=True)
    refusal = usage_refusal(usage, _("Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau 1 phút."), UNAVAILABLE)
    if refusal is not None:
        form.is_valid()
        refusal_on_form(form, refusal.message)
        return refusal.answer(render(request, "accounts/registration/status_lookup.html", {"form": form}))
    if request.method == "POST" and form.is_valid():
        registration = registration_for_status(**form.cleaned_data)
        if registration is not None:
            return status_redirect(request, registration)
        form.add_error(None, _(
            "Không tìm thấy đăng ký với số tham chiếu, mã số BHXH và ngày sinh này. Hãy kiểm tra lại số tham chiếu "
            "trong SMS xác nhận, mã số BHXH và ngày sinh đã khai khi đăng ký."))
    return render(request, "accounts/registration/status_lookup.html", {"form": form})
