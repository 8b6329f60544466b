"""The FAQ answer on using the card at a clinic says how long its QR is good for (migration lookup
0012): an on-screen QR ten minutes, so a screenshot cannot be shown later, and a printed card's QR
until the card ends; it names the card page's real buttons. An answer an officer has edited since
is left alone, and the migration reverses."""

import html

import pytest

from health_card.qr import SCREEN_SECONDS
from lookup.models_support import FaqQuestion
from tests.health_card.card_fixtures import card, facility, holder, issue, logged_in, signing_keys  # noqa: F401
from tests.lookup.faq_rewrites import assert_the_rewrite_reverses_and_keeps_an_edit

pytestmark = pytest.mark.django_db

QUESTION = "Có thể dùng thẻ BHYT trên VssID thay cho thẻ giấy khi đi khám chữa bệnh không?"


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_answer_says_a_screen_qr_lasts_minutes_and_a_printed_one_until_the_card_ends(client):
    faq = text(client.get("/ho-tro/", {"q": "the giay"}))
    assert f"chỉ dùng được {SCREEN_SECONDS // 60} phút kể từ khi tạo" in faq
    assert "ảnh chụp màn hình không dùng lại được" in faq
    assert "mã QR trên thẻ in dùng được đến hết hạn thẻ" in faq
    assert "Hình ảnh thẻ BHYT" not in faq  # a picture of the card was never enough


def test_the_buttons_the_answer_names_are_on_the_card_page(card):
    page = text(logged_in(card.person.user).get("/the-bhyt/"))
    assert "Mã QR</a>" in page and ">Tải thẻ để in (PDF)</a>" in page
    faq = FaqQuestion.objects.get(question=QUESTION).answer
    assert "mở Thẻ BHYT › Mã QR" in faq and "chọn Tải thẻ để in (PDF)" in faq


def test_an_edited_answer_is_kept_and_the_migration_reverses():
    assert_the_rewrite_reverses_and_keeps_an_edit("0012_faq_card_qr_lifetime", QUESTION,
                                                  seeded_words="hinh anh the bhyt", new_words="anh chup man hinh")
