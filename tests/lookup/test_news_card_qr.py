"""The news article on using the card at a clinic says, as the FAQ does, how long its QR is good for
(migration lookup 0015): an on-screen QR for ten minutes, so a screenshot cannot be shown later,
and a printed card's QR until the card ends. An article an officer has edited since is left
alone, and the migration reverses."""

import html
import importlib

import pytest
from django.apps import apps

from health_card.qr import SCREEN_SECONDS
from lookup.models_support import NewsArticle

pytestmark = pytest.mark.django_db

SLUG = "vssid-thay-the-the-bhyt-giay"


def test_the_article_says_a_screen_qr_lasts_minutes_and_a_printed_one_until_the_card_ends(client):
    response = client.get(f"/tin-tuc/{SLUG}/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"chỉ dùng được {SCREEN_SECONDS // 60} phút kể từ khi tạo" in page
    assert "ảnh chụp màn hình không dùng lại được" in page and "dùng được đến hết hạn thẻ" in page
    assert "xuất trình hình ảnh thẻ" not in page  # a picture of the card was never enough


def test_an_edited_article_is_kept_and_the_migration_reverses():
    migration = importlib.import_module("lookup.migrations.0015_news_card_qr_lifetime")
    article = NewsArticle.objects.get(slug=SLUG)
    migration.backwards(apps, None)
    article.refresh_from_db()
    assert (article.summary, article.body) == migration.SEEDED
    migration.forwards(apps, None)
    article.refresh_from_db()
    assert (article.summary, article.body) == migration.NOW

    NewsArticle.objects.filter(pk=article.pk).update(body="Bài do cán bộ sửa.")
    migration.backwards(apps, None)
    article.refresh_from_db()
    assert article.body == "Bài do cán bộ sửa." and article.summary == migration.SEEDED[0]  # each text on its own
