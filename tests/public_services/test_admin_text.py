"""The officers' note forms of a filing (reject, return for correction) take text as a form field
does: a NUL character, which PostgreSQL refuses in text (a database error, then a server error),
is refused with Django's Vietnamese message and the filing stays as it was."""

import pytest
from django.test import Client

from public_services.models import Filing, FilingEvent

from .helpers import district_officer, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/public_services/filing/"


def received(owner, officer) -> tuple[Filing, Client]:
    """A filing the officer has received, and the officer's browser."""
    filing = submit(owner)
    client = Client()
    client.force_login(officer)
    client.post(f"{QUEUE}{filing.pk}/buoc/receive/")
    return filing, client


@pytest.mark.parametrize("step", ["reject", "return"])
def test_a_note_with_a_nul_character_is_refused_on_the_form(owner, district_officer, step):
    filing, client = received(owner, district_officer)
    response = client.post(f"{QUEUE}{filing.pk}/ghi-chu/{step}/", {"note": "Thiếu\x00 ảnh sổ cũ"})
    assert response.status_code == 200 and "Không được chứa ký tự rỗng (NUL)." in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RECEIVED and filing.note == ""
    assert list(FilingEvent.objects.filter(filing=filing).values_list("status", flat=True)) == ["submitted", "received"]
    # The same note without it goes through.
    assert client.post(f"{QUEUE}{filing.pk}/ghi-chu/{step}/", {"note": "Thiếu ảnh sổ cũ"}).status_code == 302
    filing.refresh_from_db()
    assert filing.note == "Thiếu ảnh sổ cũ"


@pytest.mark.parametrize("step", ["reject", "return"])
def test_a_note_that_fills_the_box_with_line_breaks_is_taken_as_typed(owner, district_officer, step):
    """The box's maxlength (2000) counts a line break as one character; the browser sends it as CRLF."""
    filing, client = received(owner, district_officer)
    lines = ["Thiếu ảnh sổ cũ."] * 40 + ["Bổ sung bản sao có chứng thực."]
    typed = "\n".join(lines).ljust(2000, ".")
    assert len(typed) == 2000
    response = client.post(f"{QUEUE}{filing.pk}/ghi-chu/{step}/", {"note": typed.replace("\n", "\r\n")})
    assert response.status_code == 302, response.content.decode()
    filing.refresh_from_db()
    assert filing.note == typed and "\r" not in filing.note
