"""Officers open a registration's declaration PDF from its admin page, through a view that checks
their scope (another agency's is a 404) and serves it privately."""

import pytest
from django.test import Client

from accounts.services.registration import registration_build_declaration

from .helpers import make_person, officer, submit

pytestmark = pytest.mark.django_db
QUEUE = "/quan-tri/accounts/registration/"
DISTRICT, PROVINCE = "Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_declaration_is_linked_once_built_and_served_privately_within_scope(reference_data):
    registration = submit(make_person())
    own = logged(officer("canbo07901", "07901", DISTRICT))
    url = f"{QUEUE}{registration.pk}/to-khai/"
    page = own.get(f"{QUEUE}{registration.pk}/change/").content.decode()
    assert "Đang tạo tờ khai…" in page and url not in page
    assert own.get(url).status_code == 404  # not built yet

    registration_build_declaration(registration_id=registration.pk)
    page = own.get(f"{QUEUE}{registration.pk}/change/").content.decode()
    assert f'<a href="{url}">Tải tờ khai (PDF)</a>' in page
    response = own.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="to-khai-{registration.reference}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"].startswith("private, no-store")

    assert logged(officer("canbo079", "079", PROVINCE)).get(url).status_code == 200  # the province above
    assert logged(officer("canbo07902", "07902", DISTRICT)).get(url).status_code == 404  # another agency
    assert Client().get(url).status_code == 302  # the admin's login first
