"""Change of the place where pension or monthly benefits are received: a new province and the
BHXH agency there (from the agencies in lookup). Only for someone granted a monthly benefit. The
new place's agency handles the filing; completing it makes that agency the one that pays each of
the person's monthly benefits. Handling time: 5 working days (unconfirmed)."""

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from benefits.selectors import monthly_benefits_of, paying_agency
from benefits.services import monthly_benefits_change
from lookup.models import Agency, Province
from vssid_portal.forms import TextField

from .base import Procedure, ProcedureForm, monthly_benefit_missing
from .fields import long_text, phone_field
from .registry import register

_PROVINCE_ID = re.compile(r"[0-9]{1,9}")


class BenefitPlaceForm(ProcedureForm):
    new_province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố nơi muốn nhận"), queryset=Province.objects.all(),
        empty_label=_("– Chọn tỉnh/thành phố –"), widget=forms.Select(attrs={"autocomplete": "address-level1"}),
        error_messages={"required": _("Chọn tỉnh/thành phố nơi muốn nhận lương hưu, trợ cấp."),
                        "invalid_choice": _("Chọn tỉnh/thành phố trong danh sách.")},
    )
    new_agency = forms.ModelChoiceField(
        label=_("Cơ quan BHXH nơi muốn nhận"), queryset=Agency.objects.none(), empty_label=_("– Chọn cơ quan BHXH –"),
        help_text=_("Danh sách theo tỉnh/thành phố đã chọn; đổi tỉnh thì bấm “Cập nhật danh sách cơ quan BHXH”."),
        error_messages={"required": _("Chọn cơ quan BHXH nơi muốn nhận."),
                        "invalid_choice": _("Chọn cơ quan BHXH thuộc tỉnh/thành phố đã chọn.")},
    )
    new_address = TextField(label=_("Địa chỉ nơi ở mới"), max_length=300,
                            widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),  # one line: not street-address
                            error_messages={"required": _("Nhập địa chỉ nơi ở mới.")})
    details = long_text(_("Lý do chuyển nơi hưởng"), missing=_("Nhập lý do chuyển nơi hưởng."))
    phone = phone_field()
    refreshed_lists = {"new_province": ("new_agency", _("Cập nhật danh sách cơ quan BHXH"),
                                        _("Danh sách theo tỉnh/thành phố đã chọn."))}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province_id = self.data.get("new_province") if self.is_bound else self.initial.get("new_province")
        agencies = Agency.objects.order_by("code")
        # ASCII digits only ("²".isdigit() is True, int("²") fails): anything else is no province.
        if province_id is not None and _PROVINCE_ID.fullmatch(str(province_id)):
            self.fields["new_agency"].queryset = agencies.filter(province_id=int(province_id))
        elif self.person is None:  # reading a stored filing: any agency
            self.fields["new_agency"].queryset = agencies

    for_another = False

    def filled_in_for(self, person):
        # The allowance is the person's in view (a child's), not the parent's filling in the form.
        self.for_another = True
        for name in ("new_province", "new_address"):  # where the child lives: the browser would offer the parent's
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("new_agency")
        if agency is not None and agency == paying_agency(person=self.person):
            if self.for_another:
                message = gettext("Đây là cơ quan BHXH đang chi trả lương hưu, trợ cấp cho %(name)s. Hãy chọn nơi "
                                  "nhận mới.") % {"name": self.person.full_name}
            else:
                message = gettext("Đây là cơ quan BHXH đang chi trả lương hưu, trợ cấp cho bạn. Hãy chọn nơi nhận mới.")
            self.add_error("new_agency", message)
        return cleaned


@register
class BenefitPlace(Procedure):
    code = "CHUYEN-NOI-HUONG"
    slug = "chuyen-noi-huong"
    name = _("Chuyển nơi hưởng lương hưu, trợ cấp BHXH")
    sms_title = pgettext_lazy("tên ngắn của thủ tục trong SMS", "Chuyển nơi hưởng")
    summary = _("Nhận lương hưu, trợ cấp hằng tháng ở tỉnh/thành phố khác.")
    form_class = BenefitPlaceForm
    documents = [_("Đơn đề nghị chuyển nơi hưởng (cổng tạo sẵn từ nội dung bạn khai)")]
    handling_days = 5
    pdf_template = "public_services/pdf/benefit_place.html"
    declaration_name = _("Đơn đề nghị chuyển nơi hưởng lương hưu, trợ cấp BHXH")
    order = 40
    reauthenticate = True
    reauthenticate_reason = _("Hồ sơ này chuyển nơi nhận lương hưu, trợ cấp BHXH.")

    def agency_for(self, *, person, data):
        return Agency.objects.get(pk=data["new_agency"])

    def unavailable(self, person, *, user=None):
        return monthly_benefit_missing(person)

    def completion_changes(self, filing):
        agency = Agency.objects.get(pk=filing.data["new_agency"])
        return [gettext("Khoản %(reference)s – %(kind)s: cơ quan BHXH chi trả %(before)s → %(after)s") % {
                    "reference": record.reference, "kind": record.get_kind_display(), "before": record.agency,
                    "after": agency}
                for record in monthly_benefits_of(person=filing.person).select_related("agency")
                if record.agency_id != agency.pk]

    def completion_outcome(self, filing):
        agency = Agency.objects.get(pk=filing.data["new_agency"])
        return format_lazy(_("Lương hưu, trợ cấp hằng tháng từ nay do {agency} chi trả."), agency=agency.name)

    def completion_sms_outcome(self, filing):
        # Read on a lock screen: that it is done, the agency and the address left to the notice; after the step,
        # which names the procedure ("Chuyển nơi hưởng – đã có kết quả."), who pays from now on rather than the
        # move again, and what it pays. A child's name of 28 characters fits 2 parts; in English "the new social
        # insurance agency" would make a third with it, so the English keeps "the new agency".
        return _("Chế độ nay do cơ quan BHXH mới chi trả.")

    def on_complete(self, *, filing, actor):
        monthly_benefits_change(person=filing.person, actor=actor, agency=Agency.objects.get(pk=filing.data["new_agency"]),
                                because=f"theo hồ sơ {filing.tracking_number}")
