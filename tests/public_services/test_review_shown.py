"""The review page files the answers it showed. When the same form was changed in another tab after
the page was opened, "Nộp hồ sơ" files nothing: the review page comes back with the current answers
and says why. A missing or forged fingerprint of the answers is treated the same way, never a 500."""

import re

import pytest

from public_services.models import Filing

from .helpers import answers, owner, review_post  # noqa: F401

pytestmark = pytest.mark.django_db

BOOK = "/dich-vu-cong/cap-lai-so-bhxh/"
CHANGED = "Nội dung kê khai đã được sửa ở một cửa sổ hoặc thẻ khác"


def key_of(response) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode()).group(1)


def test_a_review_page_whose_answers_were_changed_in_another_tab_files_nothing(client, owner):
    client.force_login(owner)
    key = key_of(client.get(BOOK))
    client.post(BOOK, {**answers("607A", details="Mất sổ khi chuyển nhà ở Thủ Đức"), "idempotency_key": key})
    first_tab = review_post(client, BOOK, key)
    # The second tab changes the answers of the same form.
    client.post(BOOK, {**answers("607A", details="Sổ bị cháy trong hỏa hoạn"), "idempotency_key": key})

    response = client.post(f"{BOOK}xem-lai/", first_tab, follow=True)
    assert not Filing.objects.exists()
    assert response.redirect_chain[-1][0] == f"{BOOK}xem-lai/"
    html = response.content.decode()
    assert CHANGED in html
    assert "Sổ bị cháy trong hỏa hoạn" in html and "Mất sổ khi chuyển nhà" not in html

    # Sent from the page shown again, the current answers are filed.
    assert client.post(f"{BOOK}xem-lai/", review_post(client, BOOK, key)).status_code == 302
    assert Filing.objects.get().data["details"] == "Sổ bị cháy trong hỏa hoạn"


@pytest.mark.parametrize("shown", [None, "", "0" * 64, "không-phải-mã\x00"])
def test_a_missing_or_forged_fingerprint_shows_the_review_page_again(client, owner, shown):
    client.force_login(owner)
    key = key_of(client.get(BOOK))
    client.post(BOOK, {**answers("607A"), "idempotency_key": key})
    posted = {"idempotency_key": key} if shown is None else {"idempotency_key": key, "answers_shown": shown}
    response = client.post(f"{BOOK}xem-lai/", posted, follow=True)
    assert response.status_code == 200
    assert not Filing.objects.exists()
    assert CHANGED in response.content.decode()
    assert client.post(f"{BOOK}xem-lai/", review_post(client, BOOK, key)).status_code == 302
    assert Filing.objects.count() == 1
