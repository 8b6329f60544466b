"""The medical-visit history (sổ KCB): visits and their cost lines.

A visit is one episode of care at one KCB facility (a "lượt khám chữa bệnh" in the hospitals'
claim exports): who, where, when, outpatient or inpatient, the primary ICD-10 diagnosis and what
it cost — in total, paid by the BHYT fund and paid by the patient. Its cost lines break the cost
down (examination, tests, imaging, medicines, bed days, ...).

Money is whole đồng. The database holds what one row can check (amounts from 0 to MAX_AMOUNT, BHYT +
patient = total, discharge not before admission, a line's BHYT share within its amount); that a
visit's totals equal the sums of its lines spans rows, so services/visits.py checks it on every
write through `check_totals`.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Person
from lookup.models import MedicalFacility
from vssid_portal.money import amount_at_most, at_most_message, round_vnd
from vssid_portal.templatetags.vn_format import vn_date, vn_number

__all__ = ["ICD10_PATTERN", "MAX_AMOUNT", "CostCategory", "Visit", "VisitEvent", "VisitKind", "VisitLine", "normalize_icd10"]

# WHO ICD-10 as the Ministry of Health publishes it: a letter, two digits, then optionally a dot
# and one or two characters (J06.9, K35.8, A09, S72.00).
ICD10_PATTERN = r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$"
ICD10_MESSAGE = _("Mã ICD-10 gồm một chữ cái, hai chữ số và có thể thêm dấu chấm với 1–2 ký tự, ví dụ J06.9, K35.8, A09.")


def normalize_icd10(code: str) -> str:
    """' j069 ' → 'J06.9': upper case, no spaces, the dot put back where exports leave it out."""
    code = re.sub(r"\s+", "", code or "").upper()
    if re.fullmatch(r"[A-Z][0-9]{2}[0-9A-Z]{1,2}", code):
        code = f"{code[:3]}.{code[3:]}"
    return code


class VisitKind(models.TextChoices):
    OUTPATIENT = "ngoai_tru", _("Ngoại trú")
    INPATIENT = "noi_tru", _("Nội trú")


class CostCategory(models.TextChoices):
    """Cost groups of the hospitals' BHYT claim data (nhóm chi phí), in the order a bill lists them."""

    EXAMINATION = "kham_benh", _("Khám bệnh")
    TEST = "xet_nghiem", _("Xét nghiệm")
    IMAGING = "cdha", _("Chẩn đoán hình ảnh")
    FUNCTION_TEST = "tham_do", _("Thăm dò chức năng")
    MEDICINE = "thuoc", _("Thuốc")
    BLOOD = "mau", _("Máu và chế phẩm máu")
    SUPPLIES = "vat_tu", _("Vật tư y tế")
    BED_DAYS = "ngay_giuong", _("Ngày giường")
    PROCEDURE = "thu_thuat", _("Thủ thuật, phẫu thuật")
    TRANSPORT = "van_chuyen", _("Vận chuyển người bệnh")
    OTHER = "khac", _("Chi phí khác")


# The most any money amount of a visit or of a cost line may be, in đồng: ten times the benefits' cap
# (benefits.models.MAX_AMOUNT), far above what even a months-long inpatient stay on the dearest
# treatments costs, so that an amount typed with digits too many is refused instead of shown to the
# person and summed into their book's yearly totals.
MAX_AMOUNT = 100_000_000_000


def _non_negative(*fields: str) -> list[models.CheckConstraint]:
    return [models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=f"%(class)s_{field}_non_negative",
                                   violation_error_message="Số tiền không được âm.")
            for field in fields]


def _at_most_message(label: str) -> str:
    return at_most_message(label, MAX_AMOUNT)


def _at_most(label: str) -> list:
    """The validators of a money amount: not negative, not above MAX_AMOUNT (saying so with `label`)."""
    return [MinValueValidator(0), amount_at_most(label, MAX_AMOUNT)]


def _at_most_max(**labels: str) -> list[models.CheckConstraint]:
    return [models.CheckConstraint(condition=Q(**{f"{field}__lte": MAX_AMOUNT}), name=f"%(class)s_{field}_at_most_max",
                                   violation_error_message=_at_most_message(label))
            for field, label in labels.items()]


# How a message names each amount ("Tổng chi phí không được lớn hơn …").
VISIT_AMOUNTS = {"total_cost": _("Tổng chi phí"), "bhyt_paid": _("Phần BHYT chi trả"),
                 "patient_paid": _("Phần người bệnh chi trả")}
LINE_AMOUNTS = {"unit_price": _("Đơn giá"), "amount": _("Thành tiền"), "bhyt_amount": _("Phần BHYT chi trả")}


class Visit(models.Model):
    """One visit (lượt khám chữa bệnh) of one person at one facility."""

    Kind = VisitKind

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits", verbose_name=_("người bệnh"))
    facility = models.ForeignKey(MedicalFacility, on_delete=models.PROTECT, related_name="visits",
                                 verbose_name=_("cơ sở KCB"))
    reference = models.CharField(
        _("mã lượt khám chữa bệnh"), max_length=30,
        help_text=_("Mã do cơ sở KCB cấp cho lượt khám (mã liên kết trên dữ liệu đề nghị thanh toán BHYT)."),
    )
    kind = models.CharField(_("hình thức điều trị"), max_length=10, choices=VisitKind.choices)
    admitted_on = models.DateField(_("ngày vào"))
    discharged_on = models.DateField(_("ngày ra"))
    diagnosis_code = models.CharField(_("mã bệnh chính (ICD-10)"), max_length=6, help_text=_("Ví dụ J06.9, K35.8, A09."))
    diagnosis_name = models.CharField(_("chẩn đoán chính"), max_length=255)
    total_cost = models.BigIntegerField(_("tổng chi phí (đồng)"), validators=_at_most(VISIT_AMOUNTS["total_cost"]))
    bhyt_paid = models.BigIntegerField(_("BHYT chi trả (đồng)"), validators=_at_most(VISIT_AMOUNTS["bhyt_paid"]))
    patient_paid = models.BigIntegerField(_("người bệnh chi trả (đồng)"),
                                       validators=_at_most(VISIT_AMOUNTS["patient_paid"]))
    revision = models.PositiveIntegerField(_("lần cập nhật"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-admitted_on", "-pk"]
        verbose_name = _("lượt khám chữa bệnh")
        verbose_name_plural = pgettext_lazy("số nhiều", "lượt khám chữa bệnh")
        indexes = [models.Index(F("person"), F("admitted_on").desc(), name="visit_person_admitted_idx")]
        constraints = [
            models.UniqueConstraint(fields=["facility", "reference"], name="visit_reference_unique_per_facility",
                                    violation_error_message="Cơ sở KCB này đã có lượt khám với mã này."),
            *_non_negative("total_cost", "bhyt_paid", "patient_paid"),
            *_at_most_max(**VISIT_AMOUNTS),
            models.CheckConstraint(condition=Q(total_cost=F("bhyt_paid") + F("patient_paid")),
                                   name="visit_total_is_bhyt_plus_patient",
                                   violation_error_message="Tổng chi phí phải bằng phần BHYT chi trả cộng phần người "
                                                           "bệnh chi trả."),
            models.CheckConstraint(condition=Q(discharged_on__gte=F("admitted_on")),
                                   name="visit_discharge_after_admission",
                                   violation_error_message="Ngày ra không được trước ngày vào."),
            models.CheckConstraint(condition=Q(diagnosis_code__regex=ICD10_PATTERN), name="visit_icd10_shape",
                                   violation_error_message=ICD10_MESSAGE),
        ]

    def __str__(self):
        return f"{self.reference} – {vn_date(self.admitted_on)} – {self.diagnosis_code} {self.diagnosis_name}"

    def clean(self):
        # Normalised before it is checked: clinic exports often write J069 for J06.9.
        self.diagnosis_code = normalize_icd10(self.diagnosis_code)
        if not re.fullmatch(ICD10_PATTERN, self.diagnosis_code):
            raise ValidationError({"diagnosis_code": ICD10_MESSAGE})
        self.diagnosis_name = " ".join((self.diagnosis_name or "").split())
        self.reference = (self.reference or "").strip()

    @property
    def days(self) -> int:
        """Treatment days as hospitals count them: discharge − admission, at least one."""
        return max((self.discharged_on - self.admitted_on).days, 1)


class VisitLine(models.Model):
    """One line of a visit's bill: a service, medicine, supply or bed day, and who paid for it."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="lines", verbose_name=_("lượt khám"))
    category = models.CharField(_("nhóm chi phí"), max_length=12, choices=CostCategory.choices)
    description = models.CharField(_("nội dung"), max_length=255)
    unit = models.CharField(_("đơn vị tính"), max_length=20, blank=True)
    quantity = models.DecimalField(_("số lượng"), max_digits=10, decimal_places=2)
    unit_price = models.BigIntegerField(_("đơn giá (đồng)"), validators=_at_most(LINE_AMOUNTS["unit_price"]))
    amount = models.BigIntegerField(_("thành tiền (đồng)"), validators=_at_most(LINE_AMOUNTS["amount"]),
                                    help_text=_("Số lượng × đơn giá, làm tròn đến đồng."))
    bhyt_amount = models.BigIntegerField(_("BHYT chi trả (đồng)"), validators=_at_most(LINE_AMOUNTS["bhyt_amount"]))

    class Meta:
        ordering = ["visit", "pk"]
        verbose_name = _("dòng chi phí")
        verbose_name_plural = _("chi phí chi tiết")
        constraints = [
            *_non_negative("unit_price", "amount", "bhyt_amount"),
            *_at_most_max(**LINE_AMOUNTS),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="visitline_quantity_positive",
                                   violation_error_message="Số lượng phải lớn hơn 0."),
            models.CheckConstraint(condition=Q(bhyt_amount__lte=F("amount")), name="visitline_bhyt_within_amount",
                                   violation_error_message="Phần BHYT chi trả không được lớn hơn thành tiền."),
        ]

    def __str__(self):
        # Kept by the admin's change log (LogEntry): Vietnamese whatever the page's language.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{self.get_category_display()}: {self.description}"

    @property
    def patient_amount(self) -> int:
        return self.amount - self.bhyt_amount

    @property
    def quantity_display(self) -> str:
        """2.00 → '2', 1.50 → '1,5' (in English '1.5': the page's language)."""
        return vn_number(self.quantity)

    def expected_amount(self) -> int | None:
        if self.quantity is None or self.unit_price is None:
            return None
        return round_vnd(Decimal(self.quantity) * self.unit_price)

    def clean(self):
        self.description = " ".join((self.description or "").split())
        expected = self.expected_amount()
        if expected is not None and self.amount is not None and self.amount != expected:
            # grouped as the page's language writes money: 1.234.567 đồng, in English 1,234,567 VND
            raise ValidationError({"amount": gettext("Thành tiền phải bằng số lượng × đơn giá (%(expected)s đồng).")
                                   % {"expected": vn_number(expected)}})


class VisitEvent(models.Model):
    """Audit trail of a visit: who entered or corrected it, when, and what changed."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="events", verbose_name=_("lượt khám"))
    revision = models.PositiveIntegerField(_("lần cập nhật"))
    changes = models.TextField(_("nội dung thay đổi"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("người thực hiện"))
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("nhật ký cập nhật")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhật ký cập nhật")
