"""Officers open a registration's declaration PDF from its admin page, through a view that checks
their scope (another agency's is a 404) and serves it privately."""

import pytest
from django.test import Client

from accounts.services.registration import registration_build_declaration

from .helpers import logged, make_person, officer, submit

pytestmark = pytest.mark.django_db
QUEUE = "/quan-tri/accounts/registration/"
DISTRICT, PROVINCE = "Cán bộ BHXH cơ sở", "Cán bộ BHXH tỉnh"


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


def declaration_line(client, registration) -> str:
    """The label and the state of the registration's declaration, as its admin page shows them."""
    import html as html_lib

    page = html_lib.unescape(client.get(f"{QUEUE}{registration.pk}/change/").content.decode())
    row = page.split("field-declaration", 1)[1].split('<div class="readonly">', 1)
    label = row[0].split("<label>", 1)[1].split("</label>", 1)[0]
    return f"{label} {row[1].split('</div>', 1)[0].strip()}"


@pytest.mark.parametrize("language, building, given_up, built, replaced", [
    ("en", "Declaration: Building the declaration…",
     "Declaration: Not built. Select the registration in the list and use the action “Build the declarations "
     "again”.", "Declaration: <a href=\"{url}\">Download the declaration (PDF, in Vietnamese)</a>",
     "Declaration: None any more: the registration was replaced by a newer registration of its sender."),
    ("vi", "Tờ khai: Đang tạo tờ khai…",
     "Tờ khai: Chưa tạo được. Chọn đăng ký trong danh sách và dùng thao tác “Tạo lại tờ khai”.",
     "Tờ khai: <a href=\"{url}\">Tải tờ khai (PDF)</a>",
     "Tờ khai: Không còn: đăng ký đã được thay bằng một đăng ký mới của người nộp."),
], ids=["en", "vi"])
def test_the_state_of_a_registrations_declaration_is_said_in_the_admins_language(
        reference_data, settings, language, building, given_up, built, replaced):
    from accounts.models import Registration

    settings.LANGUAGE_CODE = language
    person = make_person()
    registration = submit(person)
    own = logged(officer("canbo07901", "07901", DISTRICT))
    assert declaration_line(own, registration) == building
    Registration.objects.filter(pk=registration.pk).update(pdf_attempts=settings.JOB_MAX_ATTEMPTS + 1)
    assert declaration_line(own, registration) == given_up
    Registration.objects.filter(pk=registration.pk).update(pdf_attempts=0)  # started again
    registration_build_declaration(registration_id=registration.pk)
    assert declaration_line(own, registration) == built.format(url=f"{QUEUE}{registration.pk}/to-khai/")
    Registration.objects.filter(pk=registration.pk).update(declaration_pdf="")
    submit(person)  # sent again: this one is replaced
    assert declaration_line(own, registration) == replaced
