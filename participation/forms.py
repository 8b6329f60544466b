"""Forms of the officers' admin of participation periods."""

import unicodedata

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lookup.selectors import officer_agency_ids
from vssid_portal.concurrent_edits import SeenVersionForm
from vssid_portal.forms import MoneyField
from vssid_portal.text import clean_text

from .models import Period
from .services.periods import lock_person, period_conflict


class MonthField(forms.DateField):
    """A month typed as mm/yyyy (01/2005), as the period list and the CSV import write it, or still as a
    full date dd/mm/yyyy; either is kept as the first day of its month."""

    default_error_messages = {"invalid": _("Nhập tháng theo dạng mm/yyyy, ví dụ 01/2005.")}

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%m/%Y", "%d/%m/%Y"],
                         widget=forms.DateInput(format="%m/%Y", attrs={"inputmode": "numeric", "size": 10}), **kwargs)

    def to_python(self, value):
        if isinstance(value, str):  # without invisible characters pasted with it, fullwidth digits as ASCII
            value = unicodedata.normalize("NFKC", clean_text(value))
            if not value.isascii():  # other scripts' digits, which strptime would take
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class PeriodAdminForm(SeenVersionForm):
    """A period whose natural key (person, type, first month, employer or payer) another period
    already has, or whose months another of the same payer covers, is refused here, on the form,
    with the message period_save gives (the admin's page runs in one transaction: the person's row
    stays locked from this check to the save): the admin logs
    a period as added or changed only after its form is valid, so a save refused afterwards would
    be logged and announced as done. So is a save from a page opened before another one's save."""

    version_field = "updated_at"  # a period has no revision; every save (the import's too) sets it
    money_fields = ("base", "amount")
    from_month = MonthField(label=capfirst(Period._meta.get_field("from_month").verbose_name),
                            help_text=_("Tháng bắt đầu, dạng mm/yyyy, ví dụ 01/2005."))
    to_month = MonthField(label=capfirst(Period._meta.get_field("to_month").verbose_name),
                          help_text=_("Tháng cuối cùng (tính cả tháng này), dạng mm/yyyy, ví dụ 12/2005."))
    user = None  # the officer (PeriodAdmin.get_form): an overlap outside their agencies is not named

    class Meta:
        model = Period
        fields = "__all__"
        field_classes = {"base": MoneyField, "amount": MoneyField}
        help_texts = {"amount": _("Để trống để tự tính: căn cứ đóng × tỷ lệ đóng (làm tròn xuống đến đồng). Số tiền "
                                  "nhập vào phải bằng đúng số đó; với BHXH tự nguyện có thể nhỏ hơn (đã trừ phần Nhà "
                                  "nước hỗ trợ), không được lớn hơn.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "amount" in self.fields:  # not on a page shown read-only (an officer's own period: no fields)
            self.fields["amount"].required = False  # left empty, Period.clean computes it

    def clean(self):
        if self.instance.person_id:  # the person's row before the period's, locked by super().clean()
            lock_person(self.instance.person_id)
        cleaned = super().clean()
        person = cleaned.get("person") or (self.instance.person if self.instance.person_id else None)
        values = {name: cleaned.get(name) for name in ("kind", "from_month", "to_month", "payer")}
        if person is None or None in values.values():
            return cleaned  # a field error already says what is missing
        values.update(from_month=values["from_month"].replace(day=1), to_month=values["to_month"].replace(day=1))
        probe = Period(pk=self.instance.pk, person=person, employer=cleaned.get("employer"), **values)
        scope = officer_agency_ids(self.user) if self.user is not None else None
        for name, message in (period_conflict(probe, scope) or {}).items():
            self.add_error(name, message)
        return cleaned
