"""Every change list an officer (or clinic staff) may open reads as many queries for one row as for
twenty: what a row shows of its relations (its person, agency, facility, who made it) is read with
the rows, never once per row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Person, Registration, User
from benefits.models import SalaryAdjustment
from health_card.models import BeneficiaryGroup, BenefitLevel, CardCheck, Visit
from health_card.services import api_token_create
from lookup.models import Agency, Employer, MedicalFacility, Province
from public_services.models import Feedback
from tests.accounts.helpers import make_person, officer
from tests.benefits.helpers import record
from tests.health_card.card_fixtures import issue, signing_keys  # noqa: F401  (keys for the cards issued)
from tests.participation.helpers import period
from tests.public_services.helpers import citizen, submit
from vssid_portal.form_keys import new_idempotency_key

pytestmark = pytest.mark.usefixtures("reference_data")

DISTRICT, CLINIC = "Cán bộ BHXH cơ sở", "Nhân viên cơ sở KCB"


def _person(n: int) -> Person:
    """The n-th person, managed by 07901."""
    person = make_person(f"7901{n:06d}", f"Nguyễn Văn Số {n}", id_number=f"079088{n:06d}")
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))
    return Person.objects.get(pk=person.pk)


def _facility() -> MedicalFacility:
    return MedicalFacility.objects.get(code="79001")


def _registration(n):
    person = _person(n)
    Registration.objects.create(
        reference=f"DK-{n:02d}", person=person, bhxh_code=person.bhxh_code, full_name=person.full_name,
        birth_date=person.birth_date, province=person.province, ward=person.ward, street="12 Lê Lợi",
        phone="+84987654321", agency=Agency.objects.get(code="07901"))


def _card_check(n):
    card = issue(_person(n), _facility())
    token, _raw = api_token_create(facility=_facility(), name=f"HIS {n}")
    CardCheck.objects.create(card=card, person=card.person, channel=CardCheck.Channel.API, result="valid",
                             facility=_facility(), checked_by=User.objects.create_user(f"nhanvien-{n}"), token=token)


def _card_check_without_login(n):
    """A guest's check, a clinic's software's, or one whose login (a citizen's, clinic staff's) was
    deleted since: named as the access log names them, from the row alone."""
    card = issue(_person(n), _facility())
    kind = [{}, {"signed_in": True}, {"signed_in": True, "facility": _facility()},
            {"token": api_token_create(facility=_facility(), name=f"HIS {n}")[0], "facility": _facility()}][n % 4]
    CardCheck.objects.create(card=card, person=card.person, channel=CardCheck.Channel.PUBLIC, result="valid", **kind)


def _visit(n):
    Visit.objects.create(person=_person(n), facility=_facility(), reference=f"LK-{n:02d}", kind="ngoai_tru",
                         admitted_on=datetime.date(2025, 3, 4), discharged_on=datetime.date(2025, 3, 4),
                         diagnosis_code="J06.9", diagnosis_name="Nhiễm trùng đường hô hấp trên cấp",
                         total_cost=500_000, bhyt_paid=400_000, patient_paid=100_000)


def _feedback(n):
    Feedback.objects.create(tracking_number=f"PA-{n:02d}", topic=Feedback.Topic.CONTRIBUTION,
                            content="Chưa nhận được sổ BHXH.", agency=Agency.objects.get(code="07901"),
                            full_name="Trần Thị Mai", phone="+84912345678", idempotency_key=new_idempotency_key(),
                            user=User.objects.create_user(f"nguoigui-{n}"))


# url, with the query it is asked with: (who opens it, how the n-th row of their list is made)
LISTS = {
    "/quan-tri/accounts/registration/": (DISTRICT, _registration),
    "/quan-tri/accounts/person/": (DISTRICT, _person),
    "/quan-tri/participation/period/": (DISTRICT, lambda n: period(_person(n), "01/2020", "12/2020")),
    "/quan-tri/benefits/benefitrecord/": (DISTRICT, lambda n: record(_person(n), reference=f"HS-{n:02d}")),
    "/quan-tri/benefits/salaryadjustment/": (
        DISTRICT, lambda n: SalaryAdjustment.objects.create(scheme="bhxh_tn", year=2060 + n, coefficient=1, source="—")),
    "/quan-tri/health_card/card/": (DISTRICT, lambda n: issue(_person(n), _facility())),
    "/quan-tri/health_card/cardcheck/": (DISTRICT, _card_check),
    "/quan-tri/health_card/cardcheck/?channel=public": (DISTRICT, _card_check_without_login),
    "/quan-tri/health_card/beneficiarygroup/": (
        DISTRICT, lambda n: BeneficiaryGroup.objects.create(code=f"Z{chr(64 + n)}", name=f"Nhóm {n}", payer="nsnn",
                                                            level=BenefitLevel.objects.get(level=4))),
    "/quan-tri/health_card/facilityapitoken/": (
        DISTRICT, lambda n: api_token_create(facility=_facility(), name=f"HIS {n}",
                                             created_by=officer(f"canbo-{n}", "07901", DISTRICT))),
    # the reference data's facilities fill the first page: the list searched for the new ones
    "/quan-tri/lookup/medicalfacility/?q=79Z": (
        DISTRICT, lambda n: MedicalFacility.objects.create(code=f"79Z{n:02d}", name=f"Phòng khám {n}",
                                                           province=Province.objects.get(code="79"))),
    "/quan-tri/lookup/employer/": (
        DISTRICT, lambda n: Employer.objects.create(code=f"ZZ{n:04d}", name=f"Công ty {n}", tax_code=f"03{n:08d}",
                                                    province=Province.objects.get(code="79"),
                                                    agency=Agency.objects.get(code="07901"))),
    "/quan-tri/public_services/filing/": (
        DISTRICT, lambda n: submit(citizen(f"7901{n:06d}", id_number=f"079088{n:06d}", monthly_benefit=False))),
    "/quan-tri/public_services/feedback/": (DISTRICT, _feedback),
    "/quan-tri/health_card/visit/": (DISTRICT, _visit),
    # the clinic's own visits
    "/quan-tri/health_card/visit/?": (CLINIC, _visit),
}


def _user(role: str) -> User:
    if role == CLINIC:
        from django.contrib.auth.models import Group, Permission

        from accounts.roles import sync_groups

        user = User.objects.create_user("nhanvien79001", is_staff=True, facility=_facility())
        user.groups.add(sync_groups(Group, Permission)[CLINIC])
        return user
    return officer("canbo07901", "07901", role)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_reads_as_many_queries_for_twenty_rows_as_for_one(client, url):
    role, build = LISTS[url]
    client.force_login(_user(role))
    url, _, query = url.partition("?")
    query = dict([query.split("=")]) if query else {}

    def queries() -> tuple[int, int]:
        client.get(url, query)  # warm: the session, the caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, query)
        assert response.status_code == 200
        return len(captured), len(response.context["cl"].result_list)

    build(1)
    one, shown = queries()
    for n in range(2, 21):
        build(n)
    twenty, shown_after = queries()
    assert shown_after >= shown + 19
    assert twenty == one
