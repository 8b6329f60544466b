"""What the officers' admin shares across apps, one module per concern; other apps import it from
here, the package's public face:

- `sites`: the admin site (PortalAdminSite, vssid_portal.apps.AdminConfig's `admin.site`), the base
  of every model admin (PortalModelAdmin, PortalFormFields) and the change list (PortalChangeList);
- `scope`: the mixins of the admins whose rows are an officer's scope (NotFoundOutsideScope,
  SaysWhyNoAgencySeesNothing, RelationLinksOnlyWhereAllowed);
- `search`: the search by folded keys and codes (FoldedKeySearch), its words bounded;
- `filters`: the list filters by a date (year_filter, RecentDateFilter);
- `autocomplete`: the autocomplete boxes and their answers (PortalAutocompleteSelect,
  AutocompleteWithinTheForm);
- `declarations`: a declaration PDF's column, state, link and list filter;
- `texts`: text boxes read as typed (posted_text, TextareaAsTyped);
- `audit_trail`: an object's read-only history (AuditTrailInline).

The app registers no model admin: each app's admin registers its own models with these.
"""

from .audit_trail import AuditTrailInline
from .autocomplete import (
    AutocompleteWithinTheForm,
    PortalAutocompleteJsonView,
    PortalAutocompleteSelect,
)
from .declarations import (
    DECLARATION,
    DECLARATION_BUILDING,
    DECLARATION_DOWNLOAD,
    DeclarationFilter,
)
from .filters import DATE_PART_RANGES, DJANGO_THIS_YEAR, RecentDateFilter, year_filter
from .scope import (
    NotFoundOutsideScope,
    RelationLinksOnlyWhereAllowed,
    SaysWhyNoAgencySeesNothing,
)
from .search import FOLDED_KEYS, FoldedKeySearch, search_within_bounds
from .sites import PortalAdminSite, PortalChangeList, PortalFormFields, PortalModelAdmin
from .texts import AdminTextareaAsTyped, TextareaAsTyped, as_typed, posted_text

__all__ = [
    "DATE_PART_RANGES",
    "DECLARATION",
    "DECLARATION_BUILDING",
    "DECLARATION_DOWNLOAD",
    "DJANGO_THIS_YEAR",
    "FOLDED_KEYS",
    "AdminTextareaAsTyped",
    "AuditTrailInline",
    "AutocompleteWithinTheForm",
    "DeclarationFilter",
    "FoldedKeySearch",
    "NotFoundOutsideScope",
    "PortalAdminSite",
    "PortalAutocompleteJsonView",
    "PortalAutocompleteSelect",
    "PortalChangeList",
    "PortalFormFields",
    "PortalModelAdmin",
    "RecentDateFilter",
    "RelationLinksOnlyWhereAllowed",
    "SaysWhyNoAgencySeesNothing",
    "TextareaAsTyped",
    "as_typed",
    "posted_text",
    "search_within_bounds",
    "year_filter",
]
