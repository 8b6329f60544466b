"""A registration's files: its photos (PHOTO_FIELDS), kept under the registration once it is sent and
deleted 30 days after a refusal, the temporary photos of a registration never sent, and the declaration PDF
built once it is sent (a task, counted and started again by an officer once given up).

Every write is one function, one transaction; the PDF task starts on commit.
"""

import datetime
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.models import Message
from notifications.services import send_message
from vssid_portal.files import (
    delete_files,
    delete_files_once_committed,
    delete_stale_uploads,
    kept_only_if_committed,
)
from vssid_portal.jobs import dispatch, restart_given_up, run_counted
from vssid_portal.pdf import render_pdf

from ...models import Registration, RegistrationEvent
from ...selectors import registrations_visible_to
from ...sessions import REGISTRATION_DRAFT

logger = logging.getLogger(__name__)

PHOTO_FIELDS = ("portrait", "id_front", "id_back")
PHOTO_RETENTION = timedelta(days=30)
UPLOAD_DIR = "registrations/tmp"
UPLOAD_RETENTION = timedelta(days=1)  # longer than any session that could still submit them


def _photo_names(registration: Registration) -> list[str]:
    return [getattr(registration, field).name for field in PHOTO_FIELDS if getattr(registration, field)]


def _dispatch_declaration(registration_id: int) -> None:
    from ...tasks import build_registration_declaration

    dispatch(build_registration_declaration, registration_id)  # broker away: the periodic sweep builds it


def registrations_missing_declarations(limit: int = 500) -> list[int]:
    """Registrations without a declaration (a task lost while the broker was down, or a failed
    build), decided meanwhile or not, that have attempts left, oldest first."""
    return list(
        Registration.objects.declaration_missing().filter(pdf_attempts__lte=settings.JOB_MAX_ATTEMPTS)
        .order_by("submitted_at").values_list("pk", flat=True)[:limit]
    )


def registration_build_declaration(*, registration_id: int) -> Registration | None:
    """Render the declaration PDF once and store it privately; an address given is told the registration
    was received (its reference and what follows, never the PDF nor the registrant's identity: nobody
    confirmed that address, which may be a stranger's).
    After `JOB_MAX_ATTEMPTS` attempts it is given up, for an officer to start again
    (`registrations_retry_declarations`). Returns None when there was nothing to build."""
    return run_counted(Registration.objects.declaration_missing().filter(pk=registration_id), "pdf_attempts",
                       lambda: _declaration_rendered(registration_id), name=f"registration {registration_id}: declaration")


def _declaration_rendered(registration_id: int) -> Registration:
    with kept_only_if_committed() as saved, transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))  # the parent, of a child's only, may be none
            .select_related("agency", "province", "ward", "person", "parent__person")
            .get(pk=registration_id)
        )
        if registration.declaration_pdf or registration.status == Registration.Status.REPLACED or (
                registration.photos_deleted_at is not None):  # replaced or swept: its files are not kept
            return registration
        pdf = render_pdf("accounts/pdf/registration_declaration.html", {"registration": registration})
        registration.declaration_pdf.save("to-khai-dang-ky.pdf", ContentFile(pdf), save=False)
        saved.append(registration.declaration_pdf.name)
        registration.save(update_fields=["declaration_pdf"])
        if registration.email:  # typed, never confirmed, maybe a stranger's: the reference and what follows, no PDF
            send_message(
                channel=Message.Channel.EMAIL, template="registration_declaration", recipient=registration.email,
                context={"registration": registration},
                idempotency_key=f"registration-{registration.reference}-declaration",
                language=registration.language,  # what the registrant declared, in the language they declared it in
            )
    return registration


def registrations_retry_declarations(*, registrations, officer) -> int:
    """Start again the declarations given up (`registration_build_declaration`) of the given
    registrations within the officer's scope; returns how many were started."""
    if not officer.has_perm("accounts.decide_registration"):
        raise PermissionDenied("Cán bộ không có quyền xử lý đăng ký.")
    given_up = registrations_visible_to(officer).declaration_given_up().filter(pk__in=registrations.values("pk"))
    return restart_given_up(given_up, "pdf_attempts", _dispatch_declaration)


def registrations_delete_stale_photos(*, now: datetime.datetime | None = None) -> int:
    """Delete the photos and the declaration PDF of registrations rejected more than 30 days ago (an
    approved registration's are the agency's dossier and stay), and the declaration a sweep made before it
    went with the photos left behind (the photos' deletion recorded once, when they went). Returns how many
    registrations were tidied. A registration whose
    files cannot be deleted (the storage refuses) is logged and left as it was, for the next sweep; the
    others are still done. Deleted in the transaction, not once it commits: a refusal then keeps the row
    pointing to its files, and a commit that fails afterwards leaves a row whose files are gone, which
    the next sweep marks done (a file already gone is no error)."""
    cutoff = (now or timezone.now()) - PHOTO_RETENTION
    count = 0
    # Also a registration swept before the declaration went with the photos: its photos gone, its
    # declaration left behind (and offered by the admin) until this sweep deletes it.
    stale = Registration.objects.filter(
        Q(photos_deleted_at__isnull=True) | ~Q(declaration_pdf=""),
        status=Registration.Status.REJECTED, decided_at__lt=cutoff,
    )
    for registration_id in stale.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                registration = stale.select_for_update().filter(pk=registration_id).first()
                if registration is None:  # done meanwhile by a sweep running at the same time
                    continue
                names = [*_photo_names(registration), registration.declaration_pdf.name]
                registration.portrait = registration.id_front = registration.id_back = ""
                registration.declaration_pdf = ""
                photos_deleted = registration.photos_deleted_at is None  # else its photos went at an earlier sweep
                if photos_deleted:
                    registration.photos_deleted_at = timezone.now()
                registration.save(update_fields=["portrait", "id_front", "id_back", "declaration_pdf",
                                                 "photos_deleted_at"])
                if photos_deleted:
                    RegistrationEvent.objects.create(registration=registration,
                                                     action=RegistrationEvent.Action.PHOTOS_DELETED)
                delete_files(names)  # a file already gone is no error; a refusal keeps the row as it was
        except OSError:
            logger.error("registration %s: photos not deleted, tried again at the next sweep",
                         registration.reference, exc_info=True)
            continue
        count += 1
    return count


def registration_draft_discard(*, session) -> None:
    """Forget the registration typed in this browser's `session` (its answers, accepted or typed, and
    the photos kept between the steps) and delete those photos: at a login, which keeps what the
    session held before (Django's login), so that whoever logs in at a shared computer never finds the
    registration another person left half-way. Tidying as the sweep's: a photo the storage will not
    delete is logged and left to it (registration_uploads_sweep)."""
    draft = session.pop(REGISTRATION_DRAFT, None) or {}
    delete_files_once_committed(name for name in (draft.get("photos") or {}).values()
                                if isinstance(name, str) and name.startswith(f"{UPLOAD_DIR}/"))


def registration_uploads_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete photos uploaded during a registration that was never submitted (the visitor left
    between the steps): every file under registrations/tmp/ older than a day. Returns how many."""
    return delete_stale_uploads(UPLOAD_DIR, cutoff=(now or timezone.now()) - UPLOAD_RETENTION)
