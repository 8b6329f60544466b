"""The declaration PDF of a filing's current revision: built once per revision by a task queued on
commit (filing_build_declaration), rendered in the portal's language (declaration_render); the periodic
sweep (tasks.build_missing_filing_declarations) builds the ones whose task was lost, and an officer
starts again those given up (filings_retry_declarations).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation

from vssid_portal.files import delete_files_once_committed, kept_only_if_committed
from vssid_portal.jobs import dispatch, restart_given_up, run_counted
from vssid_portal.pdf import render_pdf

from ..models import Filing
from ..selectors import (
    filing_declarant,
    filings_visible_to,
)


def _dispatch_declaration(filing_id: int) -> None:
    from ..tasks import build_filing_declaration

    dispatch(build_filing_declaration, filing_id)  # broker away: the periodic sweep builds it


def filing_build_declaration(*, filing_id: int) -> Filing | None:
    """Render the declaration of the filing's current revision once and store it privately.
    Idempotent: a declaration that exists for this revision is left alone. After
    `JOB_MAX_ATTEMPTS` attempts at one revision it is given up, for an officer to start again
    (`filings_retry_declarations`). Returns None when there was nothing to build."""
    return run_counted(Filing.objects.declaration_missing().filter(pk=filing_id), "pdf_attempts",
                       lambda: _declaration_rendered(filing_id), name=f"filing {filing_id}: declaration")


def declaration_render(filing: Filing) -> bytes:
    """The declaration of the filing's current revision as a PDF, in the portal's language whatever
    the request's (the filing read with its agency, person and `submitted_by__person`)."""
    procedure = filing.procedure
    with translation.override(settings.LANGUAGE_CODE):  # the rows' labels and values, as the PDF prints them
        rows = procedure.filing_rows(filing, user=filing.submitted_by)  # worded for who declared
        declarant = filing_declarant(filing)
    return render_pdf(procedure.pdf_template, {
        "filing": filing, "procedure": procedure, "identity": filing.identity, "rows": rows,
        "data": filing.data, "documents": list(filing.documents.all()), "declarant": declarant,
    })


def _declaration_rendered(filing_id: int) -> Filing:
    with kept_only_if_committed() as saved, transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing_id)
        if filing.pdf_ready:
            return filing
        filing = Filing.objects.select_related("agency", "person", "submitted_by__person").get(pk=filing_id)
        pdf = declaration_render(filing)
        old = filing.declaration_pdf.name if filing.declaration_pdf else ""
        filing.declaration_pdf.save(f"to-khai-r{filing.revision}.pdf", ContentFile(pdf), save=False)
        saved.append(filing.declaration_pdf.name)
        filing.pdf_revision = filing.revision
        filing.save(update_fields=["declaration_pdf", "pdf_revision"])
        if old and old != filing.declaration_pdf.name:
            delete_files_once_committed([old])
    return filing


def filings_missing_declarations(limit: int = 500) -> list[int]:
    """Filings whose declaration for the current revision is missing (a task lost while the
    broker was down, or a failed build) and not yet given up, oldest first: those with attempts left,
    and those whose last attempt failed with no retry of its task left, which the sweep's delivery gives
    up without rendering, so that the citizen and the officers are told instead of it showing as being
    made for ever."""
    return list(
        Filing.objects.declaration_missing().filter(pdf_attempts__lte=settings.JOB_MAX_ATTEMPTS)
        .order_by("submitted_at").values_list("pk", flat=True)[:limit]
    )


def filings_retry_declarations(*, filings, officer) -> int:
    """Start again the declarations given up (`filing_build_declaration`) of the given filings
    within the officer's scope; returns how many were started."""
    if not officer.has_perm("public_services.process_filing"):
        raise PermissionDenied("Cán bộ không có quyền xử lý hồ sơ.")
    given_up = filings_visible_to(officer).declaration_given_up().filter(pk__in=filings.values("pk"))
    return restart_given_up(given_up, "pdf_attempts", _dispatch_declaration)
