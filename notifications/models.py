"""The message outbox: every SMS, e-mail and in-portal notice the portal sends is a row here."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "Email"
        INBOX = "inbox", _("Thông báo trên cổng")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")

    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="messages", verbose_name=_("người nhận"),
    )
    recipient = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True, help_text=_("Số điện thoại E.164 hoặc email."))
    template = models.CharField(_("mẫu"), max_length=100)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    language = models.CharField(_("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
                                help_text=_("Ngôn ngữ viết tiêu đề và nội dung."))
    sensitive = models.BooleanField(
        _("nội dung nhạy cảm"), default=False, help_text=_("Mật khẩu tạm, mã xác thực: nội dung được xóa khỏi hộp thư đi khi đã gửi.")
    )
    expires_at = models.DateTimeField(
        _("hết hạn lúc"), null=True, blank=True, help_text=_("Không gửi nữa sau lúc này (ví dụ mã xác thực 5 phút).")
    )
    attachment = models.CharField(_("tệp đính kèm"), max_length=300, blank=True, help_text=_("Tên tệp trong kho riêng tư (chỉ email)."))
    link = models.CharField(_("trang liên quan"), max_length=200, blank=True,
                            help_text=_("Trang của cổng mà thông báo nói đến (chỉ thông báo trên cổng)."))
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    # The lease of the run that is trying to send it (services.message_deliver): another run finds
    # it and stays away until then; a dead worker's lease runs out and the message is taken over.
    claimed_until = models.DateTimeField(
        _("giữ để gửi đến"), null=True, blank=True, editable=False,
        help_text=_("Một lần gửi đang giữ tin nhắn đến lúc này; lần gửi khác không gửi trùng trước lúc đó."),
    )
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    idempotency_key = models.CharField(_("khóa chống gửi trùng"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tin nhắn")
        verbose_name_plural = _("hộp thư đi")
        indexes = [
            models.Index(fields=["user", "channel", "read_at"], name="message_inbox_idx"),
            models.Index(fields=["status", "updated_at"], name="message_pending_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(channel="inbox") | models.Q(user__isnull=False), name="message_inbox_has_user"
            ),
            models.CheckConstraint(
                condition=models.Q(channel="inbox") | ~models.Q(recipient=""), name="message_delivery_has_recipient"
            ),
        ]

    SENSITIVE_HIDDEN = "(Nội dung nhạy cảm: mã xác thực hoặc mật khẩu tạm, không hiển thị.)"

    def __str__(self):
        said = self.subject or (self.SENSITIVE_HIDDEN if self.sensitive else self.body[:40])
        # Kept by the admin's change log (LogEntry.object_repr): Vietnamese whatever the page's language.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{self.get_channel_display()} → {self.recipient or self.user}: {said}"
