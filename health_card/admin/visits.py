"""Admin of the medical-visit history: officers and clinic staff enter and correct visits with their
cost lines, each in their own scope (selectors_visits.visit_scope), through the one save path in
services_visits.py.

The patient is chosen by BHXH code (clinic staff have no access to the registry's list); a visit
stays with its person once saved. Totals may be left empty when cost lines are entered: they are
then the lines' sums, and entered totals must equal them.
"""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet

from accounts.models import Person
from accounts.validators import bhxh_code_validator
from lookup.models import MedicalFacility
from vssid_portal.admin import AuditTrailInline, FoldedKeySearch, NotFoundOutsideScope, year_filter
from vssid_portal.audit import EMPTY
from vssid_portal.concurrent_edits import SeenVersionForm
from vssid_portal.templatetags.vn_format import vn_number, vnd

from ..models import Visit, VisitEvent, VisitLine
from ..selectors_visits import visit_in_scope, visits_visible_to
from ..services_visits import MONEY_FIELDS, TOTAL_FIELDS, check_dates, check_totals, fill_totals, visit_save

# One answer for a code that does not exist and for a person outside the user's scope: the form
# must not tell whether a BHXH code is in the registry.
PERSON_NOT_FOUND = ("Không tìm thấy người tham gia có mã số BHXH này trong phạm vi của bạn. "
                    "Kiểm tra lại mã trên thẻ BHYT.")
TOTALS_HELP = "Để trống để tính từ các dòng chi phí."


def _line_forms(formset):
    """The formset's forms that stay: filled in, not marked for deletion."""
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or formset._should_delete_form(form):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        yield form


class VisitLineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        lines = [form.instance for form in _line_forms(self)]
        fill_totals(self.instance, lines)
        try:
            check_totals(self.instance, lines)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                [message for messages_ in error.message_dict.values() for message in messages_])


class VisitLineInline(admin.TabularInline):
    model = VisitLine
    formset = VisitLineFormSet
    fields = ["category", "description", "unit", "quantity", "unit_price", "amount", "bhyt_amount"]
    extra = 1


class VisitEventInline(AuditTrailInline):
    model = VisitEvent
    fields = ["at", "revision", "changes", "actor"]
    view_permissions = ("health_card.view_visit", "health_card.change_visit")


def _own_facility_only(user) -> bool:
    """A clinic's own account (a facility, no agency): it records visits at that facility only."""
    return user is not None and not user.is_superuser and user.facility_id is not None and user.agency_id is None


class VisitAdminForm(SeenVersionForm):
    """`user` is set by VisitAdmin.get_form: the scope the form checks against."""

    user = None
    bhxh_code = forms.CharField(label="Mã số BHXH của người bệnh", max_length=10, required=False,
                                help_text="10 chữ số, in trên thẻ BHYT.")

    money_fields = MONEY_FIELDS

    class Meta:
        model = Visit
        fields = ["facility", "reference", "kind", "admitted_on", "discharged_on", "diagnosis_code", "diagnosis_name",
                  *TOTAL_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        adding = self.instance.pk is None
        if not adding:
            del self.fields["bhxh_code"]
        else:
            self.fields["bhxh_code"].required = True
        for name in TOTAL_FIELDS:
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = TOTALS_HELP
        if "facility" in self.fields and _own_facility_only(self.user):  # their own facility only
            self.fields["facility"].queryset = MedicalFacility.objects.filter(pk=self.user.facility_id)
            self.fields["facility"].initial = self.user.facility_id

    def seen_extras(self, instance):
        """The cost lines are saved with the visit: another save's change of them is shown too."""
        lines = "; ".join(f"{line.get_category_display()} – {line.description}: {vn_number(line.quantity)} {line.unit} × "
                          f"{vnd(line.unit_price)} = {vnd(line.amount)}, BHYT {vnd(line.bhyt_amount)}"
                          for line in instance.lines.order_by("pk"))
        return {"lines": ("Các dòng chi phí", lines or EMPTY)}

    def clean_bhxh_code(self):
        code = "".join(self.cleaned_data.get("bhxh_code", "").split())
        bhxh_code_validator(code)
        person = Person.objects.select_related("agency").filter(bhxh_code=code).first()
        if person is None:
            raise forms.ValidationError(PERSON_NOT_FOUND)
        self.instance.person = person
        return code

    def clean(self):
        cleaned = super().clean()
        try:
            check_dates(Visit(admitted_on=cleaned.get("admitted_on"), discharged_on=cleaned.get("discharged_on")))
        except forms.ValidationError as error:
            self.add_error(None, error)
        facility = cleaned.get("facility") or (self.instance.facility if self.instance.facility_id else None)
        if self.user is not None and facility is not None and self.instance.person_id is not None:
            probe = Visit(person=self.instance.person, facility=facility)
            if not visit_in_scope(self.user, probe):
                if "bhxh_code" in self.fields:  # adding: the person was found by the code typed in
                    self.add_error("bhxh_code", PERSON_NOT_FOUND)
                else:
                    raise forms.ValidationError(
                        "Lượt khám ngoài phạm vi quản lý của bạn: người bệnh không do cơ quan BHXH của bạn quản lý "
                        "và cơ sở KCB không thuộc địa bàn của bạn.")
        return cleaned


VISITS_SINCE = 2015  # the first year the list filter offers; an older visit is found by search


@admin.register(Visit)
class VisitAdmin(FoldedKeySearch, NotFoundOutsideScope, admin.ModelAdmin):
    form = VisitAdminForm
    list_display = ["reference", "person", "facility", "kind", "admitted_on", "discharged_on", "diagnosis_code",
                    "total_cost_vnd"]
    # Every visit of the country: no date hierarchy, no count of the whole table.
    list_filter = ["kind", year_filter("admitted_on", since=VISITS_SINCE)]
    show_full_result_count = False
    # A visit's reference, a BHXH code or an ICD-10 code ("J06", "j06.9") from its start, a name anywhere in
    # its folded key: each read from an index, never every visit (migration 0007, the person's indexes).
    search_fields = ["^reference", "^person__bhxh_code", "person__name_key", "^diagnosis_code"]
    codes_apart_from_names = True
    upper_case_codes = ("person__bhxh_code", "diagnosis_code")
    list_select_related = ["person", "facility"]
    inlines = [VisitLineInline, VisitEventInline]

    def get_queryset(self, request):
        return visits_visible_to(request.user)

    def get_autocomplete_fields(self, request):
        # An officer searches the country's facilities; clinic staff choose their own from a list of one.
        return [] if _own_facility_only(request.user) else ["facility"]

    @admin.display(description="tổng chi phí", ordering="total_cost")
    def total_cost_vnd(self, obj):
        return vnd(obj.total_cost)

    def get_fieldsets(self, request, obj=None):
        who = ["bhxh_code"] if obj is None else ["person", "seen_version"]  # the revision shown, hidden
        facility = ["facility"] if obj is None or self._may_move(request) else []
        return [
            ("Người bệnh và nơi điều trị", {"fields": [*who, *facility, "reference", "kind"]}),
            ("Thời gian và chẩn đoán", {"fields": ["admitted_on", "discharged_on", "diagnosis_code",
                                                   "diagnosis_name"]}),
            ("Chi phí", {"fields": list(TOTAL_FIELDS),
                         "description": "Tổng chi phí = phần BHYT chi trả + phần người bệnh chi trả. Khi có các dòng "
                                        "chi phí bên dưới, các tổng phải bằng tổng của các dòng."}),
        ]

    @staticmethod
    def _may_move(request) -> bool:
        """Clinic staff cannot move a visit to another facility; officers may correct it."""
        user = request.user
        return user.is_superuser or user.agency_id is not None

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A visit stays with its person: one entered for the wrong person is deleted and re-entered.
        return ["person"] if self._may_move(request) else ["person", "facility"]

    def get_fields(self, request, obj=None):
        return [field for _name, options in self.get_fieldsets(request, obj) for field in options["fields"]]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_add_permission(self, request):
        user = request.user
        return super().has_add_permission(request) and (
            user.is_superuser or user.agency_id is not None or user.facility_id is not None)

    def save_model(self, request, obj, form, change):
        """Saved with its lines in save_related: one change, one notice."""

    def save_formset(self, request, form, formset, change):
        """Lines are saved by the service in save_related."""

    def save_related(self, request, form, formsets, change):
        lines_formset = next(f for f in formsets if f.model is VisitLine)
        lines = [line_form.instance for line_form in _line_forms(lines_formset)]
        changed = visit_save(visit=form.instance, lines=lines, actor=request.user,
                             seen_version=form.cleaned_data.get("seen_version"))
        if change and not changed:
            messages.info(request, "Không có thay đổi nào: không gửi thông báo.")

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, None, add)
