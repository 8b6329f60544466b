"""What a form's list refresh keeps of what was typed: a posted form shown again without judging it
(`posted_as_initial`), kept in the session, bounded, for the no-JavaScript "update the list" button's
post/redirect/get (`typed_to_keep`), and the refresh-list.js request that keeps nothing
(`refreshed_by_script`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.widgets import ChoiceWidget

from .echo import UNSEEN_KEY, dropped_unseen, echoed


def posted_as_initial(form_class, post) -> dict:
    """A posted form's values as the `initial` of the same form shown again without judging it (the
    no-JavaScript "update the list" button): every value of a several-choices field, no file, and each
    typed text as its box would put it back once bound (`echoed`): an unbound form's initial is shown
    as given, so a NUL typed came back in its box. The texts that lost a character so are named under
    UNSEEN_KEY, when there are any."""
    initial, unseen = {}, []
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, forms.MultipleChoiceField):
            initial[name] = post.getlist(name)
        elif isinstance(field.widget, ChoiceWidget):
            initial[name] = post.get(name)
        else:
            initial[name] = echoed(field, post.get(name))
            if dropped_unseen(field, post.get(name)):
                unseen.append(name)
    if unseen:
        initial[UNSEEN_KEY] = unseen
    return initial


# What is kept of a posted form to show it again later (a procedure's draft in the session): a text
# without a length of its own is cut there, a choice value longer than this is no choice.
KEPT_TEXT_LENGTH = 1000
KEPT_CHOICE_LENGTH = 100


def _offered(field: forms.Field, value) -> bool:
    """Whether `value` is one of `field`'s choices as the form offers them (a list made for the
    province chosen included), or no choice at all."""
    if value in (None, ""):
        return True
    if not isinstance(value, str) or len(value) > KEPT_CHOICE_LENGTH:
        return False
    if isinstance(field, forms.ModelChoiceField):
        try:
            field.to_python(value)
        except ValidationError:
            return False
        return True
    return field.valid_value(value) if isinstance(field, forms.ChoiceField) else True


def kept_as_typed(form, initial: dict) -> dict:
    """`initial` (`posted_as_initial` of `form`'s class), bounded to be kept beyond the request (a
    procedure's draft in the session, read on every request): only `form`'s own fields, each text
    cut to its field's max_length (KEPT_TEXT_LENGTH when it has none), a choice only if `form`,
    made with that `initial`, offers it, and of a several-choices field only the choices offered,
    each once. A forged post of megabytes keeps at most what the form itself could hold. The fields
    named under UNSEEN_KEY are kept, of `form`'s own, to say beside them that characters were removed."""
    kept = {}
    unseen = initial.get(UNSEEN_KEY)
    if isinstance(unseen, list) and (unseen := [name for name in form.fields if name in unseen]):
        kept[UNSEEN_KEY] = unseen
    for name, field in form.fields.items():
        if name not in initial:
            continue
        value = initial[name]
        if isinstance(field, forms.MultipleChoiceField):
            values = value if isinstance(value, (list, tuple)) else []
            kept[name] = list(dict.fromkeys(part for part in values if part and _offered(field, part)))
        elif isinstance(field.widget, ChoiceWidget):
            kept[name] = value if _offered(field, value) else None
        elif isinstance(value, str):
            kept[name] = value[:getattr(field, "max_length", None) or KEPT_TEXT_LENGTH]
        else:
            kept[name] = None
    return kept


# What static/js/refresh-list.js sends with its request for a list (X-Requested-With): the form is
# answered as it was posted, nothing kept, since the script's page stays and what is typed after it
# would not be; only the button without JavaScript keeps what was typed (`typed_to_keep`).
REFRESH_LIST_HEADER_VALUE = "refresh-list"


def refreshed_by_script(request) -> bool:
    """Whether a list's "update" post is refresh-list.js's, not the button's without JavaScript."""
    return request.headers.get("X-Requested-With") == REFRESH_LIST_HEADER_VALUE


def typed_to_keep(form_class, post, make_form=None) -> dict:
    """What the no-JavaScript "update the list" button keeps of `post` in the session, to show the form
    again by a GET (post/redirect/get: Back then never comes to a post a browser would only send
    again): `posted_as_initial` bounded by `kept_as_typed` against the form made with it by
    `make_form(initial)` (`form_class(initial=…)` when None), which offers the list of the choice
    posted. No file: a file chosen is never kept so, and must be chosen again."""
    initial = posted_as_initial(form_class, post)
    return kept_as_typed((make_form or (lambda initial: form_class(initial=initial)))(initial), initial)
