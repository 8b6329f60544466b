"""Admin of the public-holiday table that due dates are counted with: listed by year, filtered by
kind, searched by name. Only superusers and staff given the public_services holiday permissions
see or change it (Django's model permissions, no officer group has them). Importing this module
registers it."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.utils.translation import gettext, gettext_lazy, ngettext

from vssid_portal.templatetags.vn_format import vn_date

from ..calendar import WEEKDAY_NAMES
from ..models import Holiday
from ..services import holiday_save, holidays_delete

_YEAR = re.compile(r"[0-9]{1,4}")  # ASCII digits only: "²".isdigit() is True but int("²") fails


class YearFilter(admin.SimpleListFilter):
    title = gettext_lazy("năm")
    parameter_name = "nam"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        """A year 1–9999 filters the list; anything else in the address is ignored (all years)."""
        value = self.value() or ""
        if _YEAR.fullmatch(value) and int(value) >= 1:
            return queryset.filter(date__year=int(value))
        return queryset


class HolidayForm(forms.ModelForm):
    # Django's Vietnamese locale has no date input format: officers type dd/mm/yyyy; the admin's
    # date picker fills in yyyy-mm-dd, accepted too.
    date = forms.DateField(label=gettext_lazy("Ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                           widget=AdminDateWidget(format="%d/%m/%Y"),
                           help_text=gettext_lazy("dd/mm/yyyy, ví dụ 02/09/2026."))

    class Meta:
        model = Holiday
        fields = ["date", "name", "kind"]

    def clean_date(self):
        """A date held by another row is refused naming that row (Django's unique message named none)."""
        date = self.cleaned_data["date"]
        held = Holiday.objects.filter(date=date).exclude(pk=self.instance.pk).first()
        if held is not None:
            raise forms.ValidationError(
                gettext("Ngày %(date)s đã có trong lịch (%(name)s): mỗi ngày chỉ có một dòng, hãy sửa dòng đó.")
                % {"date": vn_date(date), "name": held.name})
        return date


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "weekday", "name", "kind"]
    list_display_links = ["day", "name"]
    list_filter = [YearFilter, "kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date"]
    list_per_page = 100
    form = HolidayForm

    @admin.display(description=gettext_lazy("ngày"), ordering="date")
    def day(self, obj):
        return vn_date(obj.date)

    @admin.display(description=gettext_lazy("thứ"))
    def weekday(self, obj):
        return WEEKDAY_NAMES[obj.date.weekday()]

    # Due dates of the filings in hand are counted with this table: each change goes through the
    # service that counts them again in its transaction (the "delete selected" action has none of
    # its own), after holiday_change_started.
    def save_model(self, request, obj, form, change):
        self._say_moved(request, holiday_save(holiday=obj))

    def delete_model(self, request, obj):
        self._say_moved(request, holidays_delete(holidays=Holiday.objects.filter(pk=obj.pk)))

    def delete_queryset(self, request, queryset):
        self._say_moved(request, holidays_delete(holidays=queryset))

    def _say_moved(self, request, moved):
        if moved:
            messages.info(request, ngettext(
                "Đã tính lại hẹn trả kết quả của %(count)s hồ sơ đang giải quyết có thời hạn qua ngày vừa thay đổi; "
                "người tham gia có tài khoản trên Cổng sẽ được báo hẹn mới sau ít phút.",
                "Đã tính lại hẹn trả kết quả của %(count)s hồ sơ đang giải quyết có thời hạn qua ngày vừa thay đổi; "
                "người tham gia có tài khoản trên Cổng sẽ được báo hẹn mới sau ít phút.", moved) % {"count": moved})
