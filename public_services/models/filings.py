"""Filings of public-service procedures and their status history.

A filing is what a citizen submits for one procedure of the registry (public_services/procedures):
the form's answers as JSON (re-validated by the procedure's own form whenever they are read), the
identity it was filed for as it stood at its last submission (or resubmission), uploaded evidence in
private storage, and the declaration PDF built in the background. Status changes happen only in
services/ (filings.filing_move), along the transitions listed in `TRANSITIONS`, and each leaves a
FilingEvent.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Person
from lookup.models import Agency
from vssid_portal.templatetags.vn_format import vn_datetime

__all__ = ["AGENCY_PENDING_STATUSES", "BOOK_PROCEDURES", "Filing", "FilingDocument", "FilingEvent", "NOTE_RESUBMITTED", "NOTE_WITHDRAWN",
           "OPEN_STATUSES", "TRANSITIONS", "filing_upload_path"]


def filing_upload_path(instance, filename):
    filing = getattr(instance, "filing", instance)
    return f"filings/{filing.tracking_number}/{filename}"


class FilingQuerySet(models.QuerySet):
    def declaration_missing(self):
        """Filings without the declaration of their current revision (a withdrawn one needs none)."""
        return self.filter(models.Q(declaration_pdf="") | ~models.Q(pdf_revision=models.F("revision"))).exclude(
            status=Filing.Status.WITHDRAWN)

    def declaration_given_up(self):
        """Those whose declaration could not be built in `JOB_MAX_ATTEMPTS` attempts at their
        revision (vssid_portal/jobs.py)."""
        return self.declaration_missing().filter(pdf_attempts__gt=settings.JOB_MAX_ATTEMPTS)

    def overdue(self):
        """Those still in the agency's hands after their due date (Filing.is_overdue)."""
        return self.filter(status__in=AGENCY_PENDING_STATUSES, due_date__lt=timezone.localdate())


# The procedures that reissue the BHXH book (607A without, 608A with a change of personal
# information): a person has a filing of only one of them in hand at a time.
BOOK_PROCEDURES = ("607A", "608A")


class Filing(models.Model):
    class Status(models.TextChoices):
        # Lazy: the citizen's pages and notices follow the language each is read or written in.
        SUBMITTED = "submitted", _("Đã nộp")
        RECEIVED = "received", _("Đã tiếp nhận")
        PROCESSING = "processing", _("Đang giải quyết")
        RETURNED = "returned", _("Cần bổ sung, sửa đổi")
        DONE = "done", _("Đã có kết quả")
        REJECTED = "rejected", _("Từ chối giải quyết")
        WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")

    objects = FilingQuerySet.as_manager()

    tracking_number = models.CharField(_("số hồ sơ"), max_length=20, unique=True, editable=False)
    procedure_code = models.CharField(_("thủ tục"), max_length=20, db_index=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="filings", verbose_name=_("người tham gia"))
    submitted_by = models.ForeignKey(  # indexed by filing_submitter_recent_idx, which leads with it
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filings", verbose_name=_("người nộp"),
        db_index=False,
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="filings",
                               verbose_name=_("cơ quan BHXH giải quyết"))
    data = models.JSONField(_("nội dung kê khai"), default=dict)
    identity = models.JSONField(_("thông tin người tham gia khi nộp"), default=dict)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    revision = models.PositiveSmallIntegerField(_("lần nộp"), default=1)
    idempotency_key = models.CharField(_("khóa chống nộp trùng"), max_length=64, unique=True, editable=False)
    submitted_at = models.DateTimeField(_("nộp lúc"))
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    due_date = models.DateField(_("hẹn trả kết quả"), db_index=True)
    # The due date the citizen was last told, while holiday changes have moved it and their notice
    # has not gone out yet (services.due_dates_recounted, due_dates_moved_notify); None when they
    # were told the one it has (at submission, receipt, resubmission, or by that notice).
    due_date_told = models.DateField(_("hẹn trả kết quả đã báo"), null=True, blank=True, editable=False)
    # The address typed on the form (data["email"]) once its owner confirmed it by the link mailed to
    # it (services.filing_email_confirm): the filing's e-mails go to a typed address only then.
    email_confirmed = models.EmailField(_("email đã xác nhận"), blank=True, default="", editable=False)
    # The language of the filer's request that asked the typed address confirmed (its confirmation
    # e-mail's, services.email_confirmation._filer_language): the filing's e-mails to it, an address of no login's, are
    # written in that language; "" (confirmed before the portal kept it) is Vietnamese.
    email_language = models.CharField(_("ngôn ngữ của email đã xác nhận"), max_length=8, choices=settings.LANGUAGES,
                                      blank=True, default="", editable=False)
    note = models.TextField(_("lý do / nội dung cần sửa"), blank=True)
    declaration_pdf = models.FileField(_("tờ khai (PDF)"), upload_to=filing_upload_path, blank=True)
    pdf_revision = models.PositiveSmallIntegerField(_("tờ khai của lần nộp"), default=0)
    pdf_attempts = models.PositiveSmallIntegerField(_("số lần tạo tờ khai của lần nộp"), default=0)  # vssid_portal/jobs.py
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("hồ sơ dịch vụ công")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ dịch vụ công")
        permissions = [("process_filing", _("Tiếp nhận và giải quyết hồ sơ dịch vụ công"))]
        indexes = [models.Index(fields=["agency", "status", "due_date"], name="filing_queue_idx"),
                   # a login's filings, newest first (selectors.filings_left_by), read without scanning
                   # the login's whole history
                   models.Index(fields=["submitted_by", "submitted_at"], name="filing_submitter_recent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["rejected", "returned"]) | ~models.Q(note=""),
                name="filing_reject_return_has_note",
            ),
            # A person has one filing of a procedure in hand (OPEN_STATUSES below) at a time.
            models.UniqueConstraint(
                fields=["person", "procedure_code"],
                condition=models.Q(status__in=["submitted", "received", "processing", "returned"]),
                name="filing_one_open_per_procedure",
            ),
            # ... and one of the procedures reissuing the book, or two books would be issued.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["submitted", "received", "processing", "returned"],
                                   procedure_code__in=BOOK_PROCEDURES),
                name="filing_one_open_book_reissue",
            ),
        ]

    def __str__(self):
        return f"{self.tracking_number} – {self.procedure_code}"

    @property
    def procedure(self):
        from ..procedures import registry

        return registry.get(self.procedure_code)

    @property
    def can_withdraw(self):
        """Whether the citizen may take the filing back: the agency has not received it yet, or
        returned it for a correction the citizen does not (or may no longer) make."""
        return self.status in {self.Status.SUBMITTED, self.Status.RETURNED}

    @property
    def can_edit(self):
        """Whether the citizen may correct the filing and send it again: the agency returned it."""
        return self.status == self.Status.RETURNED

    @property
    def has_due_date(self):
        """Whether the due date stands: not while the filing waits for the citizen's correction,
        whose resubmission sets a new one."""
        return self.status in AGENCY_PENDING_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Still in the agency's hands after its due date (FilingQuerySet.overdue): one returned for
        correction has none standing, and a finished one is no longer late."""
        return self.has_due_date and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def pdf_ready(self):
        return bool(self.declaration_pdf) and self.pdf_revision == self.revision

    @property
    def withdrawn_without_declaration(self):
        """Withdrawn before the declaration of its current revision was built: none ever is
        (`FilingQuerySet.declaration_missing` skips it), so no page says one is coming."""
        return not self.pdf_ready and self.status == self.Status.WITHDRAWN

    @property
    def declaration_revision(self) -> int | None:
        """The submission whose declaration the filing's pages offer, the one place the citizen's page,
        its download link and the officer's page read it from: the current one once built; for a
        filing withdrawn before that was built (returned, corrected, sent again, then withdrawn), the
        last one built, of an earlier submission, which the pages name as such (its answers and files
        may differ from the filing's now); None while there is none to offer."""
        if self.pdf_ready:
            return self.revision
        if self.withdrawn_without_declaration and self.declaration_pdf and 0 < self.pdf_revision < self.revision:
            return self.pdf_revision
        return None

    @property
    def declaration_is_earlier(self) -> bool:
        """Whether the declaration offered is that of an earlier submission (`declaration_revision`)."""
        return self.declaration_revision not in (None, self.revision)

    @property
    def declaration_filename(self) -> str:
        """The name the offered declaration downloads as: an earlier submission's says which."""
        if self.declaration_is_earlier:
            return f"to-khai-{self.tracking_number}-lan-nop-{self.declaration_revision}.pdf"
        return f"to-khai-{self.tracking_number}.pdf"

    def submitted_at_of(self, revision: int):
        """When submission `revision` (1 = the first) was sent: the filing's `revision`-th move to
        "submitted" in its history (its submission, then each resubmission); None if not found."""
        sent = [event.at for event in self.events.all() if event.status == self.Status.SUBMITTED]
        return sent[revision - 1] if 0 < revision <= len(sent) else None

    @property
    def pdf_given_up(self):
        """As `FilingQuerySet.declaration_given_up`, for one filing."""
        return (not self.pdf_ready and self.pdf_attempts > settings.JOB_MAX_ATTEMPTS
                and not self.withdrawn_without_declaration)


OPEN_STATUSES = {Filing.Status.SUBMITTED, Filing.Status.RECEIVED, Filing.Status.PROCESSING, Filing.Status.RETURNED}
# Open and in the agency's hands: its due date stands and it counts as the agency's pending (or
# overdue) work. A returned filing waits for the citizen instead.
AGENCY_PENDING_STATUSES = OPEN_STATUSES - {Filing.Status.RETURNED}

# The lifecycle: which status may follow which. Officers move a filing forward, reject it or
# return it for correction; the citizen withdraws it until the agency has received it, and
# resubmits a returned one (back to "submitted", the same filing). A returned filing may also end
# there, withdrawn or rejected: its procedure may have closed to the person meanwhile (the card
# expired, the benefit ended), and an open filing holds filing_one_open_per_procedure (and, for
# 607A/608A, filing_one_open_book_reissue).
TRANSITIONS: dict[str, set[str]] = {
    Filing.Status.SUBMITTED: {Filing.Status.RECEIVED, Filing.Status.WITHDRAWN, Filing.Status.REJECTED,
                              Filing.Status.RETURNED},
    Filing.Status.RECEIVED: {Filing.Status.PROCESSING, Filing.Status.REJECTED, Filing.Status.RETURNED},
    Filing.Status.PROCESSING: {Filing.Status.DONE, Filing.Status.REJECTED, Filing.Status.RETURNED},
    Filing.Status.RETURNED: {Filing.Status.SUBMITTED, Filing.Status.WITHDRAWN, Filing.Status.REJECTED},
    Filing.Status.DONE: set(),
    Filing.Status.REJECTED: set(),
    Filing.Status.WITHDRAWN: set(),
}


class FilingDocument(models.Model):
    """Evidence uploaded with a filing: an image re-encoded on upload (vssid_portal.images), or one
    file of a several-files field (vssid_portal.documents; `field` is then "<field>-<n>" and the
    file keeps the citizen's name, made safe, as the last part of its path)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="documents")
    field = models.CharField(_("mục"), max_length=40)
    label = models.CharField(_("tên giấy tờ"), max_length=200)
    file = models.FileField(_("tệp"), upload_to=filing_upload_path, max_length=255)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        ordering = ["field", "id"]
        verbose_name = _("giấy tờ kèm theo")
        verbose_name_plural = pgettext_lazy("số nhiều", "giấy tờ kèm theo")
        constraints = [models.UniqueConstraint(fields=["filing", "field"], name="filing_document_one_per_field")]

    def __str__(self):
        return self.filename if self.is_several else self.label

    @property
    def is_several(self) -> bool:
        return "-" in self.field

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


# The notes the portal itself writes in a filing's history: stored in Vietnamese, the audit trail
# officers read, and shown to the citizen in the page's language (FilingEvent.shown_note).
NOTE_WITHDRAWN = gettext_noop("Người nộp rút hồ sơ.")
NOTE_RESUBMITTED = gettext_noop("Người nộp đã sửa và nộp lại hồ sơ.")
SYSTEM_NOTES = frozenset({NOTE_WITHDRAWN, NOTE_RESUBMITTED})


class FilingEvent(models.Model):
    """Status history of a filing: every change, who made it and when (the audit trail)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("từ trạng thái"), max_length=12, choices=Filing.Status.choices, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Filing.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người thực hiện"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = pgettext_lazy("số nhiều", "lịch sử xử lý")
        # the new filings a login made within the last hour (services.SUBMISSIONS_PER_LOGIN): their first
        # events, read without scanning the login's whole history
        indexes = [models.Index(fields=["actor", "at"], condition=models.Q(from_status=""),
                                name="filingevent_made_by_idx")]

    def __str__(self):
        # Vietnamese whatever the page's language, as the admin's change log would keep it.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{self.get_status_display()} – {vn_datetime(self.at)}"

    @property
    def is_system_note(self) -> bool:
        """Whether the note is one the portal wrote, not one an officer typed."""
        return self.note in SYSTEM_NOTES

    @property
    def shown_note(self) -> str:
        """The note in the page's language when the portal wrote it; an officer's note as typed."""
        return gettext(self.note) if self.is_system_note else self.note
