"""The personal area: who is shown (self or a child), and the parent's child registration.

The child registration asks the registry about someone else, so it counts against the same
limits as the citizen registration (per BHXH code and per client) and one per parent, and says
"name or birth date" without telling which. Each rendering of its form carries a one-time key:
photos accepted in an attempt are kept under it in the session, and whatever is posted twice
with it (double click, back button) shows the registration it made.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from vssid_portal.files import private_file_url
from vssid_portal.form_keys import new_idempotency_key, posted_key
from vssid_portal.ratelimit import refusal_on_form, usage_refusal, usages_refusal

from ..adapter import workplace
from ..forms import ChildRegistrationForm
from ..pages import render_personal_page
from ..selectors import VIEWING_SESSION_KEY, children_of, has_own_login_besides, may_change_own_contact, was_guardian_of
from ..services.registration import (
    UPLOAD_DIR,
    PhotosExpired,
    child_registration_submit,
    registration_submitted_with,
)
from .registration import (
    CHECKS_PER_CLIENT,
    CHECKS_PER_CODE,
    UNAVAILABLE,
    counted_try,
    declared_code,
    forget_expired_photos,
    keep_photos,
    photos_too_many,
    sent_redirect,
    status_redirect,
    too_many,
)

CHILD_DRAFT = "child_registration"
CHILD_CHECKS_PER_USER = "10/h"
# Posts of a child's registration carrying photos, per login: each photo is decoded, checked and
# re-encoded before the form is judged (as on the registration's photo step, PHOTO_POSTS_PER_CLIENT).
CHILD_PHOTO_POSTS_PER_USER = "30/h"
STALE_FORM = _("Phiên khai đã hết hạn. Hãy kiểm tra lại các thông tin bên dưới, chọn lại ảnh và bấm “Gửi đăng ký”.")


@login_required
def personal(request):
    user = request.user

    def context(person):
        offered = person is not None and may_change_own_contact(person, user=user)
        return {
            "person": person,
            "own_person": person if person is not None and person.pk == user.person_id else user.person,
            "agency": person.agency if person else None,
            "show_phone": request.GET.get("hien-so-dien-thoai") == "1",
            "children": children_of(user=user),
            "pending_children": user.child_registrations.filter(status="pending").select_related("agency"),
            "workplace": workplace(user) if person is None else None,
            "contact_change_offered": offered,
            # A child with a login of their own files it with that login, not the parent with theirs.
            "contact_change_by_person": (person is not None and not offered
                                         and has_own_login_besides(person, user=user)),
        }

    return render_personal_page(request, "accounts/personal.html", context, queries=("", "hien-so-dien-thoai=1"))


@login_required
@require_http_methods(["GET", "POST"])
def view_as(request):
    """Switch the personal pages to a child the user may view, or back to themself. A GET (the
    address the login page comes back to when the session had ended before the button was
    pressed) switches nothing and shows the personal page."""
    if request.method == "GET":
        return redirect("accounts:personal")
    child_id = request.POST.get("child", "")
    # isdigit() alone admits "²" or "٣", which the database lookup then refuses with a 500.
    if child_id and not (child_id.isascii() and child_id.isdigit() and len(child_id) < 10):
        raise Http404
    child = children_of(user=request.user).filter(pk=child_id).first() if child_id else None
    if child_id and child is None:  # not a child of this user's, or one who has turned 18 since the page was shown
        return _grown_up(request, child_id)
    _switch_to(request, child)
    return redirect("accounts:personal")


def _switch_to(request, child) -> None:
    """Show `child`'s records, or the user's own with None, saying so when the person shown changes
    (the button and a notice's link alike). Said in the messages box, which takes the focus; the
    page's own box (_viewing.html) then leaves out the same sentence."""
    if child is None:
        if request.session.pop(VIEWING_SESSION_KEY, None) is not None:
            messages.info(request, gettext("Đã quay về thông tin của bạn."))
        return
    if request.session.get(VIEWING_SESSION_KEY) != child.pk:
        request.session[VIEWING_SESSION_KEY] = child.pk
        messages.info(request, mark_safe(gettext("Đang xem thông tin của <strong>%(name)s</strong>.")
                                         % {"name": escape(child.full_name)}), extra_tags="viewing")


def _grown_up(request, person_id):
    """A person the user may not view: a child grown up (18) since leads to the personal page,
    saying so; anybody else's id is a 404."""
    if not was_guardian_of(user=request.user, person_id=person_id):
        raise Http404
    request.session.pop(VIEWING_SESSION_KEY, None)
    messages.info(request, gettext("Người này đã đủ 18 tuổi: bạn không còn xem được thông tin của họ."))
    return redirect("accounts:personal")


@login_required
@require_safe
def view_person(request, person_id: int):
    """Where a notice's link leads (`?tiep=` a page of the portal): the personal pages switch to
    the person the notice speaks of — the user, or a child the user may view — and the page opens.
    A child grown up since the notice (18) leads to the personal page, saying so; anybody else's id
    is a 404. Only which person is shown changes, so a plain link may do it."""
    if person_id == request.user.person_id:
        _switch_to(request, None)
    else:
        child = children_of(user=request.user).filter(pk=person_id).first()
        if child is None:
            return _grown_up(request, person_id)
        _switch_to(request, child)
    target = request.GET.get("tiep", "")
    if not (target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None)):
        target = reverse("accounts:personal")
    return redirect(target)


def _new_draft(key: str | None = None) -> dict:
    return {"key": key or new_idempotency_key(), "folder": secrets.token_hex(8), "photos": {}}


def _render_child_form(request, form, draft: dict, *, status: int = 200):
    request.session[CHILD_DRAFT] = draft
    previews = {field: private_file_url(name, user=request.user, inline=True) for field, name in draft["photos"].items()}
    return render(request, "accounts/child_registration.html",
                  {"form": form, "submission_key": draft["key"], "previews": previews}, status=status)


def _sent_with(key: str, parent):
    """The registration this parent's form with `key` made, None if none, False if the key is
    another account's."""
    try:
        return registration_submitted_with(submission_key=key, parent=parent)
    except ValidationError:
        return False


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@sensitive_post_parameters("bhxh_code", "full_name", "birth_date", "birth_certificate_number")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def child_registration(request):
    parent = request.user
    if parent.person_id is None:
        messages.error(request, gettext("Chỉ người tham gia có tài khoản mới đăng ký được cho con."))
        return redirect("accounts:personal")
    province = parent.person.province
    draft = request.session.get(CHILD_DRAFT)
    if request.method == "GET":
        if draft is None or _sent_with(draft["key"], parent) is not None:
            draft = _new_draft()
        forget_expired_photos(request, draft["photos"], ChildRegistrationForm)
        return _render_child_form(request, ChildRegistrationForm(province=province, kept=draft["photos"]), draft)

    key = posted_key(request, "submission_key") or ""
    sent = _sent_with(key, parent) if key else None
    if sent is False:  # another account's key
        key, sent = "", None
    if sent is not None:  # double click, back button, a retry: the registration this form made
        if draft is not None and draft["key"] == key:
            request.session.pop(CHILD_DRAFT, None)
        return status_redirect(request, sent)
    if request.FILES and (refusal := usage_refusal(counted_try(
            request, group="child-registration-photos-user", rate=CHILD_PHOTO_POSTS_PER_USER, key="user"),
            photos_too_many, UNAVAILABLE)):  # nothing posted is read: the form again, saying so
        draft = draft if draft is not None and draft["key"] == key else _new_draft(key or None)
        form = ChildRegistrationForm(request.POST, province=province, kept=draft["photos"])
        form.is_valid()
        form.errors.clear()
        refusal_on_form(form, refusal.message)
        return refusal.answer(_render_child_form(request, form, draft))
    if not key:  # not a form this portal rendered for this account: judged, but nothing kept or sent
        form = ChildRegistrationForm(request.POST, request.FILES, province=province)
        form.is_valid()
        form.add_error(None, STALE_FORM)
        return _render_child_form(request, form, _new_draft(), status=400)
    if draft is None or draft["key"] != key:
        draft = _new_draft(key)
    forget_expired_photos(request, draft["photos"], ChildRegistrationForm)
    form = ChildRegistrationForm(request.POST, request.FILES, province=province, kept=draft["photos"])
    valid = form.is_valid()
    keep_photos(form, draft["photos"], folder=f"{UPLOAD_DIR}/{draft['folder']}")
    if not valid:
        return _render_child_form(request, form, draft)
    # Only a complete form reaches the registry: that is what the limits count.
    refusal = usages_refusal([
        counted_try(request, group="child-registration-user", rate=CHILD_CHECKS_PER_USER, key="user"),
        counted_try(request, group=CHECKS_PER_CLIENT[0], rate=CHECKS_PER_CLIENT[1]),
        counted_try(request, group=CHECKS_PER_CODE[0], rate=CHECKS_PER_CODE[1], key=declared_code),
    ], too_many, UNAVAILABLE)
    if refusal is not None:
        refusal_on_form(form, refusal.message)
        return refusal.answer(_render_child_form(request, form, draft))
    try:
        registration = child_registration_submit(parent=parent, child=form.cleaned_data, photos=draft["photos"],
                                                 submission_key=draft["key"])
    except PhotosExpired as error:  # swept since they were kept: asked for again, the rest stays
        for field in error.fields:
            draft["photos"].pop(field, None)
        form.unmark_kept(error.fields)
        _add_errors(form, error)
        return _render_child_form(request, form, draft)
    except ValidationError as error:
        _add_errors(form, error)
        return _render_child_form(request, form, draft)
    request.session.pop(CHILD_DRAFT, None)
    return sent_redirect(request, registration)
