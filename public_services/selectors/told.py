"""Whom a filing's steps are told: where its e-mails go, the channels an officer's note goes by, the filer
told instead of nobody, whom the notices of the filings a step moved went to, and why nobody may correct
a returned filing that no login may read."""

import dataclasses

from django.utils.translation import gettext_lazy

from accounts.selectors import (
    active_logins,
    adult_born_by,
    deactivated_logins,
    logins_told_of,
    logins_told_of_people,
    notice_channels,
)
from notifications.models import Message

from ..models import Filing
from .email_confirmation import typed_email, typed_email_confirmed


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
    (services.filings._notify), which the note's page names beside it (notifications.texts.sent_as_typed): to the
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
    services.filings._notify sends it: the logins told of the person (logins_told_of_people), or the filer
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
