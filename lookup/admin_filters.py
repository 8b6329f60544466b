"""List filters the officers' admin lists share."""

from django.contrib import admin
from django.utils.translation import gettext

from .models import Agency
from .selectors import officer_agency_ids


class OfficerAgencyFilter(admin.RelatedFieldListFilter):
    """Filter a list by its agency, offering the agencies the officer works for (every agency to a
    superuser). Django's RelatedOnlyFieldListFilter finds the agencies the rows name, reading every
    row of a list of millions (periods, persons) on each page view; the officer's agencies are known.

    Rows with no agency (a person no agency manages yet) are offered, named, to a superuser only:
    an officer's list holds only their agencies' rows, where that choice would list nothing."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.every_agency = officer_agency_ids(request.user) is None
        super().__init__(field, request, params, model, model_admin, field_path)
        self.empty_value_display = gettext("Chưa có cơ quan BHXH")

    @property
    def include_empty_choice(self):
        return self.every_agency and super().include_empty_choice

    def field_choices(self, field, request, model_admin):
        scope = officer_agency_ids(request.user)
        agencies = Agency.objects.order_by("code") if scope is None else Agency.objects.filter(pk__in=scope).order_by("code")
        return [(agency.pk, str(agency)) for agency in agencies]
