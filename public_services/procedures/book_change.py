"""608A – reissue of the BHXH book with a change of personal information.

The citizen says which details change and their new values, and uploads evidence (birth
certificate, CCCD, court decision …) as images checked and re-encoded like registration photos.
Declaration TK1-TS, [04] "content of the change". Handling time: 10 working days (unconfirmed).
Completing it writes the new details to the registry and, when the BHYT card prints one of them,
reissues the card (health_card.services.reissue_card, as the BHYT-CL procedure does), which the
filing's completion tells of, the card sending nothing of its own.
"""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Person
from accounts.services.identity import id_number_taken, person_correct_identity, taken_message
from accounts.validators import CCCD_INVALID, IdType, validate_id_document
from health_card.selectors import CHILD_GROUP, card_in_use, card_version_of, child_card_valid_to
from health_card.services import CardWouldBeExpired, card_expire, reissue_card
from vssid_portal.forms import CodeField, DayMonthYearField, NameField, validate_birth_date
from vssid_portal.images import LIMITS_HELP, SafeImageField
from vssid_portal.templatetags.vn_format import vn_date
from vssid_portal.text import fold

from .base import Procedure
from .card_reissue import card_reissued_outcome
from .fields import DeliveryForm, long_text
from .registry import register

CHANGES = [("full_name", _("Họ và tên")), ("birth_date", _("Ngày sinh")), ("sex", _("Giới tính")),
           ("id_number", _("Số CCCD"))]
# What the BHYT card prints and its QR carries (fields 1–3), as its reissue reason names it; the
# CCCD is not on the card.
ON_THE_CARD = {"full_name": "họ tên", "birth_date": "ngày sinh", "sex": "giới tính"}
EVIDENCE_HELP = format_lazy("{} {}", _("Ảnh chụp giấy tờ chứng minh thay đổi (giấy khai sinh, CCCD, quyết định …)."),
                            LIMITS_HELP)


class BookChangeForm(DeliveryForm):
    changes = forms.MultipleChoiceField(
        label=_("Thông tin cần thay đổi"), choices=CHANGES, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một thông tin cần thay đổi.")},
    )
    new_full_name = NameField(label=_("Họ và tên mới"), required=False, help_text=_("Có dấu, như trên giấy tờ."))
    new_birth_date = DayMonthYearField(
        label=_("Ngày sinh mới"), required=False,
        help_text=_("Dạng ngày/tháng/năm, ví dụ 25/12/1990."), validators=[validate_birth_date],
        error_messages={"invalid": _("Nhập ngày sinh dạng ngày/tháng/năm, ví dụ 25/12/1990.")},
    )
    new_sex = forms.TypedChoiceField(label=_("Giới tính mới"), required=False, coerce=int, empty_value=None,
                                     choices=[("", _("– Chọn –")), *Person.Sex.choices])
    new_id_number = CodeField(label=_("Số CCCD mới"), required=False, max_length=12, help_text=_("12 chữ số."),
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                              error_messages={"max_length": CCCD_INVALID})
    details = long_text(_("Lý do thay đổi"), missing=_("Nhập lý do thay đổi thông tin."),
                        help_text=_("Ví dụ: cải chính họ tên theo giấy khai sinh. Tối đa 1000 ký tự."))
    evidence_1 = SafeImageField(label=_("Ảnh giấy tờ chứng minh"), help_text=EVIDENCE_HELP)
    evidence_2 = SafeImageField(label=_("Ảnh giấy tờ khác (không bắt buộc)"), required=False, help_text=EVIDENCE_HELP)
    field_order = ["changes", "new_full_name", "new_birth_date", "new_sex", "new_id_number", "details",
                   "evidence_1", "evidence_2", "phone", "email", "delivery", "delivery_address"]

    def clean(self):
        cleaned = super().clean()
        changes = cleaned.get("changes") or []
        missing = {
            "full_name": ("new_full_name", _("Nhập họ và tên mới.")),
            "birth_date": ("new_birth_date", _("Nhập ngày sinh mới.")),
            "sex": ("new_sex", _("Chọn giới tính mới.")),
            "id_number": ("new_id_number", _("Nhập số CCCD mới.")),
        }
        for change, (name, message) in missing.items():
            if change in changes:
                self.require(cleaned, [name], message)
            else:
                cleaned[name] = None if name in {"new_birth_date", "new_sex"} else ""
        person = self.person
        same = {
            "new_full_name": lambda value: fold(value) == fold(person.full_name),
            # A year-only record stores 01/01 of its year: a full date of that day is new information.
            "new_birth_date": lambda value: value == person.birth_date and not person.birth_year_only,
            "new_sex": lambda value: value == person.sex,
            "new_id_number": lambda value: value == person.id_number,
        }
        for name, is_same in same.items():
            if cleaned.get(name) not in (None, "") and name not in self.errors and is_same(cleaned[name]):
                self.add_error(name, _("Giá trị mới trùng với thông tin hiện có trong hồ sơ BHXH."))
        # Compared with the number only when valid: a new value refused is neither the old one nor any.
        birth = None if "new_birth_date" in self.errors else cleaned.get("new_birth_date") or person.birth_date
        sex = None if "new_sex" in self.errors else cleaned.get("new_sex") or person.sex
        if cleaned.get("new_id_number") and "new_id_number" not in self.errors:
            try:
                validate_id_document(IdType.CCCD, cleaned["new_id_number"], birth_date=birth, sex=sex)
            except forms.ValidationError as error:
                for message in error.message_dict.get("id_number", error.messages):
                    self.add_error("new_id_number", message)
            else:
                if id_number_taken(cleaned["new_id_number"], person=person):
                    self.add_error("new_id_number", taken_message())
        elif (person.id_type == IdType.CCCD and "id_number" not in changes
              and (cleaned.get("new_birth_date") or cleaned.get("new_sex"))):
            # A CCCD encodes the birth year and sex: the registry cannot take new ones beside the old number.
            try:
                validate_id_document(IdType.CCCD, person.id_number, birth_date=birth, sex=sex)
            except forms.ValidationError:
                self.add_error("changes", _("Số CCCD trong hồ sơ BHXH ghi năm sinh và giới tính cũ: hãy chọn "
                                            "thêm “Số CCCD” và khai số CCCD mới."))
        return cleaned


def _new_end(filing):
    """The end date of the card a completion reissued (on_complete: `card_reissued`), when it is not the
    end of the card it replaced (a child's card, ended earlier by the new birth date); else None."""
    card = getattr(filing, "card_reissued", None)
    if card is None or card.valid_to is None or card.valid_to == getattr(filing, "card_end_before", card.valid_to):
        return None
    return card.valid_to


@register
class BookChange(Procedure):
    code = "608A"
    public_code = "608A"
    slug = "cap-lai-so-bhxh-thay-doi-thong-tin"
    name = _("Cấp lại sổ BHXH do thay đổi họ tên, ngày sinh, giới tính, số CCCD")
    sms_title = pgettext_lazy("tên ngắn của thủ tục trong SMS", "Đổi thông tin sổ BHXH")
    summary = _("Điều chỉnh thông tin cá nhân trên sổ BHXH, kèm ảnh giấy tờ chứng minh.")
    form_class = BookChangeForm
    documents = [_("Tờ khai TK1-TS (cổng tạo sẵn từ nội dung bạn khai)"),
                 _("Ảnh giấy tờ chứng minh thông tin mới (giấy khai sinh, CCCD, quyết định cải chính …)")]
    handling_days = 10
    pdf_template = "public_services/pdf/tk1_ts.html"
    declaration_name = _("Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (mẫu TK1-TS)")
    order = 20

    def _new_details(self, filing) -> dict:
        """The approved new details, read through the form's own fields as they were declared."""
        fields, data = self.form_class.base_fields, filing.data
        return {change: fields[f"new_{change}"].clean(data.get(f"new_{change}"))
                for change, _label in CHANGES if change in data.get("changes", [])}

    def completion_changes(self, filing):
        person, new = filing.person, self._new_details(filing)
        now = {"full_name": person.full_name, "birth_date": vn_date(person.birth_date, person.birth_year_only),
               "sex": person.get_sex_display(), "id_number": person.id_number}
        shown = {"full_name": new.get("full_name"), "birth_date": vn_date(new.get("birth_date")),
                 "sex": Person.Sex(new["sex"]).label if "sex" in new else "", "id_number": new.get("id_number")}
        lines = [gettext("%(detail)s trong hồ sơ BHXH mã số %(code)s: %(before)s → %(after)s") % {
                     "detail": label, "code": person.bhxh_code, "before": now[change], "after": shown[change]}
                 for change, label in CHANGES if change in new]
        card = card_in_use(person=person)
        printed = [words for change, words in ON_THE_CARD.items() if change in new]
        if printed and card is not None and card.group_id == CHILD_GROUP and "birth_date" in new:
            # As reissue_card decides: a child's card ends on the law's last day from the new birth date.
            last_day = child_card_valid_to(new["birth_date"])
            last_day = min(card.valid_to, last_day) if card.valid_to else last_day
            if last_day < timezone.localdate() or last_day < card.valid_from:
                lines.append(gettext("Thẻ BHYT trẻ em đang dùng (lần cấp %(version)s) chuyển sang hết hạn, vì theo "
                                     "ngày sinh mới thẻ chỉ có giá trị đến hết ngày %(date)s; không cấp thẻ mới.") % {
                                         "version": card.version, "date": vn_date(last_day)})
                return lines
        if printed and card is not None:
            lines.append(gettext("Thẻ BHYT đang dùng (lần cấp %(version)s) được cấp lại theo thông tin mới (lần cấp "
                                 "%(next)s); mã QR của thẻ cũ không còn dùng được.") % {
                                     "version": card.version, "next": card.version + 1})
        return lines

    def completion_outcome(self, filing):
        ended = getattr(filing, "card_ended", None)
        if ended is not None:
            card, valid_to = ended
            return format_lazy(_("Theo ngày sinh mới, thẻ BHYT trẻ em dưới 6 tuổi chỉ có giá trị đến hết ngày "
                                 "{valid_to}, nên thẻ đã hết hạn và không còn dùng được từ ngày {date}. Thẻ BHYT mới "
                                 "do cơ quan BHXH cấp theo đối tượng tham gia hiện nay; hãy liên hệ cơ quan BHXH "
                                 "quản lý."), valid_to=vn_date(valid_to),
                               date=vn_date(timezone.localdate(card.changed_at)))
        told = card_reissued_outcome(filing)
        if told and (end := _new_end(filing)):
            return format_lazy("{} {}", told, format_lazy(_("Theo ngày sinh mới, thẻ có giá trị đến hết ngày "
                                                            "{date}."), date=vn_date(end)))
        return told

    def completion_sms_outcome(self, filing):
        if getattr(filing, "card_ended", None) is not None:
            return _("Thẻ BHYT trẻ em đã hết hạn.")
        told = card_reissued_outcome(filing, sms=True)
        if told and (end := _new_end(filing)):
            return format_lazy(_("Thẻ BHYT mới hạn {date}."), date=vn_date(end))  # a child's name fits 2 parts
        return told

    def on_complete(self, *, filing, actor):
        """The agency approved the change: the registry takes the new details, read through the
        form's own fields as they were declared. A detail the BHYT card prints (and its QR carries)
        gives the holder a new card at once: the old one, printed with the old details, then reads
        "replaced" wherever it is checked. A child's card that an earlier birth date has already
        ended is marked expired instead, for the agency to issue the next one."""
        new = self._new_details(filing)
        person = person_correct_identity(person=filing.person, **new)
        printed = [words for change, words in ON_THE_CARD.items() if change in new]
        if not printed or card_in_use(person=person) is None:  # an expired card is renewed, not reissued
            return None
        # The card in use now is reissued, whichever it is (no `replacing=`, unlike BHYT-CL): every
        # card given before this correction, since the submission too, prints the old details.
        # The card's history keeps this reason: Vietnamese, not a translation. It tells nobody: the
        # filing's completion does (completion_outcome), one message set in all.
        try:
            card = reissue_card(person, f"Cấp lại do thay đổi {', '.join(printed)} (hồ sơ {filing.tracking_number})",
                                agency=filing.agency, notify=False)
        except CardWouldBeExpired as ended:
            # An earlier birth date can end a child's (TE) card before today, or before its first day:
            # the card printed with the old one must not go on working. Which card comes next (the
            # group the child now belongs to) is the agency's to decide. The completion's messages say
            # the card ended (completion_outcome), the card sending nothing of its own.
            filing.card_ended = (card_expire(card=ended.card), ended.valid_to)
            return (f"Không cấp lại thẻ BHYT: theo ngày sinh mới, thẻ BHYT trẻ em dưới 6 tuổi chỉ có giá trị đến "
                    f"hết ngày {vn_date(ended.valid_to)}, nên thẻ cũ đã hết hạn và không còn dùng được. Thẻ BHYT "
                    "mới phải do cơ quan BHXH cấp theo đối tượng tham gia hiện nay; hãy liên hệ cơ quan BHXH "
                    "quản lý.")
        filing.card_reissued = card
        # A child's card ends on the law's last day from the new birth date: the messages say a new end.
        replaced = card_version_of(person=person, version=card.version - 1)
        filing.card_end_before = replaced.valid_to if replaced is not None else card.valid_to
        return (f"Đã cấp lại thẻ BHYT (lần cấp {card.version}) theo thông tin mới; "
                "mã QR của thẻ cũ không còn dùng được.")
