"""What the officers' admin shares across apps."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist


def posted_text(request, name: str) -> str:
    """A text box of an admin page's own form (no Django form behind it), checked as a form's
    CharField checks it: a NUL character, which PostgreSQL refuses in text, raises ValidationError
    with Django's message (Vietnamese in locale/vi) instead of a database error."""
    return forms.CharField(required=False, strip=False).clean(request.POST.get(name, ""))


class GivenUpFilter(admin.SimpleListFilter):
    """"tờ khai: Chưa tạo được": the rows whose declaration was given up (vssid_portal/jobs.py);
    a subclass says which they are in `given_up(queryset)`."""

    title = "tờ khai"
    parameter_name = "to_khai"

    def lookups(self, request, model_admin):
        return [("chua_tao_duoc", "Chưa tạo được")]

    def queryset(self, request, queryset):
        return self.given_up(queryset) if self.value() == "chua_tao_duoc" else queryset

    def given_up(self, queryset):
        raise NotImplementedError


class DateHierarchyChangeList(ChangeList):
    """A change list whose date hierarchy answers a date out of range (`?at__year=99999999999`,
    `?at__year=9999&at__month=12`) like any other wrong filter: Django redirects to the list with
    `?e=1`. Django's own ChangeList catches only the ValueError of building the first day; the
    OverflowError of a huge year, and the errors of stepping past year 9999 to the end of the
    range, were server errors."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class DateHierarchyWithinRange:
    """Mixin for every model admin with a `date_hierarchy`: see DateHierarchyChangeList."""

    def get_changelist(self, request, **kwargs):
        return DateHierarchyChangeList


class AutocompleteWithinTheForm:
    """A model admin whose search answers the admin's autocomplete widgets with only the rows the
    form asking accepts.

    Django's autocomplete applies the field's `limit_choices_to` but not the referring admin's
    `formfield_for_foreignkey`, where the portal narrows choices to an officer's scope (the clinics
    of their province for an API token, for instance): the widget would offer rows the form then
    refuses. Here the referring admin is asked for its form field, and the search is narrowed to
    that field's queryset.
    """

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        field = self._referring_field(request)
        if field is not None:
            model_admin = self.admin_site.get_model_admin(field.model)
            form_field = model_admin.formfield_for_foreignkey(field, request)
            if form_field is not None:
                queryset = queryset.filter(pk__in=form_field.queryset.values("pk"))
        return queryset, may_have_duplicates

    def _referring_field(self, request):
        match = request.resolver_match
        if match is None or match.url_name != "autocomplete":
            return None
        try:
            model = apps.get_model(request.GET.get("app_label", ""), request.GET.get("model_name", ""))
            field = model._meta.get_field(request.GET.get("field_name", ""))
            self.admin_site.get_model_admin(model)
        except (LookupError, ValueError, FieldDoesNotExist, NotRegistered):  # Django's view refused these already
            return None
        return field if field.is_relation and field.related_model is self.model else None
