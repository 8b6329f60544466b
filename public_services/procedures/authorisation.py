"""Authorisation of another person to receive one's benefits: who (name, birth date, CCCD,
relationship), which benefit, for which period (at most 12 months per authorisation; unconfirmed).
Only for someone with a benefit still to receive, and only for such a benefit: a monthly one
granted, or a claim neither refused nor paid yet. Handling time: 3 working days (unconfirmed)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.validators import CCCD_INVALID, IdType, validate_id_document
from benefits.models import Kind
from benefits.selectors import MONTHLY_KINDS, kinds_to_collect, paying_agency
from vssid_portal.forms import CodeField, DayMonthYearField, NameField, validate_birth_date
from vssid_portal.templatetags.vn_format import vn_date

from .base import Procedure, ProcedureForm, default_agency, pdf_wording
from .fields import phone_field
from .registry import register

BENEFITS = [("luong_huu", _("Lương hưu, trợ cấp BHXH hằng tháng")), ("mot_lan", _("BHXH một lần")),
            ("om_dau_thai_san", _("Trợ cấp ốm đau, thai sản")), ("that_nghiep", _("Trợ cấp thất nghiệp"))]
BENEFIT_KINDS = {"luong_huu": MONTHLY_KINDS, "mot_lan": (Kind.ONE_TIME,),  # the records each choice is about
                 "om_dau_thai_san": (Kind.SICKNESS, Kind.MATERNITY), "that_nghiep": (Kind.UNEMPLOYMENT,)}
RELATIONS = [("vo_chong", _("Vợ/chồng")), ("con", _("Con")), ("cha_me", _("Cha/mẹ")),
             ("anh_chi_em", _("Anh/chị/em")), ("khac", pgettext_lazy("quan hệ", "Khác"))]
MAX_MONTHS = 12
START_AHEAD_MONTHS = 12  # an authorisation is filed for a period starting within a year


def _date_field(label, *, missing, invalid, help_text=_("Dạng ngày/tháng/năm, ví dụ 01/01/2027."), validators=()):
    return DayMonthYearField(label=label, help_text=help_text, validators=list(validators),
                             error_messages={"required": missing, "invalid": invalid})


class AuthorisationForm(ProcedureForm):
    authorised_name = NameField(label=_("Họ và tên người được ủy quyền"),
                                error_messages={"required": _("Nhập họ và tên người được ủy quyền.")})
    authorised_birth_date = _date_field(
        _("Ngày sinh người được ủy quyền"), help_text=_("Dạng ngày/tháng/năm, ví dụ 25/12/1990."),
        missing=_("Nhập ngày sinh người được ủy quyền."),
        invalid=_("Nhập ngày sinh người được ủy quyền dạng ngày/tháng/năm."), validators=[validate_birth_date])
    authorised_id_number = CodeField(label=_("Số CCCD người được ủy quyền"), max_length=12,
                                     help_text=_("12 chữ số."),
                                     widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                     error_messages={"required": _("Nhập số CCCD người được ủy quyền."),
                                                     "max_length": CCCD_INVALID})
    authorised_phone = phone_field(_("Số điện thoại người được ủy quyền"),
                                   _("Nhập số điện thoại người được ủy quyền."))
    authorised_phone.widget.attrs["autocomplete"] = "off"  # another person's: "tel" would offer the user's own
    # Another person's too: the browser offers neither the citizen's own nor what was typed before it.
    authorised_name.widget.attrs["autocomplete"] = "off"
    authorised_birth_date.widget.attrs["autocomplete"] = "off"
    authorised_id_number.widget.attrs["autocomplete"] = "off"
    relationship = pdf_wording(
        forms.ChoiceField(label=_("Quan hệ với bạn"), choices=RELATIONS, widget=forms.RadioSelect,
                          error_messages={"required": _("Chọn quan hệ với người được ủy quyền.")}),
        "Quan hệ với người ủy quyền")
    benefit = forms.ChoiceField(label=_("Khoản được nhận thay"), choices=BENEFITS, widget=forms.RadioSelect,
                                error_messages={"required": _("Chọn khoản được nhận thay."),
                                                "invalid_choice": _("Chọn khoản được nhận thay trong danh sách.")})
    valid_from = _date_field(_("Ủy quyền từ ngày"), missing=_("Nhập ngày bắt đầu ủy quyền."),
                             invalid=_("Nhập ngày bắt đầu ủy quyền dạng ngày/tháng/năm."))
    valid_to = _date_field(_("Ủy quyền đến ngày"), missing=_("Nhập ngày kết thúc ủy quyền."),
                           invalid=_("Nhập ngày kết thúc ủy quyền dạng ngày/tháng/năm."),
                           help_text=format_lazy(_("Tối đa {months} tháng kể từ ngày bắt đầu."), months=MAX_MONTHS))
    phone = pdf_wording(phone_field(), "Số điện thoại của người ủy quyền")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.person is not None:  # the benefits the person has to receive; a stored filing reads any
            self.fields["benefit"].choices = benefits_to_collect(self.person)

    def filled_in_for(self, person):
        # The child in view gives the authorisation, not the parent filling it in, whose phone the
        # contact number starts with: the declaration does not call it the child's.
        self.fields["relationship"].label = format_lazy(_("Quan hệ với {name}"), name=person.full_name)
        self.fields["phone"].pdf_label = "Số điện thoại liên hệ"

    def clean(self):
        cleaned = super().clean()
        number, birth = cleaned.get("authorised_id_number"), cleaned.get("authorised_birth_date")
        if number and "authorised_id_number" not in self.errors:
            try:
                validate_id_document(IdType.CCCD, number, birth_date=birth, sex=None)
            except forms.ValidationError as error:
                for message in error.message_dict.get("id_number", error.messages):
                    self.add_error("authorised_id_number", message)
            if number == self.person.id_number:
                self.add_error("authorised_id_number",
                               gettext("Người được ủy quyền phải là người khác, không phải người ủy quyền."))
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        today = timezone.localdate()
        earliest, latest = start_range(today)
        if start and not earliest <= start <= latest:
            self.add_error("valid_from", gettext("Chọn ngày bắt đầu ủy quyền từ %(earliest)s đến %(latest)s.")
                           % {"earliest": vn_date(earliest), "latest": vn_date(latest)})
        elif start and end:
            if end < start:
                self.add_error("valid_to", gettext("Ngày kết thúc không được trước ngày bắt đầu."))
            elif end < today:  # a period over before the filing authorises nothing
                self.add_error("valid_to", gettext("Ngày kết thúc ủy quyền không được trước ngày hôm nay (%(today)s).")
                               % {"today": vn_date(today)})
            elif end > last_day(start):
                self.add_error("valid_to", gettext("Mỗi lần ủy quyền tối đa %(months)s tháng: ngày kết thúc muộn nhất "
                                                   "là %(last)s.") % {"months": MAX_MONTHS, "last": vn_date(last_day(start))})
        if birth and birth > _add_months(today, -12 * 18):
            self.add_error("authorised_birth_date", gettext("Người được ủy quyền phải đủ 18 tuổi."))
        return cleaned


def benefits_to_collect(person) -> list:
    """The choices of BENEFITS the person still has money to receive in."""
    kinds = kinds_to_collect(person=person)
    return [(key, label) for key, label in BENEFITS if kinds.intersection(BENEFIT_KINDS[key])]


def start_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days an authorisation may start on: from the first day of this month (so this month's
    payment can still be collected) to a year ahead. Bounding the start also keeps the end, at
    most MAX_MONTHS later, inside the calendar."""
    return today.replace(day=1), _add_months(today, START_AHEAD_MONTHS)


def last_day(start: datetime.date) -> datetime.date:
    """The last day an authorisation starting on `start` may run to: MAX_MONTHS months end the day
    before the same date MAX_MONTHS later (01/12/2026 → 30/11/2027); where that month has no such
    date (from 29/02), they end on its last day."""
    later = _add_months(start, MAX_MONTHS)
    return later if later.day != start.day else later - datetime.timedelta(days=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


@register
class Authorisation(Procedure):
    code = "UY-QUYEN"
    slug = "uy-quyen-nhan-thay"
    name = _("Ủy quyền nhận thay lương hưu, trợ cấp BHXH")
    sms_title = pgettext_lazy("tên ngắn của thủ tục trong SMS", "Ủy quyền nhận thay")
    summary = _("Cho người thân nhận thay các khoản BHXH trong một thời hạn.")
    form_class = AuthorisationForm
    documents = [_("Giấy ủy quyền (cổng tạo sẵn từ nội dung bạn khai)"),
                 _("CCCD của người được ủy quyền (xuất trình khi nhận)")]
    handling_days = 3
    pdf_template = "public_services/pdf/authorisation.html"
    declaration_name = _("Giấy ủy quyền làm thủ tục hưởng, nhận thay chế độ BHXH")
    order = 60
    reauthenticate = True
    reauthenticate_reason = _("Hồ sơ này cho người khác nhận thay lương hưu, trợ cấp BHXH.")

    def unavailable(self, person, *, user=None):
        if benefits_to_collect(person):
            return ""
        return gettext("Thủ tục này dành cho người đang có lương hưu, trợ cấp BHXH để nhận: hưởng hằng tháng, hoặc "
                       "hồ sơ hưởng đã nộp mà chưa chi trả. Hồ sơ BHXH của %(name)s chưa có khoản nào như vậy nên "
                       "chưa có gì để ủy quyền nhận thay.") % {"name": person.full_name}

    def agency_for(self, *, person, data):
        """The agency that pays the benefit to be collected (after a change of benefit place, no
        longer the one that manages the person)."""
        return paying_agency(person=person, kinds=BENEFIT_KINDS[data["benefit"]]) or default_agency(person)
