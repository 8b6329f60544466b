"""The officers' lists scoped by their agency (BHYT cards, card checks, clinic API tokens, medical
visits, and the benefit records and participation periods of the other apps) tell an officer whose
account is attached to no agency why the list is empty and whom to ask, instead of an empty list
with no reason; clinic staff, who see their facility's visits without an agency, are not told."""

import pytest

from accounts.models import User
from accounts.roles import CLINIC_STAFF, DISTRICT_OFFICER
from lookup.models import MedicalFacility
from tests.accounts.helpers import officer

pytestmark = pytest.mark.usefixtures("reference_data")

LISTS = [
    ("/quan-tri/benefits/benefitrecord/", "hồ sơ hưởng chế độ nào để xem"),
    ("/quan-tri/participation/period/", "quá trình tham gia nào để xem"),
    ("/quan-tri/health_card/card/", "thẻ BHYT nào để xem"),
    ("/quan-tri/health_card/cardcheck/", "lượt xác thực thẻ nào để xem"),
    ("/quan-tri/health_card/facilityapitoken/", "mã truy cập API nào để xem"),
    ("/quan-tri/health_card/visit/", "lượt khám chữa bệnh nào để xem"),
]


def warnings(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(("path", "what"), LISTS)
def test_an_officer_attached_to_no_agency_is_told_why_the_list_is_empty(client, path, what):
    client.force_login(officer("canbo-chua-co-quan", None, DISTRICT_OFFICER))
    response = client.get(path)
    assert response.status_code == 200
    assert warnings(response) == [
        f"Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có {what}. "
        "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc."]
    client.force_login(officer("canbo07901", "07901", DISTRICT_OFFICER))
    assert warnings(client.get(path)) == []


def test_clinic_staff_see_their_visits_without_an_agency_and_are_not_told_otherwise(client):
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import sync_groups

    staff = User.objects.create_user("nhanvien79001", password="x-Pass-2026!", is_staff=True,
                                     facility=MedicalFacility.objects.get(code="79001"))
    staff.groups.add(sync_groups(Group, Permission)[CLINIC_STAFF])
    client.force_login(staff)
    assert warnings(client.get("/quan-tri/health_card/visit/")) == []
    # A list clinic staff may not open says nothing of an agency, on its refusal or on their next page.
    refused = client.get("/quan-tri/health_card/card/")
    assert refused.status_code == 403 and "chưa được gắn với cơ quan BHXH" not in refused.content.decode()
    assert warnings(client.get("/quan-tri/health_card/visit/")) == []
