"""The portal's forms: the renderer every form is shown with, the fields every form shares (dates,
amounts, free text, people's names and numbers typed by hand), and what a form shown again keeps of
what was typed. Other apps import them from here, the package's public face; each lives in the module
of its concern:

- `renderer`: PortalFormRenderer (settings.FORM_RENDERER);
- `echo`: a box put back as typed, less the characters nobody sees, with a note beside it;
- `kept`: a posted form shown again without judging it, and what its list refresh keeps in the session;
- `refusals`: refusals that name their field, so the error summary never says one sentence twice;
- `text_fields`: TextField, NameField, EmailField, CodeField;
- `date_fields`: DayMonthYearField, DateOrYearField, the birth date's limits;
- `number_fields`: MoneyField and number limits said as the portal writes numbers.
"""

from .date_fields import DATE_FORMAT_ERROR, DateOrYearField, DayMonthYearField, validate_birth_date
from .echo import UNSEEN_DROPPED
from .kept import posted_as_initial, refreshed_by_script, typed_to_keep
from .number_fields import MoneyField, limits_in_words, own_limits
from .refusals import first_lower, name_alike_refusals, named
from .renderer import PortalFormRenderer
from .text_fields import CodeField, EmailField, FirstRefusalOnly, NameField, TextField

__all__ = [
    "DATE_FORMAT_ERROR",
    "UNSEEN_DROPPED",
    "CodeField",
    "DateOrYearField",
    "DayMonthYearField",
    "EmailField",
    "FirstRefusalOnly",
    "MoneyField",
    "NameField",
    "PortalFormRenderer",
    "TextField",
    "first_lower",
    "limits_in_words",
    "name_alike_refusals",
    "named",
    "own_limits",
    "posted_as_initial",
    "refreshed_by_script",
    "typed_to_keep",
    "validate_birth_date",
]
