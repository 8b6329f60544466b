"""Reads for the officer's steps: the filings an officer may see, what a completion writes and the digest
of its confirmation, the token of a decision page, and the officer's own case."""

import hashlib

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts.selectors import is_officers_own_person
from lookup.selectors import officer_agency_ids, within_officer_scope

from ..models import Filing


def completion_changes(filing: Filing) -> list[str]:
    """What completing the filing will write beyond its status (the new card, the registry's new
    details), one sentence each, for the officer to confirm; empty: a one-click step (also when the
    declared data no longer reads: completing then refuses with the reason). In the active language, the
    page's; the completion's check of what was confirmed reads them in Vietnamese (completion_confirmed)."""
    try:
        return [str(line) for line in filing.procedure.completion_changes(filing)]
    except ValidationError:
        return []


def completion_warnings(filing: Filing, officer) -> list[str]:
    """What the officer confirming the completion should check first (Procedure.completion_warnings),
    in the active language as completion_changes; empty when the declared data no longer reads."""
    try:
        return [str(line) for line in filing.procedure.completion_warnings(filing, officer=officer)]
    except ValidationError:
        return []


# The language of the sentences a completion's digest is made of: the same whatever language the page
# that showed them was in, so that the page's digest and the completion's check compare the same sentences.
COMPLETION_DIGEST_LANGUAGE = "vi"


def completion_confirmed(filing: Filing, officer) -> list[str]:
    """The changes and the warnings (completion_changes, completion_warnings) as completion_digest reads
    them: in Vietnamese, whatever the active language."""
    with translation.override(COMPLETION_DIGEST_LANGUAGE):
        return [*completion_changes(filing), *completion_warnings(filing, officer)]


_COMPLETION_SALT = "public_services.completion-confirmation"


def completion_digest(confirmed: list[str]) -> str:
    """A short fingerprint of the changes and warnings a confirmation page showed (completion_confirmed:
    in Vietnamese), posted back with it; signed, so that a value no page showed is told from one a page
    showed before the changes moved."""
    return signing.Signer(salt=_COMPLETION_SALT).sign(hashlib.sha256("\n".join(confirmed).encode()).hexdigest()[:16])


def completion_digest_shown(confirmed: str | None) -> bool:
    """Whether `confirmed` is a completion_digest a confirmation page showed (changed since or not)."""
    try:
        signing.Signer(salt=_COMPLETION_SALT).unsign(confirmed or "")
    except signing.BadSignature:
        return False
    return True


_DECISION_PAGE_SALT = "public_services.filing-decision-page"
DECISION_PAGE_MAX_AGE = 24 * 3600


def decision_page_token(filing: Filing, officer) -> str:
    """Signed on an officer's decision page (reject, return): the filing was theirs to decide, in the
    agency they worked for, when the page was opened (filing_gone_from_scope)."""
    return signing.dumps([filing.pk, officer.pk, officer.agency_id, filing.agency_id], salt=_DECISION_PAGE_SALT)


def filing_gone_from_scope(*, officer, pk: int, token: str | None) -> Filing | None:
    """The filing an officer's decision page was opened on (`token`: decision_page_token) when it has
    left their scope since (resubmitted to another agency), for the page to say so and give the
    officer's words back instead of a 404. None without a valid token of theirs for it, while it is
    still theirs, and once the officer is no longer who decided it then: moved to another agency,
    deactivated, or no longer allowed to decide filings. To anyone else the filing stays unknown."""
    try:
        opened = signing.loads(token or "", salt=_DECISION_PAGE_SALT, max_age=DECISION_PAGE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(opened, list) or len(opened) != 4 or opened[:3] != [pk, officer.pk, officer.agency_id]:
        return None
    if not (officer.is_active and officer.is_staff and officer.has_perm("public_services.process_filing")):
        return None
    scope = officer_agency_ids(officer)
    if scope is None or opened[3] not in scope or filings_visible_to(officer).filter(pk=pk).exists():
        return None
    return Filing.objects.filter(pk=pk).first()


def filings_visible_to(user):
    """Filings an officer may see: their agency's and, for a province officer, every agency below
    it. Superusers see all; anyone else none."""
    return within_officer_scope(Filing.objects.select_related("agency", "person"), user)


# What an officer is told of their own case, one whole sentence for each use: the refusal of a step of
# filing `number` by the service, and the filing's page in the admin, instead of its steps.
OWN_CASE = gettext_lazy("Hồ sơ %(number)s là của chính bạn, của người bạn là cha, mẹ hoặc người giám hộ, hoặc do "
                        "bạn nộp: cán bộ không xử lý hồ sơ của chính mình. Hãy để một cán bộ khác của cơ quan xử lý.")
OWN_CASE_HERE = gettext_lazy("Hồ sơ này là của chính bạn, của người bạn là cha, mẹ hoặc người giám hộ, hoặc do bạn "
                             "nộp: cán bộ không xử lý hồ sơ của chính mình. Hãy để một cán bộ khác của cơ quan xử lý.")


def is_officers_own_case(filing: Filing, officer) -> bool:
    """An officer does not decide their own case: a filing for their own record, for a child they are
    (or were) parent or guardian of, or one they filed, whichever of their logins (holder_logins: the
    staff login and a citizen login of their own record) filed it or is linked to the child. One
    query at most."""
    return is_officers_own_person(officer, filing.person_id, by_login=filing.submitted_by_id)
