"""Texts about what the outbox sends, said where it is written: an officer's words that reach a
citizen as typed (a filing's rejection or return, a registration's or a benefit's refusal, a card's
reason, a feedback's answer) carry SENT_AS_TYPED beside the field they are typed in, so that an
internal note is not sent by mistake."""

from django.utils.translation import gettext_lazy

SENT_AS_TYPED = gettext_lazy("Nội dung này được gửi cho người dân đúng như đã nhập, qua thư điện tử và hộp thư "
                             "trên Cổng (tin nhắn SMS chỉ mang phần đầu); không ghi chú nội bộ.")
