"""The officers' admin site (PortalAdminSite, `admin.site`) and what it gives every model admin
(PortalModelAdmin): the change list, the form fields in the portal's words, the actions' posted ids,
the recent actions linked within the officer's scope."""

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.utils.translation import gettext

from ..forms import DATE_FORMAT_ERROR, limits_in_words, own_limits
from .autocomplete import PortalAutocompleteJsonView, PortalAutocompleteSelect, may_be
from .filters import date_part_of, within
from .search import search_within_bounds
from .texts import AdminTextareaAsTyped


class PortalChangeList(ChangeList):
    """The change list of every model admin of the site: a date out of range in its address
    (`?decided_at__year=99999999999`, `?birth_date__year=0`, `?at__month=13`, a year 1 of a date and
    time: see _year_has_utc_bounds), on the date hierarchy
    or on any other date, is answered like any other wrong filter: Django redirects to the list with
    `?e=1`. Django checks only that the field exists; the year lookups' ValueError and OverflowError
    came when the page read its rows, and so did the errors of stepping the date hierarchy past year
    9999 to the end of its range: server errors. So was a NUL character in any filter's value
    (`?status__exact=%00`), which PostgreSQL refuses in a query's text.
    The search looks for its first SEARCH_WORDS_MAX words, and the page names the others
    (search_within_bounds)."""

    def get_queryset(self, request, exclude_parameters=None):
        self.query, left_out = search_within_bounds(self.query)
        if left_out:
            messages.warning(request, gettext("Từ khóa quá dài: các từ “%(words)s” không được tìm.") % {"words": left_out})
        return super().get_queryset(request, exclude_parameters)

    def get_filters(self, request):
        for key, values in self.get_filters_params().items():
            if any("\x00" in value for value in values):
                raise IncorrectLookupParameters(f"{key}: a NUL character")
            date_part = date_part_of(self.model, key)
            if date_part and not all(within(text, *date_part) for value in values for text in value.split(",")):
                raise IncorrectLookupParameters(f"{key}={values}")
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class PortalFormFields:
    """Mixin for a model admin or an inline: the form fields of its model's fields, in the portal's
    words. A number's limits are written as the portal writes numbers ("Nhập số không lớn hơn
    32.767.", own_limits and limits_in_words), not in Django's ("… nhỏ hơn hoặc bằng với 32767 ."),
    and a date typed wrong is told the format to type (DATE_FORMAT_ERROR), not only "Nhập một ngày
    hợp lệ."."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if not db_field.choices:
            kwargs = {**own_limits(db_field), **kwargs}
        if isinstance(db_field, models.DateField):  # a DateTimeField's date box too
            invalid = "invalid_date" if isinstance(db_field, models.DateTimeField) else "invalid"
            kwargs["error_messages"] = {invalid: DATE_FORMAT_ERROR, **(kwargs.get("error_messages") or {})}
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return limits_in_words(field) if isinstance(field, forms.IntegerField) else field


class PortalModelAdmin(PortalFormFields, admin.ModelAdmin):
    """What every model admin of the site shares (PortalAdminSite adds it to those that do not
    derive from it, the installed packages' included): see PortalChangeList and
    PortalAutocompleteSelect; a long text's line breaks as typed (AdminTextareaAsTyped); numbers'
    limits and dates typed wrong in the portal's words (PortalFormFields)."""

    formfield_overrides = {models.TextField: {"widget": AdminTextareaAsTyped}}

    def get_changelist(self, request, **kwargs):
        return PortalChangeList

    def response_action(self, request, queryset):
        """An action on the rows ticked in the list: a posted id no row can have (`abc`, a number past
        the key's range, a NUL character: a tampered or clumsy post) selects nothing, as an id of a
        row outside the officer's list does. Django looked every id up as it came, and the error of
        building or running that query was a server error."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        possible = [text for text in selected if may_be(self.opts.pk, text)]
        if possible != selected:
            request.POST = request.POST.copy()
            request.POST.setlist(helpers.ACTION_CHECKBOX_NAME, possible)
        return super().response_action(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PortalAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PortalAdminSite(admin.AdminSite):
    """The officers' admin (`admin.site`, made by vssid_portal.apps.AdminConfig). A model admin
    registered without PortalModelAdmin among its bases (allauth's, Django's groups, a new one of the
    portal's) is registered as a subclass that adds it just above Django's ModelAdmin, as Django
    itself subclasses an admin registered with options: its own methods still come first."""

    def register(self, model_or_iterable, admin_class=None, **options):
        if admin_class in (None, admin.ModelAdmin):
            admin_class = PortalModelAdmin
        elif not issubclass(admin_class, PortalModelAdmin):
            admin_class = type(admin_class.__name__, (admin_class, PortalModelAdmin),
                               {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__})
        super().register(model_or_iterable, admin_class, **options)

    def autocomplete_view(self, request):
        return PortalAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_log_entries(self, request):
        """The log the index's recent actions list: see _LogEntriesLinkedWithinScope."""
        entries = super().get_log_entries(request)
        linked = _LogEntriesLinkedWithinScope(model=entries.model, query=entries.query.chain(), using=entries.db)
        linked.request, linked.site = request, self
        return linked

    def link_entries_within_scope(self, request, entries) -> None:
        """Leaves each entry's `get_admin_url` only where `request`'s user may open the entry's object now
        (its model admin's `get_queryset` holds it), asked once per kind of object; any other entry
        (an object since deleted, moved outside the officer's scope, or of a model they may not open)
        answers None, and the index names it as text, as Django names a deleted object."""
        kinds = defaultdict(list)
        for entry in entries:
            if entry.content_type_id and entry.object_id and not entry.is_deletion():
                kinds[entry.content_type].append(entry)
        for content_type, listed in kinds.items():
            model = content_type.model_class()
            try:
                model_admin = self.get_model_admin(model) if model is not None else None
            except NotRegistered:
                model_admin = None  # Django finds no page and shows it as text already
            if model_admin is None:
                continue
            pk = model._meta.pk
            keys = {pk.to_python(entry.object_id) for entry in listed if may_be(pk, entry.object_id)}
            opens = set()
            if keys and model_admin.has_view_or_change_permission(request):
                opens = set(model_admin.get_queryset(request).filter(pk__in=keys).order_by()
                            .values_list("pk", flat=True))
            for entry in listed:
                if not may_be(pk, entry.object_id) or pk.to_python(entry.object_id) not in opens:
                    entry.get_admin_url = _no_page


def _no_page() -> None:
    return None


class _LogEntriesLinkedWithinScope(models.QuerySet):
    """The admin log as the index's recent actions read it (`get_admin_log` filters it to the officer
    and slices it): the entries fetched link to their object's page only where the officer may open
    that object now (PortalAdminSite.link_entries_within_scope). Django links every entry whose model
    has an admin: an officer met a 404 for a person since moved to another agency."""

    request = site = None

    def _clone(self):
        clone = super()._clone()
        clone.request, clone.site = self.request, self.site
        return clone

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self.site is not None and self._iterable_class is models.query.ModelIterable:
            self.site.link_entries_within_scope(self.request, self._result_cache)
