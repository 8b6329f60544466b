"""Texts about what the outbox sends, said where it is written: an officer's words that reach a
citizen as typed (a filing's rejection or return, a registration's or a benefit's refusal, a card's
reason, a feedback's answer) carry SENT_AS_TYPED, or SENT_AS_TYPED_IN_NOTICE, beside the field they
are typed in, so that an internal note is not sent by mistake."""

from django.utils.translation import gettext_lazy

SENT_AS_TYPED = gettext_lazy("Nội dung này được gửi cho người dân đúng như đã nhập, qua thư điện tử và hộp thư "
                             "trên Cổng (tin nhắn SMS chỉ mang phần đầu); không ghi chú nội bộ.")
# What a change of a person's records tells (accounts.services.notices.person_notify: a card's reason,
# a benefit's refusal): the notice in the portal and an SMS quoting the words' beginning, no e-mail.
SENT_AS_TYPED_IN_NOTICE = gettext_lazy("Nội dung này được gửi cho người dân đúng như đã nhập, qua thông báo trên "
                                       "Cổng và tin nhắn SMS (SMS chỉ mang phần đầu); không ghi chú nội bộ.")
