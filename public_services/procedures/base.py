"""What every procedure declares, the form base class, and how answers become JSON and back.

Answers are stored as the raw values the form accepts (dates as dd/mm/yyyy, choices as their
keys, related objects as primary keys), so binding the procedure's form to a stored filing
validates it again exactly as on the day it was typed. Uploaded images are not part of the JSON:
they are FilingDocument rows in private storage.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from benefits.selectors import monthly_benefits_of
from lookup.models import Agency
from vssid_portal.documents import DocumentsField, no_room_for, too_large_total, too_many_files, too_many_files_sent
from vssid_portal.forms import name_alike_refusals
from vssid_portal.middleware import upload_limit_message
from vssid_portal.templatetags.vn_format import vn_date
from vssid_portal.text import with_hotline


class ProcedureForm(forms.Form):
    """Base of the procedures' forms: knows whose filing it is; an image already accepted (kept
    from an earlier post, or stored with the filing) need not be chosen again.

    `kept` maps an upload's key to its name in private storage: a field's name for an image, and
    `<field>-<n>` for each file of a several-files field (DocumentsField). The files of such a
    field are added to those kept (one of the same name replaces it), within the field's count and
    total size; the files of a post that passed are in `accepted` even when another was refused.

    `upload_limit` names the limit a post went over (vssid_portal.middleware.upload_limit): it came
    without files and without the answers after the cut, and the form says so, so it never passes.

    `user` is who fills it in: when that is not `person` (a parent filing for a child), the form's
    labels are worded for that (`filled_in_for`). `person` is None only for a form that reads a
    stored filing's answers (`rows`), which is never bound: a bound form's `clean` has its person."""

    # A select whose choices hang on another's (province → ward): {the select chosen first: (the
    # list it fills, the label of the button that fills it without JavaScript, the list's hint where
    # JavaScript fills it as soon as the first changes and the button is hidden)}.
    refreshed_lists: dict = {}

    def __init__(self, *args, person, user=None, kept=(), upload_limit="", **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.user = user
        if filled_in_for_another(person, user):
            self.filled_in_for(person)
        name_alike_refusals(self)  # by the labels as worded for who fills it in
        self.upload_limit = upload_limit
        self.kept_paths = dict(kept) if isinstance(kept, dict) else {}
        self.kept = set(kept)
        self.accepted: dict[str, list] = {}
        for name in self.kept & set(self.fields):
            self.fields[name].required = False
            self.fields[name].help_text = _("Đã nhận ảnh. Chỉ chọn ảnh khác nếu muốn thay.")

    def _clean_fields(self):
        super()._clean_fields()
        for name, field in self.fields.items():
            if isinstance(field, DocumentsField) and name in self.cleaned_data:
                self._limit_documents(name, field)
        if self.upload_limit:
            several = next((name for name, field in self.fields.items() if isinstance(field, DocumentsField)), None)
            if self.upload_limit == "files" and several is not None:
                self.add_error(several, too_many_files_sent(self.fields[several].max_files,
                                                            settings.DATA_UPLOAD_MAX_NUMBER_FILES))
            else:
                self.add_error(None, upload_limit_message())

    def _limit_documents(self, name: str, field: DocumentsField) -> None:
        batch = self.cleaned_data[name]
        kept = documents_kept(self.kept_paths, name)
        replaced = {key for key, path in kept.items() if file_name(path) in {item.name for item in batch}}
        staying = [path for key, path in kept.items() if key not in replaced]
        problems = list(batch.problems)
        if batch:
            total = sum(_stored_size(path) for path in staying) + sum(item.size for item in batch)
            if len(staying) + len(batch) > field.max_files:
                problems.append(no_room_for(field.max_files, len(staying), len(batch)))
                batch.clear()
            elif total > field.max_bytes:
                problems.append(too_large_total(field.max_bytes, total))
                batch.clear()
        elif len(kept) > field.max_files or sum(_stored_size(path) for path in kept.values()) > field.max_bytes:
            # checked again at submission: the draft is the server's, but its limits are the law of the form
            problems.append(too_many_files(field.max_files, len(kept)) if len(kept) > field.max_files
                            else too_large_total(field.max_bytes, sum(_stored_size(path) for path in kept.values())))
        self.accepted[name] = list(batch)
        if problems and batch:  # the refusal names its file; say the rest of the choice was taken
            problems.append(gettext("Các tệp khác trong lần chọn này đã được nhận: %(names)s.")
                            % {"names": ", ".join(item.name for item in batch)})
        if problems:
            self.add_error(name, problems)

    def refresh_buttons(self) -> list[tuple]:
        """(the bound select chosen first, the bound list it fills, the button's label, the list's hint
        with JavaScript), for the page (templates/includes/refresh_list.html)."""
        return [(self[name], self[target], label, hint)
                for name, (target, label, hint) in self.refreshed_lists.items()]

    def filled_in_for(self, person) -> None:
        """Word the labels for someone filling the form in for `person` (a parent for a child in view):
        a label saying "bạn" of the person giving the answers names `person` instead."""

    def recorded(self) -> dict:
        """What the valid answers meant beyond their values when declared (whose number a phone is),
        stored with them (form_to_data): read again, they are worded from it (`as_declared`) whoever
        reads them and whatever the registry has said since."""
        return {}

    def as_declared(self, data: dict) -> None:
        """Word the labels as the stored answers `data` were asked, from what `recorded` kept with them."""

    def require(self, cleaned: dict, names, message=_("Mục này là bắt buộc.")) -> None:
        """Each of `names` left empty gets `message` (one text, or a dict of texts by field name)."""
        for name in names:
            if cleaned.get(name) in (None, "", [], ()) and name not in self.errors:
                self.add_error(name, message[name] if isinstance(message, dict) else message)


def filled_in_for_another(person, user) -> bool:
    """`user` fills in (or reads) a form about `person` who is not them: a parent and a child in view."""
    return person is not None and user is not None and user.person_id != person.pk


class Row(tuple):
    """One answer as the pages show it: unpacks as `(label, value)`. It also carries the field's
    `name` and the declaration's wording, `pdf_label` and `pdf_value` (the same as the page's unless
    the field has `pdf_wording`; an empty `pdf_label` leaves the answer out of the declaration)."""

    def __new__(cls, label, value, name="", pdf_label=None, pdf_value=None):
        row = super().__new__(cls, (label, value))
        row.name = name
        row.pdf_label = label if pdf_label is None else pdf_label
        row.pdf_value = value if pdf_value is None else pdf_value
        return row

    def __getnewargs__(self):  # copy and pickle rebuild it whole
        return (self[0], self[1], self.name, self.pdf_label, self.pdf_value)

    @property
    def label(self):
        return self[0]

    @property
    def value(self):
        return self[1]


class _Shown(dict):
    """The answers as shown, by field name, for a `pdf_wording` choice text; a missing one is empty."""

    def __missing__(self, key):
        return ""


def pdf_wording(field, label=None, *, choices=None):
    """Give `field` the wording of the declaration where the screen's does not suit a legal document
    ("Thư điện tử (không bắt buộc)", "Quan hệ với bạn"). `label` replaces the field's label in the
    PDF; "" leaves the answer out of it (another row prints it). `choices` maps a choice's key to
    what it means on paper; the text may name other answers as `{field_name}`. Declarations are
    Vietnamese whatever the page's language, so these texts are plain Vietnamese."""
    field.pdf_label = label
    field.pdf_choices = dict(choices or {})
    return field


def _stored_size(path: str) -> int:
    try:
        return default_storage.size(path)
    except (FileNotFoundError, OSError):
        return 0


def file_name(path: str) -> str:
    """A stored document's file name: the last part of its path (the citizen's, made safe)."""
    return path.rsplit("/", 1)[-1]


def document_field(key: str) -> str:
    """The form field an upload's key belongs to: "attached_files-2" → "attached_files"."""
    return key.partition("-")[0]


def is_several(key: str) -> bool:
    """Whether the key is one file of a several-files field (served as a download, listed by name)."""
    return "-" in key


def documents_kept(kept: dict, name: str) -> dict:
    """The kept files of the several-files field `name`, by key, in their order."""
    found = {key: path for key, path in kept.items() if document_field(key) == name and is_several(key)}
    return dict(sorted(found.items(), key=lambda item: int(item[0].rpartition("-")[2] or 0)))


def upload_fields(form_class) -> list[str]:
    return [name for name, field in form_class.base_fields.items() if isinstance(field, forms.FileField)]


def to_raw(value):
    """A cleaned value as the form would receive it again."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date):
        return vn_date(value)  # always a four-digit year, so "%d/%m/%Y" reads it back
    if isinstance(value, PhoneNumber):
        return value.as_e164
    if isinstance(value, (list, tuple)):
        return [to_raw(item) for item in value]
    if isinstance(value, bool):
        return value
    return str(value)


def form_to_data(form) -> dict:
    return {
        **{name: to_raw(form.cleaned_data.get(name))
           for name, field in form.fields.items()
           if not isinstance(field, forms.FileField)},
        **form.recorded(),
    }


def display(field, value) -> str:
    """A cleaned value as people read it: choice labels, dd/mm/yyyy, national phone format."""
    if value in (None, "", [], ()):
        return ""
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = {str(key): label for key, label in field.choices}
        return ", ".join(str(labels.get(str(item), item)) for item in value)
    if isinstance(field, forms.ChoiceField):
        return str({str(key): label for key, label in field.choices}.get(str(value), value))
    if isinstance(value, bool):
        return pgettext("câu trả lời", "Có") if value else pgettext("câu trả lời", "Không")
    if isinstance(value, datetime.date):
        return vn_date(value)
    if isinstance(value, PhoneNumber):
        return value.as_national
    return str(value)


def default_agency(person) -> Agency:
    """The agency that manages the person; else their province's top agency."""
    if person.agency_id:
        return person.agency
    agency = Agency.objects.filter(province_id=person.province_id, parent__isnull=True).order_by("code").first()
    if agency is None:
        # Named, not "bạn": a parent filing for a child reads it too.
        raise ValidationError(with_hotline(_("Chưa xác định được cơ quan BHXH quản lý hồ sơ BHXH của %(name)s. Hãy gọi "
                                             "%(hotline)s để được hướng dẫn."), name=person.full_name))
    return agency


def monthly_benefit_missing(person) -> str:
    """Why someone not granted a monthly benefit may not ask to change where or how it is paid."""
    if monthly_benefits_of(person=person).exists():
        return ""
    return gettext("Thủ tục này dành cho người đang hưởng lương hưu, trợ cấp BHXH hằng tháng. Hồ sơ BHXH của "
                   "%(name)s chưa có khoản hưởng hằng tháng nào. Nếu đã có quyết định hưởng, hãy liên hệ cơ quan "
                   "BHXH quản lý hoặc gọi %(hotline)s.") % {"name": person.full_name, "hotline": settings.PORTAL_HOTLINE}


def contact_initial(person, user=None) -> dict:
    """The contact answers a form starts with: the phone and e-mail of `user`, who fills it in (a
    parent filing for a child is the one the agency calls and writes to, and a small child has no
    phone), and the person's address for the result."""
    declarant = user.person if user is not None and user.person_id else person
    account = user if user is not None else getattr(person, "user", None)
    phone = (declarant and declarant.phone) or (person and person.phone)
    return {
        "phone": phone.as_national if phone else "",
        "email": getattr(account, "email", "") or "",
        "delivery_address": person.address if person else "",
    }


class Procedure:
    """One public-service procedure. Subclasses set the attributes and may override the hooks."""

    # The texts (name, summary, documents, declaration_name, the form's labels) are lazy translations:
    # the pages show them in the visitor's language; the declaration PDF renders them in Vietnamese
    # (vssid_portal.pdf.render_pdf), the notices in their reader's (notifications.services.send_message).
    code: str = ""             # the registry's key, stored on each filing: "607A", "UY-QUYEN"
    public_code: str = ""      # VssID's own code of the procedure, shown to citizens; only some have one
    slug: str = ""             # its URL: /dich-vu-cong/<slug>/
    name: str = ""
    sms_title: str = ""        # a short name for SMS, where the full name would make a step's SMS 3–4 parts (sms_name)
    summary: str = ""          # one sentence on the list of procedures
    form_class: type[ProcedureForm]
    documents: list[str] = []  # the papers it needs, listed before the form
    handling_days: int = 10    # legal handling time, in working days from receipt
    pdf_template: str = ""     # the declaration, rendered by WeasyPrint
    declaration_name: str = ""
    order: int = 100
    # Submitted and resubmitted only after the password is given again (allauth's reauthentication):
    # a filing that changes where the login and password codes go, or where and to whom the benefit money
    # is paid, must not be made with a stolen session or at a browser left signed in.
    reauthenticate: bool = False
    # What the filing changes, as the page asking the password again says why it asks (one sentence).
    reauthenticate_reason: str = ""

    @property
    def sms_name(self):
        """The procedure as a filing's step SMS names it: VssID's code, if it has one, and its short
        title ("607A Cấp lại sổ BHXH"); lazy, as `name`, so the SMS says it in its reader's language.
        The notice on the portal and the e-mail name it in full."""
        title = self.sms_title or self.name
        return format_lazy("{} {}", self.public_code, title) if self.public_code else title

    def initial(self, person, *, user=None) -> dict:
        """Values the form starts with, taken from the registry: the contact answers the form asks
        (`contact_initial`: `user` is who fills it in); a procedure adds its own."""
        fields = self.form_class.base_fields
        return {name: value for name, value in contact_initial(person, user).items() if name in fields}

    def unavailable(self, person, *, user=None) -> str:
        """Why `person` may not file this procedure, in the active language; "" when they may. `user`
        is who files it (the person's own login, or a parent's for a child; None: the person's own).
        The list of procedures and the form say it, and a submission is refused with it."""
        return ""

    def resubmit_unavailable(self, filing, *, user) -> str:
        """Why `user` may not send the returned `filing` again, in the active language; "" when they
        may. As `unavailable` says of a new filing, unless the procedure has more to say of one in
        hand (selectors.resubmit_refused)."""
        return self.unavailable(filing.person, user=user)

    def remembered(self, person, *, before: dict | None = None) -> dict:
        """What else of the registry a filing is about, kept with its identity at each submission (the
        BHYT card to reissue): its completion acts on that, not on what has taken its place since.
        `before`: the identity kept until then, at a resubmission (None at the first submission)."""
        return {}

    def answers(self, filing) -> dict:
        """The filing's stored answers, with what was recorded of their meaning (ProcedureForm.recorded);
        a procedure fills it in for the filings stored before it was recorded."""
        return filing.data

    def declarants_own(self, answers: dict) -> list[str]:
        """The answers, beyond the contact phone and e-mail, that were the declarant's own details when
        declared (the parent's number to contact for a child without a phone): another declarant
        correcting the filing starts them from their own (selectors.correction_initial)."""
        return []

    def agency_for(self, *, person, data: dict) -> Agency:
        """The BHXH agency that handles a filing."""
        return default_agency(person)

    def on_submit(self, *, filing) -> None:
        """Called in the transaction that records a filing's submission, and each resubmission
        after a return (`filing.revision` tells them apart), after its own notices are queued."""

    def on_complete(self, *, filing, actor) -> str | None:
        """Called in the transaction that marks a filing done, before its status changes. What it
        returns (Vietnamese, stored: "Đã cấp lại thẻ BHYT …") is added to the completion's note."""

    def completion_warnings(self, filing, *, officer) -> list[str]:
        """What the officer should check before completing, one sentence each, in the active language,
        shown apart from completion_changes on the confirmation page (the new phone already another
        person's): it writes nothing. Only what `officer` may see is named."""
        return []

    def completion_outcome(self, filing) -> str:
        """What a completed filing decided, one sentence (lazy: written in each reader's language) that
        its completion's notice and e-mail add to the step (services.filings._notify), "" when the step says
        it all. The records the decision writes send nothing of their own (benefits.services
        monthly_benefits_change, health_card.services.reissue_card with notify off), so this is where
        the person reads what changed."""
        return ""

    def completion_email_outcome(self, filing) -> str:
        """completion_outcome as its completion's e-mail says it, which may go to an address nobody confirmed
        (a new one typed in the filing): without what a stranger at a mistyped address should not learn."""
        return self.completion_outcome(filing)

    def completion_sms_outcome(self, filing) -> str:
        """The same, as short as the completion's SMS can add within its parts
        (tests/notifications/test_filing_sms_parts.py), "" when the SMS keeps to its step: said by
        the SMS where the decision wrote a record the person must use at once (the new BHYT card, or the
        end of one), or changed where or how their benefits are paid (that it is done, without the
        agency, post office or bank account, read on a lock screen). Said to every login told of the
        person, a minor's parents too."""
        return ""

    def completion_sms_alert(self, filing) -> str:
        """What the completion's SMS says after it to the person's own login alone (`own_login` of
        accounts.services.notices.person_notify), never to a parent told of a minor's filing, who did
        not ask for it: what another SMS to the holder would have said after it (a contact change's
        security alert to the phone it keeps), "" when there is none."""
        return ""

    def completion_changes(self, filing) -> list[str]:
        """What on_complete will write beyond the filing's status, one sentence each (in the active
        language, for the officer's confirmation page: selectors.completion_changes makes it the
        admin's): the new card, the details written to the registry.
        Empty: completing changes the status only, and takes one click."""
        return []

    @property
    def upload_fields(self) -> list[str]:
        return upload_fields(self.form_class)

    def form(self, *args, person, kept=(), **kwargs) -> ProcedureForm:
        return self.form_class(*args, person=person, kept=kept, **kwargs)

    def rows(self, data: dict, *, person=None, user=None) -> list[Row]:
        """The answers as (label, value) rows for the review page, the status page and the PDF, in
        the active language (the PDF's are made under Vietnamese: services._declaration_rendered).
        Each value is read through its own field again; a value that no longer parses is shown
        as stored. Each row also carries the declaration's wording of the answer (`pdf_wording`).
        The labels are worded for `user` reading the answers about `person`, as the form was."""
        form = self.form_class(person=None)
        if filled_in_for_another(person, user):
            form.filled_in_for(person)
        form.as_declared(data)
        answers = []
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField) or name not in data:
                continue
            raw = data[name]
            try:
                value = display(field, field.clean(raw))
            except ValidationError:
                value = ", ".join(raw) if isinstance(raw, list) else str(raw)
            answers.append((name, field, raw, value))
        shown = _Shown({name: value for name, _field, _raw, value in answers})
        rows = []
        for name, field, raw, value in answers:
            if not value:
                continue
            label = getattr(field, "pdf_label", None)
            meaning = getattr(field, "pdf_choices", {}).get(str(raw))
            rows.append(Row(str(field.label), value, name=name,
                            pdf_label=str(field.label) if label is None else str(label),
                            pdf_value=str(meaning).format_map(shown) if meaning is not None else value))
        return rows

    def filing_rows(self, filing, *, user) -> list[Row]:
        """The rows (`rows`) of a stored filing about its person, read by `user`: its answers with what
        was recorded of their meaning (`answers`), never its bare data, which a procedure may read
        otherwise (whose number a phone was)."""
        return self.rows(self.answers(filing), person=filing.person, user=user)

    def __repr__(self):
        return f"<Procedure {self.code}>"
