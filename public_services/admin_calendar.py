"""Admin of the public-holiday table that due dates are counted with: listed by year, filtered by
kind, searched by name. Only superusers and staff given the public_services holiday permissions
see or change it (Django's model permissions, no officer group has them). Importing this module
registers it."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.db import transaction

from vssid_portal.templatetags.vn_format import vn_date

from .calendar import WEEKDAY_NAMES
from .models import Holiday
from .services import due_dates_recounted, holiday_change_started

_YEAR = re.compile(r"[0-9]{1,4}")  # ASCII digits only: "²".isdigit() is True but int("²") fails


class YearFilter(admin.SimpleListFilter):
    title = "năm"
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
    date = forms.DateField(label="Ngày", input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                           widget=AdminDateWidget(format="%d/%m/%Y"), help_text="dd/mm/yyyy, ví dụ 02/09/2026.")

    class Meta:
        model = Holiday
        fields = ["date", "name", "kind"]

    def clean_date(self):
        """A date held by another row is refused naming that row (Django's unique message named none)."""
        date = self.cleaned_data["date"]
        held = Holiday.objects.filter(date=date).exclude(pk=self.instance.pk).first()
        if held is not None:
            raise forms.ValidationError(
                f"Ngày {vn_date(date)} đã có trong lịch ({held.name}): mỗi ngày chỉ có một dòng, hãy sửa dòng đó.")
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

    @admin.display(description="ngày", ordering="date")
    def day(self, obj):
        return vn_date(obj.date)

    @admin.display(description="thứ")
    def weekday(self, obj):
        return WEEKDAY_NAMES[obj.date.weekday()]

    # Due dates of the filings in hand are counted with this table: each change counts them again,
    # in the transaction of the change (the add, change and delete pages run in one; the "delete
    # selected" action does not, so delete_queryset opens its own), after holiday_change_started,
    # which keeps submissions from counting a due date while the change is not committed.
    def save_model(self, request, obj, form, change):
        holiday_change_started()
        before = Holiday.objects.filter(pk=obj.pk).values_list("date", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        self._recount(request, [before, obj.date])

    def delete_model(self, request, obj):
        holiday_change_started()
        day = obj.date
        super().delete_model(request, obj)
        self._recount(request, [day])

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            holiday_change_started()
            days = list(queryset.values_list("date", flat=True))
            super().delete_queryset(request, queryset)
            self._recount(request, days)

    def _recount(self, request, days):
        moved = due_dates_recounted(days)
        if moved:
            messages.info(request, f"Đã tính lại hẹn trả kết quả của {moved} hồ sơ đang giải quyết có thời hạn "
                                   "qua ngày vừa thay đổi.")
