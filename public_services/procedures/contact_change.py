"""Change of the mobile phone, the e-mail and the contact address of someone who transacts with
BHXH electronically: the "điều chỉnh thông tin" case of the Decree 166/2016 declaration "Tờ khai
đăng ký sử dụng, điều chỉnh thông tin và ngừng sử dụng phương thức giao dịch điện tử trong lĩnh
vực BHXH", whose registration case accounts prints for a new account. Changes of phone or address
go through this filing, never a direct edit (issue 4).

The phone receives the login and password codes: when the filing is submitted (again) and when it
is completed, the phone registered until then is told by SMS (without a phone, the login's e-mail
registered until then, where the codes go), with the hotline to call if it was not its holder. At the
completion of a change that keeps the phone, the filing's own result SMS to that phone says it, one
SMS, which a minor's parents told of the filing get without it; a new phone's old number is told apart,
the new number getting the result. Filed
only by the person, with a login of their own, whatever their age: never by a parent for a child,
whose own login's codes it would move. The managing agency handles it; completing it writes the new
details (accounts.services.contact). Handling time: 3 working days (unconfirmed).
"""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.otp import recipient_for
from accounts.selectors import has_own_login, may_change_own_contact, others_with_phone, own_login
from accounts.services.contact import person_change_contact
from lookup.models import Province, Ward
from notifications.models import Message
from notifications.services import send_message
from vssid_portal.forms import TextField
from vssid_portal.templatetags.vn_format import masked_phone
from vssid_portal.text import PORTAL_NAME, fold

from .base import Procedure, ProcedureForm, pdf_wording
from .fields import email_field, phone_field
from .registry import register

PHONE, EMAIL, ADDRESS = "phone", "email", "address"
CHANGES = [(PHONE, _("Số điện thoại di động")), (EMAIL, _("Email")), (ADDRESS, _("Địa chỉ liên hệ"))]
# What each change is called in the message to the phone (else the e-mail) registered until then.
NAMED = {PHONE: _("số điện thoại"), EMAIL: _("email"), ADDRESS: _("địa chỉ liên hệ")}  # in the message's language


class ContactChangeForm(ProcedureForm):
    changes = forms.MultipleChoiceField(
        label=_("Thông tin cần thay đổi"), choices=CHANGES, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một thông tin cần thay đổi."),
                        "invalid_choice": _("Chọn thông tin cần thay đổi trong danh sách.")},
    )
    new_phone = pdf_wording(phone_field(
        _("Số điện thoại di động mới"), required=False,
        help_text=format_lazy(_("Mã xác thực và tin nhắn của {portal} được gửi đến số này sau khi hồ sơ được giải quyết."),
                              portal=PORTAL_NAME),
    ), "Điện thoại di động nhận mã xác thực mới")
    new_email = email_field(_("Email mới"), pdf="Email nhận thông báo mới")
    new_province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố (địa chỉ liên hệ mới)"), required=False, queryset=Province.objects.all(),
        empty_label=_("– Chọn tỉnh/thành phố –"), widget=forms.Select(attrs={"autocomplete": "address-level1"}),
        error_messages={"invalid_choice": _("Chọn tỉnh/thành phố trong danh sách.")},
    )
    new_ward = forms.ModelChoiceField(
        label=_("Phường/xã (địa chỉ liên hệ mới)"), required=False, queryset=Ward.objects.none(), empty_label=_("– Chọn phường/xã –"),
        widget=forms.Select(attrs={"autocomplete": "address-level2"}),
        help_text=_("Danh sách theo tỉnh/thành phố đã chọn; đổi tỉnh thì bấm “Cập nhật danh sách phường/xã”."),
        error_messages={"invalid_choice": _("Chọn phường/xã thuộc tỉnh/thành phố đã chọn.")},
    )
    new_street = TextField(
        label=_("Số nhà, đường/thôn/xóm (địa chỉ liên hệ mới)"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={"max_length": _("Nhập số nhà, đường tối đa 200 ký tự.")},
    )
    refreshed_lists = {"new_province": ("new_ward", _("Cập nhật danh sách phường/xã"),
                                        _("Danh sách theo tỉnh/thành phố đã chọn."))}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province_id = str((self.data.get("new_province") if self.is_bound else self.initial.get("new_province")) or "")
        # isdigit() alone lets "²" or "٣" through, which int() and the database then refuse.
        if province_id.isascii() and province_id.isdigit() and len(province_id) < 10:
            self.fields["new_ward"].queryset = Ward.objects.filter(province_id=province_id)
        elif self.person is None:  # reading a stored filing: any ward
            self.fields["new_ward"].queryset = Ward.objects.all()

    def current_details(self) -> list[tuple]:
        """What is registered now, shown above the choices: the phone masked as on the personal page."""
        person = self.person
        if person is None:
            return []
        return [(label, value or "–") for label, value in (
            (CHANGES[0][1], masked_phone(person.phone)), (CHANGES[1][1], current_email(person)),
            (CHANGES[2][1], person.address))]

    def clean(self):
        cleaned = super().clean()
        changes = cleaned.get("changes") or []
        wanted = {
            PHONE: {"new_phone": _("Nhập số điện thoại di động mới.")},
            EMAIL: {"new_email": _("Nhập địa chỉ email mới.")},
            ADDRESS: {"new_province": _("Chọn tỉnh/thành phố."), "new_ward": _("Chọn phường/xã."),
                      "new_street": _("Nhập số nhà, tên đường hoặc thôn, xóm.")},
        }
        for change, messages in wanted.items():
            if change in changes:
                self.require(cleaned, messages, messages)
            else:
                cleaned.update({name: None if name in {"new_province", "new_ward"} else "" for name in messages})
        person = self.person
        if cleaned.get("new_phone") and "new_phone" not in self.errors and cleaned["new_phone"] == person.phone:
            self.add_error("new_phone", _("Số điện thoại mới trùng với số đang đăng ký trong hồ sơ BHXH."))
        email = cleaned.get("new_email")
        if email and "new_email" not in self.errors and email.casefold() == current_email(person).casefold():
            self.add_error("new_email", _("Email mới trùng với email đang đăng ký với tài khoản."))
        if (ADDRESS in changes and not {"new_province", "new_ward", "new_street"} & set(self.errors)
                and cleaned.get("new_ward") == person.ward and cleaned.get("new_province") == person.province
                and fold(cleaned.get("new_street") or "") == fold(person.street)):
            self.add_error("new_street", _("Địa chỉ mới trùng với địa chỉ liên hệ hiện có trong hồ sơ BHXH."))
        return cleaned


def current_email(person) -> str:
    """The e-mail address of the person's login ("" without one)."""
    return User.objects.filter(person=person).values_list("email", flat=True).first() or ""


def _alert(changes: list[str]) -> str:
    """The security alert said by a completion's SMS to the holder (ContactChange.completion_sms_alert), in the
    language active when it is rendered: what changed and, if its holder did not ask, whom to call."""
    changed = ", ".join(str(NAMED[change]) for change in changes)
    return " ".join((gettext("Đã đổi %(changed)s của tài khoản.") % {"changed": changed},
                     gettext("Nếu không phải bạn đề nghị, hãy gọi ngay tổng đài %(hotline)s.") % {
                         "hotline": settings.PORTAL_HOTLINE}))


_alert_said = lazy(_alert, str)


def _outcome(new: dict, *, by_email: bool = False) -> str:
    """What a completed change wrote, said by its completion's notice (ContactChange.completion_outcome) in the
    language active when it is rendered, one sentence a change: the new phone masked as the personal page and
    the form show it (the login's codes go to it), the new e-mail address and contact address whole, as the
    form shows those registered. The e-mail (`by_email`: ContactChange.completion_email_outcome) may go to the
    new address typed, which nobody confirmed, a stranger's if mistyped: it names the new e-mail address, its
    own, and says only that the phone and the contact address changed. The SMS says none of them."""
    said = []
    if PHONE in new:
        said.append(gettext("Số điện thoại nhận mã xác thực đã được cập nhật.") if by_email else
                    gettext("Số điện thoại nhận mã xác thực từ nay là %(phone)s.") % {
                        "phone": masked_phone(new[PHONE])})
    if EMAIL in new:
        said.append(gettext("Email của tài khoản từ nay là %(email)s.") % {"email": new[EMAIL]})
    if ADDRESS in new:
        said.append(gettext("Địa chỉ liên hệ trong hồ sơ BHXH đã được cập nhật.") if by_email else
                    gettext("Địa chỉ liên hệ trong hồ sơ BHXH từ nay là %(address)s.") % {
                        "address": _address(*new[ADDRESS])})
    return " ".join(said)


_outcome_said = lazy(_outcome, str)


def _address(province, ward, street) -> str:
    return ", ".join(str(part) for part in (street, ward and ward.name, province and province.name) if part)


@register
class ContactChange(Procedure):
    code = "DOI-LIEN-HE"
    slug = "dieu-chinh-thong-tin-lien-he"
    name = _("Điều chỉnh số điện thoại, email, địa chỉ liên hệ")
    sms_title = pgettext_lazy("tên ngắn của thủ tục trong SMS", "Đổi thông tin liên hệ")
    summary = _("Đổi số điện thoại nhận mã xác thực, email nhận thông báo hoặc địa chỉ liên hệ trong hồ sơ BHXH.")
    form_class = ContactChangeForm
    declaration_name = _("Tờ khai đăng ký sử dụng, điều chỉnh thông tin và ngừng sử dụng phương thức giao dịch điện "
                         "tử trong lĩnh vực bảo hiểm xã hội")
    documents = [format_lazy("{} {}", declaration_name, _("(cổng tạo sẵn từ nội dung bạn khai)"))]
    handling_days = 3
    pdf_template = "public_services/pdf/contact_change.html"
    order = 60
    reauthenticate = True
    reauthenticate_reason = _("Hồ sơ này đổi số điện thoại, email nhận mã xác thực và thông báo của tài khoản.")

    def initial(self, person, *, user=None):
        # The ward list opens on the province of the address in the registry.
        return {"new_province": person.province_id} if person and person.province_id else {}

    def remembered(self, person, *, before=None):
        # The declaration prints it beside the phone and the address registered until then.
        return {"email": current_email(person)}

    def unavailable(self, person, *, user=None):
        if may_change_own_contact(person, user=user):
            return ""
        if has_own_login(person):  # filed by another login (a parent's)
            return gettext("Thủ tục này chỉ do chính chủ tài khoản tự nộp trên %(portal)s. %(name)s đã có tài "
                           "khoản riêng: hãy để %(name)s đăng nhập bằng tài khoản của mình và tự nộp hồ sơ.") % {
                               "name": person.full_name, "portal": PORTAL_NAME}
        return gettext("Thủ tục này dành cho người có tài khoản trên %(portal)s. %(name)s chưa có tài khoản "
                       "riêng đang hoạt động: hãy liên hệ cơ quan BHXH quản lý hoặc gọi %(hotline)s.") % {
                           "name": person.full_name, "hotline": settings.PORTAL_HOTLINE, "portal": PORTAL_NAME}

    def resubmit_unavailable(self, filing, *, user):
        person = filing.person
        if user.person_id != person.pk and not has_own_login(person):
            # A parent viewing a child without a login that can sign in: what they, and the child, can
            # do with the filing in hand, rather than the list's sentence on how else to change the details.
            return gettext("Hồ sơ này chỉ nộp lại được bằng tài khoản riêng của %(name)s trên %(portal)s, mà "
                           "%(name)s chưa có tài khoản riêng đang hoạt động. Bạn có thể rút hồ sơ; khi %(name)s "
                           "đăng nhập được bằng tài khoản riêng, hãy để %(name)s tự sửa và nộp lại hồ sơ.") % {
                               "name": person.full_name, "portal": PORTAL_NAME}
        return self.unavailable(person, user=user)

    def _new(self, filing) -> dict:
        """The new details, read through the form's own fields as they were declared."""
        fields, data = self.form_class(person=None).fields, filing.data
        new = {name: fields[name].clean(data.get(name)) for name in
               ("new_phone", "new_email", "new_province", "new_ward", "new_street")}
        changes = data.get("changes", [])
        return {change: value for change, value in (
            (PHONE, new["new_phone"]), (EMAIL, new["new_email"]),
            (ADDRESS, (new["new_province"], new["new_ward"], new["new_street"]))) if change in changes}

    def completion_changes(self, filing):
        person, new = filing.person, self._new(filing)
        lines = []
        if PHONE in new:
            old = person.phone.as_national if person.phone else "–"
            lines.append(gettext("Số điện thoại di động trong hồ sơ BHXH mã số %(code)s: %(before)s → %(after)s (nhận "
                                 "mã xác thực đăng nhập, đổi mật khẩu từ nay)") % {
                                     "code": person.bhxh_code, "before": old, "after": new[PHONE].as_national})
        if EMAIL in new:
            lines.append(gettext("Email của tài khoản %(code)s: %(before)s → %(after)s") % {
                "code": person.bhxh_code, "before": current_email(person) or "–", "after": new[EMAIL]})
        if ADDRESS in new:
            lines.append(gettext("Địa chỉ liên hệ trong hồ sơ BHXH mã số %(code)s: %(before)s → %(after)s") % {
                "code": person.bhxh_code, "before": person.address or "–", "after": _address(*new[ADDRESS])})
        return lines

    def completion_outcome(self, filing):
        # Read from the filing, as on_complete wrote it: the registry and the login hold it by now.
        return _outcome_said(self._new(filing))

    def completion_email_outcome(self, filing):
        return _outcome_said(self._new(filing), by_email=True)

    def completion_warnings(self, filing, *, officer):
        # A phone may be shared (a family's one phone, as registrations and notices allow): not refused,
        # but the officer is told before it receives this login's codes, naming only whom they may see.
        new = self._new(filing)
        if PHONE not in new:
            return []
        seen, unseen = others_with_phone(new[PHONE], person=filing.person, officer=officer)
        if not seen and not unseen:
            return []
        holders = [gettext("%(name)s (mã số BHXH %(code)s)") % {"name": other.full_name, "code": other.bhxh_code}
                   for other in seen]
        if unseen:
            holders.append(ngettext("%(count)s người thuộc cơ quan BHXH ngoài phạm vi quản lý của bạn",
                                    "%(count)s người thuộc cơ quan BHXH ngoài phạm vi quản lý của bạn",
                                    unseen) % {"count": unseen})
        return [gettext("Số điện thoại mới %(phone)s đang là số điện thoại đăng ký trong hồ sơ BHXH của người khác: "
                        "%(holders)s. Khi hoàn thành, mã xác thực đăng nhập, đổi mật khẩu và thông báo bảo mật của "
                        "%(name)s sẽ được gửi đến số này. Chỉ hoàn thành khi đã xác minh với %(name)s đây là số của chính "
                        "mình hoặc của người trong gia đình dùng chung.") % {
                            "phone": new[PHONE].as_national, "holders": "; ".join(holders),
                            "name": filing.person.full_name}]

    def on_submit(self, *, filing):
        self._tell_registered(filing, *self._registered(filing), done=False)

    def on_complete(self, *, filing, actor):
        new = self._new(filing)
        user, recipient = registered = self._registered(filing)  # read before the write
        province, ward, street = new.get(ADDRESS, (None, None, None))
        person_change_contact(person=filing.person, phone=new.get(PHONE), email=new.get(EMAIL),
                              province=province, ward=ward, street=street)
        if self._alert_in_result(filing, user, recipient, new):
            # The phone keeps its number and gets the completion's SMS (services.filings._notify): that SMS, to the
            # holder's own login, says what changed and whom to call (completion_sms_alert), rather than a
            # second SMS after it; a minor's parents told of the filing get its result alone.
            filing.contact_alert_in_result = True
            return
        # A new phone: the number registered until then hears that the codes leave it, the new
        # number the filing's result; without a phone, the login's e-mail registered until then.
        self._tell_registered(filing, *registered, done=True)

    def _alert_in_result(self, filing, user, recipient, new) -> bool:
        """Whether the completion's SMS reaches the phone the alert would go to: the phone stays and the
        codes go to it by SMS; its login (_registered: the person's own active login) is told of the filing
        first and texted first (accounts.selectors.logins_told_of)."""
        return (PHONE not in new and user is not None and recipient is not None
                and recipient.channel == Message.Channel.SMS)

    def completion_sms_alert(self, filing):
        if not getattr(filing, "contact_alert_in_result", False):
            return ""
        changes = [change for change, _label in CHANGES if change in filing.data.get("changes", [])]
        return _alert_said(changes)

    def _registered(self, filing) -> tuple:
        """The person's own active login (accounts.selectors.own_login: one an officer deactivated gets no
        codes and is told nothing) and where its codes go now (accounts.otp.recipient_for): the phone in the
        registry, else the login's e-mail; (None, None) without one."""
        user = own_login(filing.person)
        return user, recipient_for(user) if user is not None else None

    def _tell_registered(self, filing, user, recipient, *, done: bool) -> None:
        """A message to where the codes went until now (its holder receives them), by SMS, or by
        e-mail without a phone: the details are being, or have been, changed; once per submission
        (revision) and once on completion."""
        if recipient is None:
            return
        event = "done" if done else f"submitted-r{filing.revision}"
        changed = [NAMED[change] for change, _label in CHANGES if change in filing.data.get("changes", [])]
        send_message(channel=recipient.channel, template="contact_change", recipient=recipient.address, user=user,
                     context={"filing": filing, "done": done, "changed": changed},
                     idempotency_key=f"filing-{filing.tracking_number}-contact-{event}-{recipient.channel}")
