"""Officers' admin: benefit records of their agency (or province), entered and corrected through
the one save path in services.py; the salary adjustment table the estimator uses."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext, ngettext, ngettext_lazy, pgettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_own_records import OwnRecordsReadOnly
from accounts.selectors import logins_told_of, notice_channels, people_told_of, persons_visible_to
from lookup.admin_filters import OfficerAgencyFilter
from lookup.models import Agency
from lookup.selectors import officer_agency_ids
from notifications.texts import SENT_IN_NOTICE_ONLY, sent_as_typed
from vssid_portal.admin import (
    AuditTrailInline,
    FoldedKeySearch,
    NotFoundOutsideScope,
    RecentDateFilter,
    RelationLinksOnlyWhereAllowed,
    SaysWhyNoAgencySeesNothing,
    year_filter,
)
from vssid_portal.concurrent_edits import SeenVersionForm
from vssid_portal.forms import MoneyField

from .models import BenefitEvent, BenefitRecord, SalaryAdjustment, Status, statuses_before, step_allowed
from .selectors import benefits_visible_to
from .services import benefit_save, benefit_set_status, benefit_status_refusal


class BenefitEventInline(AuditTrailInline):
    model = BenefitEvent
    fields = ["at", "revision", "status", "changes", "actor"]
    view_permissions = ("benefits.view_benefitrecord", "benefits.change_benefitrecord")


class BenefitRecordAdminForm(SeenVersionForm):
    money_fields = ("amount", "monthly_amount")

    class Meta:
        model = BenefitRecord
        fields = "__all__"
        field_classes = {"amount": MoneyField, "monthly_amount": MoneyField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reject_reason" in self.fields:  # told to the holder as typed (benefit_updated), if anyone is told
            field = self.fields["reject_reason"]
            person = self.instance.person if self.instance.person_id else None
            # by the notice alone (notice_channels' first, when anyone is told): the SMS, read on a lock
            # screen, says only that the record changed
            sent = sent_as_typed(notice_channels(logins_told_of(person))[:1]) if person else SENT_IN_NOTICE_ONLY
            field.help_text = format_lazy("{} {}", field.help_text, sent)

    def _post_clean(self):
        """A status the stored one does not reach in one save is refused here, beside its field, with
        the message benefit_save gives (the admin's page runs in one transaction: the row stays locked
        from this check to the save): a save refused after the form is valid would fail the page.
        A field the form refused keeps the form's words alone: the record, which never got the value
        typed, would add what it says of the value it holds instead, "Nhập số ngày nghỉ cho hồ sơ Ốm
        đau." beside a days_off past its limit."""
        refused = {name: len(errors) for name, errors in self.errors.items() if name != NON_FIELD_ERRORS}
        super()._post_clean()
        for name, count in refused.items():
            del self._errors[name][count:]
        if "status" in self.cleaned_data:
            refusal = benefit_status_refusal(record=self.instance)
            if refusal:
                self.add_error("status", refusal)


NAMED_AT_MOST = 10  # records a status action's refusal names by reference; the others it counts


def steps_not_taken(records: list[BenefitRecord], status: str) -> str:
    """One message for the records ticked that a status action may not move to `status` from the
    status the list showed (NEXT_STATUSES): how many, which (the first NAMED_AT_MOST references,
    each with its status, the rest counted) and the status they would need."""
    before = pgettext("các trạng thái", " hoặc ").join(f"“{Status(step).label}”" for step in statuses_before(status))
    named = sorted(records, key=lambda obj: obj.reference)
    listed = ", ".join(f"{obj.reference} ({obj.get_status_display()})" for obj in named[:NAMED_AT_MOST])
    others = len(named) - NAMED_AT_MOST
    if others > 0:
        listed = ngettext("%(listed)s và %(others)s hồ sơ khác", "%(listed)s và %(others)s hồ sơ khác",
                          others) % {"listed": listed, "others": others}
    return ngettext(
        "%(count)s hồ sơ đã chọn không chuyển sang “%(status)s” được vì chỉ hồ sơ %(before)s mới chuyển được: "
        "%(listed)s; giữ nguyên.",
        "%(count)s hồ sơ đã chọn không chuyển sang “%(status)s” được vì chỉ hồ sơ %(before)s mới chuyển được: "
        "%(listed)s; giữ nguyên.",
        len(named)) % {"count": len(named), "status": Status(status).label, "before": before, "listed": listed}


# What a status action did, counted (`count`): the start of its success message (steps_taken).
MOVED_TO_PROCESSING = ngettext_lazy("Đã chuyển sang đang giải quyết %(count)s hồ sơ",
                                    "Đã chuyển sang đang giải quyết %(count)s hồ sơ", "count")
MARKED_PAID = ngettext_lazy("Đã ghi nhận chi trả %(count)s hồ sơ", "Đã ghi nhận chi trả %(count)s hồ sơ", "count")
# Why a status action left `count` of the records ticked as they were: past its step already.
NO_LONGER_RECEIVED = ngettext_lazy("%(count)s hồ sơ đã chọn không còn ở trạng thái “%(status)s”: giữ nguyên.",
                                   "%(count)s hồ sơ đã chọn không còn ở trạng thái “%(status)s”: giữ nguyên.", "count")
PAID_BEFORE = ngettext_lazy("%(count)s hồ sơ đã chọn đã chi trả từ trước: giữ nguyên.",
                            "%(count)s hồ sơ đã chọn đã chi trả từ trước: giữ nguyên.", "count")


def steps_taken(done, count: int, *, untold: int) -> str:
    """The success message of a status action that moved `count` records (`done`, e.g. MARKED_PAID),
    saying whether their people were told: `untold` of them belong to a person nobody could tell (no
    login that signs in, nor a parent's of a minor: accounts.selectors.logins_told_of_people)."""
    done = done % {"count": count}
    if not untold:
        return ngettext("%(done)s; người hưởng đã được thông báo.", "%(done)s; người hưởng đã được thông báo.",
                        count) % {"done": done}
    if untold == count:
        return ngettext("%(done)s; không gửi thông báo vì người hưởng không có tài khoản đang hoạt động trên Cổng.",
                        "%(done)s; không gửi thông báo vì người hưởng không có tài khoản đang hoạt động trên Cổng.",
                        count) % {"done": done}
    return ngettext("%(done)s; người hưởng đã được thông báo, trừ %(untold)s hồ sơ mà người hưởng không có tài khoản "
                    "đang hoạt động trên Cổng nên không gửi thông báo.",
                    "%(done)s; người hưởng đã được thông báo, trừ %(untold)s hồ sơ mà người hưởng không có tài khoản "
                    "đang hoạt động trên Cổng nên không gửi thông báo.",
                    untold) % {"done": done, "untold": untold}


BENEFITS_SINCE = 1995  # the first year the list filter offers: claims are received by BHXH Việt Nam since 1995


@admin.register(BenefitRecord)
class BenefitRecordAdmin(OwnRecordsReadOnly, SaysWhyNoAgencySeesNothing, FoldedKeySearch, NotFoundOutsideScope, RelationLinksOnlyWhereAllowed,
                         admin.ModelAdmin):
    no_agency_warning = _("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có hồ sơ hưởng chế độ nào để xem. "
                          "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")
    list_display = ["reference", "person", "kind", "received_on", "agency", "status", "decision_number"]
    # A record for every pensioner and claim of the country: no date hierarchy, no count of the whole table.
    list_filter = ["kind", "status", ("agency", OfficerAgencyFilter), ("received_on", RecentDateFilter),
                   year_filter("received_on", since=BENEFITS_SINCE)]
    show_full_result_count = False
    # A reference, a decision number or a BHXH code from its start, a name anywhere in its folded key:
    # each read from an index, never the whole table (migration 0006 and the person's trigram indexes).
    search_fields = ["^reference", "^decision_number", "^person__bhxh_code", "person__name_key"]
    codes_apart_from_names = True
    autocomplete_fields = ["person"]
    form = BenefitRecordAdminForm
    inlines = [BenefitEventInline]
    actions = ["mark_processing", "mark_paid"]
    fieldsets = [
        # seen_version: hidden, the revision this page shows (SeenVersionForm)
        (_("Hồ sơ"), {"fields": ["reference", "person", "kind", "received_on", "agency", "expected_on",
                             "seen_version"]}),
        (_("Kết quả giải quyết"), {"fields": ["status", "reject_reason", "decision_number", "decision_date", "amount",
                                           "monthly_amount", "payment_method", "paid_on"]}),
        (_("Thông tin riêng của từng chế độ"), {
            "description": _("Chỉ điền các ô của chế độ đang nhập: ốm đau – số ngày nghỉ; thai sản – ngày sinh của con; "
                             "thất nghiệp – số tháng hưởng; TNLĐ-BNN – tỷ lệ suy giảm khả năng lao động; …"),
            "fields": ["days_off", "start_date", "child_birth_date", "allowance_months", "impairment_percent",
                       "replacement_rate", "event_date", "contribution_months"],
        }),
    ]

    def get_queryset(self, request):
        return benefits_visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        # A record stays with its person: a record entered for the wrong person is corrected by a
        # superuser (delete and re-enter), never moved silently to somebody else.
        return ["person"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            agencies = Agency.objects.order_by("code")
            allowed = officer_agency_ids(request.user)
            if allowed is not None:
                agencies = agencies.filter(pk__in=allowed)
            kwargs["queryset"] = agencies
        if db_field.name == "person":
            # The persons the officer may see: the widget shows the chosen person's name, and a
            # record is entered only for them.
            kwargs["queryset"] = persons_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and officer_agency_ids(request.user) != set()

    def save_model(self, request, obj, form, change):
        # PermissionDenied outside the officer's scope
        changed = benefit_save(record=obj, actor=request.user, seen_version=form.cleaned_data.get("seen_version"))
        if change and not changed:
            messages.info(request, gettext("Không có thay đổi nào: không gửi thông báo."))

    def _set_status(self, request, queryset, status, done, *, left_said=""):
        """`left_said`: what the rows ticked that are past the step already were left as they are for
        (e.g. PAID_BEFORE, counted), said instead of the action ending without a word."""
        updated, errors, refused = [], [], []
        for record in self.own_rows_left(request, list(queryset)):
            if not step_allowed(record.status, status):
                # Refused here, all in one message, by the rule the service holds: the service's own refusal of
                # the step is never met from here (a status changed since the list was read it refuses as moved).
                refused.append(record)
                continue
            try:
                if benefit_set_status(record=record, status=status, actor=request.user):
                    updated.append(record)
            except PermissionDenied:  # moved to another agency (a change of paying place) since the list was read
                errors.append(gettext("%(reference)s: Hồ sơ đã chuyển sang cơ quan BHXH khác nên bạn không còn xử lý "
                                      "được; giữ nguyên.") % {"reference": record.reference})
            except ValidationError as error:
                errors.append(f"{record.reference}: {' '.join(error.messages)}")
        if updated:
            told = people_told_of({obj.person_id for obj in updated})
            untold = sum(obj.person_id not in told for obj in updated)
            self.message_user(request, steps_taken(done, len(updated), untold=untold), messages.SUCCESS)
        if left_said:
            self.message_user(request, left_said, messages.INFO)
        if refused:
            self.message_user(request, steps_not_taken(refused, status), messages.ERROR)
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @admin.action(description=_("Chuyển hồ sơ đã chọn sang “Đang giải quyết”"), permissions=["change"])
    def mark_processing(self, request, queryset):
        left = queryset.exclude(status=Status.RECEIVED).count()
        self._set_status(request, queryset.filter(status=Status.RECEIVED), Status.PROCESSING, MOVED_TO_PROCESSING,
                         left_said=NO_LONGER_RECEIVED % {"count": left, "status": Status.RECEIVED.label} if left else "")

    @admin.action(description=_("Ghi nhận đã chi trả hôm nay cho hồ sơ đã chọn"), permissions=["change"])
    def mark_paid(self, request, queryset):
        left = queryset.filter(status=Status.PAID).count()
        self._set_status(request, queryset.exclude(status=Status.PAID), Status.PAID, MARKED_PAID,
                         left_said=PAID_BEFORE % {"count": left} if left else "")


class SalaryAdjustmentRowForm(forms.ModelForm):
    """A row of the adjustment list's inputs, which have no <label>: each is named by its column and
    the row's scheme and year ("Mức điều chỉnh – Tiền lương đóng BHXH bắt buộc, năm 2020")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = gettext("%(column)s – %(scheme)s, năm %(year)s") % {
                "column": capfirst(field.label), "scheme": self.instance.get_scheme_display(),
                "year": self.instance.year}


@admin.register(SalaryAdjustment)
class SalaryAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["scheme", "year", "coefficient", "source", "updated_at"]
    list_editable = ["coefficient", "source"]
    list_filter = ["scheme"]
    search_fields = ["year", "source"]
    ordering = ["scheme", "-year"]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, **{"form": SalaryAdjustmentRowForm, **kwargs})
