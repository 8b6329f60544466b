"""What a form puts back in a box it shows again: the text as typed, less the characters nobody sees
(`echoed`), and a note beside a box that lost some (`EchoedBoundField`, the bound field of every form
the portal renders: renderer.py)."""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.widgets import ChoiceWidget
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..text import clean_text, without_controls
from .text_fields import CodeField, TextField


def echoed(field: forms.Field, value):
    """What was typed in `field` as it is put back in its box: without what the field itself drops when
    it reads the value, so that the next save stores what the box shows. A field of the portal's own
    that cleans its text (`TextField`, `NameField`, `CodeField`: `clean_text`) loses the characters
    nobody types on purpose, a textarea keeping its line breaks and tabs; any other field, which
    stores format characters and tabs as typed (an emoji's zero-width joiners, a soft hyphen: the
    admin's titles and bodies), loses only its control characters but tabs and line breaks
    (`without_controls`), enough never to show a NUL again. The boxes of a MultiWidget (a date and a
    time) are each put back so."""
    if isinstance(value, (list, tuple)):
        return [echoed(field, part) for part in value]
    if not isinstance(value, str):
        return value
    if isinstance(field, (TextField, CodeField)):
        return clean_text(value, multiline=isinstance(field.widget, forms.Textarea))
    return without_controls(value)


def dropped_unseen(field: forms.Field, value) -> bool:
    """Whether `echoed` drops a character of `value` rather than keeping it or making it a space: a
    control character other than a tab or a line break, or, in a field that cleans its text, a format
    character (a zero-width space) or a noncharacter. A line break sent as CR LF, which such a field
    reads as one, is no such drop."""
    if isinstance(value, (list, tuple)):
        return any(dropped_unseen(field, part) for part in value)
    if not isinstance(value, str) or value.isprintable():
        return False
    read_as_one = value.count("\r\n") if isinstance(field, (TextField, CodeField)) else 0
    return len(echoed(field, value)) < len(value) - read_as_one


# Beside a box put back without characters nobody sees (EchoedBoundField.unseen_note): the box shows
# text as typed but for them, and the next send stores what it shows.
UNSEEN_DROPPED = _("Đã bỏ các ký tự không nhìn thấy được (ký tự điều khiển hoặc định dạng) khỏi nội dung đã nhập. "
                   "Hãy kiểm tra lại ô này trước khi gửi.")


class EchoedBoundField(BoundField):
    """A field that puts back what was typed as `echoed`: Django puts back the raw data, so a search
    refused for its NUL ("Không được chứa ký tự rỗng (NUL).") showed the NUL again in its box. Only
    typed text is put back so: not a choice, lest a value not offered become one offered, nor a value
    the form did not receive (a record's own, in the admin). A box that lost characters so says it
    beside it (`unseen_note`), rather than change what was typed without a word."""

    def _typed(self) -> bool:
        return not self.field.disabled and not isinstance(self.field.widget, ChoiceWidget)

    def _echoes(self) -> bool:
        return self.form.is_bound and self._typed()

    def value(self):
        value = super().value()
        return echoed(self.field, value) if self._echoes() else value

    @cached_property
    def unseen_note(self):
        """UNSEEN_DROPPED when the box puts back what was typed less a character (`dropped_unseen`),
        else "": not for a NUL the field refuses in its own words ("Không được chứa ký tự rỗng"). A form
        shown again unbound from what was posted (`posted_as_initial`, `typed_to_keep`) says it of the
        boxes its `initial` names under UNSEEN_KEY, what they show having lost them already."""
        if not self.form.is_bound:
            dropped = self.form.initial.get(UNSEEN_KEY)
            return UNSEEN_DROPPED if self._typed() and isinstance(dropped, list) and self.name in dropped else ""
        if not self._echoes() or not dropped_unseen(self.field, self.data):
            return ""
        if self.form.has_error(self.name, "null_characters_not_allowed"):
            return ""
        return UNSEEN_DROPPED

    @property
    def aria_describedby(self):
        described = super().aria_describedby
        if described is None or not self.unseen_note:
            return described
        return " ".join(filter(None, [described, f"{self.auto_id}_note"]))


# The key of an `initial` made from a post (`posted_as_initial`) that lists the fields whose text lost
# characters nobody sees (`dropped_unseen`), for the form shown again unbound to say so beside them
# (`EchoedBoundField.unseen_note`): no field is so named.
UNSEEN_KEY = "__unseen__"
