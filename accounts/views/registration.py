"""Citizen registration in three steps (declaration → photos → receiving agency), then status.

The steps keep their answers in the session, so going back or fixing an error never loses what
was already accepted (photos included: each valid photo is stored privately at once).
"""

import datetime
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit import ALL
from django_ratelimit.decorators import ratelimit
from phonenumber_field.phonenumber import PhoneNumber

from lookup.models import Agency, Province, Ward
from lookup.selectors import agencies_search
from vssid_portal.files import private_file_url

from ..forms import AgencyForm, DeclarationForm, PhotosForm, StatusLookupForm
from ..models import Registration
from ..selectors import registration_for_status
from ..services.registration import PHOTO_FIELDS, registration_submit

SESSION_KEY = "registration"
STATUS_SALT = "accounts.registration.status"


STATUS_LINK_DAYS = 30


def status_url(registration: Registration) -> str:
    """A link to the status page that stops working after 30 days (it shows personal data)."""
    token = signing.TimestampSigner(salt=STATUS_SALT).sign(registration.reference)
    return reverse("accounts:registration_status", args=[token])


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


TOO_MANY = "Bạn đã thử quá nhiều lần. Để bảo vệ thông tin của người tham gia, hãy thử lại sau 1 giờ hoặc gọi 1900 9068."


def _limited(request, *, group: str, rate: str, key="vssid_portal.ratelimit.client_ip") -> bool:
    return is_ratelimited(request, group=group, key=key, rate=rate, method=ALL, increment=True)


def _declared_code(group, request) -> str:
    return (request.POST.get("bhxh_code") or "").strip()[:10]


@require_http_methods(["GET", "POST"])
def declaration(request):
    state = _state(request)
    if request.method == "POST" and "refresh_wards" not in request.POST and (
        # The registry check answers field by field (as citizens need), so it must not become an
        # oracle: a few tries per hour per BHXH code and per client.
        _limited(request, group="registration-ip", rate="20/h")
        | _limited(request, group="registration-code", rate="8/h", key=_declared_code)
    ):
        form = DeclarationForm(request.POST)
        form.is_valid()
        form.errors.clear()
        form.add_error(None, TOO_MANY)
        return render(request, "accounts/registration/declaration.html", {"form": form, "step": 1}, status=429)
    if request.method == "POST" and "refresh_wards" in request.POST:
        # No-JavaScript province → ward: redisplay with the wards of the chosen province.
        form = DeclarationForm(initial={key: request.POST.get(key) for key in DeclarationForm.base_fields})
    elif request.method == "POST":
        form = DeclarationForm(request.POST)
        if form.is_valid():
            state["declaration"] = _serialize(form.cleaned_data)
            state.setdefault("token", secrets.token_hex(12))
            _store(request, state)
            return redirect("accounts:registration_photos")
    else:
        form = DeclarationForm(initial=_initial(state.get("declaration")))
    return render(request, "accounts/registration/declaration.html", {"form": form, "step": 1})


@require_http_methods(["GET", "POST"])
def photos(request):
    state = _state(request)
    if "declaration" not in state:
        return redirect("accounts:registration")
    kept: dict = state.setdefault("photos", {})
    form = PhotosForm(request.POST or None, request.FILES or None, kept=kept.keys())
    if request.method == "POST":
        valid = form.is_valid()
        # Keep every photo that passed, even when another one failed.
        for field in PHOTO_FIELDS:
            content = form.cleaned_data.get(field) if hasattr(form, "cleaned_data") else None
            if content:
                extension = content.name.rsplit(".", 1)[-1]
                name = default_storage.save(f"registrations/tmp/{state['token']}/{field}.{extension}", content)
                if kept.get(field):
                    default_storage.delete(kept[field])
                kept[field] = name
        _store(request, state)
        if valid:
            return redirect("accounts:registration_agency")
    request.session.save()  # previews are bound to this session's key
    previews = {
        field: private_file_url(name, user=None, inline=True, session_key=request.session.session_key)
        for field, name in kept.items()
    }
    return render(request, "accounts/registration/photos.html", {"form": form, "previews": previews, "step": 2})


@require_http_methods(["GET", "POST"])
def agency(request):
    state = _state(request)
    if "declaration" not in state:
        return redirect("accounts:registration")
    if set(state.get("photos", {})) != set(PHOTO_FIELDS):
        return redirect("accounts:registration_photos")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        choices = agencies_search(query=query)
    else:
        choices = Agency.objects.filter(province_id=state["declaration"]["province"]).select_related("province")[:30]
    form = AgencyForm(request.POST or None, choices_queryset=Agency.objects.all() if request.method == "POST" else choices)
    declared = state["declaration"]
    if request.method == "POST" and (
        # Each submission texts the declared phone: a few per hour per code and per phone.
        _limited(request, group="registration-submit-code", rate="3/h", key=lambda g, r: declared["bhxh_code"])
        | _limited(request, group="registration-submit-phone", rate="3/h", key=lambda g, r: declared["phone"])
    ):
        form.is_valid()
        form.add_error(None, TOO_MANY)
    elif request.method == "POST" and form.is_valid():
        try:
            registration = registration_submit(
                declaration=_declaration(state["declaration"]), photos=state["photos"], agency=form.cleaned_data["agency"]
            )
        except ValidationError as error:
            # The service names fields of the earlier steps (the registry may have changed since):
            # this step's form shows them at the top.
            form.add_error(None, error.messages)
        else:
            request.session.pop(SESSION_KEY, None)
            return redirect(status_url(registration))
    return render(
        request,
        "accounts/registration/agency.html",
        {"form": form, "agencies": choices, "query": query, "step": 3, "declaration": _declaration(state["declaration"])},
    )


def status(request, token):
    try:
        reference = signing.TimestampSigner(salt=STATUS_SALT).unsign(token, max_age=STATUS_LINK_DAYS * 86400)
    except signing.BadSignature as exc:  # forged or expired: look it up again with the reference
        raise Http404 from exc
    registration = Registration.objects.select_related("agency").filter(reference=reference).first()
    if registration is None:
        raise Http404
    pdf_url = None
    if registration.declaration_pdf:
        request.session.save()
        pdf_url = private_file_url(registration.declaration_pdf.name, user=None, filename=f"to-khai-{reference}.pdf",
                                   session_key=request.session.session_key)
    return render(request, "accounts/registration/status.html", {"registration": registration, "pdf_url": pdf_url})


@require_http_methods(["GET", "POST"])
@ratelimit(key="vssid_portal.ratelimit.client_ip", rate="10/m", method="POST", block=False)
def status_lookup(request):
    form = StatusLookupForm(request.POST or None)
    if getattr(request, "limited", False):
        form.is_valid()
        form.add_error(None, "Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau 1 phút.")
        return render(request, "accounts/registration/status_lookup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        registration = registration_for_status(**form.cleaned_data)
        if registration is not None:
            return redirect(status_url(registration))
        form.add_error(None, "Không tìm thấy đăng ký với số tham chiếu và mã số BHXH này. Hãy kiểm tra lại SMS xác nhận.")
    return render(request, "accounts/registration/status_lookup.html", {"form": form})
