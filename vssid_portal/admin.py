"""What the officers' admin shares across apps."""

from django.apps import apps
from django.contrib.admin.exceptions import NotRegistered
from django.core.exceptions import FieldDoesNotExist


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
