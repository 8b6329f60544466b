"""The rule of the officers' admins of a person's money, entitlements and registry details (participation
periods, benefit records, BHYT cards, medical visits, the person's own row): an officer views the rows of
their own record and of their child's, and writes none of them (accounts.selectors.own_record_refusal), as
they decide no filing nor registration of their own."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from .selectors import officer_record_unknown, officers_own_person_ids, own_record_refusal

OWN_IDS_ATTRIBUTE = "_officers_own_person_ids"


def own_ids_of(request) -> set[int]:
    """officers_own_person_ids of the officer making the request, read once a request."""
    if not hasattr(request, OWN_IDS_ATTRIBUTE):
        setattr(request, OWN_IDS_ATTRIBUTE, officers_own_person_ids(request.user))
    return getattr(request, OWN_IDS_ATTRIBUTE)


class OwnRecordsReadOnly:
    """A ModelAdmin mixin for models with a `person`: the change page of a row of the officer's own
    record or child's is read-only and says why, its POST and its deletion are refused (403), an add
    form naming such a person is refused beside the person, and the list's actions leave such rows
    (own_rows_left) as they are. The list page reads nothing more.

    `person_key`: the attribute of a row holding its person's id; "pk" for the registry's own rows,
    where the row is the person. `person_field`: the add form's field naming the person, beside which
    a refusal is said."""

    person_key = "person_id"
    person_field = "person"

    def own_record_refusal(self, request, obj) -> str:
        if obj is None:
            return ""
        person_id = getattr(obj, self.person_key)
        if officer_record_unknown(request.user):
            return own_record_refusal(request.user, person_id)
        return own_record_refusal(request.user, person_id, own_ids=own_ids_of(request))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.own_record_refusal(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.own_record_refusal(request, obj)

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets_shown(request, obj, super().get_fieldsets(request, obj))

    def fieldsets_shown(self, request, obj, fieldsets):
        """`fieldsets` as the page of `obj` shows them: an admin that builds its own calls this too."""
        # A page shown read-only sends nothing back: not the version a save would carry (SeenVersionForm).
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [(name, {**options, "fields": [field for field in options["fields"] if field != "seen_version"]})
                for name, options in fieldsets]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        refusal = self.own_record_refusal(request, obj)
        if refusal:
            self.message_user(request, refusal, messages.WARNING)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_form(self, request, obj=None, *args, **kwargs):
        form = super().get_form(request, obj, *args, **kwargs)
        officer, key, field = request.user, self.person_key, self.person_field

        def clean(self):
            cleaned = form.clean(self)
            chosen = cleaned.get("person")
            # No person yet (a person added, none chosen): refused only to an officer whose record is not known.
            refusal = own_record_refusal(officer, chosen.pk if chosen is not None else getattr(self.instance, key))
            if refusal:
                self.add_error(field if field in self.fields else None, ValidationError(refusal))
            return cleaned

        return type(form.__name__, (form,), {"clean": clean})

    def own_rows_left(self, request, rows) -> list:
        """The rows an action may write, the others said once and left as they are."""
        refusals = {obj.pk: self.own_record_refusal(request, obj) for obj in rows}
        refused = [obj for obj in rows if refusals[obj.pk]]
        if refused:
            listed = ", ".join(str(obj) for obj in refused)
            self.message_user(request, f"{listed}: {refusals[refused[0].pk]}", messages.ERROR)
        return [obj for obj in rows if not refusals[obj.pk]]
