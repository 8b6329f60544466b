"""Every change list an officer, clinic staff or a superuser may open reads as many queries for one row
as for twenty, and the count at twenty is held (a new query is noticed): what a row shows of its
relations (its person, agency, facility, who made it) is read with the rows, never once per row."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Person, Registration, User
from benefits.models import SalaryAdjustment
from health_card.models import BeneficiaryGroup, BenefitLevel, CardCheck, Visit
from health_card.services import api_token_create
from lookup.models import (
    Agency,
    CollectionPoint,
    Employer,
    FaqQuestion,
    FaqTopic,
    MedicalFacility,
    NewsArticle,
    Province,
    Ward,
)
from participation.models import Statement
from public_services.models import Feedback, Holiday
from tests.accounts.helpers import make_person, officer
from tests.benefits.helpers import record
from tests.health_card.card_fixtures import issue, signing_keys  # noqa: F401  (keys for the cards issued)
from tests.participation.helpers import period
from tests.public_services.helpers import citizen, submit
from vssid_portal.form_keys import new_idempotency_key

pytestmark = pytest.mark.usefixtures("reference_data")

DISTRICT, CLINIC, SUPERUSER = "Cán bộ BHXH cơ sở", "Nhân viên cơ sở KCB", "quản trị viên"


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


def _login(n: int, **fields) -> User:
    return User.objects.create_user(f"nguoidung-{n}", **fields)


def _province(n: int) -> Province:
    return Province.objects.create(code=f"Z{chr(64 + n)}", name=f"Tỉnh Thử Nghiệm {n}", division_type="Tỉnh")


def _topic(n: int) -> FaqTopic:
    return FaqTopic.objects.create(title=f"Chủ đề {n}", slug=f"chu-de-thu-{n}", position=50 + n)


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
    "/quan-tri/participation/statement/": (
        SUPERUSER, lambda n: Statement.objects.create(code=f"XN{n:06d}", person=_person(n), requested_by=_login(n))),
    "/quan-tri/mfa/authenticator/": (
        SUPERUSER, lambda n: Authenticator.objects.create(user=_login(n), type=Authenticator.Type.RECOVERY_CODES,
                                                          data={"seed": "x", "used_mask": 0})),
    "/quan-tri/usersessions/usersession/": (
        SUPERUSER, lambda n: UserSession.objects.create(user=_login(n), session_key=f"phien{n:027d}", ip="10.0.0.1",
                                                        user_agent="Mozilla/5.0")),
    "/quan-tri/account/emailaddress/": (
        SUPERUSER, lambda n: EmailAddress.objects.create(user=_login(n), email=f"nguoi{n}@example.vn", primary=True,
                                                         verified=True)),
    "/quan-tri/auth/group/": (SUPERUSER, lambda n: Group.objects.create(name=f"Nhóm thử {n}")),
    "/quan-tri/accounts/user/": (
        SUPERUSER, lambda n: _login(n, agency=Agency.objects.order_by("code")[n], is_staff=True,
                                    facility=MedicalFacility.objects.order_by("code")[n])),
    "/quan-tri/lookup/province/": (SUPERUSER, _province),
    # the reference data's wards, agencies and collection points fill the first page: the new ones searched
    "/quan-tri/lookup/ward/?q=Z0": (
        SUPERUSER, lambda n: Ward.objects.create(code=f"Z{n:04d}", name=f"Phường Số {n}", division_type="Phường",
                                                 province=_province(n))),
    "/quan-tri/lookup/agency/?q=thu nghiem": (
        SUPERUSER, lambda n: Agency.objects.create(code=f"99{n:03d}", name=f"BHXH Thử Nghiệm {n}", province=_province(n),
                                                   parent=Agency.objects.order_by("code")[n])),
    "/quan-tri/lookup/collectionpoint/?q=thu nghiem": (
        SUPERUSER, lambda n: CollectionPoint.objects.create(
            code=f"ZZ{n:04d}", name=f"Điểm thu Thử Nghiệm {n}", kind=CollectionPoint.Kind.AGENT, province=_province(n),
            agency=Agency.objects.order_by("code")[n])),
    "/quan-tri/lookup/faqtopic/": (SUPERUSER, _topic),
    "/quan-tri/lookup/faqquestion/": (
        SUPERUSER, lambda n: FaqQuestion.objects.create(topic=_topic(n), question=f"Câu hỏi thử {n}?", answer="Đáp.",
                                                        position=n)),
    "/quan-tri/lookup/newsarticle/": (
        SUPERUSER, lambda n: NewsArticle.objects.create(title=f"Tin {n}", slug=f"tin-thu-{n}", summary="Tóm tắt.",
                                                        body="Nội dung.", published_at=timezone.now(),
                                                        is_published=True)),
    "/quan-tri/public_services/holiday/": (
        SUPERUSER, lambda n: Holiday.objects.create(date=datetime.date(2090, 1, n), name=f"Ngày nghỉ thử {n}")),
}
# the queries of each list's page at twenty rows: the login, the session and what the page reads
QUERIES = {
    "/quan-tri/accounts/registration/": 5,
    "/quan-tri/accounts/person/": 5,
    "/quan-tri/participation/period/": 5,
    "/quan-tri/benefits/benefitrecord/": 5,
    "/quan-tri/benefits/salaryadjustment/": 5,
    "/quan-tri/health_card/card/": 6,
    "/quan-tri/health_card/cardcheck/": 4,
    "/quan-tri/health_card/cardcheck/?channel=public": 4,
    "/quan-tri/health_card/beneficiarygroup/": 6,
    "/quan-tri/health_card/facilityapitoken/": 5,
    "/quan-tri/lookup/medicalfacility/?q=79Z": 6,
    "/quan-tri/lookup/employer/": 6,
    "/quan-tri/public_services/filing/": 5,
    "/quan-tri/public_services/feedback/": 5,
    "/quan-tri/health_card/visit/": 6,
    "/quan-tri/health_card/visit/?": 2,
    "/quan-tri/participation/statement/": 2,
    "/quan-tri/mfa/authenticator/": 3,
    "/quan-tri/usersessions/usersession/": 3,
    "/quan-tri/account/emailaddress/": 3,
    "/quan-tri/auth/group/": 3,
    "/quan-tri/accounts/user/": 4,
    "/quan-tri/lookup/province/": 3,
    "/quan-tri/lookup/ward/?q=Z0": 4,
    "/quan-tri/lookup/agency/?q=thu nghiem": 4,
    "/quan-tri/lookup/collectionpoint/?q=thu nghiem": 4,
    "/quan-tri/lookup/faqtopic/": 3,
    "/quan-tri/lookup/faqquestion/": 4,
    "/quan-tri/lookup/newsarticle/": 5,
    "/quan-tri/public_services/holiday/": 6,
}


def _user(role: str) -> User:
    if role == SUPERUSER:
        return User.objects.create_superuser("quantri", password="x-Pass-2026!")
    if role == CLINIC:
        from django.contrib.auth.models import Group, Permission

        from accounts.roles import sync_groups

        user = User.objects.create_user("nhanvien79001", is_staff=True, facility=_facility())
        user.groups.add(sync_groups(Group, Permission)[CLINIC])
        return user
    return officer("canbo07901", "07901", role)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_reads_as_many_queries_for_twenty_rows_as_for_one(client, url, django_assert_num_queries):
    role, build = LISTS[url]
    expected = QUERIES[url]
    client.force_login(_user(role))
    url, _, query = url.partition("?")
    query = dict([query.split("=")]) if query else {}

    def queries(counted) -> tuple[int, int]:
        client.get(url, query)  # warm: the session, the caches
        with counted as captured:
            response = client.get(url, query)
        assert response.status_code == 200
        return len(captured), len(response.context["cl"].result_list)

    build(1)
    one, shown = queries(CaptureQueriesContext(connection))
    for n in range(2, 21):
        build(n)
    twenty, shown_after = queries(django_assert_num_queries(expected))
    assert shown_after >= shown + 19
    assert twenty == one
