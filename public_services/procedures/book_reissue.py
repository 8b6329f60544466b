"""607A – reissue of the BHXH book without change of personal information (lost or damaged).

Form fields follow VssID's 607 screen (QĐ 490/2023, declaration TK1-TS): the request in words
(≤ 1000 characters), the papers attached, and delivery of the result by post to the address given
or pick-up. Handling time: 10 working days (unconfirmed: check the current list of procedures).
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vssid_portal.documents import DocumentsField

from .base import Procedure
from .fields import DeliveryForm, long_text
from .registry import register

MAX_FILES = 6  # VssID's 607 screen: at most 6 files, 5 MB in all
MAX_BYTES = 5 * 1024 * 1024
REASONS = [("mat", _("Bị mất sổ")), ("hong", _("Sổ bị hỏng (rách, nhòe, không đọc được)"))]


class BookReissueForm(DeliveryForm):
    reason = forms.ChoiceField(
        label=_("Lý do cấp lại"), choices=REASONS, widget=forms.RadioSelect,
        error_messages={"required": _("Chọn lý do cấp lại sổ.")},
    )
    details = long_text(_("Nội dung yêu cầu"), help_text=_("Ví dụ: mất sổ khi chuyển nhà. Tối đa 1000 ký tự."),
                        missing=_("Nhập nội dung yêu cầu cấp lại sổ."))
    attachments = long_text(_("Hồ sơ kèm theo"), required=False,
                            help_text=_("Giấy tờ bạn gửi kèm (nếu có). Tối đa 1000 ký tự."))
    attached_files = DocumentsField(
        label=_("Tệp hồ sơ kèm theo (không bắt buộc)"), max_files=MAX_FILES, max_bytes=MAX_BYTES,
        help_text=format_lazy(_("Tệp PDF, XML, JPG hoặc XLSX; tối đa {count} tệp, tổng dung lượng tối đa {size} MB. "
                                "Có thể chọn nhiều tệp cùng lúc; tệp trùng tên với tệp đã gửi sẽ thay tệp đó."),
                              count=MAX_FILES, size=MAX_BYTES // (1024 * 1024)),
    )
    field_order = ["reason", "details", "attachments", "attached_files", "phone", "email", "delivery",
                   "delivery_address"]


@register
class BookReissue(Procedure):
    code = "607A"
    public_code = "607A"
    slug = "cap-lai-so-bhxh"
    name = _("Cấp lại sổ BHXH do mất, hỏng (không thay đổi thông tin)")
    sms_title = pgettext_lazy("tên ngắn của thủ tục trong SMS", "Cấp lại sổ BHXH")
    summary = _("Sổ BHXH bị mất hoặc hỏng, thông tin cá nhân không thay đổi.")
    form_class = BookReissueForm
    documents = [_("Tờ khai TK1-TS (cổng tạo sẵn từ nội dung bạn khai)"), _("Sổ BHXH cũ nếu sổ bị hỏng")]
    handling_days = 10
    pdf_template = "public_services/pdf/tk1_ts.html"
    declaration_name = _("Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (mẫu TK1-TS)")
    order = 10
