"""A draft belongs to the person it is declared for. A parent who switches to a child's records (or
back) in another tab while a form or its review page is open does not file it for the other person:
the submission is refused with a message naming who is now in view, and nothing is filed."""

import re

import pytest

from public_services.models import Filing
from tests.benefits.helpers import child_of

from .helpers import answers, owner, review_post  # noqa: F401

pytestmark = pytest.mark.django_db

BOOK = "/dich-vu-cong/cap-lai-so-bhxh/"


def key_of(response) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def parent(owner):
    owner.child = child_of(owner)
    return owner


def test_a_draft_reviewed_for_the_parent_is_not_filed_for_the_child(client, parent):
    client.force_login(parent)
    key = key_of(client.get(BOOK))
    assert client.post(BOOK, {**answers("607A"), "idempotency_key": key})["Location"] == f"{BOOK}xem-lai/"
    assert parent.person.full_name in client.get(f"{BOOK}xem-lai/").content.decode()

    client.post("/ca-nhan/xem/", {"child": parent.child.pk})  # another tab
    response = client.post(f"{BOOK}xem-lai/", review_post(client, BOOK, key), follow=True)
    assert not Filing.objects.exists()
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == BOOK
    assert f"nay bạn đang xem thông tin của {parent.child.full_name}" in html
    # Sent again from the form that was open, it is refused as well.
    assert client.post(BOOK, {**answers("607A"), "idempotency_key": key})["Location"] == BOOK
    assert not Filing.objects.exists()

    # Back to their own records, the parent's draft is still there and files for the parent.
    client.post("/ca-nhan/xem/", {})
    assert client.post(f"{BOOK}xem-lai/", review_post(client, BOOK, key)).status_code == 302
    assert Filing.objects.get().person == parent.person


def test_a_draft_begun_for_the_child_is_filed_for_the_child_only(client, parent):
    client.force_login(parent)
    client.post("/ca-nhan/xem/", {"child": parent.child.pk})
    key = key_of(client.get(BOOK))
    client.post(BOOK, {**answers("607A"), "idempotency_key": key})
    client.post("/ca-nhan/xem/", {})
    client.post(f"{BOOK}xem-lai/", review_post(client, BOOK, key))
    assert not Filing.objects.exists()
    client.post("/ca-nhan/xem/", {"child": parent.child.pk})
    client.post(f"{BOOK}xem-lai/", review_post(client, BOOK, key))
    assert Filing.objects.get().person == parent.child
