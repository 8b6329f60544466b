"""Admin of the medical-visit history: officers and clinic staff enter and correct visits with their
cost lines, each in their own scope (selectors.visits.visit_scope), through the one save path in
services/visits.py.

The patient is chosen by BHXH code and full name, checked together (clinic staff have no access to
the registry's list, and a code alone would name its holder); a visit stays with its person once
saved. The visits of one's own record or child's are only shown (accounts/admin_own_records.py).
Totals may be left empty when cost lines are entered: they are then the lines' sums, and entered
totals must equal them.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_own_records import OwnRecordsReadOnly
from accounts.validators import bhxh_code_validator
from lookup.models import MedicalFacility
from vssid_portal.admin import (
    AuditTrailInline,
    FoldedKeySearch,
    NotFoundOutsideScope,
    PortalFormFields,
    RelationLinksOnlyWhereAllowed,
    SaysWhyNoAgencySeesNothing,
    year_filter,
)
from vssid_portal.audit import EMPTY
from vssid_portal.concurrent_edits import SeenVersionForm
from vssid_portal.forms import MoneyField, own_limits
from vssid_portal.ratelimit import LimitRefusal, limit_refusal
from vssid_portal.templatetags.vn_format import vn_number, vnd

from ..mismatches import MismatchesUsedUp, mismatches_limited
from ..models import Visit, VisitEvent, VisitLine
from ..selectors import own_facility_only, visit_in_scope, visits_visible_to
from ..services import (
    MONEY_FIELDS,
    TOTAL_FIELDS,
    check_dates,
    check_totals,
    fill_totals,
    visit_patient_find,
    visit_save,
    visits_delete,
)

# One answer for a code that does not exist, a name that is not its holder's and a person outside the
# user's scope: the form must not tell whether a BHXH code is in the registry, nor whose it is.
PERSON_NOT_FOUND = _("Không tìm thấy người tham gia có mã số BHXH và họ tên này trong phạm vi của bạn. "
                     "Kiểm tra lại mã số BHXH và họ tên trên thẻ BHYT.")
PATIENT_UNCHECKED = _("Chưa kiểm tra được mã số BHXH và họ tên người bệnh lúc này. Hãy thử lại sau vài phút.")
TOTALS_HELP = _("Để trống để tính từ các dòng chi phí.")
# A row whose hidden line id or visit is not of this visit (a page altered before posting).
LINE_NOT_OF_VISIT = _("Dòng chi phí không thuộc lượt khám này. Hãy tải lại trang rồi sửa lại.")


def _line_forms(formset):
    """The formset's forms that stay: filled in, not marked for deletion."""
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or formset._should_delete_form(form):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        yield form


LINE_FIELDS = ["category", "description", "unit", "quantity", "unit_price", "amount", "bhyt_amount"]
LINES = "lines"  # the prefix of the cost lines' forms on the page
MAX_LINES = 2000  # rows of a posted page looked at, as Django's formsets cap them
_ROW_KEY = re.compile(rf"(initial-)?{LINES}-(\d+)-(.+)")


def line_shown(line: VisitLine) -> str:
    """A cost line as the edit-conflict summary writes it."""
    return (f"{line.get_category_display()} – {line.description}: {vn_number(line.quantity)} {line.unit} × "
            f"{vnd(line.unit_price)} = {vnd(line.amount)}, BHYT {vnd(line.bhyt_amount)}")


# The line's prices and amounts are typed and shown as money (1.234.567), by the inline and here.
LINE_FORMFIELD_OVERRIDES = {models.BigIntegerField: {"form_class": MoneyField}}


def _line_formfield(name: str):
    field = VisitLine._meta.get_field(name)
    return field.formfield(**own_limits(field), **next((kwargs for kind, kwargs in LINE_FORMFIELD_OVERRIDES.items()
                                                       if isinstance(field, kind)), {}))


def _posted_line(row: dict, shown: bool) -> dict | None:
    """The values of a posted row: as the officer typed them, or (`shown`) as the page showed them,
    from the hidden initial values (None where they do not make a valid line)."""
    flag = "initial-" if shown else ""
    values = {}
    for name in LINE_FIELDS:
        try:
            values[name] = _line_formfield(name).clean(row.get((flag, name), [""])[-1])
        except ValidationError:
            return None
    return values


def lines_shown_again(data, stored_lines) -> tuple[object, list[tuple[str, str, str]]]:
    """A stale page's cost lines put back in step with the lines stored now, for the page shown again
    (SeenVersionForm): the posted data of the lines' formset and the summary's lines about them.

    A line another save deleted is no longer offered as that line (its id is gone): it is dropped,
    unless the officer changed it on their page, then it stays as a new line with what they typed,
    so nothing typed is lost. A line another save added is put on the page with its stored values,
    so that saving the page again keeps it. Lines still stored keep what the officer typed."""
    try:
        initial = int(data[f"{LINES}-INITIAL_FORMS"])
        total = min(int(data[f"{LINES}-TOTAL_FORMS"]), MAX_LINES)
    except (KeyError, ValueError):
        return None, []
    rest, rows = data.copy(), {}
    for key in list(data.keys()):
        match = _ROW_KEY.fullmatch(key)
        if match:
            rows.setdefault(int(match[2]), {})[(match[1] or "", match[3])] = data.getlist(key)
            del rest[key]
    stored = {line.pk: line for line in stored_lines}
    kept, added, retyped, new, posted_ids = [], [], [], [], set()
    deleted = []  # (what the line held, the row kept in its place or None)
    for index in range(total):
        row = rows.get(index, {})
        if index >= initial:
            new.append(row)
            continue
        pk = row.get(("", "id"), [""])[-1]
        number = pk.isascii() and pk.isdigit()  # "²" is a digit to isdigit(), not to int()
        if not number or int(pk) in stored:
            posted_ids.add(int(pk) if number else None)
            kept.append(row)
            continue
        shown, typed = _posted_line(row, shown=True), _posted_line(row, shown=False)
        ticked = row.get(("", "DELETE"), [""])[-1] not in ("", "off", "false", "False")
        if ticked or (shown is not None and shown == typed):
            deleted.append((shown, None))
        else:  # changed by the officer, or shown before the page carried what it showed: kept
            retyped.append({**row, ("", "id"): [""]})
            deleted.append((shown or typed, retyped[-1]))
    for line in stored_lines:
        if line.pk not in posted_ids:
            values = {name: "" if getattr(line, name) is None else str(getattr(line, name)) for name in LINE_FIELDS}
            added.append((line, {("", "id"): [str(line.pk)], ("", "visit"): [str(line.visit_id)],
                                 **{("", name): [value] for name, value in values.items()},
                                 **{("initial-", name): [value] for name, value in values.items()}}))
    if not deleted and not added:
        return None, []
    order = [*kept, *(row for _line, row in added), *retyped, *new]
    for number, row in enumerate(order):
        for (flag, name), values in row.items():
            rest.setlist(f"{flag}{LINES}-{number}-{name}", values)
    rest[f"{LINES}-INITIAL_FORMS"] = str(len(kept) + len(added))
    rest[f"{LINES}-TOTAL_FORMS"] = str(len(order))
    place = {id(row): f"#{LINES}-{number}" for number, row in enumerate(order)}  # the row's id on the page
    items = []
    for held, row in deleted:
        shown = line_shown(VisitLine(**held)) if held is not None else "—"
        if row is None:
            items.append((f"#{LINES}-group", gettext("Đã xóa dòng chi phí"), shown))
        else:
            items.append((place[id(row)], gettext("Đã xóa dòng chi phí (bạn đã sửa dòng này trên trang nên dòng được "
                                                  "giữ lại như một dòng mới)"), shown))
    for line, row in added:
        items.append((place[id(row)], gettext("Đã thêm dòng chi phí (đã đưa vào trang)"), line_shown(line)))
    return rest, items


class VisitLineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A row's line id is one of this visit's lines: Django offers every line of every visit, so a
        # posted id of another visit's line would be taken as a new line here (and the page's own
        # line in that row dropped). Refused instead (LINE_NOT_OF_VISIT, beside the row).
        pk_name = self.model._meta.pk.name
        if pk_name in form.fields:
            form.fields[pk_name].queryset = self.model._default_manager.filter(visit_id=self.instance.pk)
        for name in LINE_FIELDS:  # what the page showed is posted too: a line deleted meanwhile is known by it
            if name in form.fields:
                form.fields[name].show_hidden_initial = True

    def full_clean(self):
        # The page shown again after another save (VisitAdminForm.stale_items): its lines in step with
        # the stored ones. The admin validates the visit's form, which finds the refusal, first.
        shown_again = getattr(self.instance, "_lines_shown_again", None)
        if shown_again is not None and self.is_bound:
            self.data = shown_again
            for cached in ("forms", "management_form"):
                self.__dict__.pop(cached, None)
        super().full_clean()

    def clean(self):
        super().clean()
        for form in self.forms:  # hidden fields: their errors would show nowhere on the row
            if form.errors.get(self.model._meta.pk.name) or form.errors.get(self.fk.name):
                form.add_error(None, LINE_NOT_OF_VISIT)
        if any(self.errors):
            return
        lines = [form.instance for form in _line_forms(self)]
        fill_totals(self.instance, lines)
        try:
            check_totals(self.instance, lines)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                [message for messages_ in error.message_dict.values() for message in messages_])


class VisitLineInline(PortalFormFields, admin.TabularInline):
    model = VisitLine
    formset = VisitLineFormSet
    fields = ["category", "description", "unit", "quantity", "unit_price", "amount", "bhyt_amount"]
    formfield_overrides = LINE_FORMFIELD_OVERRIDES
    extra = 1


class VisitEventInline(AuditTrailInline):
    model = VisitEvent
    fields = ["at", "revision", "changes", "actor"]
    view_permissions = ("health_card.view_visit", "health_card.change_visit")


class VisitAdminForm(SeenVersionForm):
    """`user` is set by VisitAdmin.get_form: the scope the form checks against."""

    user = None
    bhxh_code = forms.CharField(label=_("Mã số BHXH của người bệnh"), max_length=10, required=False,
                                help_text=_("10 chữ số, in trên thẻ BHYT."))
    patient_name = forms.CharField(label=_("Họ và tên người bệnh"), max_length=100, required=False,
                                   help_text=_("Như in trên thẻ BHYT, có dấu hoặc không."))
    refusal = None  # the limit of wrong names refused the check (visit_patient_find): VisitAdmin answers 429

    money_fields = MONEY_FIELDS

    class Meta:
        model = Visit
        fields = ["facility", "reference", "kind", "admitted_on", "discharged_on", "diagnosis_code", "diagnosis_name",
                  *TOTAL_FIELDS]
        field_classes = dict.fromkeys(MONEY_FIELDS, MoneyField)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        adding = self.instance.pk is None
        for name in ("bhxh_code", "patient_name"):
            if not adding:
                del self.fields[name]
            else:
                self.fields[name].required = True
        for name in TOTAL_FIELDS:
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = TOTALS_HELP
        # A patient's, typed at a desk computer the clinic shares: the browser offers no earlier patient's,
        # as on the card check page (health_card.forms)
        for name in ("bhxh_code", "patient_name", "diagnosis_code", "diagnosis_name"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = "off"
        if "facility" in self.fields and own_facility_only(self.user):  # their own facility only
            self.fields["facility"].queryset = MedicalFacility.objects.filter(pk=self.user.facility_id)
            self.fields["facility"].initial = self.user.facility_id

    def seen_extras(self, instance):
        """The cost lines are saved with the visit: another save's change of them is shown too."""
        lines = "; ".join(line_shown(line) for line in instance.lines.order_by("pk"))
        return {"lines": (gettext("Các dòng chi phí"), lines or EMPTY)}

    def stale_items(self, stored):
        """A line the other save deleted or added, said so; the page's lines put in step with the
        stored ones (lines_shown_again), handed to the lines' formset through the visit they share."""
        data, items = lines_shown_again(self.data, list(stored.lines.order_by("pk")))
        if data is not None:
            self.instance._lines_shown_again = data
        return items

    def clean_bhxh_code(self):
        code = "".join(self.cleaned_data.get("bhxh_code", "").split())
        bhxh_code_validator(code)
        return code

    def _find_patient(self, cleaned, facility) -> None:
        """The patient found by the code and the name together, as the verify page checks a typed card,
        and in the user's scope for a visit at `facility`: a wrong name and a person outside the scope
        are answered, and counted, as a code nobody has, beside the code."""
        name, code = cleaned.get("patient_name") or "", cleaned.get("bhxh_code")
        if not code or not name.strip():
            return
        try:
            person = visit_patient_find(user=self.user, bhxh_code=code, full_name=name, facility=facility)
        except MismatchesUsedUp as used_up:
            self.refusal = (LimitRefusal(503, PATIENT_UNCHECKED) if used_up.wait is None  # not counted
                            else limit_refusal(mismatches_limited, PATIENT_UNCHECKED, used_up.wait))
            self.add_error(None, self.refusal.message)
            return
        if person is None:
            self.add_error("bhxh_code", PERSON_NOT_FOUND)
        else:
            self.instance.person = person

    def clean(self):
        cleaned = super().clean()
        facility = cleaned.get("facility") or (self.instance.facility if self.instance.facility_id else None)
        if facility is None and own_facility_only(self.user):  # the one facility clinic staff may choose
            facility = self.user.facility
        if "bhxh_code" in self.fields:  # adding: found only in the scope, with the facility given or not
            self._find_patient(cleaned, facility)
        person = self.instance.person if self.instance.person_id else None
        # Changing, out of scope (with no facility, by the person's agency): the person is left out,
        # their birth date not told.
        hidden = (self.user is not None and person is not None
                  and not visit_in_scope(self.user, Visit(person=person, facility=facility)))
        try:
            # Clinic staff may type any code at their facility: they are not told the birth date, nor
            # refused within the birth year (the day would be found by halving the date).
            check_dates(Visit(person=None if hidden else person,
                              admitted_on=cleaned.get("admitted_on"), discharged_on=cleaned.get("discharged_on")),
                        birth_date_shown=not own_facility_only(self.user))
        except forms.ValidationError as error:
            self.add_error(None, error)
        if hidden and facility is not None:
            raise forms.ValidationError(
                _("Lượt khám ngoài phạm vi quản lý của bạn: người bệnh không do cơ quan BHXH của bạn quản lý "
                  "và cơ sở KCB không thuộc địa bàn của bạn."))
        return cleaned


VISITS_SINCE = 2015  # the first year the list filter offers; an older visit is found by search


@admin.register(Visit)
class VisitAdmin(OwnRecordsReadOnly, SaysWhyNoAgencySeesNothing, FoldedKeySearch, NotFoundOutsideScope,
                 RelationLinksOnlyWhereAllowed, admin.ModelAdmin):
    no_agency_warning = _("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có lượt khám chữa bệnh nào để xem. "
                          "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")
    person_field = "bhxh_code"  # the add form asks the patient's code, not a person
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

    def sees_nothing_without_agency(self, request) -> bool:
        # Clinic staff see their facility's visits, with no agency (selectors.visits.visit_scope).
        return super().sees_nothing_without_agency(request) and request.user.facility_id is None

    def get_autocomplete_fields(self, request):
        # An officer searches the country's facilities; clinic staff choose their own from a list of one.
        return [] if own_facility_only(request.user) else ["facility"]

    @admin.display(description=_("tổng chi phí"), ordering="total_cost")
    def total_cost_vnd(self, obj):
        return vnd(obj.total_cost)

    def get_fieldsets(self, request, obj=None):
        # Adding, the patient's code and name; changing, the person and the revision shown (hidden).
        who = ["bhxh_code", "patient_name"] if obj is None else ["person", "seen_version"]
        facility = ["facility"] if obj is None or self._may_move(request) else []
        return self.fieldsets_shown(request, obj, [
            (gettext("Người bệnh và nơi điều trị"), {"fields": [*who, *facility, "reference", "kind"]}),
            (gettext("Thời gian và chẩn đoán"), {"fields": ["admitted_on", "discharged_on", "diagnosis_code",
                                                            "diagnosis_name"]}),
            (gettext("Chi phí"), {"fields": list(TOTAL_FIELDS),
                                  "description": gettext("Tổng chi phí = phần BHYT chi trả + phần người bệnh chi trả. Khi "
                                                         "có các dòng chi phí bên dưới, các tổng phải bằng tổng của các "
                                                         "dòng.")}),
        ])

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

    def add_view(self, request, form_url="", extra_context=None):
        """A patient's check refused by the limit of wrong names is answered 429 with Retry-After (503
        while Redis cannot count it), the form as typed."""
        response = super().add_view(request, form_url, extra_context)
        adminform = (getattr(response, "context_data", None) or {}).get("adminform")
        refusal = getattr(adminform.form, "refusal", None) if adminform else None
        return refusal.answer(response) if refusal is not None else response

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
            messages.info(request, gettext("Không có thay đổi nào: không gửi thông báo."))

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, None, add)

    def delete_model(self, request, obj):
        visits_delete(visits=Visit.objects.filter(pk=obj.pk), actor=request.user)

    def delete_queryset(self, request, queryset):
        visits_delete(visits=queryset, actor=request.user)
