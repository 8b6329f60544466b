"""BHYT cards, the beneficiary tables they draw on, QR signing keys, clinic API tokens and the
verification log (the data-access log the holder sees as "Ai đã xem thẻ của tôi").

Which benefit level a beneficiary group gets is data (`BeneficiaryGroup.level`), not code: the
mapping changes by decree, and a card keeps the level it was issued with.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Person
from lookup.models import Agency, MedicalFacility
from vssid_portal.templatetags.vn_format import vn_datetime

__all__ = ["BenefitLevel", "BeneficiaryGroup", "Card", "SigningKey", "FacilityApiToken", "CardCheck"]


class BenefitLevel(models.Model):
    """Benefit level 1–5 printed in the card number, with the share of costs the fund pays."""

    level = models.PositiveSmallIntegerField(
        _("mức hưởng"), primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hưởng (%)"), validators=[MaxValueValidator(100)])
    description = models.CharField(_("mô tả"), max_length=200)

    class Meta:
        ordering = ["level"]
        verbose_name = _("mức hưởng BHYT")
        verbose_name_plural = pgettext_lazy("số nhiều", "mức hưởng BHYT")
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="benefit_level_1_to_5"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="benefit_level_percent"),
        ]

    def __str__(self):
        return f"Mức {self.level} – {self.percent} %"


class BeneficiaryGroup(models.Model):
    """A beneficiary group (the card number's two letters, QĐ 1351/QĐ-BHXH) and its level."""

    class Payer(models.TextChoices):
        EMPLOYMENT = "employment", _("Người lao động và người sử dụng lao động đóng")
        FUND = "fund", _("Tổ chức BHXH đóng")
        STATE = "state", _("Ngân sách nhà nước đóng")
        SUPPORTED = "supported", _("Ngân sách nhà nước hỗ trợ mức đóng")
        HOUSEHOLD = "household", _("Tham gia theo hộ gia đình")

    code = models.CharField(_("mã đối tượng"), max_length=2, primary_key=True,
                            validators=[RegexValidator(r"^[A-Z]{2}$", "Mã đối tượng gồm 2 chữ cái in hoa.")])
    name = models.CharField(_("tên đối tượng"), max_length=200)
    payer = models.CharField(_("nhóm đóng"), max_length=10, choices=Payer.choices)
    level = models.ForeignKey(BenefitLevel, on_delete=models.PROTECT, related_name="groups", verbose_name=_("mức hưởng"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("đối tượng tham gia BHYT")
        verbose_name_plural = pgettext_lazy("số nhiều", "đối tượng tham gia BHYT")

    def __str__(self):
        return f"{self.code} – {self.name}"


class Card(models.Model):
    """One version of a person's BHYT card. A reissue adds a row with the next version and marks
    the previous one replaced, so a QR of an older version is recognised as replaced."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang sử dụng")
        REPLACED = "replaced", _("Đã được thay bằng thẻ mới")
        REVOKED = "revoked", _("Đã thu hồi")
        EXPIRED = "expired", _("Hết hạn")

    class LivingArea(models.TextChoices):
        K1 = "K1", _("K1 – xã đảo, huyện đảo")
        K2 = "K2", _("K2 – vùng có điều kiện kinh tế – xã hội khó khăn")
        K3 = "K3", _("K3 – vùng có điều kiện kinh tế – xã hội đặc biệt khó khăn")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bhyt_cards", verbose_name=_("người tham gia"))
    number = models.CharField(_("mã thẻ"), max_length=10, db_index=True,
                              help_text=_("Mã số BHXH 10 chữ số (thẻ cấp từ 04/2021)."))
    legacy_number = models.CharField(_("mã thẻ 15 ký tự"), max_length=15, db_index=True,
                                     help_text=_("Mã đối tượng + mức hưởng + mã tỉnh + mã số BHXH."))
    group = models.ForeignKey(BeneficiaryGroup, on_delete=models.PROTECT, related_name="cards", verbose_name=_("đối tượng"))
    level = models.ForeignKey(BenefitLevel, on_delete=models.PROTECT, related_name="cards", verbose_name=_("mức hưởng"))
    facility = models.ForeignKey(MedicalFacility, on_delete=models.PROTECT, related_name="bhyt_cards",
                                 verbose_name=_("nơi đăng ký KCB ban đầu"))
    valid_from = models.DateField(_("giá trị sử dụng từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True,
                                help_text=_("Trống: không có ngày hết hạn, có giá trị khi thẻ đang sử dụng."))
    five_year_date = models.DateField(_("thời điểm đủ 5 năm liên tục"), null=True, blank=True)
    issued_on = models.DateField(_("ngày cấp"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="bhyt_cards", verbose_name=_("cơ quan cấp thẻ"))
    living_area = models.CharField(_("nơi sinh sống"), max_length=2, choices=LivingArea.choices, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    version = models.PositiveSmallIntegerField(_("lần cấp"), default=1,
                                               validators=[MinValueValidator(1), MaxValueValidator(999)])
    reason = models.CharField(_("lý do cấp"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    changed_at = models.DateTimeField(_("đổi trạng thái lúc"), null=True, blank=True)

    class Meta:
        ordering = ["person", "-version"]
        verbose_name = _("thẻ BHYT")
        verbose_name_plural = pgettext_lazy("số nhiều", "thẻ BHYT")
        permissions = [
            ("verify_card", _("Xác thực thẻ BHYT tại cơ sở KCB")),
            ("reissue_card", _("Cấp lại hoặc thu hồi thẻ BHYT")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="card_number_version_unique"),
            models.UniqueConstraint(fields=["person"], condition=models.Q(status="active"), name="card_one_active_per_person"),
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True) | models.Q(valid_from__lte=models.F("valid_to")),
                                   name="card_valid_from_before_to"),
            models.CheckConstraint(condition=models.Q(version__gte=1, version__lte=999), name="card_version_range"),
        ]

    def __str__(self):
        # Kept by the admin's change log (LogEntry.object_repr): Vietnamese whatever the page's language.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{self.legacy_number} (lần {self.version}, {self.get_status_display().lower()})"

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValidationError({"valid_to": gettext("Ngày hết hạn phải sau ngày bắt đầu có giá trị.")})

    @property
    def percent(self) -> int:
        return self.level.percent

    @property
    def open_ended(self) -> bool:
        """Valid with no end date: an active card without one. A card expired, revoked or replaced
        has ended though no end date was recorded."""
        return self.valid_to is None and self.status == self.Status.ACTIVE

    @property
    def ended_on(self) -> datetime.date | None:
        """The last day of the card's validity as a clinic is told it (the API's gtTheDen): its end
        date, or for a card expired, revoked or replaced before it or without one, the day (local)
        it was so marked: a card ended early is not told valid to a day still to come; None for a
        card in use without an end date, for a card ended without one whose change of status has no
        recorded time, and for one so marked before its first day: never valid, it has no last day,
        and a range never runs back from its first day."""
        if self.status == self.Status.ACTIVE or self.changed_at is None:
            return self.valid_to
        ended = timezone.localdate(self.changed_at)
        if self.valid_to is not None and ended >= self.valid_to:
            return self.valid_to
        return ended if ended >= self.valid_from else None

    @property
    def past_end_date(self) -> bool:
        """Whether today is after the card's end date: not so for a card marked expired without
        one, or before it (a birth date corrected since ended a child's card early)."""
        return self.valid_to is not None and self.valid_to < timezone.localdate()


class SigningKey(models.Model):
    """The public half of a QR signing key and its life: signing stops at `retired_at`, and QRs it
    signed still verify until `verify_until`. The private half never enters the database: it comes
    from the environment (settings.HEALTH_CARD_SIGNING_KEYS, see health_card/keys.py)."""

    key_id = models.CharField(_("mã khóa"), max_length=4, unique=True,
                              validators=[RegexValidator(r"^\d{4}$", "Mã khóa gồm 4 chữ số.")])
    public_key = models.CharField(_("khóa công khai Ed25519 (base64url)"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    retired_at = models.DateTimeField(_("ngừng ký từ"), null=True, blank=True,
                                      help_text=_("Sau thời điểm này khóa không ký mã QR mới."))
    verify_until = models.DateTimeField(_("còn xác thực đến"), null=True, blank=True,
                                        help_text=_("Mã QR đã ký bằng khóa này được chấp nhận đến thời điểm này. Trống: không hạn."))
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-key_id"]
        verbose_name = _("khóa ký mã QR")
        verbose_name_plural = pgettext_lazy("số nhiều", "khóa ký mã QR")

    def __str__(self):
        return f"Khóa {self.key_id}"


TOKEN_YEARS = 1  # a new clinic token's life unless the officer picks another day
TOKEN_MAX_YEARS = 2  # the longest an officer may give one


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 in a year without it
        return day.replace(year=day.year + years, day=28)


def token_day_end(day: datetime.date) -> datetime.datetime:
    """A token's expiry on `day`: the end of that day, local time (the officer picks a day)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def token_expiry_default():
    return token_day_end(add_years(timezone.localdate(), TOKEN_YEARS))


class FacilityApiToken(models.Model):
    """A KCB facility's key to the JSON verify API. Only a SHA-256 of the token is kept: it is
    shown once, when made. It works until `expires_at` (a new one's at most TOKEN_MAX_YEARS after it
    is made; migration 0009 gave older ones more), then the clinic asks the agency for a new one."""

    facility = models.ForeignKey(MedicalFacility, on_delete=models.PROTECT, related_name="bhyt_api_tokens",
                                 verbose_name=_("cơ sở KCB"))
    name = models.CharField(_("tên gợi nhớ"), max_length=100,
                            help_text=_("Ví dụ: Phần mềm HIS khoa Khám bệnh."))
    prefix = models.CharField(_("phần đầu của mã"), max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người tạo"), editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("hết hạn lúc"), default=token_expiry_default, db_index=True, editable=False)

    class Meta:
        ordering = ["facility", "-created_at"]
        verbose_name = _("mã truy cập API xác thực thẻ")
        verbose_name_plural = pgettext_lazy("số nhiều", "mã truy cập API xác thực thẻ")

    def __str__(self):
        return f"{self.prefix}… – {self.name}"

    def expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())


class CardCheck(models.Model):
    """One verification of a card: who asked, from which facility, how, when and the answer."""

    class Channel(models.TextChoices):
        QR = "qr", pgettext_lazy("cách xác thực", "Quét mã QR")  # how a check was made, not the page's "scan it"
        TYPED = "typed", _("Nhập mã thẻ, họ tên, ngày sinh")
        API = "api", _("Phần mềm của cơ sở KCB (API)")
        PUBLIC = "public", _("Trang xác thực công khai")

    card = models.ForeignKey(Card, on_delete=models.SET_NULL, null=True, blank=True, related_name="checks",
                             verbose_name=_("thẻ"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="bhyt_card_checks",
                               verbose_name=_("chủ thẻ"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("người xác thực"))
    facility = models.ForeignKey(MedicalFacility, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("cơ sở KCB"))
    token = models.ForeignKey(FacilityApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="checks",
                              verbose_name=_("mã API"))
    channel = models.CharField(_("cách xác thực"), max_length=8, choices=Channel.choices)
    # Made by a login: the access log names it so once `checked_by` is gone with a deleted login.
    signed_in = models.BooleanField(_("đã đăng nhập"), default=False, db_default=False)
    result = models.CharField(_("kết quả"), max_length=16)
    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("lượt xác thực thẻ")
        verbose_name_plural = _("nhật ký xác thực thẻ")
        indexes = [models.Index(fields=["person", "-at"], name="cardcheck_person_at_idx"),
                   # the officers' log, newest first, without sorting every check of the country
                   models.Index(fields=["-at"], name="cardcheck_at_idx")]

    def __str__(self):
        with translation.override(settings.LANGUAGE_CODE):  # as Card.__str__
            return f"{vn_datetime(self.at)} {self.get_channel_display()} – {self.result_label}"

    @property
    def result_label(self) -> str:
        from ..qr import Kind  # the QR module imports the models (through keys): read the table lazily
        from ..results import OUTCOMES

        try:
            return OUTCOMES[Kind(self.result)].label
        except ValueError:
            return self.result
