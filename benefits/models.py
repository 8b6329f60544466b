"""Benefit records (one-time BHXH, sickness, maternity, pension, unemployment, TNLĐ-BNN), their
audit trail, and the salary adjustment coefficients the one-time estimator needs.

One table for every benefit type: the fields shared by all types (receipt, agency, status,
decision, amounts, payment) are columns, and each type's own details are a few typed, nullable
columns. `DETAIL_FIELDS` says which detail belongs to which type; the model's constraints are
generated from it, so the database refuses a sickness record without its days off or a pension
carrying a child's birth date, whatever writes the row.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Person
from lookup.models import Agency
from vssid_portal.money import amount_at_most
from vssid_portal.templatetags.vn_format import vn_date


class Kind(models.TextChoices):
    """Benefit types, in the order the citizen's page lists them."""

    ONE_TIME = "bhxh_1lan", _("BHXH một lần")
    SICKNESS = "om_dau", _("Ốm đau")
    MATERNITY = "thai_san", _("Thai sản")
    PENSION = "huu_tri", _("Lương hưu hằng tháng")
    UNEMPLOYMENT = "that_nghiep", _("Trợ cấp thất nghiệp")
    ACCIDENT = "tnld_bnn", _("Tai nạn lao động, bệnh nghề nghiệp")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    APPROVED = "approved", _("Đã giải quyết")
    PAID = "paid", _("Đã chi trả")
    REJECTED = "rejected", _("Không giải quyết")


DECIDED = (Status.APPROVED, Status.PAID)

# The steps a status action may take (benefit_set_status): a claim is examined, then decided or
# refused; only a decided claim is paid, and a payment is final; a refusal may be examined again
# (a complaint upheld).
NEXT_STATUSES = {
    Status.RECEIVED: (Status.PROCESSING, Status.APPROVED, Status.REJECTED),
    Status.PROCESSING: (Status.APPROVED, Status.REJECTED),
    Status.APPROVED: (Status.PAID,),
    Status.REJECTED: (Status.PROCESSING,),
    Status.PAID: (),
}


def step_allowed(current: str, status: str) -> bool:
    """Whether a status action may move a record from `current` to `status` (staying is no step)."""
    return status == current or status in NEXT_STATUSES[current]


def statuses_before(status: str) -> tuple[str, ...]:
    """The statuses from which a status action moves a record to `status` in one step."""
    return tuple(step for step, after in NEXT_STATUSES.items() if status in after)


def _reached_in_one_save(status: str) -> tuple[str, ...]:
    """The statuses one save of the edit page may move a record to from `status`: any the steps of
    NEXT_STATUSES reach, several at once (a claim entered once decided and paid), but a refusal
    examined again is a save of its own, so a refused claim is never decided or paid in the save that
    reopens it."""
    reached, todo = set(), [status]
    while todo:
        current = todo.pop()
        for step in NEXT_STATUSES[current]:
            if step not in reached:
                reached.add(step)
                if current != Status.REJECTED:
                    todo.append(step)
    return tuple(step for step in Status if step in reached and step != status)


REACHED_IN_ONE_SAVE = {status: _reached_in_one_save(status) for status in Status}

# The most a record may carry, in đồng: far above any real benefit (the largest one-time BHXH, 2
# months of the highest base, 20 × the reference level, for each of 45 years, is about 4.2 billion;
# the largest pension, 75 % of that base, about 35 million a month), so an amount typed with digits
# too many is refused instead of shown to the person and paid from.
MAX_AMOUNT = 10_000_000_000
MAX_MONTHLY_AMOUNT = 1_000_000_000


def _at_most(label: str, most: int) -> list:
    """The validator of an amount: not above `most`, saying so with `label` (amount_at_most)."""
    return [amount_at_most(label, most)]

# How a sentence names each type ("hồ sơ … đã được tiếp nhận").
KIND_PHRASES = {
    Kind.ONE_TIME: _("hưởng BHXH một lần"),
    Kind.SICKNESS: _("hưởng chế độ ốm đau"),
    Kind.MATERNITY: _("hưởng chế độ thai sản"),
    Kind.PENSION: _("hưởng lương hưu hằng tháng"),
    Kind.UNEMPLOYMENT: _("hưởng trợ cấp thất nghiệp"),
    Kind.ACCIDENT: _("hưởng chế độ tai nạn lao động, bệnh nghề nghiệp"),
}


# Each type's own details: field name → whether the type requires it. A field not listed for a
# type must stay empty for that type. Unemployment months are known only once decided, so they
# are required from the decision on (see Meta.constraints).
DETAIL_FIELDS: dict[str, dict[str, bool]] = {
    Kind.ONE_TIME: {"contribution_months": False},
    Kind.SICKNESS: {"days_off": True, "start_date": False},
    Kind.MATERNITY: {"child_birth_date": True, "days_off": False, "start_date": False},
    Kind.PENSION: {"start_date": False, "replacement_rate": False, "contribution_months": False},
    Kind.UNEMPLOYMENT: {"allowance_months": False, "start_date": False},
    Kind.ACCIDENT: {"impairment_percent": True, "event_date": False},
}
ALL_DETAILS = ("days_off", "start_date", "child_birth_date", "allowance_months", "impairment_percent",
               "replacement_rate", "event_date", "contribution_months")
DECIDED_DETAILS = {Kind.UNEMPLOYMENT: ("allowance_months",)}


def _kinds_with(field: str) -> list[str]:
    return [kind for kind, fields in DETAIL_FIELDS.items() if field in fields]


def _detail_constraints() -> list[models.CheckConstraint]:
    constraints = []
    for field in ALL_DETAILS:
        constraints.append(models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True}) | Q(kind__in=_kinds_with(field)),
            name=f"benefit_{field}_only_for_its_types",
        ))
    for kind, fields in DETAIL_FIELDS.items():
        for field, required in fields.items():
            if required:
                constraints.append(models.CheckConstraint(
                    condition=~Q(kind=kind) | Q(**{f"{field}__isnull": False}),
                    name=f"benefit_{kind}_has_{field}",
                ))
    for kind, fields in DECIDED_DETAILS.items():
        for field in fields:
            constraints.append(models.CheckConstraint(
                condition=~Q(kind=kind, status__in=DECIDED) | Q(**{f"{field}__isnull": False}),
                name=f"benefit_{kind}_decided_has_{field}",
            ))
    return constraints


class BenefitRecord(models.Model):
    """One claim for one benefit, from receipt by a BHXH agency to payment (or refusal)."""

    Kind = Kind
    Status = Status

    class PaymentMethod(models.TextChoices):
        BANK = "bank", _("Chuyển khoản vào tài khoản cá nhân")
        CASH = "cash", _("Tiền mặt tại điểm chi trả (bưu điện)")
        EMPLOYER = "employer", _("Qua đơn vị sử dụng lao động")

    reference = models.CharField(
        _("số hồ sơ"), max_length=30, unique=True,
        help_text=_("Số biên nhận in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả."),
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="benefits", verbose_name=_("người hưởng"))
    kind = models.CharField(_("chế độ"), max_length=12, choices=Kind.choices)
    received_on = models.DateField(_("ngày tiếp nhận hồ sơ"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="benefits",
                               verbose_name=_("cơ quan BHXH giải quyết"), db_index=False)  # first in benefit_agency_order_idx
    expected_on = models.DateField(_("ngày hẹn trả kết quả"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    reject_reason = models.TextField(_("lý do không giải quyết"), blank=True, help_text=_("Bắt buộc khi không giải quyết."))
    decision_number = models.CharField(_("số quyết định"), max_length=40, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    amount = models.BigIntegerField(
        _("số tiền được hưởng (đ)"), null=True, blank=True, validators=_at_most(_("Số tiền được hưởng"), MAX_AMOUNT),
        help_text=_("Số tiền một lần (BHXH một lần, ốm đau, thai sản, trợ cấp một lần) hoặc tổng số tiền của quyết định."),
    )
    monthly_amount = models.BigIntegerField(
        _("mức hưởng hằng tháng (đ)"), null=True, blank=True,
        validators=_at_most(_("Mức hưởng hằng tháng"), MAX_MONTHLY_AMOUNT),
        help_text=_("Lương hưu, trợ cấp thất nghiệp, trợ cấp TNLĐ-BNN hằng tháng."),
    )
    payment_method = models.CharField(_("hình thức nhận"), max_length=10, choices=PaymentMethod.choices, blank=True)
    paid_on = models.DateField(_("ngày chi trả"), null=True, blank=True)
    # The type's own details (see DETAIL_FIELDS).
    days_off = models.PositiveSmallIntegerField(
        _("số ngày nghỉ"), null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("Ốm đau (bắt buộc), thai sản."))
    start_date = models.DateField(_("hưởng từ ngày"), null=True, blank=True,
                                  help_text=_("Ngày bắt đầu nghỉ hoặc bắt đầu hưởng (ốm đau, thai sản, lương hưu, thất nghiệp)."))
    child_birth_date = models.DateField(_("ngày sinh của con"), null=True, blank=True, help_text=_("Thai sản (bắt buộc)."))
    allowance_months = models.PositiveSmallIntegerField(
        _("số tháng hưởng trợ cấp"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Thất nghiệp (bắt buộc khi đã có quyết định): 1–12 tháng."))
    impairment_percent = models.PositiveSmallIntegerField(
        _("tỷ lệ suy giảm khả năng lao động (%)"), null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(100)], help_text=_("TNLĐ-BNN (bắt buộc): 5–100 %."))
    replacement_rate = models.DecimalField(
        _("tỷ lệ hưởng lương hưu (%)"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(75)], help_text=_("Lương hưu: tối đa 75 %."))
    event_date = models.DateField(_("ngày bị tai nạn / phát hiện bệnh"), null=True, blank=True, help_text=_("TNLĐ-BNN."))
    contribution_months = models.PositiveSmallIntegerField(
        _("số tháng đóng BHXH được tính"), null=True, blank=True, help_text=_("BHXH một lần, lương hưu."))
    revision = models.PositiveIntegerField(_("lần cập nhật"), default=0, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("hồ sơ hưởng chế độ")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ hưởng chế độ")
        indexes = [models.Index(fields=["person", "kind", "-received_on"], name="benefit_person_kind_idx"),
                   # The officers' list in this order ("-id" ends it, so Django adds no "-pk"), newest receipts
                   # first, without sorting every record of the country (or of a province) for a page.
                   models.Index(fields=["-received_on", "-id"], name="benefit_admin_order_idx"),
                   # The same order within one agency: a district officer's list, or any list filtered by
                   # agency, reads its first page there instead of the country's newest records one by one
                   # (all of them for an agency whose records are old or few). It serves the agency's
                   # foreign key too, which needs no index of its own.
                   models.Index(fields=["agency", "-received_on", "-id"], name="benefit_agency_order_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="benefit_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="benefit_status_valid"),
            # rejected ⇔ a reason: a refusal always says why, and a reason never lingers on a record
            # that is no longer refused.
            models.CheckConstraint(condition=~Q(status=Status.REJECTED) | ~Q(reject_reason=""),
                                   name="benefit_rejected_has_reason"),
            models.CheckConstraint(condition=Q(status=Status.REJECTED) | Q(reject_reason=""),
                                   name="benefit_reason_only_when_rejected"),
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED) | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="benefit_decided_has_decision"),
            models.CheckConstraint(
                condition=~Q(status__in=DECIDED) | Q(amount__isnull=False) | Q(monthly_amount__isnull=False),
                name="benefit_decided_has_amount"),
            models.CheckConstraint(condition=~Q(status__in=DECIDED) | ~Q(payment_method=""),
                                   name="benefit_decided_has_payment_method"),
            models.CheckConstraint(condition=~Q(status=Status.PAID) | Q(paid_on__isnull=False),
                                   name="benefit_paid_has_date"),
            # Only a decision grants an amount, and only a payment has a date: an amount typed on a claim
            # received, examined or refused, or a payment date typed ahead of the payment, is no amount
            # granted nor a payment (added for the rows written from then on, as the caps below are).
            models.CheckConstraint(
                condition=Q(status__in=DECIDED) | (Q(amount__isnull=True) & Q(monthly_amount__isnull=True)),
                name="benefit_amount_only_when_decided"),
            models.CheckConstraint(condition=Q(status=Status.PAID) | Q(paid_on__isnull=True),
                                   name="benefit_paid_on_only_when_paid"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="benefit_amount_not_negative"),
            models.CheckConstraint(condition=Q(monthly_amount__isnull=True) | Q(monthly_amount__gte=0),
                                   name="benefit_monthly_amount_not_negative"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__lte=MAX_AMOUNT),
                                   name="benefit_amount_at_most_max"),
            models.CheckConstraint(condition=Q(monthly_amount__isnull=True) | Q(monthly_amount__lte=MAX_MONTHLY_AMOUNT),
                                   name="benefit_monthly_amount_at_most_max"),
            models.CheckConstraint(condition=Q(decision_date__isnull=True) | Q(decision_date__gte=F("received_on")),
                                   name="benefit_decision_after_receipt"),
            models.CheckConstraint(condition=Q(expected_on__isnull=True) | Q(expected_on__gte=F("received_on")),
                                   name="benefit_expected_after_receipt"),
            models.CheckConstraint(condition=Q(paid_on__isnull=True) | Q(paid_on__gte=F("received_on")),
                                   name="benefit_paid_after_receipt"),
            models.CheckConstraint(condition=Q(days_off__isnull=True) | Q(days_off__gte=1), name="benefit_days_off_positive"),
            models.CheckConstraint(
                condition=Q(allowance_months__isnull=True) | (Q(allowance_months__gte=1) & Q(allowance_months__lte=12)),
                name="benefit_allowance_months_range"),
            models.CheckConstraint(
                condition=Q(impairment_percent__isnull=True) | (Q(impairment_percent__gte=5) & Q(impairment_percent__lte=100)),
                name="benefit_impairment_range"),
            models.CheckConstraint(
                condition=Q(replacement_rate__isnull=True) | (Q(replacement_rate__gte=0) & Q(replacement_rate__lte=75)),
                name="benefit_replacement_rate_range"),
            *_detail_constraints(),
        ]

    def __str__(self):
        # Kept by the admin's change log (LogEntry.object_repr): Vietnamese whatever the page's language.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{self.reference} – {self.get_kind_display()} – {self.person.bhxh_code}"

    @property
    def kind_phrase(self) -> str:
        return KIND_PHRASES.get(self.kind, self.get_kind_display())

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED

    @property
    def paid_date(self):
        """The day it was paid, once it is: a date typed ahead of the payment is no payment yet."""
        return self.paid_on if self.status == Status.PAID else None

    @property
    def is_overdue(self) -> bool:
        """Still awaiting a decision after the day the agency promised the result."""
        return (self.status in (self.Status.RECEIVED, self.Status.PROCESSING) and self.expected_on is not None
                and self.expected_on < timezone.localdate())

    def details(self) -> list[tuple[str, object, str]]:
        """The type's own details that are filled in: (label, value, field name), in table order."""
        rows = []
        for name in DETAIL_FIELDS.get(self.kind, {}):
            value = getattr(self, name)
            if value is not None:
                rows.append((self._meta.get_field(name).verbose_name, value, name))
        return rows

    def clean(self):
        """The same rules as the constraints, with messages an officer can act on."""
        errors: dict[str, list[str]] = {}

        def error(field, message):
            errors.setdefault(field, []).append(message)

        self.reject_reason = (self.reject_reason or "").strip()
        self.decision_number = (self.decision_number or "").strip()
        fields = DETAIL_FIELDS.get(self.kind, {})
        kind_label = Kind(self.kind).label if self.kind in Kind.values else ""
        for name in ALL_DETAILS:
            label = self._meta.get_field(name).verbose_name
            value = getattr(self, name)
            if value is not None and name not in fields:
                error(name, gettext("Chế độ %(kind)s không có thông tin “%(field)s”: để trống ô này.")
                      % {"kind": kind_label, "field": label})
            elif value is None and fields.get(name):
                error(name, gettext("Nhập %(field)s cho hồ sơ %(kind)s.") % {"field": label, "kind": kind_label})
        decided = self.status in DECIDED
        for name in DECIDED_DETAILS.get(self.kind, ()):
            if decided and getattr(self, name) is None:
                error(name, gettext("Nhập %(field)s khi hồ sơ đã có quyết định.")
                      % {"field": self._meta.get_field(name).verbose_name})
        if self.status == Status.REJECTED and not self.reject_reason:
            error("reject_reason", gettext("Nhập lý do không giải quyết để báo cho người lao động."))
        if self.status != Status.REJECTED and self.reject_reason:
            error("reject_reason", gettext("Chỉ ghi lý do khi hồ sơ không được giải quyết: xóa lý do hoặc chọn trạng thái "
                                           "“%(rejected)s”.") % {"rejected": Status.REJECTED.label})
        if decided:
            if not self.decision_number:
                error("decision_number", gettext("Nhập số quyết định khi hồ sơ đã được giải quyết."))
            if self.decision_date is None:
                error("decision_date", gettext("Nhập ngày quyết định khi hồ sơ đã được giải quyết."))
            if self.amount is None and self.monthly_amount is None:
                error("amount", gettext("Nhập số tiền được hưởng hoặc mức hưởng hằng tháng."))
            if not self.payment_method:
                error("payment_method", gettext("Chọn hình thức nhận tiền khi hồ sơ đã được giải quyết."))
        if self.status == Status.PAID and self.paid_on is None:
            error("paid_on", gettext("Nhập ngày chi trả khi hồ sơ đã chi trả."))
        labels = {"approved": Status.APPROVED.label, "paid": Status.PAID.label}
        if self.status != Status.PAID and self.paid_on is not None:
            error("paid_on", gettext("Chỉ hồ sơ “%(paid)s” mới có ngày chi trả: để trống ô này, hoặc chọn trạng thái "
                                     "“%(paid)s” khi đã chi trả.") % labels)
        not_granted = {
            "amount": gettext("Chỉ hồ sơ “%(approved)s” hoặc “%(paid)s” mới có số tiền được hưởng: để trống ô này, "
                              "hoặc chọn một trong hai trạng thái đó khi đã có quyết định.") % labels,
            "monthly_amount": gettext("Chỉ hồ sơ “%(approved)s” hoặc “%(paid)s” mới có mức hưởng hằng tháng: để trống "
                                      "ô này, hoặc chọn một trong hai trạng thái đó khi đã có quyết định.") % labels,
        }
        for name, most in (("amount", MAX_AMOUNT), ("monthly_amount", MAX_MONTHLY_AMOUNT)):
            value = getattr(self, name)
            if value is None or value > most:  # above the most: the field's validator (_at_most) says so
                continue
            if not decided:
                error(name, not_granted[name])
            elif value < 0:
                error(name, gettext("Số tiền không được âm."))
        # A claim is received, decided and paid (an accident happens) on days that have come, by a
        # person already born; the day promised for the result and the days a benefit runs may be ahead.
        today = timezone.localdate()
        for name in ("received_on", "decision_date", "paid_on", "event_date"):
            value = getattr(self, name)
            if value is not None and value > today:
                error(name, gettext("%(field)s không được sau ngày hôm nay (%(today)s).")
                      % {"field": capfirst(self._meta.get_field(name).verbose_name), "today": vn_date(today)})
        birth_date = self.person.birth_date if self.person_id else None
        for name in ("received_on", "start_date", "child_birth_date", "event_date") if birth_date else ():
            value = getattr(self, name)
            if value is not None and value < birth_date:
                born = vn_date(birth_date, year_only=self.person.birth_year_only)
                error(name, gettext("%(field)s không thể trước ngày sinh của người hưởng (%(born)s).")
                      % {"field": capfirst(self._meta.get_field(name).verbose_name), "born": born})
        if self.received_on:
            for name in ("decision_date", "expected_on", "paid_on"):
                value = getattr(self, name)
                if value is not None and value < self.received_on:
                    error(name, gettext("%(field)s không thể trước ngày tiếp nhận hồ sơ.")
                          % {"field": capfirst(self._meta.get_field(name).verbose_name)})
        if errors:
            raise ValidationError(errors)


class BenefitEvent(models.Model):
    """Audit trail of a benefit record: who changed what, and when."""

    record = models.ForeignKey(BenefitRecord, on_delete=models.CASCADE, related_name="events", verbose_name=_("hồ sơ"))
    revision = models.PositiveIntegerField(_("lần cập nhật"))
    status = models.CharField(_("trạng thái sau thay đổi"), max_length=10, choices=Status.choices)
    changes = models.TextField(_("nội dung thay đổi"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("người thực hiện"))
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("nhật ký cập nhật")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhật ký cập nhật")
        constraints = [models.UniqueConstraint(fields=["record", "revision"], name="benefit_event_one_per_revision")]

    def __str__(self):
        return f"{self.record.reference} #{self.revision}"


class SalaryAdjustment(models.Model):
    """Coefficient that brings the salary (or voluntary income) contributed in a past year to
    today's value, for the average of art. 72 (compulsory) and art. 104 (voluntary) of Law
    41/2024. The Ministry publishes a new table every year: officers update the rows here."""

    class Scheme(models.TextChoices):
        COMPULSORY = "bhxh_bb", _("Tiền lương đóng BHXH bắt buộc")
        VOLUNTARY = "bhxh_tn", _("Thu nhập đóng BHXH tự nguyện")

    # A year's limits in the model's own words: a number's, Django's or the admin's (own_limits), write 1.960.
    YEAR_RANGE = _("Nhập năm từ 1960 đến 2100.")

    scheme = models.CharField(_("loại"), max_length=8, choices=Scheme.choices)
    year = models.PositiveSmallIntegerField(
        _("năm đóng"), validators=[MinValueValidator(1960, message=YEAR_RANGE),
                                MaxValueValidator(2100, message=YEAR_RANGE)],
        help_text=_("Dòng của năm sớm nhất cũng áp dụng cho mọi năm trước đó (ví dụ “trước 1995”)."))
    coefficient = models.DecimalField(_("mức điều chỉnh"), max_digits=5, decimal_places=2,
                                      validators=[MinValueValidator(1)])
    source = models.CharField(_("căn cứ"), max_length=200, help_text=_("Văn bản công bố hệ số, hoặc “minh họa”."))
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["scheme", "year"]
        verbose_name = _("mức điều chỉnh tiền lương, thu nhập đã đóng")
        verbose_name_plural = pgettext_lazy("số nhiều", "mức điều chỉnh tiền lương, thu nhập đã đóng")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="salary_adjustment_one_per_year"),
            models.CheckConstraint(condition=Q(coefficient__gte=1), name="salary_adjustment_at_least_one"),
            models.CheckConstraint(condition=Q(scheme__in=["bhxh_bb", "bhxh_tn"]), name="salary_adjustment_scheme_valid"),
        ]

    def __str__(self):
        with translation.override(settings.LANGUAGE_CODE):  # as BenefitRecord.__str__
            return f"{self.get_scheme_display()} {self.year}: {self.coefficient}"
