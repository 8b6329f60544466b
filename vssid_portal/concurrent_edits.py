"""Two officers editing one record: a save made from a page opened before somebody else's save is
refused, instead of quietly writing back the older values that page showed (a lost update).

The edit page carries the record's version as it was when the page was opened (`revision`, or
`updated_at` where a model has no revision) in a hidden field; the form and the save service both
compare it with the stored row, locked until the end of the transaction. A caller that passes no
version (an import, a bulk action, a task) is not checked: it does not save what a page showed.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STALE_EDIT = _("Hồ sơ này vừa được người khác sửa sau khi bạn mở trang. "
               "Hãy tải lại trang để xem bản mới rồi sửa lại.")


def version_token(value) -> str:
    """A version as the page carries it: text (a time as stored, in UTC to the microsecond)."""
    return "" if value is None else str(value)


def check_unchanged_since_seen(instance, *, seen, field: str = "revision") -> None:
    """Lock `instance`'s stored row until the end of the transaction and raise ValidationError
    (STALE_EDIT) if its `field` no longer holds `seen`, the version the writer was shown. No
    `seen` (None or empty) or a new instance: nothing to compare."""
    seen = version_token(seen)
    if not seen or instance.pk is None:
        return
    stored = (type(instance)._default_manager.select_for_update().filter(pk=instance.pk)
              .values_list(field, flat=True).first())
    if stored is not None and version_token(stored) != seen:
        raise ValidationError(STALE_EDIT, code="stale")


class SeenVersionForm(forms.ModelForm):
    """Base of an edit form whose save service takes `seen_version`: the hidden field `seen_version`
    holds the version the page showed (put it in the admin's fieldsets so that it is posted), and
    a stale one is a form error, so the officer sees the page again with what they typed. The
    admin validates and saves in one transaction: the lock taken here holds until the save."""

    version_field = "revision"

    seen_version = forms.CharField(label=_("Phiên bản hồ sơ khi mở trang"), widget=forms.HiddenInput,
                                   required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = version_token(getattr(self.instance, self.version_field))

    def clean(self):
        cleaned = super().clean()
        try:
            check_unchanged_since_seen(self.instance, seen=cleaned.get("seen_version"), field=self.version_field)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned
