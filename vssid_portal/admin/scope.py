"""Mixins of the model admins whose rows are an officer's scope (their agency, or a province and its
districts): a row outside it is not found, an officer of no agency is told why the list is empty, and a
read-only relation links only to what the officer may open."""

from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import (
    flatten_fieldsets,
    quote,
)
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy


class NotFoundOutsideScope:
    """Mixin for a model admin whose `get_queryset` narrows the rows to an officer's scope (their
    agency, or a province and its districts): an object page (change, history, delete) of a row
    outside it is a 404, as DESIGN.md wants of every foreign object, instead of Django's redirect
    to the admin index with "… không tồn tại"."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class SaysWhyNoAgencySeesNothing:
    """Mixin for a model admin whose rows are an agency's (officer_agency_ids): an officer whose
    account is attached to no agency sees an empty list, and is told why and whom to ask, instead of
    an empty list with no reason. `no_agency_warning`: that whole sentence, naming what the list would hold
    and for what, one sentence of the catalogue for each list."""

    no_agency_warning = gettext_lazy("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có hồ sơ nào để xử lý. "
                                     "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")

    def sees_nothing_without_agency(self, request) -> bool:
        """Whether the list is empty for this login because it has no agency (officer_agency_ids: none)."""
        return not request.user.is_superuser and request.user.agency_id is None

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # Only on the list itself: not before a 403 (PermissionDenied) nor a redirect (a wrong filter, an
        # action), whose next page would say it again; the list renders after this, with the message.
        if response.status_code == 200 and self.sees_nothing_without_agency(request):
            messages.warning(request, self.no_agency_warning)
        return response


class RelationLinksOnlyWhereAllowed:
    """Mixin for a model admin: a read-only relation, on the page or in its inlines (the agency of a
    registration, the officer named in its audit trail, the holder of a card), links to the related
    object's admin page only for a user who may open that object, and reads as plain text for anyone
    else. Django links every read-only relation whose model has an admin, without asking: an officer
    met a 403 for a model they may not open, and a 404 for an object outside their scope (the holder
    of their agency's card, managed by another agency).

    The objects a user may open are those of the related admin's `get_queryset`: an admin that keeps
    Django's opens every row its model permission shows, and one that narrows it is asked once per
    page for every object the page names, however many rows its inlines have."""

    def render_change_form(self, request, context, *args, **kwargs):
        page = [context["adminform"]] if "adminform" in context else []
        forms, asked = [], defaultdict(set)
        for form in [*page, *context.get("inline_admin_formsets", [])]:
            model_admin = getattr(form, "opts", self)  # an inline's formset knows its inline as `opts`
            shown_read_only = form.readonly_fields if getattr(form, "has_change_permission", True) else [
                *form.readonly_fields, *flatten_fieldsets(form.fieldsets)]
            rows = [row.instance for row in form.formset.forms] if hasattr(form, "formset") else [form.form.instance]
            relations = {name: relation for name in shown_read_only
                         if isinstance(name, str) and (relation := self._relation(request, model_admin.model, name))}
            for relation in relations.values():
                if relation.narrowed:
                    asked[relation.admin, relation.key].update(relation.keys(rows))
            forms.append((form, model_admin, rows, relations))
        opened = {(related_admin, key): frozenset(related_admin.get_queryset(request).filter(**{f"{key}__in": keys})
                                                  .order_by().values_list(key, flat=True))
                  for (related_admin, key), keys in asked.items() if keys}
        for form, model_admin, rows, relations in forms:
            plain = {}
            for name, relation in relations.items():
                opens = relation.opens(opened)
                if opens is not None and (not relation.may_view or not relation.keys(rows) <= opens):
                    plain[name] = _PlainRelation(model_admin.model, name, empty=model_admin.get_empty_value_display(),
                                                 links=opens, key=relation.key, site_name=self.admin_site.name)
            if plain:
                form.readonly_fields = [plain.get(name, name) for name in form.readonly_fields]
                form.fieldsets = [(title, {**options, "fields": [_swapped(line, plain) for line in options["fields"]]})
                                  for title, options in form.fieldsets]
        return super().render_change_form(request, context, *args, **kwargs)

    def _relation(self, request, model, name: str) -> "_Relation | None":
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not (field.many_to_one or field.one_to_one) or field.related_model is None:
            return None
        try:
            related_admin = self.admin_site.get_model_admin(field.related_model)
        except NotRegistered:
            return None  # Django shows it as text already
        return _Relation(field, related_admin, related_admin.has_view_or_change_permission(request))


class _Relation:
    """A read-only relation `field` shown on a page, whose related model has the admin `admin`, to a user
    who may (`may_view`) or may not open that model's pages. `key`: the column of the related object
    the relation holds (its primary key, or the field the relation points to), None for a reverse
    one-to-one; `narrowed`: whether the user's rows of that admin need to be asked for."""

    def __init__(self, field, related_admin, may_view: bool):
        self.field, self.admin, self.may_view = field, related_admin, may_view
        self.key = field.target_field.attname if field.concrete else None
        self.narrowed = (may_view and self.key is not None
                         and type(related_admin).get_queryset is not admin.ModelAdmin.get_queryset)

    def keys(self, rows) -> set:
        """The related objects' keys the rows hold."""
        if self.key is None:
            return set()
        return {key for row in rows if (key := getattr(row, self.field.attname)) is not None}

    def opens(self, opened: dict) -> frozenset | None:
        """The keys of the related objects the user may open (`opened`: those asked for the page),
        None for every one: a relation Django's link serves."""
        if not self.may_view:
            return frozenset()
        if not self.narrowed:
            return None
        return opened.get((self.admin, self.key), frozenset())


class _PlainRelation:
    """Stands for the read-only field `name` and shows its related object as text (or `empty`), a
    link to its admin page where its `key` is one of `links`, under the field's label, with the
    field's name as its CSS class (`str`) and help text (`__name__`)."""

    do_not_call_in_templates = True  # a table header prints it as the column's name

    def __init__(self, model, name: str, *, empty: str, links: frozenset = frozenset(), key: str | None = None,
                 site_name: str = "admin"):
        self.__name__ = name
        self.short_description = model._meta.get_field(name).verbose_name
        self.empty = empty
        self.links, self.key, self.site_name = links, key, site_name

    def __call__(self, obj):
        value = getattr(obj, self.__name__)
        if value is None:
            return self.empty
        if self.key is None or getattr(value, self.key) not in self.links:
            return value
        opts = value._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(value.pk)],
                      current_app=self.site_name)
        return format_html('<a href="{}">{}</a>', url, value)

    def __str__(self):
        return self.__name__


def _swapped(line, plain: dict):
    """A fieldset line (one field, or several shown side by side) with `plain`'s fields swapped in."""
    if isinstance(line, (list, tuple)):
        return tuple(plain.get(name, name) for name in line)
    return plain.get(line, line)
