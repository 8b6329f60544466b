"""Two officers editing one record: a save made from a page opened before somebody else's save is
refused, instead of quietly writing back the older values that page showed (a lost update).

The edit page carries the record's version as it was when the page was opened (`revision`, or
`updated_at` where a model has no revision) in a hidden field; the form and the save service both
compare it with the stored row, locked until the end of the transaction. A caller that passes no
version (an import, a bulk action, a task) is not checked: it does not save what a page showed.

A refused form is shown again as an edit-conflict page: the fields keep what the officer typed,
the page says which values the other save stored (each beside its field too), and it now carries
the version it was shown at, so a second save, made knowing those values, goes through unless yet
another save came in between. To tell what the other save changed, the hidden field also carries
a short digest of each value the page showed.
"""

import hashlib
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from .audit import field_display
from .templatetags.vn_format import vn_number

STALE_EDIT = _("Hồ sơ này vừa được người khác sửa sau khi bạn mở trang. "
               "Hãy tải lại trang để xem bản mới rồi sửa lại.")

DIGESTS = "|"  # between the version and the digests of the values shown; no version holds it
DIGEST_LENGTH = 6  # hex digits of each value's digest


def version_token(value) -> str:
    """A version as the page carries it: text (a time as stored, in UTC to the microsecond)."""
    return "" if value is None else str(value)


def check_unchanged_since_seen(instance, *, seen, field: str = "revision", no_key: bool = False) -> None:
    """Lock `instance`'s stored row until the end of the transaction and raise ValidationError
    (STALE_EDIT) if its `field` no longer holds `seen`, the version the writer was shown. No
    `seen` (None or empty) or a new instance: nothing to compare. Only that row is locked, not one the
    model's ordering or its manager's select_related joins (a card's holder), which every writer of
    that row would wait for until the end of the transaction. `no_key` locks it FOR NO KEY UPDATE, for
    a write that changes no key column (a person's page): a row of another table committed meanwhile
    that refers to it (a filing for the person, whose key check takes FOR KEY SHARE) does not wait."""
    seen = version_token(seen)
    if not seen or instance.pk is None:
        return
    stored = (type(instance)._default_manager.select_for_update(of=("self",), no_key=no_key).filter(pk=instance.pk)
              .values_list(field, flat=True).first())
    if stored is not None and version_token(stored) != seen:
        raise ValidationError(STALE_EDIT, code="stale")


def _digest(name: str, value) -> str:
    return hashlib.blake2b(f"{name}={value!r}".encode(), digest_size=DIGEST_LENGTH // 2).hexdigest()


class SeenVersionField(forms.CharField):
    """The hidden version of the page: never a change of the record (nor of the admin's history)."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class SeenVersionForm(forms.ModelForm):
    """Base of an edit form whose save service takes `seen_version`: the hidden field `seen_version`
    holds the version the page showed (put it in the admin's fieldsets so that it is posted), and
    a stale one is a form error, so the officer sees the page again with what they typed, the
    values now stored that the other save changed, and the version now stored (see the module).
    `cleaned_data["seen_version"]` is the version alone, what the save service compares (a post
    without it, the version of the record as read for the request). The
    admin validates and saves in one transaction: the lock taken here holds until the save.

    `money_fields` are shown in VND; `seen_extras` names what else the page saves with the record
    (a visit's cost lines) so that another save's change of it is shown too, and `stale_items`
    adds to the summary what the refusal did to it (a cost line deleted or added meanwhile)."""

    version_field = "revision"
    lock_no_key = False  # check_unchanged_since_seen's no_key: True where the save changes no key column
    money_fields: tuple[str, ...] = ()

    seen_version = SeenVersionField(label=_("Phiên bản hồ sơ khi mở trang"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._seen_digests = set()
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self._seen_token(self.instance)

    def seen_extras(self, instance) -> dict[str, tuple[str, str]]:
        """What the page saves besides the form's fields: name → (label, the stored value as shown)."""
        return {}

    def stale_items(self, stored) -> list[tuple[str, str, str]]:
        """More lines of a refusal's summary, about what the page saves besides the form's fields:
        (link target on the page, label, value as shown). `stored` is the record as now stored."""
        return []

    def _compared_fields(self) -> list[str]:
        """The form's fields that are the record's own columns (not its version)."""
        opts = self._meta.model._meta
        names = {field.name for field in opts.concrete_fields if field.name != self.version_field}
        return [name for name in self.fields if name in names]

    def _digests(self, instance) -> dict[str, str]:
        opts = instance._meta
        digests = {name: _digest(name, opts.get_field(name).value_from_object(instance))
                   for name in self._compared_fields()}
        digests.update({name: _digest(name, shown) for name, (_label, shown) in self.seen_extras(instance).items()})
        return digests

    def _seen_token(self, instance) -> str:
        version = version_token(getattr(instance, self.version_field))
        return f"{version}{DIGESTS}{''.join(self._digests(instance).values())}"

    def clean_seen_version(self):
        version, _sep, digests = (self.cleaned_data.get("seen_version") or "").partition(DIGESTS)
        self._seen_digests = {digests[i:i + DIGEST_LENGTH] for i in range(0, len(digests), DIGEST_LENGTH)}
        if not version and self.instance.pk is not None:
            # A post without the version (made by hand) is what it edits as read for this request: another
            # save since that read is refused here, as a stale page is, not by the save service after it.
            version = version_token(getattr(self.instance, self.version_field))
        return version

    def clean(self):
        cleaned = super().clean()
        try:
            check_unchanged_since_seen(self.instance, seen=cleaned.get("seen_version"), field=self.version_field,
                                       no_key=self.lock_no_key)
        except ValidationError:
            # The row is locked now: what it holds is what a second save would be compared with.
            self._show_stored(type(self.instance)._default_manager.get(pk=self.instance.pk))
        return cleaned

    def _shown(self, name: str, value) -> str:
        if isinstance(value, bool):
            return pgettext("câu trả lời", "Có") if value else pgettext("câu trả lời", "Không")
        if isinstance(value, (Decimal, float)) and name not in self.money_fields:
            return vn_number(value)
        return field_display(self._meta.model, name, value, money=self.money_fields)

    def _show_stored(self, stored) -> None:
        """The refusal: each value the other save changed, in the summary and beside its field,
        and the page's version moved to the stored one. A page that carried no digests (opened
        before they were carried) is shown every stored value that differs from the one posted."""
        digests = self._digests(stored)
        seen = self._seen_digests
        stored_initial = model_to_dict(stored, fields=self._compared_fields())
        items = []
        for name in self._compared_fields():
            if seen and digests[name] in seen:
                continue
            if not seen and not self.fields[name].has_changed(stored_initial.get(name), self[name].data):
                continue
            value = self._shown(name, stored_initial.get(name))
            items.append((f"#{self[name].id_for_label or self[name].auto_id}",
                          capfirst(self.fields[name].label or name), value))
            self.add_error(name, gettext("Người khác vừa lưu: %(value)s. Ô này vẫn giữ giá trị bạn đã nhập.")
                           % {"value": value})
        for name, (label, value) in self.seen_extras(stored).items():
            if not seen or digests[name] not in seen:
                items.append((f"#{name}-group", label, value))
        items.extend(self.stale_items(stored))
        summary = format_html(
            '<div class="error-summary stale-edit" role="alert" aria-labelledby="stale-edit-title">'
            '<h2 id="stale-edit-title">{}</h2><p>{}</p>{}<p>{}</p></div>',
            gettext("Người khác đã lưu hồ sơ này sau khi bạn mở trang"),
            gettext("Các ô vẫn giữ những gì bạn đã nhập. Người đó đã lưu:") if items else
            gettext("Các ô vẫn giữ những gì bạn đã nhập. Người đó không sửa ô nào trên trang này."),
            format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}: {}</a></li>', items)) if items else "",
            gettext("Xem lại các giá trị này rồi bấm nút lưu lần nữa để lưu những gì đang có trên trang; nếu muốn "
                    "giữ giá trị người khác đã lưu, hãy sửa ô đó theo giá trị ấy trước khi lưu."))
        self.add_error(None, ValidationError(summary, code="stale"))
        data = self.data.copy()
        data[self.add_prefix("seen_version")] = self._seen_token(stored)
        self.data = data
