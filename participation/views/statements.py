"""Verifiable statements of participation (the PDF and its public check page).

- `/qua-trinh-tham-gia/xac-nhan/`: the person in view's statements; POST asks for a new one.
- `/qua-trinh-tham-gia/xac-nhan/<id>/`: its build progress and, when ready, the download (holders
  only: the person's own login or a guardian; anyone else gets a 404).
- `/xac-thuc/van-ban/<code>/`: public, rate-limited check of a printed statement. Anonymous
  visitors see the verification only; the PDF is offered to the holder alone.

Pages that wait for the build check it every few seconds with static/js/poll.js (served by the
portal; CSP forbids inline script) and show the result in place once it is done, announced to
screen readers; the visitor can stop the checks, and without JavaScript the page offers a reload
link. On the check page those checks (sent with `X-Requested-With: poll`) of a code its visitor has
found are not lookups for FOUND_SECONDS from the lookup that found it: a slow build does not spend
the visitor's lookups, and they have a limit of their own; past it, a check is a lookup again.
"""

import time
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import get_usage

from accounts.selectors import person_in_view
from vssid_portal.files import DEFAULT_MAX_AGE, private_file_url
from vssid_portal.paging import paginate
from vssid_portal.ratelimit import LimitRefusal, client_ip, usage_refusal
from vssid_portal.text import clean_text, mask_name

from ..models import Statement
from ..selectors import TABS_BY_SLUG, format_months, statement_is_holder, statements_of_holder
from ..services.statements import (
    code_check,
    code_display,
    hash_display,
    statement_for_code,
    statement_is_building,
    statement_is_stalled,
    statement_pending_for,
    statement_request,
    statement_retry,
    statement_snapshot,
    statements_of,
    verify_base_for,
    verify_path,
)

POLL_SECONDS = 5
VERIFY_RATE = "30/m"
VERIFY_GROUP = "participation.statement_verify"
SENT_ON_SECONDS = 60  # a typed code's page, reached by the redirect, is not counted again within this
# The waiting page's checks (static/js/poll.js, every POLL_SECONDS) of a code its client has found are
# not lookups: they have a limit of their own, per client, room for several pages waiting at once.
POLL_HEADER_VALUE = "poll"  # the X-Requested-With poll.js sends
RECHECK_RATE = "120/m"
RECHECK_GROUP = "participation.statement_recheck"
# A code found by a client stays found for it this long from the lookup that found it, long enough for
# a slow build (BUILDING_PATIENCE, then the page stops checking); the checks do not extend it.
FOUND_SECONDS = 10 * 60
REQUEST_RATE = "10/h"
REQUEST_GROUP = "participation.statement_request"
RETRY_RATE = "5/h"  # each retry queues a build of up to JOB_MAX_ATTEMPTS renders
RETRY_GROUP = "participation.statement_retry"
STATEMENTS_PER_PAGE = 20
VERIFY_INPUT_MAX = 40  # the form's maxlength
RATE_LIMITED = _("Bạn đã tra cứu quá nhiều lần trong một phút. Hãy thử lại sau 1 phút.")
REQUEST_LIMITED = _("Bạn đã yêu cầu quá nhiều bản xác nhận trong một giờ. "
                    "Hãy thử lại sau, hoặc tải bản đã có ở danh sách dưới đây.")
RETRY_LIMITED = _("Bạn đã yêu cầu tạo lại văn bản quá nhiều lần trong một giờ. Hãy thử lại sau.")
ALREADY_READY = _("Văn bản đã sẵn sàng nên không cần tạo lại. Hãy tải bản xác nhận (PDF) dưới đây.")
ALREADY_BUILDING = _("Văn bản đang được tạo nên không cần tạo lại. "
                     "Bản xác nhận (PDF) sẽ có ở trang này khi văn bản sẵn sàng.")
# A limit that could not be counted (Redis down) is no fault of the visitor's: 503, Retry-After.
REQUEST_UNAVAILABLE = _("Yêu cầu bản xác nhận quá trình tham gia đang tạm gián đoạn. Hãy thử lại sau vài phút.")
VERIFY_UNAVAILABLE = _("Kiểm tra bản xác nhận quá trình tham gia đang tạm gián đoạn. Hãy thử lại sau vài phút.")


def _render_page(request, template: str, context: dict, refusal: LimitRefusal | None):
    response = render(request, template, {**context, "limited_message": refusal.message if refusal else ""})
    return refusal.answer(response) if refusal else response


def _download_url(request, statement: Statement) -> str | None:
    if statement.status != Statement.Status.READY or not statement.pdf:
        return None
    return private_file_url(
        statement.pdf.name, user=request.user,
        filename=f"xac-nhan-qua-trinh-tham-gia-{code_display(statement.code)}.pdf",
        back=reverse("participation:statement_status", args=[statement.pk]),
    )


def _progress(request, statement: Statement) -> dict:
    """What a page says about a statement that is not ready yet (a build past its patience is
    "stalled" and no longer waited for)."""
    return {
        "building": statement_is_building(statement),
        "stalled": statement_is_stalled(statement),
        "failed": statement.status == Statement.Status.FAILED,
        "poll_seconds": POLL_SECONDS,
    }


NO_PARTICIPATION = _("Chưa có thời gian tham gia")
STALLED = _("Tạo lâu hơn bình thường; có thể tạo lại")


def _status_label(statement: Statement) -> str:
    """A statement's state in the list: a build past its patience, which its page no longer waits
    for and offers to start again, is not said to be under way."""
    return STALLED if statement_is_stalled(statement) else statement.get_status_display()


@dataclass(frozen=True)
class Summary:
    label: str
    duration: str
    months_owed: int
    months_ahead: int


def _summaries(snapshot: dict) -> list[Summary]:
    """The totals the statement states, read from its snapshot, named in the page's language; a
    type without periods in the words the statement prints for it, and one whose every month is paid
    ahead as "0 tháng", as it prints it. A statement issued before the months paid ahead were stated
    apart has no `months_ahead` (see the services' module)."""
    return [Summary(TABS_BY_SLUG[group["type"]].label if group["type"] in TABS_BY_SLUG else group["label"],
                    format_months(group["months"], both_units=True)
                    if group["months"] or group["periods"] else NO_PARTICIPATION,
                    group["months_owed"], group.get("months_ahead", 0))
            for group in snapshot["groups"]]


def _details(statement: Statement) -> dict:
    snapshot = statement_snapshot(statement) if statement.status == Statement.Status.READY else None
    return {
        "code_display": code_display(statement.code),
        # the name printed on the document, which the checker compares: a later correction of
        # the registry's name must not make a genuine statement look altered
        "masked_name": mask_name(snapshot["person"]["full_name"] if snapshot else statement.person.full_name),
        "hash_display": hash_display(statement.content_hash) if statement.content_hash else "",
        "summaries": _summaries(snapshot) if snapshot else [],
        "snapshot_ok": snapshot is not None,
    }


def _nothing_to_build(statement: Statement):
    """What the page says to a request to build again a statement that needs no build (a page left
    open from before the build ended or was started again, a button sent twice), which is not
    counted: it is ready, or being built; None when the request starts a build."""
    if statement.status == Statement.Status.READY:
        return ALREADY_READY
    return ALREADY_BUILDING if statement_is_building(statement) else None


def _post_refused(request, group: str, rate: str, too_many) -> LimitRefusal | None:
    """Counts a POST of the user's against `rate`: the refusal, with the seconds left of the limit's
    window, when it is over the limit, or None."""
    usage = get_usage(request, group=group, key="user", rate=rate, method="POST", increment=True)
    return usage_refusal(usage, too_many, REQUEST_UNAVAILABLE)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def statement_list(request):
    person = person_in_view(request)
    if person is None:
        raise Http404
    refusal = None
    if request.method == "POST":
        pending = statement_pending_for(person)
        if pending is not None:  # a button sent twice, a page left open: the build under way, not counted
            if statement_is_building(pending):  # else its page says it is stalled and offers to start again
                messages.info(request, ALREADY_BUILDING)
            return redirect("participation:statement_status", pk=pending.pk)
        refusal = _post_refused(request, REQUEST_GROUP, REQUEST_RATE, REQUEST_LIMITED)
        if refusal is None:
            statement = statement_request(person=person, requested_by=request.user,
                                          verify_base=verify_base_for(request))
            return redirect("participation:statement_status", pk=statement.pk)
    paged = paginate(statements_of(person=person), request.GET.get("trang"), per_page=STATEMENTS_PER_PAGE)
    return _render_page(
        request, "participation/statement_list.html",
        {"person": person, "statements": [(s, code_display(s.code), _status_label(s)) for s in paged["page"]], **paged},
        refusal,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def statement_status(request, pk: int):
    statement = get_object_or_404(statements_of_holder(request.user), pk=pk)
    refusal = None
    nothing_to_build = _nothing_to_build(statement) if request.method == "POST" else None
    if nothing_to_build is not None:
        messages.info(request, nothing_to_build)
        return redirect("participation:statement_status", pk=statement.pk)
    if request.method == "POST":
        refusal = _post_refused(request, RETRY_GROUP, RETRY_RATE, RETRY_LIMITED)
        if refusal is None:
            statement_retry(statement=statement, verify_base=verify_base_for(request))
            return redirect("participation:statement_status", pk=statement.pk)
    context = {
        "statement": statement,
        "person": statement.person,
        "verify_url": verify_base_for(request) + verify_path(statement.code),
        "download_url": _download_url(request, statement),
        "link_minutes": DEFAULT_MAX_AGE // 60,
        **_details(statement),
        **_progress(request, statement),
    }
    return _render_page(request, "participation/statement_status.html", context, refusal)


def _verify_page(request, statement: Statement | None, refusal: LimitRefusal | None = None, typed: str = ""):
    """`typed`: the code asked for, put back in the form when no statement answers it, so that a
    mistyped character can be corrected without typing the 16 again."""
    context = {"statement": None, "typed": "" if refusal else clean_text(typed)[:VERIFY_INPUT_MAX]}  # no NUL put back
    if statement is not None:
        details = _details(statement)
        # a ready statement whose stored data no longer matches its hash is not vouched for
        if statement.status != Statement.Status.READY or details["snapshot_ok"]:
            holder = statement_is_holder(statement, request.user)
            context.update(details, **_progress(request, statement), statement=statement, typed="",
                           download_url=_download_url(request, statement) if holder else None)
    response = _render_page(request, "participation/statement_verify.html", context, refusal)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _lookup_refused(request) -> LimitRefusal | None:
    """Counts a lookup of a statement (a code given) against the client's VERIFY_RATE: the refusal,
    with the seconds left of the limit's window, when it is over the limit, or None. A HEAD counts as
    a GET: it looks the statement up as well."""
    usage = get_usage(request, group=VERIFY_GROUP, key=client_ip, rate=VERIFY_RATE, method=get_usage.ALL,
                      increment=True)
    return usage_refusal(usage, RATE_LIMITED, VERIFY_UNAVAILABLE)


def _recheck_refused(request) -> LimitRefusal | None:
    """Counts a waiting page's check of a code its client has found against the client's RECHECK_RATE,
    as `_lookup_refused` counts a lookup."""
    usage = get_usage(request, group=RECHECK_GROUP, key=client_ip, rate=RECHECK_RATE, method=get_usage.ALL,
                      increment=True)
    return usage_refusal(usage, RATE_LIMITED, VERIFY_UNAVAILABLE)


def _sent_on_key(request, code: str) -> str:
    return f"{VERIFY_GROUP}.sent-on:{client_ip(VERIFY_GROUP, request)}:{code}"


def _found_key(request, code: str) -> str:
    return f"{VERIFY_GROUP}.found:{client_ip(VERIFY_GROUP, request)}:{code}"


def _found_lately(request, code: str) -> bool:
    """This client found `code` less than FOUND_SECONDS ago, by the portal's clock: the time of the
    lookup that found it is kept and compared, not left to the cache key's expiry alone."""
    found_at = cache.get(_found_key(request, code))
    return isinstance(found_at, (int, float)) and 0 <= time.time() - found_at < FOUND_SECONDS


def _refusal_of_check(request, code: str | None) -> tuple[LimitRefusal | None, bool]:
    """The limit a check of `code` (its stored form, None when malformed) is counted against, its
    refusal and whether the check is the waiting page's: no limit for the page a typed code is sent
    on to (counted when typed); the waiting page's own limit for its checks of a code this client
    has found within FOUND_SECONDS (a guess is never one of them, so guessing stays limited); the
    lookups' for everything else, reloads and the waiting page's later checks included."""
    if code is not None and cache.delete(_sent_on_key(request, code)):
        return None, False
    if (code is not None and request.headers.get("X-Requested-With") == POLL_HEADER_VALUE
            and _found_lately(request, code)):
        return _recheck_refused(request), True
    return _lookup_refused(request), False


@never_cache
@require_safe
def statement_verify(request, code: str):
    """The check of one code: a printed QR's link, the page a code typed in the form is sent on to,
    which was counted when it was typed and is not counted again (once, by the same client, within
    SENT_ON_SECONDS), or the waiting page's check for the PDF of a code it shows (see
    `_refusal_of_check`). A lookup that finds the code opens its FOUND_SECONDS; a check does not."""
    refusal, recheck = _refusal_of_check(request, code_check(code))
    if refusal is not None:
        return _verify_page(request, None, refusal)
    statement = statement_for_code(code)
    if statement is not None and not recheck:
        cache.set(_found_key(request, statement.code), time.time(), FOUND_SECONDS)
    return _verify_page(request, statement, typed=code)


@never_cache
@require_safe
def statement_verify_form(request):
    """The short code typed by hand (printed under the QR): well-formed codes go to their page. The
    empty form looks nothing up and is not counted, sent blank or not; a code sent is (its page is then not)."""
    typed = request.GET.get("ma", "").strip()
    if not typed:  # a blank "Kiểm tra" is told on its field, as a wrong code is, and counted neither
        return render(request, "participation/statement_verify.html",
                      {"entry_only": True, "blank": "ma" in request.GET})
    refusal = _lookup_refused(request)
    if refusal is not None:
        return _verify_page(request, None, refusal)
    code = code_check(typed)
    if code is None:
        return _verify_page(request, None, typed=typed)
    cache.set(_sent_on_key(request, code), True, SENT_ON_SECONDS)
    return redirect("participation:statement_verify", code=code_display(code))
