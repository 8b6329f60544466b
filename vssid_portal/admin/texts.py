r"""The text boxes of the admin's pages and forms, read as the officer typed them: line breaks as "\n",
counted one character each as the box's maxlength counted them."""


from django import forms
from django.contrib.admin import widgets


def posted_text(request, name: str) -> str:
    r"""A text box of an admin page's own form (no Django form behind it), checked as a form's
    CharField checks it: a NUL character, which PostgreSQL refuses in text, raises ValidationError
    with Django's message (Vietnamese in locale/vi) instead of a database error.

    Line breaks come back as "\n": the browser sends each as CRLF but counts it as one character
    against the box's maxlength, so a note that fitted the box was refused as too long by as many
    characters as it had lines, and stored with "\r"."""
    return as_typed(forms.CharField(required=False, strip=False).clean(request.POST.get(name, "")))


def as_typed(text: str) -> str:
    r"""A text box's value with its line breaks as the officer typed them ("\n"), not as the browser
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
