"""Reissue of the BHYT card (lost or damaged). Completing the filing reissues the card it was filed
about through health_card.services.reissue_card, which replaces the old version; the filing's
completion tells the holder of the new card (card_reissued_outcome), the card sending nothing of
its own. A card given since in its place is left alone.
Handling time: 7 working days for a lost card (unconfirmed; 2 days where the data is unchanged)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from health_card.qr import Kind
from health_card.selectors import IN_USE, card_for, card_in_use, card_state, card_version_of
from health_card.services import CardReplacedMeanwhile, reissue_card
from vssid_portal.templatetags.vn_format import vn_date

from .base import Procedure
from .fields import DeliveryForm, long_text
from .registry import register

REASONS = [("mat", _("Bị mất thẻ")), ("hong", _("Thẻ bị hỏng, rách, không đọc được"))]


def card_reissued_outcome(filing, *, sms: bool = False):
    """What a completion that reissued the card (on_complete left it on the filing: `card_reissued`)
    tells its holder, in each reader's language: the new card's issue number, from when it is used
    and where; by SMS in short. "" when no card was reissued (one given in its place meanwhile, a
    child's card ended by a new birth date)."""
    card = getattr(filing, "card_reissued", None)
    if card is None:
        return ""
    if sms:  # sent as the card is issued: "at once" is its date, in few enough characters for a child's name
        return _("Thẻ BHYT mới dùng được ngay.")
    return format_lazy(_("Thẻ BHYT đã được cấp lại (lần cấp {version}), dùng được từ ngày {date}; mã QR của thẻ cũ "
                         "không còn dùng được. Mở mục Thẻ BHYT để dùng thẻ mới."),
                       version=card.version, date=vn_date(card.issued_on))


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
                        "thẻ này không còn dùng được.") % {"version": card.version, "date": vn_date(card.issued_on)}]

    def completion_outcome(self, filing):
        return card_reissued_outcome(filing)

    def completion_sms_outcome(self, filing):
        return card_reissued_outcome(filing, sms=True)

    def on_complete(self, *, filing, actor):
        # The card's history keeps this reason: Vietnamese, not a translation.
        reason = "Cấp lại do mất thẻ" if filing.data.get("reason") == "mat" else "Cấp lại do thẻ hỏng"
        # Only the card the citizen filed about is reissued: one given since (reissued by an officer,
        # by a 608A, or a new card after it expired) is the citizen's new card, and reissuing it
        # would make it fail at clinics. Filings made before cards were remembered have none.
        version = filing.identity.get("bhyt_card_version")
        filed_about = card_version_of(person=filing.person, version=version) if version else None
        try:
            # The card is issued by the agency that handled the filing: its officers find it in their card list.
            # It tells nobody: the filing's completion does (completion_outcome), one message set in all.
            filing.card_reissued = reissue_card(filing.person, f"{reason} (hồ sơ {filing.tracking_number})",
                                                agency=filing.agency, replacing=filed_about, notify=False)
        except CardReplacedMeanwhile as replaced:
            card = replaced.card
            return (f"Không cấp lại thẻ BHYT theo hồ sơ này: thẻ lần {version} đã được thay bằng thẻ lần "
                    f"{card.version} cấp ngày {vn_date(card.issued_on)}, là thẻ đang sử dụng.")
        return None
