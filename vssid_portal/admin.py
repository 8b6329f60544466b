"""What the officers' admin shares across apps."""

import datetime
import string
from collections import defaultdict

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import (
    NotRelationField,
    flatten_fieldsets,
    get_fields_from_path,
    lookup_spawns_duplicates,
    quote,
)
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from .forms import DATE_FORMAT_ERROR, limits_in_words, own_limits
from .text import SEARCH_WORDS_MAX, search_words


def posted_text(request, name: str) -> str:
    """A text box of an admin page's own form (no Django form behind it), checked as a form's
    CharField checks it: a NUL character, which PostgreSQL refuses in text, raises ValidationError
    with Django's message (Vietnamese in locale/vi) instead of a database error.

    Line breaks come back as "\n": the browser sends each as CRLF but counts it as one character
    against the box's maxlength, so a note that fitted the box was refused as too long by as many
    characters as it had lines, and stored with "\r"."""
    return as_typed(forms.CharField(required=False, strip=False).clean(request.POST.get(name, "")))


def as_typed(text: str) -> str:
    """A text box's value with its line breaks as the officer typed them ("\n"), not as the browser
    sent them (CRLF), so that it is counted as the box's maxlength counted it."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _LineBreaksAsTyped:
    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return as_typed(value) if isinstance(value, str) else value


class TextareaAsTyped(_LineBreaksAsTyped, forms.Textarea):
    """A text box of an admin form (a note, a reason, an answer) whose line breaks count one
    character each, as its maxlength counted them (see posted_text)."""


class AdminTextareaAsTyped(_LineBreaksAsTyped, widgets.AdminTextareaWidget):
    """Django's admin text box, its line breaks as typed: every model's long text (PortalModelAdmin)."""


# A declaration PDF as a registration's and a filing's admin name it: its column, its state, its link.
DECLARATION = gettext_lazy("tờ khai")
DECLARATION_BUILDING = gettext_lazy("Đang tạo tờ khai…")
DECLARATION_DOWNLOAD = gettext_lazy("Tải tờ khai (PDF)")


class DeclarationFilter(admin.SimpleListFilter):
    """"tờ khai: Chưa tạo được": the registrations, or the filings, whose declaration PDF was given up
    (vssid_portal/jobs.py); each queryset says which in `declaration_given_up()`."""

    title = DECLARATION
    parameter_name = "to_khai"

    def lookups(self, request, model_admin):
        return [("chua_tao_duoc", pgettext_lazy("tờ khai", "Chưa tạo được"))]

    def queryset(self, request, queryset):
        return queryset.declaration_given_up() if self.value() == "chua_tao_duoc" else queryset


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


# Columns that hold `vssid_portal.text.fold` of a text (lower case, no diacritics, đ → d).
FOLDED_KEYS = ("name_key", "search_key")
_PREFIXED_LOOKUPS = {"^": "istartswith", "=": "iexact", "@": "search"}


def _search_lookup(field: str) -> str:
    """The lookup Django's admin search uses for a plain `search_fields` entry (with its ^ = @ prefixes)."""
    if field[:1] in _PREFIXED_LOOKUPS:
        return f"{field[1:]}__{_PREFIXED_LOOKUPS[field[0]]}"
    return f"{field}__icontains"


def _looks_like_a_code(word: str) -> bool:
    """A word with a digit, or with a hyphen, slash or dot inside it ("LK-LAN"): a name has neither."""
    inside = word.strip(string.punctuation + "“”‘’…")
    return any(character.isdigit() for character in word) or any(character in "-/." for character in inside)


class FoldedKeySearch:
    """Mixin for a model admin whose `search_fields` include a folded key (a field named in
    FOLDED_KEYS, e.g. `person__name_key`). Django compares each word of the search as typed, so
    "Hoàng" never matched the key "hoang". Here each word is looked for as typed in the other
    fields (codes, references, declared names) and folded, without the punctuation around it
    (`search_words`), in the keys: "Hoàng Trọng Cường", "HOÀNG TRỌNG CƯỜNG" and "hoang trong cuong"
    find the same rows. As in Django, every word must be found in one of the fields, and a
    quoted phrase is one word."""

    # True where every other field is a code or reference looked for from its start ("^reference"), each
    # with an index that serves it: a word that looks like a code (_looks_like_a_code, or with no letter)
    # is then looked for in those fields only, and any other word in the keys only. See _code_word.
    codes_apart_from_names = False
    # Of those codes ("^number"), the ones always stored in upper case (digits, capitals, a generated
    # number, an ICD-10 code): looked for as `col LIKE 'WORD%'` with the word in upper case, which the
    # column's own B-tree (Django's varchar_pattern_ops "_like" index) serves, where istartswith's
    # `UPPER(col) LIKE` needs an index of its own.
    upper_case_codes: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        fields = [str(field) for field in self.get_search_fields(request)]
        keys = [field for field in fields if field.rsplit("__", 1)[-1] in FOLDED_KEYS]
        if not keys:
            return super().get_search_results(request, queryset, search_term)
        as_typed = [_search_lookup(field) for field in fields if field not in keys]
        # The keys are lower case already: a plain LIKE, which their trigram indexes serve (an
        # icontains compares UPPER(key) and reads the whole table).
        folded = [f"{key}__contains" for key in keys]
        conditions = []
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            folded_word = " ".join(search_words(word))
            if self.codes_apart_from_names:
                if folded_word and not _looks_like_a_code(word):
                    conditions.append(Q.create([(lookup, folded_word) for lookup in folded], connector=Q.OR))
                else:
                    conditions.append(self._code_word(as_typed, word))
                continue
            conditions.append(Q.create([(lookup, word) for lookup in as_typed]
                                       + [(lookup, folded_word) for lookup in folded if folded_word], connector=Q.OR))
        may_have_duplicates = any(lookup_spawns_duplicates(self.opts, lookup) for lookup in as_typed + folded)
        return queryset.filter(*conditions), may_have_duplicates and bool(conditions)

    def _code_word(self, lookups: list[str], word: str) -> Q:
        """The rows where one of `lookups` (a reference, a decision number, the person's BHXH code,
        each from its start) finds `word`: the union of each lookup's own rows, read from its index,
        where an OR of lookups on the row and on its person read every row of the table."""
        each = [self.model._default_manager.filter(**dict([self._upper_case_code(lookup, word)])).order_by().values("pk")
                for lookup in lookups]
        return Q(pk__in=each[0].union(*each[1:]))

    def _upper_case_code(self, lookup: str, word: str) -> tuple[str, str]:
        """`lookup` and `word` as looked for: a code of `upper_case_codes` by its own index."""
        field = lookup.removesuffix("__istartswith")
        if field != lookup and field in self.upper_case_codes:
            return f"{field}__startswith", word.upper()
        return lookup, word


def year_filter(field: str, *, since: int) -> type[admin.SimpleListFilter]:
    """A list filter by the year of `field`, from this year back to `since`: for the lists of
    millions of rows (periods, visits, card checks, benefit records, registrations, feedback), where
    Django's date hierarchy finds its years (and then the months of a year) by reading every row of
    the list on each page view. A year that is not offered filters nothing."""

    class YearFilter(admin.SimpleListFilter):
        title = gettext_lazy("năm")
        parameter_name = f"{field}_nam"

        def lookups(self, request, model_admin):
            return [(str(year), str(year)) for year in range(timezone.localdate().year, since - 1, -1)]

        def queryset(self, request, queryset):
            if self.value() in {value for value, _ in self.lookup_choices}:
                return queryset.filter(**{f"{field}__year": int(self.value())})
            return queryset

    return YearFilter


# The msgid of Django's "this year" choice, passed as a name so that makemessages does not take
# it into the portal's catalogue.
DJANGO_THIS_YEAR = "This year"


class RecentDateFilter(admin.DateFieldListFilter):
    """Django's filter by a date (today, the past 7 days, this month) for a list that also has a
    year_filter on the same date: without Django's "this year", which the year filter offers."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        this_year = gettext(DJANGO_THIS_YEAR)  # Django's own label, in Django's catalogue
        self.links = tuple(link for link in self.links if str(link[0]) != this_year)


# What a filter may compare a part of a date or time with (`?submitted_at__year=2025`): Django
# builds a date from a year only within 1–9999, and the database takes a number only up to 2⁶³.
DATE_PART_RANGES = {"year": (1, 9999), "iso_year": (1, 9999), "quarter": (1, 4), "month": (1, 12), "week": (1, 53),
                    "day": (1, 31), "week_day": (1, 7), "iso_week_day": (1, 7), "hour": (0, 23), "minute": (0, 59),
                    "second": (0, 59)}


def _date_part(model, key: str) -> tuple[models.DateField, str] | None:
    """The date (or date and time) field and the part of it (a name in DATE_PART_RANGES) a list's
    filter `key` compares (`person__birth_date__year__gte` → birth_date, "year"), or None for a
    filter of anything else."""
    parts = key.split(LOOKUP_SEP)
    for end in range(len(parts), 0, -1):
        try:
            field = get_fields_from_path(model, LOOKUP_SEP.join(parts[:end]))[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue
        if isinstance(field, models.DateField):  # a DateTimeField too
            part = next((part for part in parts[end:] if part in DATE_PART_RANGES), None)
            return (field, part) if part else None
        return None
    return None


def _within(text: str, field: models.DateField, part: str) -> bool:
    low, high = DATE_PART_RANGES[part]
    try:
        value = int(text)
    except ValueError:
        return False
    if not low <= value <= high:
        return False
    if part in ("year", "iso_year") and isinstance(field, models.DateTimeField) and settings.USE_TZ:
        return _year_has_utc_bounds(value)
    return True


def _year_has_utc_bounds(year: int) -> bool:
    """Whether the first and the last instant of `year` in the portal's time zone are times in UTC
    too: the year 1 of Hồ Chí Minh City begins on 31/12 of the year 0 in UTC, which no datetime
    holds, and the database backends that store UTC (SQLite) failed to convert it."""
    try:
        for moment in (datetime.datetime(year, 1, 1), datetime.datetime(year, 12, 31, 23, 59, 59, 999999)):
            timezone.make_aware(moment).astimezone(datetime.UTC)
    except OverflowError:
        return False
    return True


def search_within_bounds(search_term: str) -> tuple[str, str]:
    """The first SEARCH_WORDS_MAX words of an admin search (as Django splits it: a quoted phrase
    is one word), and the rest as typed, "" when there is none. Each word is a condition over every
    search field: a query pasted whole built one SQL query of thousands of LIKEs."""
    words = list(smart_split(search_term))
    return " ".join(words[:SEARCH_WORDS_MAX]), " ".join(words[SEARCH_WORDS_MAX:])


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
            date_part = _date_part(self.model, key)
            if date_part and not all(_within(text, *date_part) for value in values for text in value.split(",")):
                raise IncorrectLookupParameters(f"{key}={values}")
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


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
        return super().optgroups(name, [text for text in value if _may_be(key, text)], attr)


def _may_be(field, text: str) -> bool:
    """Whether `text` is a value of the model field `field` (the right type, within the database's range)."""
    try:
        field.run_validators(field.to_python(text))
    except ValidationError:
        return False
    return True


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
        possible = [text for text in selected if _may_be(self.opts.pk, text)]
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
            keys = {pk.to_python(entry.object_id) for entry in listed if _may_be(pk, entry.object_id)}
            opens = set()
            if keys and model_admin.has_view_or_change_permission(request):
                opens = set(model_admin.get_queryset(request).filter(pk__in=keys).order_by()
                            .values_list("pk", flat=True))
            for entry in listed:
                if not _may_be(pk, entry.object_id) or pk.to_python(entry.object_id) not in opens:
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



class AuditTrailInline(admin.TabularInline):
    """An object's read-only history (a registration's, a benefit record's, a visit's events) under
    it: whoever may see the object (any of `view_permissions`) sees its history; nobody adds, edits
    or deletes a line. Shown as a plain table whose every header names its column (Django's tabular
    inline leaves two header cells empty, which screen readers announce as nameless)."""

    template = "admin/edit_inline/audit_trail.html"
    extra = 0
    can_delete = False
    view_permissions: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        # The lines' own links (the actor) in the same query: one query however long the history.
        related = [name for name in self.fields if self.model._meta.get_field(name).many_to_one]
        return super().get_queryset(request).select_related(*related)

    def has_view_permission(self, request, obj=None):
        return any(request.user.has_perm(permission) for permission in self.view_permissions)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
