"""Feedback and complaints (phản ánh, kiến nghị) and the officers' answers.

Anyone may send one, logged in or not, to a BHXH agency of their choice; officers of that
agency (and of the agencies above it) read and answer it. The sender follows it by its tracking
number together with the phone number or e-mail address given, and receives the answer by SMS
and/or e-mail.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from accounts.validators import validate_vn_mobile
from lookup.models import Agency
from vssid_portal.text import PORTAL_NAME, fold

__all__ = ["Feedback"]


class Feedback(models.Model):
    class Kind(models.TextChoices):
        # Lazy labels: the sender's pages follow their language, and so do the messages to the sender.
        REPORT = "phan_anh", _("Phản ánh")
        PROPOSAL = "kien_nghi", _("Kiến nghị")

    class Topic(models.TextChoices):
        ACCOUNT = "tai_khoan", format_lazy(_("Tài khoản VssID, {portal}"), portal=PORTAL_NAME)
        CONTRIBUTION = "thu_so", _("Thu BHXH, BHYT; sổ BHXH")
        HEALTH_CARD = "bhyt", _("Thẻ BHYT, khám chữa bệnh BHYT")
        BENEFITS = "che_do", _("Chế độ BHXH, BHTN, lương hưu")
        PUBLIC_SERVICE = "dich_vu_cong", _("Hồ sơ dịch vụ công")
        CONDUCT = "thai_do", _("Thái độ, tác phong phục vụ")
        OTHER = "khac", _("Vấn đề khác")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận, đang xem xét")
        ANSWERED = "answered", _("Đã trả lời")

    tracking_number = models.CharField(_("mã phản ánh"), max_length=16, unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.REPORT)
    topic = models.CharField(_("lĩnh vực"), max_length=16, choices=Topic.choices)
    content = models.TextField(_("nội dung"), max_length=3000)
    attachment = models.FileField(_("tệp đính kèm"), upload_to="feedback", blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="feedback",
                               verbose_name=_("cơ quan BHXH nhận phản ánh"), db_index=False)  # first in ps_feedback_agency_order_idx
    full_name = models.CharField(_("họ và tên"), max_length=100)
    name_key = models.CharField(_("khóa tìm kiếm"), max_length=100, editable=False, default="")  # fold(full_name)
    phone = PhoneNumberField(_("số điện thoại di động"), blank=True, validators=[validate_vn_mobile])
    email = models.EmailField(_("thư điện tử"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="feedback", verbose_name=_("tài khoản gửi"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    answer = models.TextField(_("nội dung trả lời"), max_length=3000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("cán bộ trả lời"))
    answered_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(_("ngày gửi"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="ps_feedback_status_idx"),
                   # The officers' list in its default order (this ordering, then Django's "-pk"), newest
                   # first, without sorting all the feedback of the country (or of a province) for a page.
                   models.Index(fields=["-created_at", "-id"], name="ps_feedback_admin_order_idx"),
                   # The same order within one agency: a district officer's list, or any list filtered by
                   # agency, reads its first page there instead of the country's newest feedback one by one
                   # (all of it for an agency whose feedback is old or little). It serves the agency's
                   # foreign key too, which needs no index of its own.
                   models.Index(fields=["agency", "-created_at", "-id"], name="ps_feedback_agency_order_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(phone="") | ~models.Q(email=""), name="ps_feedback_has_contact"),
            models.CheckConstraint(
                condition=models.Q(status="received") | (~models.Q(answer="") & models.Q(answered_at__isnull=False)),
                name="ps_feedback_answered_has_answer",
            ),
        ]
        permissions = [("answer_feedback", _("Trả lời phản ánh, kiến nghị"))]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = pgettext_lazy("số nhiều", "phản ánh, kiến nghị")

    def save(self, *args, **kwargs):
        # The accent-folded key the officers' search looks in, kept with the name whatever writes it.
        self.name_key = fold(self.full_name)
        super().save(*args, **kwargs)

    def __str__(self):
        # Kept by the admin's change log (LogEntry.object_repr): Vietnamese whatever the page's language.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{self.tracking_number} – {self.get_topic_display()}"
