"""Builders shared by the public-service tests: a citizen with a login (granted a monthly benefit,
so every procedure is open to them), officers, valid answers for every procedure, a filing
submitted through the service."""

import datetime
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import Guardianship, User
from benefits.models import BenefitRecord
from lookup.models import Agency, Ward
from notifications.models import Message
from public_services.procedures import registry
from public_services.services import filing_complete, filing_receive, filing_start, filing_submit, filing_withdraw
from tests.accounts.helpers import born_years_ago, cccd_for, jpeg, logged, make_person, officer  # noqa: F401 (logged)
from tests.db_locks import wait_until_blocked
from vssid_portal.form_keys import new_idempotency_key
from vssid_portal.templatetags.vn_format import vn_date

DISTRICT, PROVINCE = "Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"


REAUTHENTICATE = "/tai-khoan/nhap-lai-mat-khau/"


def reauthenticated(client: Client, password: str = "x-Pass-2026!") -> Client:
    """`client` having just given its login's password again, as the procedures that change where
    the codes or the benefits' money go ask before they are sent (Procedure.reauthenticate)."""
    assert client.post(REAUTHENTICATE, {"password": password}).status_code == 302
    return client


def citizen(code="7901234567", name="Nguyễn Văn Đức", agency_code="07901", *, monthly_benefit=True, **kwargs):
    person = make_person(code, name, **kwargs)
    person.agency = Agency.objects.get(code=agency_code)
    person.save(update_fields=["agency"])
    if monthly_benefit:
        monthly_allowance(person)
    return User.objects.create_user(code, password="x-Pass-2026!", person=person, email=f"{code}@example.vn")


# The procedures about a monthly benefit (where and how it is paid, who may receive it) are open
# only to someone granted one.
FOR_BENEFICIARIES = ("CHUYEN-NOI-HUONG", "THAY-DOI-CHI-TRA", "UY-QUYEN")
# The procedures filed only by the person with a login of their own, never by a parent for a child.
FOR_ACCOUNT_HOLDERS = ("DOI-LIEN-HE",)


def monthly_allowance(person) -> BenefitRecord:
    """A monthly labour-accident allowance (impairment 35 %) paid by the person's agency into a
    bank account: a monthly benefit at any working age. One per person, stored directly (no notice)."""
    from tests.benefits.helpers import decided, record

    found = BenefitRecord.objects.filter(person=person, reference=f"TNLD.{person.bhxh_code}").first()
    year = max(2025, person.birth_date.year + 1)  # a small child's is dated after the birth, whenever the tests run
    dated = {"received_on": datetime.date(year, 9, 1), "expected_on": datetime.date(year, 9, 15),
             "decision_date": datetime.date(year, 9, 10)}
    return found or record(person, BenefitRecord.Kind.ACCIDENT, agency=person.agency.code if person.agency else "07901",
                           reference=f"TNLD.{person.bhxh_code}", impairment_percent=35,
                           **decided(amount=None, monthly_amount=780_000, **dated))


def authorisation_period() -> tuple[datetime.date, datetime.date]:
    """A period an authorisation may be filed for today: from the first day of next month, for a
    year (an authorisation starts within a year and lasts at most 12 months)."""
    start = (timezone.localdate().replace(day=1) + datetime.timedelta(days=31)).replace(day=1)
    return start, start.replace(year=start.year + 1) - datetime.timedelta(days=1)


def answers(code: str, **overrides) -> dict:
    """Valid raw answers for each procedure, as a browser would post them."""
    other = Agency.objects.get(code="07902")
    ward = Ward.objects.get(name="Phường Sài Gòn")
    valid_from, valid_to = authorisation_period()
    base = {
        "607A": {"reason": "mat", "details": "Mất sổ khi chuyển nhà ở Thủ Đức", "attachments": "",
                 "phone": "0912345678", "email": "", "delivery": "buu_dien",
                 "delivery_address": "12 Lê Lợi, Phường Sài Gòn, Thành phố Hồ Chí Minh"},
        "608A": {"changes": ["full_name", "birth_date"], "new_full_name": "Nguyễn Văn Đức Thành",
                 "new_birth_date": "16/03/1988", "new_sex": "", "new_id_number": "",
                 "details": "Cải chính họ tên theo giấy khai sinh", "phone": "0912345678", "email": "",
                 "delivery": "tai_co_quan", "delivery_address": ""},
        "BHYT-CL": {"reason": "hong", "details": "Thẻ bị ướt, mờ chữ", "phone": "0912345678", "email": "",
                    "delivery": "buu_dien", "delivery_address": "12 Lê Lợi, Phường Sài Gòn"},
        "CHUYEN-NOI-HUONG": {"new_province": str(other.province_id), "new_agency": str(other.pk),
                             "new_address": "45 Hà Huy Giáp, Quận 12", "details": "Chuyển về ở với con gái",
                             "phone": "0912345678"},
        "THAY-DOI-CHI-TRA": {"method": "tien_mat", "bank": "", "account_number": "", "account_holder": "",
                             "post_office": "Bưu điện Sài Gòn", "new_phone": "0912345678",
                             "new_address": "12 Lê Lợi, Phường Sài Gòn", "details": ""},
        "UY-QUYEN": {"authorised_name": "Trần Thị Hồng Nhung", "authorised_birth_date": "02/09/1990",
                     "authorised_id_number": "079190012345", "authorised_phone": "0987654321",
                     "relationship": "vo_chong", "benefit": "luong_huu", "valid_from": vn_date(valid_from),
                     "valid_to": vn_date(valid_to), "phone": "0912345678"},
        "DOI-LIEN-HE": {"changes": ["phone", "email", "address"], "new_phone": "0987654321",
                        "new_email": "duc.moi@example.vn", "new_province": str(ward.province_id),
                        "new_ward": str(ward.pk), "new_street": "45 Hà Huy Giáp"},
    }[code]
    return {**base, **overrides}


def correction(filing, code: str, **overrides) -> dict:
    """Answers posted from the correction page of a returned filing, which carries the revision it
    was opened on."""
    return {**answers(code, **overrides), "revision": str(filing.revision)}


def stored_upload(field="evidence_1", color=(30, 140, 90)):
    return default_storage.save(f"filings/tmp/test/{field}.jpg", jpeg(color=color))


def submit(user, code="607A", *, person=None, uploads=None, **overrides):
    """`code` filed through the service for `person` (the user's own by default), who is granted a
    monthly benefit first when the procedure is about one."""
    procedure = registry.get(code)
    if code in FOR_BENEFICIARIES:
        monthly_allowance(person or user.person)
    if uploads is None:
        uploads = {name: stored_upload(name) for name in procedure.upload_fields
                   if procedure.form_class.base_fields[name].required}
    return filing_submit(procedure=procedure, person=person or user.person, user=user, data=answers(code, **overrides),
                         uploads=uploads, idempotency_key=new_idempotency_key())


def confirm_email(filing) -> None:
    """The address typed on `filing`'s form confirmed by its owner, as the link mailed to it does."""
    from public_services.selectors import email_confirmation_token, typed_email
    from public_services.services import filing_email_confirm

    assert filing_email_confirm(token=email_confirmation_token(filing, typed_email(filing))) is not None


def submitted_at_once(first, second):
    """`first()` in a transaction left open while `second()` runs on another connection and waits on
    it, then committed: the first's filing, and what the second gave, {"filing": …} or {"refused": message}.
    Needs PostgreSQL and a test with `django_db(transaction=True)`."""
    outcome = {}

    def run_second():
        try:
            outcome["filing"] = second()
        except ValidationError as error:
            outcome["refused"] = error.messages[0]
        finally:
            connections.close_all()

    with transaction.atomic():
        filing = first()  # uncommitted until this block ends
        thread = threading.Thread(target=run_second)
        thread.start()
        waited = wait_until_blocked(thread)
    thread.join(10)
    assert waited, "the second submission did not wait for the first's lock"
    return filing, outcome


def two_parents_and_their_child():
    """Two logins that may each file for the same child: whose submissions are not counted one after
    another (filing_submit locks each login's own), so two sent at once meet in the database."""
    mother = citizen(code="7909990001", name="Lê Thị Hoa", sex=2, id_number="079190099901")
    father = citizen(code="7909990002", name="Trần Văn Nam", id_number="079088099902")
    born = born_years_ago(10)
    child = make_person("7909990003", "Trần Minh Khang", birth=born, id_number=cccd_for(born))
    child.agency = mother.person.agency
    child.save(update_fields=["agency"])
    for parent, relationship in ((mother, "me"), (father, "cha")):
        Guardianship.objects.create(parent=parent, child=child, relationship=relationship)
    return mother, father, child


def complete(filing, officer, *, completion_messages_only=False):
    """The filing received, started and completed by `officer`, through the services; with
    `completion_messages_only`, the messages written before its completion (its submission's, receipt's
    and start's) are deleted first, so that the messages left are the completion's alone."""
    filing_receive(filing=filing, officer=officer)
    filing_start(filing=filing, officer=officer)
    if completion_messages_only:
        Message.objects.all().delete()
    return filing_complete(filing=filing, officer=officer)


def withdrawn(filing):
    """The filing taken back by its citizen: the procedure may be filed again."""
    return filing_withdraw(filing=filing, user=filing.submitted_by)


@pytest.fixture
def owner(reference_data):
    return citizen()


@pytest.fixture
def stranger(reference_data):
    return citizen("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345", agency_code="07902")


@pytest.fixture
def district_officer(reference_data):
    return officer("canbo07901", "07901", DISTRICT)


@pytest.fixture
def other_district_officer(reference_data):
    return officer("canbo07902", "07902", DISTRICT)


@pytest.fixture
def province_officer(reference_data):
    return officer("canbo079", "079", PROVINCE)



def review_post(client, url: str, key: str) -> dict:
    """What the review page of the form at `url` posts: the draft's key and the fingerprint of the
    answers it shows ("" when the page is not shown)."""
    page = client.get(f"{url}xem-lai/")
    found = re.search(r'name="answers_shown" value="([^"]*)"', page.content.decode()) if page.status_code == 200 else None
    return {"idempotency_key": key, "answers_shown": found.group(1) if found else ""}
