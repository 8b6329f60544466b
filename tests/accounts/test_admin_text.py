"""The officer's reject form of a registration takes the reason as a form field does: a NUL
character, which PostgreSQL refuses in text (a database error, then a server error), is refused
with Django's Vietnamese message and the registration stays pending."""

import pytest

from accounts.models import Registration, RegistrationEvent

from .helpers import make_person, officer, submit

pytestmark = pytest.mark.usefixtures("reference_data")


def test_a_reject_reason_with_a_nul_character_is_refused_on_the_form(client, db):
    registration = submit(make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2), "07901")
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    url = f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/"
    response = client.post(url, {"reason": "Ảnh CCCD\x00 bị mờ"})
    assert response.status_code == 200 and "Không được chứa ký tự rỗng (NUL)." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING and registration.reject_reason == ""
    assert not RegistrationEvent.objects.filter(action=RegistrationEvent.Action.REJECTED).exists()
    # The same reason without it goes through.
    assert client.post(url, {"reason": "Ảnh CCCD bị mờ"}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REJECTED and registration.reject_reason == "Ảnh CCCD bị mờ"


def test_a_reason_that_fills_the_box_with_line_breaks_is_taken_as_typed(client, db):
    """The box's maxlength (500) counts a line break as one character; the browser sends it as CRLF."""
    registration = submit(make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2), "07901")
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    typed = "\n".join(["Ảnh CCCD bị mờ."] * 10 + ["Chụp lại hai mặt CCCD."]).ljust(500, ".")
    assert len(typed) == 500
    response = client.post(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/",
                           {"reason": typed.replace("\n", "\r\n")})
    assert response.status_code == 302, response.content.decode()
    registration.refresh_from_db()
    assert registration.reject_reason == typed and "\r" not in registration.reject_reason


def test_the_list_filters_by_submission_date_under_a_readable_title(client, db):
    """The date filter of the registrations list reads "Theo ngày nộp", not the column's "Theo nộp lúc"."""
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    html = client.get("/quan-tri/accounts/registration/").content.decode()
    assert "Theo ngày nộp" in html and "nộp lúc" not in " ".join(html.split()).split('id="changelist-filter"')[1]
