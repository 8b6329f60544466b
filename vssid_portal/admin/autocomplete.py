"""The admin's autocomplete boxes: the widget naming its field, the answers' view refusing what would
be a server error, and the search narrowed to the rows the asking form accepts."""


from django import forms
from django.apps import apps
from django.contrib.admin import widgets
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError

from .search import search_within_bounds


class PortalAutocompleteSelect(widgets.AutocompleteSelect):
    """The autocomplete select of every model admin of the site, named by its field's label
    (static/js/admin-autocomplete.js). A value the related row's key cannot take (`?person=abc` on an
    add page, a posted `facility=abc`, a number past the column's range) is shown as no choice.
    Django looked it up as it came, and the error of building or running that query was a server
    error; posted, the form refuses it as any unknown choice ("Hãy chọn một lựa chọn hợp lệ…")."""

    @property
    def media(self):
        # After Django's script, which builds the boxes this one names.
        return super().media + forms.Media(js=["admin/js/autocomplete.js", "js/admin-autocomplete.js"])

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(remote.field_name)
        return super().optgroups(name, [text for text in value if may_be(key, text)], attr)


def may_be(field, text: str) -> bool:
    """Whether `text` is a value of the model field `field` (the right type, within the database's range)."""
    try:
        field.run_validators(field.to_python(text))
    except ValidationError:
        return False
    return True


class PortalAutocompleteJsonView(AutocompleteJsonView):
    """The answers of the admin's autocomplete boxes. A term with a NUL character (typed or put in
    the address) matches nothing: PostgreSQL refuses it in a query, a server error. A field name
    naming a reverse relation (an agency's `persons`) is refused, as Django refuses a field that is no
    relation: Django went on to ask it for the limit of its choices, which it has not, a server error.
    The term's words past SEARCH_WORDS_MAX are left out, as in the lists (search_within_bounds)."""

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if source_field.auto_created and not source_field.concrete:
            raise PermissionDenied
        return search_within_bounds(term)[0], model_admin, source_field, to_field_name

    def get_queryset(self):
        if "\x00" in self.term:
            return self.model_admin.get_queryset(self.request).none()
        return super().get_queryset()


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
