"""The steps of a filing in the officers' admin, mixed into FilingAdmin (FilingSteps): receive / start /
complete, reject / return for correction with a note, and receive / start of several filings from the
list, each through the one service function that logs it in FilingEvent; and the messages saying what a
step did and whom its notice went to (told_message, will_tell)."""

import dataclasses

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy, npgettext_lazy, pgettext_lazy

from accounts.selectors import OFFICER_RECORD_UNKNOWN, officer_record_unknown
from notifications.texts import sent_as_typed
from vssid_portal.admin import as_typed, posted_text

from ..models import Filing
from ..selectors import (
    OWN_CASE,
    FilingsTold,
    completion_changes,
    completion_confirmed,
    completion_digest,
    completion_digest_shown,
    completion_warnings,
    decision_page_token,
    filing_gone_from_scope,
    filing_note_told_by,
    filings_told,
    is_officers_own_case,
)
from ..services import (
    CompletionChangedMeanwhile,
    FilingAlreadyInStatus,
    FilingChangedMeanwhile,
    check_move,
    filing_complete,
    filing_receive,
    filing_reject,
    filing_return,
    filing_start,
    filings_retry_declarations,
)

STEPS = {
    "receive": (filing_receive, Filing.Status.RECEIVED, pgettext_lazy("bước của hồ sơ", "Tiếp nhận hồ sơ")),
    "start": (filing_start, Filing.Status.PROCESSING, pgettext_lazy("bước của hồ sơ", "Bắt đầu giải quyết")),
    "complete": (filing_complete, Filing.Status.DONE, pgettext_lazy("bước của hồ sơ", "Hoàn thành, có kết quả")),
}
# The field's label names no channel: sent_as_typed, under it, says where the words go for this filing.
NOTE_STEPS = {
    "reject": (filing_reject, Filing.Status.REJECTED, "reason", pgettext_lazy("bước của hồ sơ", "Từ chối giải quyết"),
               gettext_lazy("Lý do từ chối")),
    "return": (filing_return, Filing.Status.RETURNED, "what",
               pgettext_lazy("bước của hồ sơ", "Trả lại để bổ sung, sửa đổi"),
               gettext_lazy("Nội dung người nộp cần bổ sung, sửa đổi")),
}
# What a step did to one filing (`number`), and what a bulk action did to `count` filings: the start of
# its success message (told_message).
STEP_DONE = {
    "receive": gettext_lazy("Tiếp nhận hồ sơ: hồ sơ %(number)s đã cập nhật"),
    "start": gettext_lazy("Bắt đầu giải quyết: hồ sơ %(number)s đã cập nhật"),
    "complete": gettext_lazy("Hoàn thành, có kết quả: hồ sơ %(number)s đã cập nhật"),
    "reject": gettext_lazy("Từ chối giải quyết: hồ sơ %(number)s đã cập nhật"),
    "return": gettext_lazy("Trả lại để bổ sung, sửa đổi: hồ sơ %(number)s đã cập nhật"),
}
# A decision not made (taken already, or the filing moved meanwhile): why, then the officer's words given back.
NOT_SENT = gettext_lazy("%(message)s Nội dung bạn vừa nhập chưa được gửi: “%(note)s”")
RECEIVED_MANY = ngettext_lazy("Đã tiếp nhận: %(count)s hồ sơ", "Đã tiếp nhận: %(count)s hồ sơ", "count")
STARTED_MANY = ngettext_lazy("Đã chuyển sang đang giải quyết: %(count)s hồ sơ",
                             "Đã chuyển sang đang giải quyết: %(count)s hồ sơ", "count")


# Who a step's notice of a filing goes to (selectors.FilingsTold), by kind, `count` of them: said
# once, for the step's message (told_message) and the page confirming a completion (will_tell).
WHOM = {
    "filer": npgettext_lazy("người được thông báo", "người nộp", "người nộp", "count"),
    "person": npgettext_lazy("người được thông báo", "người tham gia", "người tham gia", "count"),
    "guardian": npgettext_lazy("người được thông báo", "cha, mẹ, người giám hộ của người tham gia",
                               "cha, mẹ, người giám hộ của người tham gia", "count"),
}
# Why nobody is told of `count` filings.
NO_LOGIN_MAY_VIEW = ngettext_lazy("không có tài khoản đang hoạt động nào trên Cổng được xem hồ sơ",
                                  "không có tài khoản đang hoạt động nào trên Cổng được xem hồ sơ", "count")


def _whom(kind: str, count: int) -> str:
    return WHOM[kind] % {"count": count}


def told_message(done: str, told: FilingsTold) -> str:
    """The success message of a step (`done`, e.g. from STEP_DONE), saying whom its notice of each
    filing went to (selectors.filings_told): the filer, the person, a minor person's parent or
    guardian, or nobody, as no login may view the filing."""
    count = told.filer + told.person + told.guardian + told.nobody
    if told.nobody == count:
        return ngettext("%(done)s; không gửi thông báo vì %(why)s.", "%(done)s; không gửi thông báo vì %(why)s.",
                        count) % {"done": done, "why": NO_LOGIN_MAY_VIEW % {"count": count}}
    kinds = {kind: getattr(told, kind) for kind in WHOM if getattr(told, kind)}
    if len(kinds) == 1:
        ((kind, number),) = kinds.items()
        whom = ngettext("%(whom)s đã được thông báo", "%(whom)s đã được thông báo", number) % {
            "whom": _whom(kind, number)}
    else:
        whom = "; ".join(ngettext("%(whom)s của %(count)s hồ sơ đã được thông báo",
                                  "%(whom)s của %(count)s hồ sơ đã được thông báo", number) % {
            "whom": _whom(kind, number), "count": number} for kind, number in kinds.items())
    if not told.nobody:
        return gettext("%(done)s; %(told)s.") % {"done": done, "told": whom}
    return ngettext("%(done)s; %(told)s, trừ %(untold)s hồ sơ không có tài khoản đang hoạt động nào trên Cổng được "
                    "xem nên không gửi thông báo.",
                    "%(done)s; %(told)s, trừ %(untold)s hồ sơ không có tài khoản đang hoạt động nào trên Cổng được "
                    "xem nên không gửi thông báo.",
                    told.nobody) % {"done": done, "told": whom, "untold": told.nobody}


def will_tell(told: FilingsTold) -> str:
    """Whom a step on one filing will tell (`told`, selectors.filings_told of it as of now), for the
    page confirming a completion: "và … được thông báo", or that nobody will be and why."""
    kind = next(kind for kind, count in dataclasses.asdict(told).items() if count)
    if kind in WHOM:
        return gettext("và %(whom)s được thông báo") % {"whom": _whom(kind, 1)}
    return gettext("không ai được thông báo vì %(why)s") % {"why": NO_LOGIN_MAY_VIEW % {"count": 1}}


def _seen(request) -> dict:
    """The status and the revision of the filing the officer's page showed (its hidden fields), for
    the step services to refuse a filing that moved, or was resubmitted, since."""
    return {"seen": request.POST.get("seen") or None, "seen_revision": request.POST.get("seen_revision") or None}


class FilingSteps:
    """The officer's steps on a filing, mixed into FilingAdmin: receive, start and complete (step_view),
    reject and return with a note (note_view), and receive and start several from the list (its actions)."""

    def step_view(self, request, pk, step):
        # Completing may write more than the status (a new card, the registry's details): it is
        # confirmed on a page of its own, opened with a GET; the other steps are one post.
        if request.method != "POST" and step != "complete":
            return HttpResponseNotAllowed(["POST"])
        if step not in STEPS:
            raise Http404
        filing = self._visible(request, pk)
        service, status, label = STEPS[step]
        if step == "complete":
            if not self.has_process_permission(request):
                raise PermissionDenied
            # what it writes and what the officer should check first: both confirmed on the page
            confirming = completion_confirmed(filing, request.user)
            confirmed = request.POST.get("confirmed")  # missing, empty or forged: nothing to say changed
            if request.method != "POST" or ((confirming or confirmed is not None)
                                            and not completion_digest_shown(confirmed)):
                try:  # a step the filing can no longer take is said before the officer confirms it
                    check_move(filing, to=status)
                    self._not_own_case(request, filing)
                except ValidationError as refused:
                    return self._step_refused(request, filing, refused)
                return self._confirm_complete(request, filing, label, confirming)
        try:
            if step == "complete":
                # A one-click completion confirms that nothing but the status is written: what
                # appeared to write since the page was shown is shown, not written unseen.
                moved = service(filing=filing, officer=request.user, **_seen(request),
                                confirmed=confirmed if confirmed is not None else completion_digest(confirming))
            else:
                moved = service(filing=filing, officer=request.user, **_seen(request))
        except PermissionDenied:
            if not self._left_scope(request, filing):
                raise
            return self._gone_from_scope(request, filing)
        except CompletionChangedMeanwhile as changed:  # confirm again what completing now changes
            messages.warning(request, changed.message)
            return self._confirm_complete(request, filing, label)
        except FilingChangedMeanwhile as moved:
            messages.warning(request, moved.message)
        except ValidationError as refused:
            return self._step_refused(request, filing, refused)
        else:
            done = STEP_DONE[step] % {"number": filing.tracking_number}
            messages.success(request, told_message(done, filings_told([moved])))
        return redirect("admin:public_services_filing_change", filing.pk)

    def _not_own_case(self, request, filing):
        """The officer's own case (is_officers_own_case), or any case of an officer whose own record is
        not known (officer_record_unknown), refused as its steps refuse it, said before they confirm a
        completion or write a reason for nothing."""
        if officer_record_unknown(request.user):
            raise ValidationError(str(OFFICER_RECORD_UNKNOWN))
        if is_officers_own_case(filing, request.user):
            raise ValidationError(OWN_CASE % {"number": filing.tracking_number})

    def _step_refused(self, request, filing, refused: ValidationError):
        if isinstance(refused, FilingAlreadyInStatus):
            messages.info(request, refused.message)
        else:
            messages.error(request, " ".join(refused.messages))
        return redirect("admin:public_services_filing_change", filing.pk)

    def _confirm_complete(self, request, filing, label, confirming=None):
        """Like Django's delete confirmation: what completing will write, "Xác nhận" and "Quay lại", with
        what the officer should check first (completion_warnings), both confirmed by the digest posted
        (of `confirming`, completion_confirmed as the caller read it, else read here)."""
        # shown in the page's language; the digest made of them in Vietnamese, as the completion checks it
        changes, warnings = completion_changes(filing), completion_warnings(filing, request.user)
        # whom the completion will tell: as of now, since only a rejection or a return is told otherwise
        told = filings_told([filing])
        context = {
            **self.admin_site.each_context(request), "title": gettext("%(step)s – hồ sơ %(number)s") % {"step": label, "number": filing.tracking_number},
            "filing": filing, "changes": changes,
            "confirmed": completion_digest(completion_confirmed(filing, request.user) if confirming is None
                                           else confirming),
            "button": label, "warnings": warnings,
            "seen": filing.status, "seen_revision": filing.revision, "done": Filing.Status.DONE.label,
            "told": will_tell(told), "told_anyone": not told.nobody,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/public_services/filing/complete_confirm.html", context)

    def note_view(self, request, pk, step):
        if step not in NOTE_STEPS:
            raise Http404
        try:
            filing = self._visible(request, pk)
        except Http404:
            gone = (filing_gone_from_scope(officer=request.user, pk=pk, token=request.POST.get("opened"))
                    if request.method == "POST" else None)
            if gone is None:
                raise
            return self._gone_from_scope(request, gone)
        service, status, argument, title, label = NOTE_STEPS[step]
        if not self.has_process_permission(request):
            raise PermissionDenied
        error = None
        if request.method != "POST":
            try:  # a step the filing can no longer take is said before the officer writes a reason for it
                check_move(filing, to=status)
                self._not_own_case(request, filing)
            except FilingAlreadyInStatus as done:
                messages.info(request, done.message)
                return redirect("admin:public_services_filing_change", filing.pk)
            except ValidationError as refused:
                messages.error(request, " ".join(refused.messages))
                return redirect("admin:public_services_filing_change", filing.pk)
        else:
            try:
                note = posted_text(request, "note")
                moved = service(filing=filing, officer=request.user, **_seen(request), **{argument: note})
            except PermissionDenied:
                if not self._left_scope(request, filing):
                    raise
                return self._gone_from_scope(request, filing)
            except FilingAlreadyInStatus as done:
                return self._already_done(request, done, note)
            except FilingChangedMeanwhile as moved:  # a colleague, or the citizen, was quicker: decide again
                messages.warning(request, NOT_SENT % {"message": moved.message, "note": note.strip()})
                return redirect("admin:public_services_filing_change", filing.pk)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                done = STEP_DONE[step] % {"number": filing.tracking_number}
                messages.success(request, told_message(done, filings_told([moved])))
                return redirect("admin:public_services_filing_change", filing.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(step)s – hồ sơ %(number)s") % {"step": title, "number": filing.tracking_number},
            "filing": filing, "error": error, "note": request.POST.get("note", ""), "label": label, "button": title,
            "sent_as_typed": sent_as_typed(filing_note_told_by(filing, status=status)),
            "seen": request.POST.get("seen", "") if request.method == "POST" else filing.status,
            "seen_revision": request.POST.get("seen_revision", "") if request.method == "POST" else filing.revision,
            "opened": decision_page_token(filing, request.user),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/public_services/filing/note.html", context)

    def _left_scope(self, request, filing: Filing) -> bool:
        """Whether a step refused as out of the officer's scope was refused because the filing, theirs
        when the page checked it, was resubmitted to another agency before the step locked its row."""
        return self.has_process_permission(request) and not self.get_queryset(request).filter(pk=filing.pk).exists()

    def _gone_from_scope(self, request, filing: Filing):
        """A decision written on a filing resubmitted to another agency meanwhile: not made, the
        officer's words given back, and their queue (the filing's page is no longer theirs)."""
        note = as_typed(request.POST.get("note", "")).replace("\x00", "").strip()
        moved = gettext("Hồ sơ %(number)s đã chuyển sang cơ quan BHXH khác sau khi trang này được mở, nên bạn không "
                        "còn xử lý được; chưa thực hiện.") % {"number": filing.tracking_number}
        messages.warning(request, NOT_SENT % {"message": moved, "note": note} if note else moved)
        return redirect("admin:public_services_filing_changelist")

    def _already_done(self, request, done: FilingAlreadyInStatus, note: str):
        """A note step the filing already stands in: with the same note it was a double click, an
        information; with another note (a colleague was quicker) the officer's words were not
        sent, and are given back to them."""
        if note.strip() == done.event.note:
            messages.info(request, done.message)
        else:
            messages.warning(request, NOT_SENT % {"message": done.message, "note": note.strip()})
        return redirect("admin:public_services_filing_change", done.filing.pk)

    def _bulk(self, request, queryset, service, label):
        """`label`: what the step did, counted (RECEIVED_MANY, STARTED_MANY)."""
        if officer_record_unknown(request.user):  # said once, not once a filing
            self.message_user(request, OFFICER_RECORD_UNKNOWN, messages.ERROR)
            return
        done, already, errors = [], [], []
        for filing in queryset:
            try:
                done.append(service(filing=filing, officer=request.user))
            except FilingAlreadyInStatus as unchanged:
                already.append(unchanged.message)
            except PermissionDenied:  # resubmitted to another agency since the list was read
                errors.append(gettext("Hồ sơ %(number)s đã chuyển sang cơ quan BHXH khác nên bạn không còn xử lý "
                                      "được; chưa thực hiện.") % {"number": filing.tracking_number})
            except ValidationError as error:
                message = " ".join(error.messages)  # check_move's names the filing already
                errors.append(message if filing.tracking_number in message else f"{filing.tracking_number}: {message}")
        if done:
            self.message_user(request, told_message(label % {"count": len(done)}, filings_told(done)),
                              messages.SUCCESS)
        for message in already:
            self.message_user(request, message, messages.INFO)
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @admin.action(description=gettext_lazy("Tiếp nhận các hồ sơ đã chọn"), permissions=["process"])
    def receive_selected(self, request, queryset):
        self._bulk(request, queryset, filing_receive, RECEIVED_MANY)

    @admin.action(description=gettext_lazy("Bắt đầu giải quyết các hồ sơ đã chọn"), permissions=["process"])
    def start_selected(self, request, queryset):
        self._bulk(request, queryset, filing_start, STARTED_MANY)

    @admin.action(description=gettext_lazy("Tạo lại tờ khai"), permissions=["process"])
    def retry_declarations_selected(self, request, queryset):
        started = filings_retry_declarations(filings=queryset, officer=request.user)
        if started:
            self.message_user(request, ngettext("Đã bắt đầu tạo lại %(count)s tờ khai.",
                                                "Đã bắt đầu tạo lại %(count)s tờ khai.", started) % {"count": started},
                              messages.SUCCESS)
        else:
            self.message_user(request, gettext("Trong các hồ sơ đã chọn, không có tờ khai nào cần tạo lại."),
                              messages.WARNING)
