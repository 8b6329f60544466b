"""The seeded FAQ answers and news article name the portal's menu items by their real labels
(migration lookup 0006): "Dịch vụ công › Hồ sơ đã nộp và kết quả giải quyết" and "Quản lý cá nhân ›
Đăng ký tài khoản cho con", not the "Hồ sơ của tôi" and "Đăng ký cho con" the portal never had. An
answer an officer has edited since is left alone, and the migration reverses."""

import html
import importlib

import pytest
from django.apps import apps

from lookup.models_support import FaqQuestion, NewsArticle
from tests.benefits.helpers import citizen

pytestmark = pytest.mark.django_db

FILINGS = "Dịch vụ công › Hồ sơ đã nộp và kết quả giải quyết"
CHILD = "Quản lý cá nhân › Đăng ký tài khoản cho con"
GONE = ["Hồ sơ của tôi", "Đăng ký cho con"]


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_faq_page_and_the_news_article_name_the_real_menu_items(client):
    faq = text(client.get("/ho-tro/"))
    assert f"Vào {FILINGS} để xem trạng thái từng hồ sơ" in faq
    assert f"vào {CHILD}, khai mã số BHXH" in faq
    news = text(client.get("/tin-tuc/dang-ky-tai-khoan-cho-con/"))
    assert f"vào {CHILD}, khai mã số BHXH" in news
    for page in (faq, news):
        assert [gone for gone in GONE if gone in page] == []


def test_the_labels_the_answers_name_are_the_links_of_those_pages(client, reference_data):
    client.force_login(citizen())
    section, link = FILINGS.split(" › ")
    assert f">{section}</a>" in text(client.get("/"))
    assert f">{link}</a>" in text(client.get("/dich-vu-cong/"))
    section, link = CHILD.split(" › ")
    assert f">{section}</a>" in text(client.get("/"))
    assert f">{link}</a>" in text(client.get("/ca-nhan/"))


def test_an_edited_answer_is_kept_and_the_migration_reverses():
    migration = importlib.import_module("lookup.migrations.0006_faq_news_real_menu_labels")
    # The texts as 0006 left them, before 0013 spoke of children under 18.
    importlib.import_module("lookup.migrations.0013_faq_child_accounts_until_18").backwards(apps, None)
    children = FaqQuestion.objects.get(question="Con tôi chưa đủ 14 tuổi thì có tài khoản riêng không?")
    filings = FaqQuestion.objects.get(question="Làm sao theo dõi hồ sơ dịch vụ công đã nộp?")
    article = NewsArticle.objects.get(slug="dang-ky-tai-khoan-cho-con")

    migration.backwards(apps, None)
    children.refresh_from_db(), filings.refresh_from_db(), article.refresh_from_db()
    assert "Quản lý cá nhân › Đăng ký cho con," in children.answer and "Đăng ký cho con" in article.body
    assert "Dịch vụ công › Hồ sơ của tôi" in filings.answer and "ho so cua toi" in filings.search_key

    FaqQuestion.objects.filter(pk=filings.pk).update(answer="Câu trả lời do cán bộ sửa: Hồ sơ của tôi.")
    migration.forwards(apps, None)
    children.refresh_from_db(), filings.refresh_from_db(), article.refresh_from_db()
    assert f"vào {CHILD}," in children.answer and f"vào {CHILD}," in article.body
    assert "dang ky tai khoan cho con" in children.search_key
    assert filings.answer == "Câu trả lời do cán bộ sửa: Hồ sơ của tôi."  # an officer's text is theirs
