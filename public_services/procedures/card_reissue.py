"""Reissue of the BHYT card (lost or damaged). Completing the filing reissues the card it was filed
about through health_card.services.reissue_card, which replaces the old version and tells the
holder; a card given since in its place is left alone.
Handling time: 7 working days for a lost card (unconfirmed; 2 days where the data is unchanged)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from health_card.qr import Kind
from health_card.selectors import IN_USE, card_for, card_in_use, card_state, card_version_of
from health_card.services import CardReplacedMeanwhile, reissue_card

from .base import Procedure
from .fields import DeliveryForm, long_text
from .registry import register

REASONS = [("mat", _("Bị mất thẻ")), ("hong", _("Thẻ bị hỏng, rách, không đọc được"))]


class CardReissueForm(DeliveryForm):
    reason = forms.ChoiceField(label=_("Lý do cấp lại thẻ"), choices=REASONS, widget=forms.RadioSelect,
                               error_messages={"required": _("Chọn lý do cấp lại thẻ.")})
    details = long_text(_("Ghi chú"), required=False, help_text=_("Không bắt buộc. Tối đa 1000 ký tự."))
    field_order = ["reason", "details", "phone", "email", "delivery", "delivery_address"]


@register
class CardReissue(Procedure):
    code = "BHYT-CL"
    slug = "cap-lai-the-bhyt"
    name = _("Cấp lại thẻ BHYT do mất, hỏng")
    sms_title = pgettext_lazy("tên ngắn của thủ tục trong SMS", "Cấp lại thẻ BHYT")
    summary = _("Thẻ BHYT bị mất hoặc hỏng; thẻ mới giữ nguyên quyền lợi và nơi đăng ký KCB.")
    form_class = CardReissueForm
    documents = [_("Tờ khai TK1-TS (cổng tạo sẵn từ nội dung bạn khai)")]
    handling_days = 7
    pdf_template = "public_services/pdf/tk1_ts.html"
    declaration_name = _("Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (mẫu TK1-TS)")
    order = 30

    def unavailable(self, person, *, user=None):
        # As health_card.services.reissue_card decides: the card in use, dates and all. A reissue
        # keeps the old card's dates, so an expired card is not reissued: it is renewed.
        card = card_for(person=person)
        state = card_state(card) if card is not None else None
        if state in IN_USE:
            return ""
        # Named, as the benefit procedures name theirs: a parent may be viewing a child's records.
        if state == Kind.EXPIRED:
            return gettext("Thẻ BHYT của %(name)s đã hết hạn nên không cấp lại được: thủ tục này dành cho thẻ còn "
                           "hạn bị mất hoặc hỏng. Để được cấp thẻ mới, hãy tiếp tục tham gia BHYT qua đơn vị nơi làm "
                           "việc, nhà trường hoặc đại lý thu, hoặc liên hệ cơ quan BHXH quản lý.") % {
                               "name": person.full_name}
        return gettext("%(name)s chưa có thẻ BHYT đang sử dụng nên không cấp lại được. Hãy liên hệ cơ quan BHXH "
                       "quản lý.") % {"name": person.full_name}

    def remembered(self, person, *, before=None):
        if before and before.get("bhyt_card_version"):  # sent again: still about the card first filed about
            return {"bhyt_card_version": before["bhyt_card_version"]}
        card = card_in_use(person=person)
        return {"bhyt_card_version": card.version} if card is not None else {}

    def completion_changes(self, filing):
        # As on_complete decides: the card filed about, if it is still the one in use.
        version = filing.identity.get("bhyt_card_version")
        card = card_in_use(person=filing.person)
        if card is None or (version and card.version != version):
            return []  # nothing is reissued: on_complete says why in the history
        return [gettext("Cấp thẻ BHYT mới cho %(name)s (mã số %(number)s, lần cấp %(version)s), giữ quyền lợi, hạn "
                        "sử dụng và nơi đăng ký KCB ban đầu của thẻ đang dùng.") % {
                            "name": filing.person.full_name, "number": card.number, "version": card.version + 1},
                gettext("Thẻ đang dùng (lần cấp %(version)s, cấp ngày %(date)s) chuyển sang “đã thay thế”: mã QR của "
                        "thẻ này không còn dùng được.") % {"version": card.version, "date": f"{card.issued_on:%d/%m/%Y}"}]

    def on_complete(self, *, filing, actor):
        # The card's history keeps this reason: Vietnamese, not a translation. The holder's notice
        # gives it in its reader's language.
        lost = filing.data.get("reason") == "mat"
        reason = "Cấp lại do mất thẻ" if lost else "Cấp lại do thẻ hỏng"
        told = (_("Cấp lại do mất thẻ (hồ sơ {number})") if lost else _("Cấp lại do thẻ hỏng (hồ sơ {number})"))
        # Only the card the citizen filed about is reissued: one given since (reissued by an officer,
        # by a 608A, or a new card after it expired) is the citizen's new card, and reissuing it
        # would make it fail at clinics. Filings made before cards were remembered have none.
        version = filing.identity.get("bhyt_card_version")
        filed_about = card_version_of(person=filing.person, version=version) if version else None
        try:
            # The card is issued by the agency that handled the filing: its officers find it in their card list.
            reissue_card(filing.person, f"{reason} (hồ sơ {filing.tracking_number})", agency=filing.agency,
                         replacing=filed_about, notice_reason=format_lazy(told, number=filing.tracking_number))
        except CardReplacedMeanwhile as replaced:
            card = replaced.card
            return (f"Không cấp lại thẻ BHYT theo hồ sơ này: thẻ lần {version} đã được thay bằng thẻ lần "
                    f"{card.version} cấp ngày {card.issued_on:%d/%m/%Y}, là thẻ đang sử dụng.")
        return None
