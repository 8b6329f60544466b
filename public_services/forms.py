"""Forms of the feedback pages: sending a feedback (with an optional image or PDF attachment)
and finding one again by its tracking number and the sender's phone or e-mail."""

from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.forms.models import ModelChoiceIterator
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import VnMobileField
from lookup.models import Agency
from vssid_portal.documents import check_pdf, shown_filename, sniff
from vssid_portal.forms import CodeField, EmailField, NameField, TextField
from vssid_portal.images import ALLOWED_FORMATS, validate_image

from .models import Feedback

CONTENT_LIMIT = 3000
EMAIL_LIMIT = 254  # Feedback.email and the outbox's Message.recipient
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024


def clean_attachment(upload) -> ContentFile:
    """An image (re-encoded, metadata dropped) or a PDF (whole and without active content, checked
    as the filings' attached PDFs are), ≤ 5 MB."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(gettext("Tệp đính kèm quá lớn: tối đa 5 MB."), code="too_large")
    if upload.size == 0:
        raise ValidationError(gettext("Tệp đính kèm rỗng. Hãy chọn lại tệp."), code="empty")
    upload.seek(0)
    data = upload.read()
    if sniff(data) == "pdf":
        return ContentFile(check_pdf(data, shown_filename(upload.name) or "dinh-kem.pdf"), name="dinh-kem.pdf")
    try:
        clean = validate_image(upload, max_bytes=ATTACHMENT_MAX_BYTES)
    except ValidationError as exc:
        if exc.code in {"not_image", "format"}:
            raise ValidationError(gettext("Chỉ nhận tệp PDF hoặc ảnh JPEG, PNG, WebP."), code="format") from exc
        raise
    clean.content.name = f"dinh-kem.{ALLOWED_FORMATS[clean.format]}"
    return clean.content


class AgenciesByProvince(ModelChoiceIterator):
    """The agencies as option groups, one per province (a long list stays easy to scan on a phone)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        agencies = self.queryset.select_related("province").order_by("province__sort_key", "code")
        for province, group in groupby(agencies, key=lambda agency: agency.province.name):
            yield (province, [self.choice(agency) for agency in group])


class AgencyChoiceField(forms.ModelChoiceField):
    iterator = AgenciesByProvince

    def label_from_instance(self, obj):
        return obj.name


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Feedback.Kind.choices, widget=forms.RadioSelect,
                             initial=Feedback.Kind.REPORT,
                             error_messages={"required": _("Chọn phản ánh hoặc kiến nghị.")})
    topic = forms.ChoiceField(label=_("Lĩnh vực"), choices=[("", _("– Chọn lĩnh vực –")), *Feedback.Topic.choices],
                              error_messages={"required": _("Chọn lĩnh vực của phản ánh, kiến nghị."),
                                              "invalid_choice": _("Chọn một lĩnh vực trong danh sách.")})
    agency = AgencyChoiceField(
        label=_("Cơ quan BHXH nhận phản ánh"), queryset=Agency.objects.all(), empty_label=_("– Chọn cơ quan BHXH –"),
        help_text=_("Cơ quan BHXH nơi bạn cư trú, làm việc hoặc nơi xảy ra sự việc. "
                    "Chưa rõ thì chọn BHXH tỉnh, thành phố."),
        error_messages={"required": _("Chọn cơ quan BHXH nhận phản ánh."),
                        "invalid_choice": _("Chọn cơ quan BHXH trong danh sách.")},
    )
    content = TextField(
        label=pgettext_lazy("nội dung phản ánh, kiến nghị", "Nội dung"), max_length=CONTENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=format_lazy(_("Mô tả sự việc, thời gian, nơi xảy ra; tối đa {limit} ký tự. "
                                "Không ghi mật khẩu hay mã xác thực."), limit=CONTENT_LIMIT),
        error_messages={"required": _("Nhập nội dung phản ánh, kiến nghị."),
                        "max_length": format_lazy(_("Nhập tối đa {limit} ký tự."), limit=CONTENT_LIMIT)},
    )
    attachment = forms.FileField(
        label=_("Tệp đính kèm (không bắt buộc)"), required=False,
        help_text=_("Một ảnh JPEG, PNG, WebP hoặc tệp PDF, tối đa 5 MB."),
        error_messages={"empty": _("Tệp đính kèm rỗng. Hãy chọn lại tệp."),
                        "invalid": _("Không đọc được tệp đính kèm. Hãy chọn lại tệp.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )
    full_name = NameField(label=_("Họ và tên"), widget=forms.TextInput(attrs={"autocomplete": "name"}),
                          error_messages={"required": _("Nhập họ và tên người gửi.")})
    phone = VnMobileField(label=_("Số điện thoại di động"), required=False,
                          help_text=_("Nhận mã phản ánh và câu trả lời qua SMS."))
    email = EmailField(
        label=_("Thư điện tử"), required=False, max_length=EMAIL_LIMIT,
        help_text=_("Nhận câu trả lời qua thư điện tử. Nhập số điện thoại, thư điện tử hoặc cả hai."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Nhập địa chỉ thư điện tử đúng dạng, ví dụ ten@example.com."),
                        "max_length": format_lazy(_("Địa chỉ thư điện tử dài tối đa {limit} ký tự."),
                                                  limit=EMAIL_LIMIT)},
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return clean_attachment(upload) if upload else None

    def attachment_not_sent(self) -> None:
        """The form is shown again without the file chosen (a browser never sends it twice): when it
        passed its check, its box says so, for the sender to choose it again."""
        upload = self.files.get("attachment") if self.is_bound else None
        if upload and "attachment" not in self.errors:
            self["attachment"].help_text = gettext(
                "Tệp “%(name)s” bạn đã chọn chưa được gửi: hãy chọn lại tệp trước khi gửi phản ánh. "
                "Một ảnh JPEG, PNG, WebP hoặc tệp PDF, tối đa 5 MB.") % {"name": shown_filename(upload.name)}

    def clean(self):
        cleaned = super().clean()
        if not self.errors.get("phone") and not self.errors.get("email") and not cleaned.get("phone") and not cleaned.get("email"):
            self.add_error("phone", gettext("Nhập số điện thoại di động hoặc thư điện tử để nhận câu trả lời."))
        return cleaned


class FeedbackLookupForm(forms.Form):
    tracking_number = CodeField(
        label=_("Mã phản ánh"), max_length=16, upper=True, help_text=_("In trong tin nhắn xác nhận, ví dụ PA2611ABCD2345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Nhập mã phản ánh.")},
    )
    contact = TextField(  # without the invisible characters a paste brings, as the address was stored
        label=_("Số điện thoại hoặc thư điện tử đã khai khi gửi"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Nhập số điện thoại hoặc thư điện tử đã khai khi gửi.")},
    )

    def __init__(self, *args, contact_first: bool = False, **kwargs):
        """`contact_first` when the tracking number came filled in (a status link opened after its
        session ended): the focus starts in the contact box, the one still to fill. Otherwise the
        page opens at its top, and a form shown again with errors gives the focus to its error
        summary (error-summary.js)."""
        super().__init__(*args, **kwargs)
        if contact_first:
            self.fields["contact"].widget.attrs["autofocus"] = True
