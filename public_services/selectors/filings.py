"""Reads of a citizen's filings, scoped to who is asking (page query counts stay constant): whose filings
a login may see, the list, the filing still open of a procedure, the one a form's key made, why a new
filing or a resubmission is refused, who declared a filing, and what its correction starts with."""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext

from accounts.selectors import active_logins, children_of, deactivated_logins, guardianship_of
from vssid_portal.templatetags.vn_format import vn_date

from ..models import BOOK_PROCEDURES, OPEN_STATUSES, Filing, FilingEvent
from ..procedures.base import contact_initial


def citizen_person_ids(user) -> list[int]:
    """Whose filings a citizen may see: their own and those of the children they may view."""
    if not user.is_authenticated:
        return []
    ids = list(children_of(user=user).values_list("pk", flat=True))
    if user.person_id:
        ids.append(user.person_id)
    return ids


def filing_declarant(filing: Filing) -> dict | None:
    """Who declared a filing made for someone else (a parent for a child), who signs its declaration:
    their name and, where the portal knows it, how they are related ("Cha"), in the active language;
    None when the person filed for themselves."""
    user = filing.submitted_by
    if user.person_id == filing.person_id:
        return None
    guardianship = guardianship_of(user=user, person_id=filing.person_id)
    return {"full_name": user.person.full_name if user.person_id else user.get_full_name() or user.username,
            "relationship": guardianship.get_relationship_display() if guardianship else ""}


def filings_of(*, person):
    return Filing.objects.filter(person=person).select_related("agency").order_by("-submitted_at", "-id")


def filings_left_by(*, user):
    """Filings still open that `user` made for someone whose records they may view no more (18 since,
    or the guardianship ended) and who has no login of their own that signs in: nobody follows,
    corrects or withdraws them on the portal until that person registers or, `locked`, the agency
    opens again the login an officer deactivated (registration refuses its code), which the user's
    list says."""
    own_logins = active_logins().filter(person__isnull=False).values("person")
    return (Filing.objects.filter(submitted_by=user, status__in=OPEN_STATUSES)
            .exclude(person_id__in=citizen_person_ids(user)).exclude(person__in=own_logins)
            .annotate(locked=Exists(deactivated_logins().filter(person=OuterRef("person"))))
            .select_related("person").order_by("-submitted_at", "-id"))


def filings_made_since(*, user, since, latest: int) -> list:
    """When `user` made the latest `latest` of the new filings they made after `since`, newest first,
    withdrawn or not (what services.SUBMISSIONS_PER_LOGIN counts): each filing's first submission, the
    event that recorded it, never a correction sent again later, which moves the filing's
    `submitted_at` but makes no new filing."""
    return list(FilingEvent.objects.filter(actor=user, from_status="", at__gt=since).order_by("-at")
                .values_list("at", flat=True)[:latest])


def open_filing_of(*, person, procedure) -> Filing | None:
    """The person's filing of this procedure that is still being handled, if any: a procedure is
    filed again only once the last filing of it is done, refused or withdrawn. A filing of either
    procedure reissuing the book (BOOK_PROCEDURES) holds both."""
    codes = BOOK_PROCEDURES if procedure.code in BOOK_PROCEDURES else [procedure.code]
    return (Filing.objects.filter(person=person, procedure_code__in=codes, status__in=OPEN_STATUSES)
            .order_by("-submitted_at", "-id").first())


def filing_submitted_with(*, idempotency_key: str, user) -> Filing | None:
    """The filing an earlier post of the same form made (a double click, the back button, a retry),
    if any. A key is a secret of one user's form: a key that exists under another account is
    refused, not answered."""
    existing = Filing.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and existing.submitted_by_id != user.pk:
        raise ValidationError(gettext("Phiên khai hồ sơ không hợp lệ. Hãy mở lại biểu mẫu."))
    return existing


def resubmit_refused(filing: Filing, *, user=None) -> str:
    """Why a returned filing can no longer be sent again by `user` (None: who filed it), in the
    active language: its procedure has closed to the person since (the card expired, the benefit
    ended; Procedure.unavailable), or is not open to that user, so it may only be withdrawn or
    rejected. "" when it can, or is not returned."""
    if filing.status != Filing.Status.RETURNED:
        return ""
    return filing.procedure.resubmit_unavailable(filing, user=user or filing.submitted_by)


def already_open(filing: Filing, procedure, *, user=None) -> str:
    """Why a new filing of `procedure` is refused, naming the one in hand (of the same procedure, or
    of the other one reissuing the book) and what `user` (None: who filed it) can do with it in its
    status."""
    other = filing.procedure_code != procedure.code
    if other:
        said = gettext("Bạn đã có hồ sơ %(number)s của thủ tục %(code)s – %(name)s (nộp ngày %(date)s). "
                       "Sổ BHXH chỉ được cấp lại theo một hồ sơ tại một thời điểm.") % {
            "number": filing.tracking_number, "code": filing.procedure.public_code or filing.procedure_code,
            "name": filing.procedure.name, "date": vn_date(filing.submitted_at)}
    else:
        said = gettext("Bạn đã có hồ sơ %(number)s của thủ tục này (nộp ngày %(date)s).") % {
            "number": filing.tracking_number, "date": vn_date(filing.submitted_at)}
    if filing.status == Filing.Status.RETURNED and resubmit_refused(filing, user=user):
        then = gettext("Hồ sơ đó được trả lại để bổ sung nhưng không nộp lại được nữa: hãy xem lý do trong hồ sơ "
                       "đó; bạn có thể rút hồ sơ đó.")
    elif filing.status == Filing.Status.RETURNED and other:
        then = gettext("Hồ sơ đó đang chờ bạn bổ sung, sửa đổi: hãy sửa và nộp lại hồ sơ đó rồi chờ kết quả, "
                       "hoặc nếu không cần nữa, hãy rút hồ sơ đó rồi nộp hồ sơ này.")
    elif filing.status == Filing.Status.RETURNED:
        then = gettext("Hồ sơ đó đang chờ bạn bổ sung, sửa đổi: hãy sửa và nộp lại chính hồ sơ đó.")
    elif filing.status == Filing.Status.SUBMITTED and other:
        then = gettext("Cơ quan BHXH chưa tiếp nhận hồ sơ đó: hãy chờ kết quả của hồ sơ đó, hoặc nếu không cần "
                       "nữa, hãy rút hồ sơ đó rồi nộp hồ sơ này.")
    elif filing.status == Filing.Status.SUBMITTED:
        then = gettext("Cơ quan BHXH chưa tiếp nhận hồ sơ đó: nếu cần khai lại, hãy rút hồ sơ đó rồi nộp hồ sơ mới.")
    else:
        then = gettext("Hồ sơ đó đang được giải quyết: bạn nộp được hồ sơ mới khi hồ sơ đó đã có kết quả.")
    return f"{said} {then}"


def filing_for_citizen(*, user, pk: int) -> Filing | None:
    """A filing with its history and documents, or None when it is not the user's (→ 404)."""
    return (
        Filing.objects.filter(pk=pk, person_id__in=citizen_person_ids(user))
        .select_related("agency", "person", "submitted_by")
        .prefetch_related(Prefetch("events", queryset=FilingEvent.objects.select_related("actor")), "documents")
        .first()
    )


def correction_initial(filing: Filing, *, user) -> dict:
    """The answers a returned filing's correction page starts with: those stored, unless `user` is
    not who declared them (the child registered since turning 18, the other parent). Then the phone
    and e-mail to reach the declarant are `user`'s own, and an answer the form started with from the
    previous declarant's phone (the beneficiary's number of a child without one: PaymentMethod.initial)
    is read again for `user`: sent unchanged, it would declare that phone the beneficiary's own. Which
    answers were the previous declarant's own is what was recorded when they declared them
    (Procedure.declarants_own): a number they typed instead of their own is an answer, and stays."""
    procedure = filing.procedure
    initial = procedure.answers(filing)
    if filing.submitted_by_id == user.pk:
        return initial
    contact = contact_initial(filing.person, user)
    initial = {**initial, **{name: contact[name] for name in ("phone", "email") if name in initial}}
    fresh = procedure.initial(filing.person, user=user)
    return initial | {name: fresh[name] for name in procedure.declarants_own(initial) if name in fresh}
