"""Participation periods (BHXH, BHTN, BHTNLĐ-BNN, BHYT) and the verifiable statements built from them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Person
from lookup.models import Agency, Employer, MedicalFacility, Province
from vssid_portal.dates import add_months
from vssid_portal.money import amount_at_most
from vssid_portal.templatetags.vn_format import vnd


def months_between(first, last) -> int:
    """Months from `first` to `last`, both counted (01/2020–12/2020 is 12)."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


# The most a month's contribution base may be, in đồng: the law caps it at 20 × the reference level
# (46,800,000 đ since 07/2025), so this leaves room for years of rises while refusing a base typed
# with a digit or more too many, which would show on the person's pages and in the one-time estimate.
# The monthly amount, the base times a rate of at most 100 %, is never above it either.
MAX_BASE = 200_000_000


class Period(models.Model):
    """A stretch of months with one insurance type, payer and contribution base."""

    class Kind(models.TextChoices):
        BHXH_COMPULSORY = "bhxh_bb", _("BHXH bắt buộc")
        BHXH_VOLUNTARY = "bhxh_tn", _("BHXH tự nguyện")
        BHTN = "bhtn", _("BHTN")
        BHTNLD = "bhtnld", _("BHTNLĐ-BNN")
        BHYT = "bhyt", _("BHYT")

    class Payer(models.TextChoices):
        EMPLOYER = "employer", _("Đơn vị sử dụng lao động")
        SELF = "self", _("Tự đóng")
        HOUSEHOLD = "household", _("Hộ gia đình")
        STATE = "state", _("Ngân sách nhà nước")
        FUND = "fund", _("Quỹ BHXH, BHTN đóng")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="periods", verbose_name=_("người tham gia"))
    kind = models.CharField(_("loại bảo hiểm"), max_length=8, choices=Kind.choices)
    from_month = models.DateField(_("từ tháng"), help_text=_("Ngày đầu tháng."))
    to_month = models.DateField(_("đến tháng"), help_text=_("Ngày đầu tháng cuối cùng (tính cả tháng này)."))
    payer = models.CharField(_("người đóng"), max_length=10, choices=Payer.choices, default=Payer.EMPLOYER)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="periods",
                                 verbose_name=_("đơn vị"))
    job_title = models.CharField(_("chức vụ, chức danh nghề"), max_length=200, blank=True)
    base = models.PositiveBigIntegerField(_("tiền lương / mức thu nhập làm căn cứ đóng (đ)"),
                                          validators=[amount_at_most(_("Căn cứ đóng"), MAX_BASE, per_month=True)])
    rate = models.DecimalField(_("tỷ lệ đóng (%)"), max_digits=5, decimal_places=2)
    amount = models.PositiveBigIntegerField(_("số tiền đóng mỗi tháng (đ)"),
                                            validators=[amount_at_most(_("Số tiền đóng mỗi tháng"), MAX_BASE)])
    unpaid_months = models.PositiveSmallIntegerField(
        _("số tháng còn nợ"), default=0,
        help_text=_("Số tháng cuối của giai đoạn mà người đóng (đơn vị, người tham gia, hộ gia đình, ngân sách "
                    "hoặc quỹ) chưa đóng đủ.")
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name=_("tỉnh/thành phố"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="periods", verbose_name=_("cơ quan BHXH quản lý"),
                               db_index=False)  # first in period_agency_order_idx
    facility = models.ForeignKey(MedicalFacility, on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name=_("nơi đăng ký KCB ban đầu"), help_text=_("Chỉ với BHYT."))
    import_key = models.CharField(max_length=120, unique=True, editable=False,
                                  help_text=_("Khóa tự nhiên: mã số BHXH, loại, từ tháng, đơn vị/người đóng."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-from_month", "kind"]
        verbose_name = _("giai đoạn tham gia")
        verbose_name_plural = _("quá trình tham gia")
        indexes = [models.Index(fields=["person", "kind", "-from_month"], name="period_person_kind_idx"),
                   # The officers' list in its default order (this ordering, then Django's "-pk"), newest
                   # months first, without sorting every period of the country (or of a province) for a page.
                   models.Index(fields=["-from_month", "kind", "-id"], name="period_admin_order_idx"),
                   # The same order within one agency: a district officer's list, or any list filtered by
                   # agency, reads its first page there instead of the country's newest periods one by one
                   # (all of them for an agency whose periods are old or few). It serves the agency's
                   # foreign key too, which needs no index of its own.
                   models.Index(fields=["agency", "-from_month", "kind", "-id"], name="period_agency_order_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(from_month__lte=models.F("to_month")), name="period_from_before_to"),
            models.CheckConstraint(condition=models.Q(rate__gte=0) & models.Q(rate__lte=100), name="period_rate_percent"),
            models.CheckConstraint(condition=models.Q(base__lte=MAX_BASE), name="period_base_at_most_max"),
        ]

    def __str__(self):
        # Kept by the admin's change log (LogEntry.object_repr): Vietnamese whatever the page's language.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{self.person.bhxh_code} {self.get_kind_display()} {self.from_month:%m/%Y}–{self.to_month:%m/%Y}"

    @property
    def months(self) -> int:
        return months_between(self.from_month, self.to_month)

    @property
    def payer_label(self) -> str:
        return self.employer.name if self.employer_id else self.get_payer_display()

    @property
    def base_label(self) -> str:
        """What `base` is called on the participation page and in the change notice: compulsory
        BHXH is based on the salary; other types on a contribution level."""
        return _("Tiền lương đóng") if self.kind == self.Kind.BHXH_COMPULSORY else _("Mức đóng")

    def natural_key(self) -> str:
        payer = self.employer.code if self.employer_id else self.payer
        return f"{self.person.bhxh_code}|{self.kind}|{self.from_month:%Y-%m}|{payer}"

    def expected_amount(self) -> int | None:
        """The monthly amount: the base times the rate, rounded down to the đồng (as the demo data are
        built); None while the base or a rate between 0 and 100 % is missing.
        clean() checks the amount against it (voluntary BHXH's may be less: the state's support),
        and fills in an amount left empty with it."""
        if self.base is None or self.rate is None or not 0 <= self.rate <= 100:
            return None
        return int(Decimal(self.base) * Decimal(self.rate) / 100)

    def latest_month(self, this_month):
        """The last month this period may cover, and why; None when no bound is known (the state
        budget's BHYT: a child's runs to the 72nd month, health_card's TE card rule; the BHXH fund's;
        compulsory BHXH paid by the person, e.g. a worker abroad under contract, who may pay 3, 6 or
        12 months at once or the whole contract term ahead under the Law on Social Insurance)."""
        monthly = {self.Kind.BHTN, self.Kind.BHTNLD}
        if (self.kind in monthly or (self.kind == self.Kind.BHXH_COMPULSORY and self.payer != self.Payer.SELF)
                or (self.kind == self.Kind.BHYT and self.payer == self.Payer.EMPLOYER)):
            return this_month, gettext("loại bảo hiểm này được kê khai, đóng theo từng tháng, không đóng trước")
        if self.kind == self.Kind.BHXH_VOLUNTARY:
            # The Law on Social Insurance: voluntary contributions may be paid ahead, at most 5 years at once.
            return add_months(this_month, 60), gettext("BHXH tự nguyện được đóng trước tối đa 5 năm (60 tháng)")
        if self.kind == self.Kind.BHYT and self.payer == self.Payer.HOUSEHOLD:
            # Decree 146/2018/NĐ-CP on health insurance: a household pays for 3, 6 or 12 months at once.
            return add_months(this_month, 12), gettext("BHYT hộ gia đình được đóng trước tối đa 12 tháng")
        return None

    def clean(self):
        errors = {}
        for field in ("from_month", "to_month"):
            value = getattr(self, field)
            if value and value.day != 1:
                setattr(self, field, value.replace(day=1))
        # Contributions are declared month by month, the current month included: a period cannot
        # start in a month not yet reached (its last month may, up to latest_month: voluntary BHXH, a
        # household's BHYT and compulsory BHXH paid by the person are paid ahead).
        this_month = timezone.localdate().replace(day=1)
        if self.from_month and self.from_month > this_month:
            errors["from_month"] = gettext("Tháng bắt đầu không được sau tháng hiện tại (%(month)s).") % {
                "month": f"{this_month:%m/%Y}"}
        # A child's BHYT starts in the month of birth at the earliest; nobody contributes before it.
        birth_date = self.person.birth_date if self.person_id else None
        if self.from_month and birth_date and self.from_month < birth_date.replace(day=1):
            born = f"{birth_date:%Y}" if self.person.birth_year_only else f"{birth_date:%m/%Y}"
            errors["from_month"] = gettext("Tháng bắt đầu không thể trước tháng sinh của người tham gia (%(born)s).") % {
                "born": born}
        if self.from_month and self.to_month and self.from_month > self.to_month:
            errors["to_month"] = gettext("Tháng kết thúc phải sau hoặc bằng tháng bắt đầu.")
        bound = self.latest_month(this_month) if self.to_month and self.kind else None
        if bound and self.to_month > bound[0] and "to_month" not in errors:
            errors["to_month"] = gettext("Tháng kết thúc không được sau %(month)s: %(why)s.") % {
                "month": f"{bound[0]:%m/%Y}", "why": bound[1]}
        if self.rate is not None and not 0 <= self.rate <= 100:
            errors["rate"] = gettext("Tỷ lệ đóng phải từ 0 đến 100 %.")
        # A base or an amount above MAX_BASE is refused by its field's validator: no amount is compared.
        expected = self.expected_amount() if max(self.base or 0, self.amount or 0) <= MAX_BASE else None
        if self.amount is None:  # left empty on the officers' form: computed by the same rule
            self.amount = expected
        elif expected is not None and self.kind == self.Kind.BHXH_VOLUNTARY:
            # 22 % of the income less the state's support, a fixed sum in đồng: no rate expresses it.
            if self.amount > expected:
                with translation.override(settings.LANGUAGE_CODE):
                    errors["amount"] = gettext(
                        "Số tiền đóng mỗi tháng của BHXH tự nguyện không được lớn hơn căn cứ đóng × tỷ lệ đóng (làm "
                        "tròn xuống đến đồng): %(expected)s. Số tiền nhỏ hơn là số đã trừ phần Nhà nước hỗ trợ.") % {
                        "expected": vnd(expected)}
        elif expected is not None and self.amount != expected:
            with translation.override(settings.LANGUAGE_CODE):
                errors["amount"] = gettext("Số tiền đóng mỗi tháng phải bằng căn cứ đóng × tỷ lệ đóng (làm tròn "
                                           "xuống đến đồng): %(expected)s.") % {"expected": vnd(expected)}
        if self.payer == self.Payer.EMPLOYER and not self.employer_id:
            errors["employer"] = gettext("Giai đoạn do đơn vị đóng phải có đơn vị.")
        if self.kind != self.Kind.BHYT and self.facility_id:
            errors["facility"] = gettext("Chỉ giai đoạn BHYT mới có nơi đăng ký KCB ban đầu.")
        if self.from_month and self.to_month and self.unpaid_months > months_between(self.from_month, self.to_month):
            errors["unpaid_months"] = gettext("Số tháng nợ không thể lớn hơn số tháng của giai đoạn.")
        if errors:
            raise ValidationError(errors)


class Statement(models.Model):
    """A verifiable statement of participation: a PDF whose short code opens a public check page."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Đang tạo")
        READY = "ready", _("Sẵn sàng")
        FAILED = "failed", pgettext_lazy("trạng thái bản xác nhận", "Lỗi")

    code = models.CharField(_("mã xác thực"), max_length=16, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="statements",
                               verbose_name=_("người tham gia"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("người yêu cầu"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.BUILDING)
    pdf = models.FileField(upload_to="statements/", blank=True)
    pdf_attempts = models.PositiveSmallIntegerField(_("số lần tạo PDF"), default=0)  # vssid_portal/jobs.py
    content_hash = models.CharField(_("mã băm nội dung (SHA-256)"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # when the current build was asked for: the request, or the last "Tạo lại văn bản"
    build_started_at = models.DateTimeField(_("bắt đầu tạo lúc"), default=timezone.now, editable=False)
    issued_at = models.DateTimeField(_("cấp lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bản xác nhận quá trình tham gia")
        verbose_name_plural = pgettext_lazy("số nhiều", "bản xác nhận quá trình tham gia")

    def __str__(self):
        return f"{self.code} – {self.person.bhxh_code}"
