"""The registry's persons in the officers' admin: their page, what of it stays read-only (the identity,
the contact details, the lifelong BHXH code), and logging their citizen logins out everywhere."""


from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy

from lookup.admin_filters import OfficerAgencyFilter
from vssid_portal.admin import (
    FoldedKeySearch,
    NotFoundOutsideScope,
    RelationLinksOnlyWhereAllowed,
    SaysWhyNoAgencySeesNothing,
)
from vssid_portal.concurrent_edits import SeenVersionForm
from vssid_portal.forms import NameField

from ..admin_own_records import OwnRecordsReadOnly
from ..models import Person
from ..selectors import (
    persons_visible_to,
)
from ..services.persons import person_columns, person_save, persons_delete
from .logins import end_sessions_of


class PersonAdminForm(SeenVersionForm):
    """The registry's name follows the rule of every form that takes a name (letters, spaces,
    hyphens, apostrophes, dots; invisible characters dropped).

    A page opened before another write of the person's row (another officer's save, a registration's
    approval moving them to its agency, a 608A's or a contact change's completion) is refused as stale
    (SeenVersionForm), instead of writing back the values it showed. Its version is `updated_at`, which
    every writer of the row moves, and not `content_version`, which every write of the person's cards,
    periods and registrations moves too: an unrelated card change would refuse the officer's save. The
    check locks the row FOR NO KEY UPDATE, as person_save's write does: a citizen's filing for the person
    does not wait for the officer's save."""

    version_field = "updated_at"
    lock_no_key = True

    full_name = NameField(label=gettext_lazy("Họ và tên"))

    class Meta:
        model = Person
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the person as read, before the form changes them: person_save writes only what changed since
        # (on a post, the row as this request read it, which the version check finds unchanged since the page)
        self.person_as_read = person_columns(self.instance)

    def _update_errors(self, errors):
        """What the model's check says of a stored detail this form does not edit (the identity and
        contact details, read-only on the change page) does not hold up what it edits: like a name
        stored before the name rule, such a detail is corrected by the filing that changes it (608A)."""
        if hasattr(errors, "error_dict"):
            errors = ValidationError({field: messages for field, messages in errors.error_dict.items()
                                      if field == NON_FIELD_ERRORS or field in self.fields})
            if not errors.error_dict:
                return
        super()._update_errors(errors)


@admin.register(Person)
class PersonAdmin(OwnRecordsReadOnly, SaysWhyNoAgencySeesNothing, FoldedKeySearch, NotFoundOutsideScope,
                  RelationLinksOnlyWhereAllowed, admin.ModelAdmin):
    no_agency_warning = gettext_lazy("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có người tham gia nào để xem. "
                                     "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")
    person_key = "pk"  # the row is the person: the officer's own and their child's are only shown
    form = PersonAdminForm
    list_display = ["bhxh_code", "full_name", "birth_date", "sex", "id_number", "province", "agency"]
    search_fields = ["bhxh_code", "name_key", "id_number"]
    list_filter = ["sex", ("agency", OfficerAgencyFilter)]
    show_full_result_count = False  # the country's insured persons
    list_select_related = ["province", "agency"]
    raw_id_fields = ["ward"]
    # Issue 4: the phone (where the login codes go) and the contact address change through the
    # contact change filing, whose declaration and SMS to the phone registered until then tell the
    # holder; an edit here would tell nobody. A person added here is still given them.
    contact_fields = ["phone", "province", "ward", "street"]
    # Likewise the identity changes through the 608A filing, with its declaration TK1-TS and evidence
    # (person_correct_identity writes what it approved: these fields, the card reissued to match).
    identity_fields = ["full_name", "birth_date", "birth_year_only", "sex", "id_type", "id_number"]
    # The BHXH code is the person's for life: the card's QR, the account logging in with it and every
    # record hang on it. It is given when the person is added, and never changed.
    lifelong_fields = ["bhxh_code"]

    actions = ["end_sessions"]

    def get_queryset(self, request):
        """Officers see the people their agency (or, for a province, its agencies) manages."""
        return persons_visible_to(request.user, super().get_queryset(request))

    def has_end_sessions_permission(self, request):
        return request.user.has_perm("accounts.end_sessions_person")

    @admin.action(description=gettext_lazy("Đăng xuất người đã chọn khỏi mọi thiết bị"), permissions=["end_sessions"])
    def end_sessions(self, request, queryset):
        """End every session of the selected people's citizen logins (the people this officer's agency
        manages: the queryset is scoped), as UserAdmin's action does for an account. A staff login a
        person may also have is left alone: ending a colleague's sessions is changing accounts. The officer's
        own record and child's are left too (own_rows_left), as the other admins' actions leave them."""
        people = list(queryset.select_related("user"))
        left = self.own_rows_left(request, people)
        if people and not left:  # each said why
            return
        end_sessions_of(self, request, {person.user: person for person in left
                                        if hasattr(person, "user") and not person.user.is_staff})

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None:
            return readonly
        return [*readonly, *self.lifelong_fields, *self.identity_fields, *self.contact_fields]

    def save_model(self, request, obj, form, change):
        """Only the columns the page changed are written (person_save): an officer's save does not hold up
        a citizen's filing for the person, as a write of the BHXH code would. A person deleted meanwhile
        is not found, as their page would not be."""
        try:
            person_save(person=obj, as_read=form.person_as_read if change else None)
        except Person.DoesNotExist:
            raise Http404 from None

    def delete_model(self, request, obj):
        persons_delete(persons=Person.objects.filter(pk=obj.pk), actor=request.user)

    def delete_queryset(self, request, queryset):
        persons_delete(persons=queryset, actor=request.user)
