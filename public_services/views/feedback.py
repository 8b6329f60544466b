"""Citizen pages for feedback and complaints (phản ánh, kiến nghị): send one without logging in
(contact pre-filled for a logged-in user), see it with its answer, find it again later.

A feedback page opens only in a browser session that sent it or proved to know its tracking
number together with the phone or e-mail given: a tracking number alone shows nothing. A
well-formed one from elsewhere (the sender's bookmark, days later) leads to that proof, the
lookup form with the number filled in, whether or not such a feedback exists; one written in
lowercase or fullwidth letters is first sent to the address of the number it writes. Each rendering of
the form carries a new idempotency key kept in the session, so a double submit makes one
feedback and a key from another browser is refused. Only feedbacks recorded count
against a client's limit (services.feedback.SUBMIT_RATE); its 429 says in Retry-After how long is
left of the limit's window, as the portal's other limits do (vssid_portal.ratelimit.usage_refusal).

Whatever the service still refuses (a rule the form does not know) comes back as errors on the
form, never as a server error.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import get_usage

from accounts.sessions import FEEDBACKS_SEEN
from vssid_portal.form_keys import new_idempotency_key, posted_key
from vssid_portal.ratelimit import client_ip, refusal_on_form, unavailable_instead, usage_refusal
from vssid_portal.text import clean_text, normalize_code

from ..forms import FeedbackForm, FeedbackLookupForm
from ..selectors import feedback_by_tracking, feedback_for_sender, feedback_unconfirmed_channels
from ..services import (
    CONFIRMATIONS_PER_HOUR,
    TRACKING_NUMBER,
    FeedbacksUnavailable,
    TooManyAttachments,
    TooManyFeedbacks,
    feedback_attachment_counted,
    feedback_submit,
)

LOOKUP_RATE = "10/m"
KEYS = "feedback_keys"
SEEN = FEEDBACKS_SEEN
KEEP = 10


def _remember(request, name: str, value: str) -> None:
    values = [item for item in request.session.get(name, []) if item != value]
    request.session[name] = (values + [value])[-KEEP:]


def _initial(user) -> dict:
    if not user.is_authenticated:
        return {}
    person = getattr(user, "person", None)
    return {
        "full_name": getattr(person, "full_name", "") or user.get_full_name(),
        "phone": getattr(person, "phone", "") or "",
        "email": user.email,
        "agency": getattr(person, "agency_id", None),
    }


def _add_errors(form, error: ValidationError) -> None:
    """The service's refusal on the form: beside the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


_UNCONFIRMED = {
    "sms": _("Cổng không gửi thêm tin nhắn xác nhận đến số điện thoại bạn khai vì số này đã nhận đủ {n} tin nhắn "
             "xác nhận phản ánh trong một giờ."),
    "email": _("Cổng không gửi thêm thư xác nhận đến địa chỉ thư điện tử bạn khai vì địa chỉ này đã nhận đủ {n} thư "
               "xác nhận phản ánh trong một giờ."),
}


def _unconfirmed_notice(feedback, channels) -> str:
    held_back = " ".join(str(_UNCONFIRMED[channel]).format(n=CONFIRMATIONS_PER_HOUR) for channel in channels)
    return gettext("%(held_back)s Hãy ghi lại mã phản ánh %(number)s để tra "
                   "cứu; câu trả lời của cơ quan BHXH vẫn được gửi đến bạn và hiển thị tại trang này.") % {
        "held_back": held_back, "number": feedback.tracking_number}


def _render_form(request, form, *, status=200):
    form.attachment_not_sent()
    key = new_idempotency_key()
    _remember(request, KEYS, key)
    return render(request, "public_services/feedback_form.html", {"form": form, "key": key}, status=status)


@sensitive_post_parameters("full_name", "phone", "email", "content")
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_form(request):
    if request.method == "GET":
        return _render_form(request, FeedbackForm(initial=_initial(request.user)))
    if request.FILES:  # counted before the attachment is read, whether the feedback is then sent or not
        usage = feedback_attachment_counted(client=client_ip(None, request))
        refusal = usage_refusal(usage, TooManyAttachments(usage), FeedbacksUnavailable()) if usage is not None else None
        if refusal is not None:  # the form again without the file, saying so
            form = FeedbackForm(request.POST)
            form.is_valid()
            form.errors.clear()
            refusal_on_form(form, refusal.message)
            return refusal.answer(_render_form(request, form))
    form = FeedbackForm(request.POST, request.FILES)
    key = posted_key(request, "idempotency_key")
    if key is None or key not in request.session.get(KEYS, []):
        form.is_valid()
        form.add_error(None, gettext("Phiên gửi phản ánh đã hết hạn. Hãy kiểm tra nội dung và bấm Gửi lại."))
        return _render_form(request, form, status=400)
    if not form.is_valid():
        return _render_form(request, form)
    data = form.cleaned_data
    try:
        feedback = feedback_submit(kind=data["kind"], topic=data["topic"], content=data["content"],
                                   agency=data["agency"], full_name=data["full_name"], phone=data["phone"],
                                   email=data["email"], attachment=data["attachment"], user=request.user,
                                   client=client_ip(None, request), idempotency_key=key)
    except TooManyFeedbacks as refused:
        refusal = usage_refusal(refused.usage, refused, FeedbacksUnavailable())
        refusal_on_form(form, refusal.message)
        return refusal.answer(_render_form(request, form))
    except FeedbacksUnavailable as error:
        refusal_on_form(form, error)
        return unavailable_instead(_render_form(request, form))
    except ValidationError as error:
        _add_errors(form, error)
        return _render_form(request, form)
    _remember(request, SEEN, feedback.tracking_number)
    messages.success(request, gettext("Đã tiếp nhận phản ánh %(number)s.") % {"number": feedback.tracking_number},
                     extra_tags="received")  # the status page's box then leaves its "Đã tiếp nhận." out
    unconfirmed = feedback_unconfirmed_channels(feedback=feedback)
    if unconfirmed:  # it asks to keep the number: the status page's box then leaves its own request out
        messages.info(request, _unconfirmed_notice(feedback, unconfirmed), extra_tags="held_back")
    return redirect("public_services:feedback_status", tracking_number=feedback.tracking_number)


@never_cache
@require_safe
def feedback_status(request, tracking_number):
    written = normalize_code(tracking_number).upper()
    if written != tracking_number and TRACKING_NUMBER.fullmatch(written):
        # Typed by hand from the SMS ("pa2611…"): the page of the number it writes.
        return redirect("public_services:feedback_status", tracking_number=written, permanent=True)
    if tracking_number not in request.session.get(SEEN, []):
        if not TRACKING_NUMBER.fullmatch(tracking_number):
            raise Http404
        messages.info(request, gettext("Để xem phản ánh, hãy nhập số điện thoại hoặc thư điện tử đã khai khi gửi."))
        return redirect(f"{reverse('public_services:feedback_lookup')}?{urlencode({'ma': tracking_number})}")
    feedback = feedback_by_tracking(tracking_number=tracking_number)
    if feedback is None:
        raise Http404
    return render(request, "public_services/feedback_status.html", {"feedback": feedback})


@sensitive_post_parameters("tracking_number", "contact")
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_lookup(request):
    prefilled = clean_text(request.GET.get("ma", ""))  # put back in its box: no NUL
    form = FeedbackLookupForm(request.POST or None, initial={"tracking_number": prefilled},
                              contact_first=request.method == "GET" and bool(TRACKING_NUMBER.fullmatch(prefilled)))
    usage = get_usage(request, group="public_services.feedback_lookup", key="vssid_portal.ratelimit.client_ip",
                      rate=LOOKUP_RATE, method="POST", increment=True)
    refusal = usage_refusal(usage, gettext("Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau 1 phút."),
                            FeedbacksUnavailable())
    if refusal is not None:
        form.is_valid()
        refusal_on_form(form, refusal.message)
        return refusal.answer(render(request, "public_services/feedback_lookup.html", {"form": form}))
    if request.method == "POST" and form.is_valid():
        feedback = feedback_for_sender(**form.cleaned_data)
        if feedback is not None:
            _remember(request, SEEN, feedback.tracking_number)
            return redirect("public_services:feedback_status", tracking_number=feedback.tracking_number)
        form.add_error(None, gettext("Không tìm thấy phản ánh với mã và số điện thoại hoặc thư điện tử này. "
                                     "Hãy kiểm tra lại tin nhắn xác nhận."))
    return render(request, "public_services/feedback_lookup.html", {"form": form})
