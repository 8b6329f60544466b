"""Reads of filings, scoped to who is asking (page query counts stay constant), and what a
filing's status means for the citizen next."""

import dataclasses
import hashlib

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, gettext_lazy

from accounts.selectors import (
    active_logins,
    adult_born_by,
    children_of,
    deactivated_logins,
    guardianship_of,
    is_officers_own_person,
    logins_told_of,
    logins_told_of_people,
    notice_channels,
)
from lookup.selectors import officer_agency_ids, within_officer_scope
from notifications.models import Message
from vssid_portal.secret_keys import secret_keys
from vssid_portal.templatetags.vn_format import vn_date
from vssid_portal.text import PORTAL_NAME

from .models import AGENCY_PENDING_STATUSES, BOOK_PROCEDURES, OPEN_STATUSES, Filing, FilingEvent
from .procedures.base import contact_initial
from .procedures.fields import PICKUP, POST


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


def filing_email_recipient(filing: Filing, *, told: list) -> tuple[str, bool]:
    """Where the e-mails of a filing go, and whether they name whose filing it is (a parent's for a
    child): to the address typed on the form once it is confirmed (typed_email_confirmed), else
    nowhere, and without one to the submitter's login's, while the submitter may view the filing
    (among `told`, logins_told_of(filing.person), who get the notice and the SMS); once they may not
    (the child is 18, the guardianship ended, the login was deactivated), to the address of the
    person's own login, if any. ("", False): no e-mail."""
    if any(user.pk == filing.submitted_by_id for user in told):
        typed = typed_email(filing)
        if typed and not typed_email_confirmed(filing):
            return "", False
        return typed or filing.submitted_by.email, filing.submitted_by.person_id != filing.person_id
    own = next((user.email for user in told if user.person_id == filing.person_id and user.email), "")
    return own, False


def filing_note_told_by(filing: Filing, *, status: str = "") -> list[str]:
    """The channels that would carry an officer's note on a step of `filing` to `status` now
    (services._notify), which the note's page names beside it (notifications.texts.sent_as_typed): to the
    logins that may view it, a notice and an SMS to their person's phone (person_notify), and an e-mail
    where filing_email_recipient gives an address; none when no login may view it (the parent who filed
    is told of the step without the note: filer_told_instead). A refusal's reason goes by no SMS, which,
    read on a lock screen, says only that the filing was refused (public_service_filing.step.txt)."""
    told = logins_told_of(filing.person)
    channels = notice_channels(told)
    if status == Filing.Status.REJECTED:
        channels = [channel for channel in channels if channel != Message.Channel.SMS]
    if told and filing_email_recipient(filing, told=told)[0]:
        channels.append(Message.Channel.EMAIL)
    return channels


def typed_email(filing: Filing) -> str:
    """The e-mail address typed on the filing's form, "" when none was."""
    return (filing.data.get("email") or "").strip()


def typed_email_confirmed(filing: Filing) -> bool:
    """Whether the address typed on the filing's form may receive the filing's e-mails: its owner
    confirmed it by the link mailed to it (filing.email_confirmed), or it is the submitter's login's,
    which the portal mails the account's notices to without asking (ACCOUNT_EMAIL_VERIFICATION is
    "none": the address given at registration or changed by an approved contact change is the
    account's, as for the security notices), compared without regard to case. True without one."""
    typed = typed_email(filing).lower()
    return not typed or typed in {filing.email_confirmed.lower(), (filing.submitted_by.email or "").lower()}


def typed_email_confirmed_elsewhere(filing: Filing) -> bool:
    """Whether the address typed on the filing's form was confirmed, by its link, on another filing
    submitted by the same login (a parent filing for each child with one address), compared without
    regard to case: its owner need not confirm it once more (services._confirmed_elsewhere)."""
    address = typed_email(filing).lower()
    return bool(address) and (Filing.objects.filter(submitted_by_id=filing.submitted_by_id).exclude(pk=filing.pk)
                              .alias(confirmed=Lower("email_confirmed")).filter(confirmed=address).exists())


def email_confirmation_resend_offered(filing: Filing) -> bool:
    """Whether the citizen may ask the link confirming the filing's typed address again: the filing
    is open and that address is not confirmed (services.filing_email_confirmation_resend)."""
    return filing.status in OPEN_STATUSES and not typed_email_confirmed(filing)


_EMAIL_CONFIRMATION_SALT = "public_services.filing-email-confirmation"
EMAIL_CONFIRMATION_DAYS = 7


def email_key(address: str) -> str:
    """A short name of an address, the same whatever its case, for the idempotency key of its
    confirmation e-mail (one per address per filing)."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]


def _address_mac(address: str, secret: str) -> str:
    return salted_hmac(_EMAIL_CONFIRMATION_SALT, address.strip().lower(), secret=secret,
                       algorithm="sha256").hexdigest()[:32]


def email_confirmation_token(filing: Filing, address: str) -> str:
    """The signed token of the link confirming `address` for `filing`, good EMAIL_CONFIRMATION_DAYS:
    it names the filing and a keyed digest of the address (not the address itself, which a link
    logged on the way would show), so that it confirms nothing once the filing's address changed."""
    return signing.dumps([filing.pk, _address_mac(address, settings.SECRET_KEY)], salt=_EMAIL_CONFIRMATION_SALT)


def filing_of_email_confirmation(token: str, *, queryset=None) -> Filing | None:
    """The filing whose typed address the link's `token` (email_confirmation_token) confirms; None for
    a forged or expired token, or one of an address the filing no longer has. The digest is checked
    under SECRET_KEY and the fallback keys (secret_keys), as the signature is by Django."""
    try:
        signed = signing.loads(token or "", salt=_EMAIL_CONFIRMATION_SALT, max_age=EMAIL_CONFIRMATION_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not (isinstance(signed, list) and len(signed) == 2 and type(signed[0]) is int and isinstance(signed[1], str)):
        return None
    filing = (Filing.objects if queryset is None else queryset).filter(pk=signed[0]).first()
    typed = typed_email(filing) if filing is not None else ""
    if not typed or not any(constant_time_compare(signed[1], _address_mac(typed, secret)) for secret in secret_keys()):
        return None
    return filing


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


@dataclasses.dataclass(frozen=True)
class NextStep:
    """What happens next with a filing, or what the citizen should do: one sentence, and a link
    when there is something to do elsewhere."""

    text: str
    link_text: str = ""
    link_url: str = ""


def _agency_contact(agency) -> str:
    if agency.phone:
        return gettext("gọi %(agency)s theo số %(phone)s") % {"agency": agency.name, "phone": agency.phone}
    return gettext("liên hệ %(agency)s") % {"agency": agency.name}


def _result_delivery(filing: Filing) -> str:
    """How the result reaches the citizen, from the answers of the filing: by post to the address
    given, at the agency, or (procedures without a delivery question) electronically."""
    delivery = filing.data.get("delivery")
    if delivery == POST:
        address = filing.data.get("delivery_address")
        if address:
            return gettext("kết quả được gửi qua bưu điện đến địa chỉ %(address)s") % {"address": address}
        return gettext("kết quả được gửi qua bưu điện đến địa chỉ bạn đã khai")
    if delivery == PICKUP:
        agency = filing.agency
        if agency.address:
            return gettext("bạn nhận kết quả tại %(agency)s, %(address)s") % {"agency": agency.name,
                                                                               "address": agency.address}
        return gettext("bạn nhận kết quả tại %(agency)s") % {"agency": agency.name}
    return gettext("kết quả được trả điện tử qua thông báo trên %(portal)s") % {"portal": PORTAL_NAME}


def declaration_given_up_note(filing: Filing, *, user=None) -> str:
    """What the citizen is told about a declaration given up after its last attempt, true to the
    filing's status: a filing still in the agency's hands is handled without it and an officer starts
    it again; a returned one gets a new one when corrected and sent again; one already ended
    (done, refused, or returned but no longer resubmittable by `user`, None: who filed it) is not
    affected by it."""
    status = Filing.Status
    if filing.status in AGENCY_PENDING_STATUSES:
        return gettext("Hồ sơ của bạn đã được lưu và vẫn đang được giải quyết. Cơ quan BHXH sẽ tạo lại tờ khai; "
                       "bạn không cần nộp lại.")
    contact = _agency_contact(filing.agency)
    if filing.status == status.RETURNED and not resubmit_refused(filing, user=user):
        return gettext("Hồ sơ của bạn đã được lưu; tờ khai sẽ được tạo lại khi bạn sửa và nộp lại hồ sơ.")
    if filing.status == status.DONE:
        return gettext("Hồ sơ đã giải quyết xong; việc chưa có tờ khai không ảnh hưởng đến kết quả. Nếu cần tờ khai, "
                       "bạn hãy %(contact)s.") % {"contact": contact}
    if filing.status == status.REJECTED:
        return gettext("Hồ sơ đã bị từ chối nên không được giải quyết tiếp. Nếu cần tờ khai của hồ sơ này, "
                       "bạn hãy %(contact)s.") % {"contact": contact}
    return gettext("Hồ sơ của bạn đã được lưu. Nếu cần tờ khai, bạn hãy %(contact)s.") % {"contact": contact}


# How long a filing's declaration PDF may take from the submission before its page stops saying it is
# being made and says it is late.
PDF_PATIENCE_SECONDS = 120


def filing_declaration_state(filing: Filing, *, user=None) -> dict:
    """Where the declaration PDF of `filing` stands for its page: "building" (still being made), "late"
    (waited for past PDF_PATIENCE_SECONDS from the submission), "failed" (given up, with "given_up_note"
    saying what `user` can do), or none of them when it is ready or a withdrawn filing needs none."""
    waiting = not filing.pdf_ready and not filing.withdrawn_without_declaration
    failed = filing.pdf_given_up
    late = waiting and not failed and (timezone.now() - filing.submitted_at).total_seconds() > PDF_PATIENCE_SECONDS
    return {"building": waiting and not late and not failed, "late": late, "failed": failed,
            "given_up_note": declaration_given_up_note(filing, user=user) if failed else ""}


def filing_next_step(filing: Filing, *, user=None) -> NextStep:
    """One sentence per status (Filing.Status) saying what happens next or what `user` (None: who
    filed it) can do, in the active language."""
    status = Filing.Status
    if filing.status == status.SUBMITTED:
        return NextStep(gettext("Cơ quan BHXH sẽ kiểm tra và tiếp nhận hồ sơ; trước khi hồ sơ được tiếp nhận, "
                                "bạn vẫn có thể rút hồ sơ."))
    if filing.status == status.RECEIVED:
        return NextStep(gettext("Cơ quan BHXH sẽ giải quyết hồ sơ và trả kết quả chậm nhất ngày %(date)s; "
                                "bạn không cần làm gì thêm.") % {"date": vn_date(filing.due_date)})
    if filing.status == status.PROCESSING:
        return NextStep(gettext("Cơ quan BHXH đang xem xét hồ sơ; bạn không cần làm gì thêm và sẽ nhận được "
                                "thông báo khi có kết quả."))
    if filing.status == status.RETURNED and resubmit_refused(filing, user=user):
        return NextStep(gettext("Hồ sơ này không nộp lại được nữa, vì lý do nêu dưới đây; bạn có thể rút hồ sơ ở "
                                "cuối trang."))
    if filing.status == status.RETURNED:
        return NextStep(gettext("Sửa, bổ sung hồ sơ theo nội dung cơ quan BHXH đề nghị rồi nộp lại; thời hạn "
                                "giải quyết được tính lại khi cơ quan BHXH tiếp nhận lại hồ sơ."))
    if filing.status == status.DONE:
        if filing.finished_at:
            done = gettext("Hồ sơ đã giải quyết xong ngày %(date)s") % {"date": vn_date(filing.finished_at)}
        else:
            done = gettext("Hồ sơ đã giải quyết xong")
        return NextStep(f"{done}; {_result_delivery(filing)}.")
    again = reverse("public_services:form", args=[filing.procedure.slug])
    if filing.status == status.REJECTED:
        return NextStep(gettext("Bạn có thể nộp hồ sơ mới sau khi khắc phục lý do từ chối, hoặc %(contact)s để "
                                "được hướng dẫn.") % {"contact": _agency_contact(filing.agency)},
                        gettext("Nộp hồ sơ mới cho thủ tục này"), again)
    if filing.status == status.WITHDRAWN:
        return NextStep(gettext("Hồ sơ đã rút sẽ không được giải quyết; nếu vẫn cần, bạn hãy nộp hồ sơ mới."),
                        gettext("Nộp hồ sơ mới"), again)
    raise ValueError(f"no next step for status {filing.status!r}")


# What an officer is told of their own case, one whole sentence for each use: the refusal of a step of
# filing `number` by the service, and the filing's page in the admin, instead of its steps.
OWN_CASE = gettext_lazy("Hồ sơ %(number)s là của chính bạn, của người bạn là cha, mẹ hoặc người giám hộ, hoặc do "
                        "bạn nộp: cán bộ không xử lý hồ sơ của chính mình. Hãy để một cán bộ khác của cơ quan xử lý.")
OWN_CASE_HERE = gettext_lazy("Hồ sơ này là của chính bạn, của người bạn là cha, mẹ hoặc người giám hộ, hoặc do bạn "
                             "nộp: cán bộ không xử lý hồ sơ của chính mình. Hãy để một cán bộ khác của cơ quan xử lý.")


# Why nobody may correct a returned filing of `name` (nobody_to_correct), one whole sentence for each
# case: whether their own login is deactivated, and whether a parent's or guardian's login is
# deactivated ("locked"), no parent or guardian is linked to a minor ("unlinked"), or they are 18 ("adult").
NOBODY_TO_CORRECT = {
    (True, "locked"): gettext_lazy(
        "Không ai sửa, nộp lại hoặc rút được hồ sơ này trên Cổng: tài khoản của %(name)s đang bị khóa, và tài khoản "
        "của cha, mẹ, người giám hộ của %(name)s đang bị khóa; không ai nhận được thông báo về hồ sơ."),
    (True, "unlinked"): gettext_lazy(
        "Không ai sửa, nộp lại hoặc rút được hồ sơ này trên Cổng: tài khoản của %(name)s đang bị khóa, và không còn "
        "cha, mẹ, người giám hộ nào liên kết với %(name)s trên Cổng; không ai nhận được thông báo về hồ sơ."),
    (True, "adult"): gettext_lazy(
        "Không ai sửa, nộp lại hoặc rút được hồ sơ này trên Cổng: tài khoản của %(name)s đang bị khóa, và %(name)s "
        "đã đủ 18 tuổi nên cha, mẹ, người giám hộ không còn thao tác thay; không ai nhận được thông báo về hồ sơ."),
    (False, "locked"): gettext_lazy(
        "Không ai sửa, nộp lại hoặc rút được hồ sơ này trên Cổng: %(name)s chưa có tài khoản, và tài khoản của cha, "
        "mẹ, người giám hộ của %(name)s đang bị khóa; không ai nhận được thông báo về hồ sơ."),
    (False, "unlinked"): gettext_lazy(
        "Không ai sửa, nộp lại hoặc rút được hồ sơ này trên Cổng: %(name)s chưa có tài khoản, và không còn cha, mẹ, "
        "người giám hộ nào liên kết với %(name)s trên Cổng; không ai nhận được thông báo về hồ sơ."),
    (False, "adult"): gettext_lazy(
        "Không ai sửa, nộp lại hoặc rút được hồ sơ này trên Cổng: %(name)s chưa có tài khoản, và %(name)s đã đủ 18 "
        "tuổi nên cha, mẹ, người giám hộ không còn thao tác thay; không ai nhận được thông báo về hồ sơ."),
}
# What the filing waits for, after NOBODY_TO_CORRECT: a deactivated login opened again, or `name` registering.
WAITS_FOR_REOPENING = gettext_lazy("Hồ sơ chờ đến khi cơ quan BHXH mở lại tài khoản bị khóa; nếu không chờ, hãy từ "
                                   "chối giải quyết và ghi lý do, lý do đọc được khi tài khoản được mở lại.")
WAITS_FOR_REGISTRATION = gettext_lazy("Hồ sơ chờ đến khi %(name)s đăng ký tài khoản; nếu không chờ, hãy từ chối giải "
                                      "quyết và ghi lý do, %(name)s đọc được lý do khi đăng ký tài khoản.")


def nobody_to_correct(filing: Filing) -> str:
    """What an officer is told of a returned filing that no login may read (logins_told_of), and why:
    the person has no login that signs in (none, or one an officer deactivated), and no parent or
    guardian may act for them (18 since, no longer linked, or each linked one's login deactivated). It
    waits for the person to register, or for the agency to open a deactivated login again (registration
    refuses its code), or for a rejection to close it; "" for any other filing."""
    if filing.status != Filing.Status.RETURNED or logins_told_of(filing.person):
        return ""
    person = filing.person
    own_locked = deactivated_logins().filter(person=person).exists()
    minor = person.birth_date > adult_born_by()
    guardians = ("locked" if minor and deactivated_logins().filter(guardianships__child=person).exists()
                 else "unlinked" if minor else "adult")
    why = str(NOBODY_TO_CORRECT[own_locked, guardians]) % {"name": person.full_name}
    if own_locked or guardians == "locked":
        return f"{why} {WAITS_FOR_REOPENING}"
    return f"{why} {WAITS_FOR_REGISTRATION % {'name': person.full_name}}"


# The officer's decisions a filer is told of when nobody may view the filing (filer_told_instead).
FILER_TOLD_INSTEAD = frozenset({Filing.Status.REJECTED, Filing.Status.RETURNED})


def _filers_told_instead(filings) -> set[int]:
    """Of these filings, which nobody may view (the caller's read of logins_told_of_people), the ones
    whose filer is told of the decision they stand in (filer_told_instead); one query however many."""
    asked = [filing for filing in filings if filing.status in FILER_TOLD_INSTEAD]
    if not asked:
        return set()
    linked = set(active_logins().filter(pk__in={filing.submitted_by_id for filing in asked},
                                        guardianships__child_id__in={filing.person_id for filing in asked})
                 .values_list("pk", "guardianships__child_id"))
    return {filing.pk for filing in asked if (filing.submitted_by_id, filing.person_id) in linked}


def filer_told_instead(filing: Filing):
    """The login told of `filing`'s rejection or return for correction (FILER_TOLD_INSTEAD) when no
    login may view it (logins_told_of(filing.person) is empty, which the caller read): the parent or
    guardian, still linked and with an active login, who filed it for a child grown to 18 since
    without a login of their own that signs in. They may view and act on it no more (filings_left_by),
    but a decision on what they filed would otherwise wait unheard of: they are told that it was
    taken, not its reason, which is the grown child's to read once registered. None for any other
    filing."""
    return filing.submitted_by if filing.pk in _filers_told_instead([filing]) else None


@dataclasses.dataclass(frozen=True)
class FilingsTold:
    """Of the filings a step moved, how many its notice went to (filings_told): to the filer (among
    the logins that may view it, or told instead of nobody: filer_told_instead); else to the person's
    own login; else only to a parent's or guardian's of the minor person, not the one who filed it;
    and to nobody."""

    filer: int = 0
    person: int = 0
    guardian: int = 0
    nobody: int = 0


def filings_told(filings) -> FilingsTold:
    """Whom a step's notice of each of these filings (in the status the step put them in) went to, as
    services._notify sends it: the logins told of the person (logins_told_of_people), or the filer
    told instead of nobody (filer_told_instead); two queries at most however many filings."""
    told: dict[int, list[tuple[int, bool]]] = {}
    people = logins_told_of_people({filing.person_id for filing in filings})
    for login, person_id, as_guardian in people.values_list("pk", "told_of", "as_guardian"):
        told.setdefault(person_id, []).append((login, as_guardian))
    instead = _filers_told_instead([filing for filing in filings if filing.person_id not in told])
    counts = {"filer": 0, "person": 0, "guardian": 0, "nobody": 0}
    for filing in filings:
        logins = told.get(filing.person_id, [])
        if filing.pk in instead or any(login == filing.submitted_by_id for login, _ in logins):
            counts["filer"] += 1
        elif any(not as_guardian for _, as_guardian in logins):
            counts["person"] += 1
        else:
            counts["guardian" if logins else "nobody"] += 1
    return FilingsTold(**counts)


def is_officers_own_case(filing: Filing, officer) -> bool:
    """An officer does not decide their own case: a filing for their own record, for a child they are
    (or were) parent or guardian of, or one they filed, whichever of their logins (holder_logins: the
    staff login and a citizen login of their own record) filed it or is linked to the child. One
    query at most."""
    return is_officers_own_person(officer, filing.person_id, by_login=filing.submitted_by_id)
