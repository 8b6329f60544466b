"""The FAQ and the news article on a parent registering a child say what the portal does (migration
lookup 0013): a parent registers any child under 18 and sees the child's records until the child
turns 18 (accounts.selectors.adult_born_by), not "children under 14". An answer or article an
officer has edited since is left alone, and the migration reverses."""

import datetime
import html
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.models import Guardianship, Registration
from accounts.selectors import children_of
from accounts.services.registration.submission import _check_child
from lookup.models_support import FaqQuestion, NewsArticle
from tests.accounts.helpers import make_person
from tests.benefits.helpers import citizen

pytestmark = pytest.mark.django_db

QUESTION = "Con tôi chưa đủ 18 tuổi thì có cần tài khoản riêng không?"


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_faq_and_the_news_speak_of_children_under_18(client):
    faq = text(client.get("/ho-tro/", {"q": "giay khai sinh"}))
    assert QUESTION in faq and "cách này dùng cho con dưới 18 tuổi" in faq
    assert "cho đến khi con đủ 18 tuổi" in faq
    news = text(client.get("/tin-tuc/dang-ky-tai-khoan-cho-con/"))
    assert "Cha mẹ đăng ký tài khoản cho con dưới 18 tuổi" in news and "cho đến khi con đủ 18 tuổi" in news
    for page in (faq, news):
        assert "14 tuổi" not in page


def test_a_parent_may_register_a_child_of_15_as_the_answer_says_and_sees_them_until_18(reference_data):
    parent = citizen()
    first_of_month = timezone.localdate().replace(day=1)  # any year has it: 29 February is never needed
    child = make_person("7905555501", "Nguyễn Gia Bảo", birth=first_of_month.replace(year=first_of_month.year - 15),
                        id_number="079210012340")
    _check_child(child, parent)  # no error: under 18
    Guardianship.objects.create(parent=parent, child=child, relationship=Registration.Relationship.FATHER)
    grown = make_person("7905555502", "Nguyễn Gia Huy", id_number="079208012341",
                        birth=first_of_month.replace(year=first_of_month.year - 18) - datetime.timedelta(days=1))
    Guardianship.objects.create(parent=parent, child=grown, relationship=Registration.Relationship.FATHER)
    assert list(children_of(user=parent)) == [child]  # the one who turned 18 is no longer in view


def test_an_edited_answer_is_kept_and_the_migration_reverses():
    migration = importlib.import_module("lookup.migrations.0013_faq_child_accounts_until_18")
    item = FaqQuestion.objects.get(question=QUESTION)
    article = NewsArticle.objects.get(slug="dang-ky-tai-khoan-cho-con")
    migration.backwards(apps, None)
    item.refresh_from_db(), article.refresh_from_db()
    assert (item.question, item.answer) == migration.FAQ_BEFORE and "chua du 14 tuoi" in item.search_key
    assert (article.title, article.body) == migration.NEWS_BEFORE
    migration.forwards(apps, None)
    item.refresh_from_db(), article.refresh_from_db()
    assert (item.question, item.answer) == migration.FAQ_NOW and "chua du 18 tuoi" in item.search_key
    assert (article.title, article.body) == migration.NEWS_NOW

    FaqQuestion.objects.filter(pk=item.pk).update(answer="Câu trả lời do cán bộ sửa.")
    NewsArticle.objects.filter(pk=article.pk).update(title="Tiêu đề do cán bộ sửa")
    migration.backwards(apps, None)
    item.refresh_from_db(), article.refresh_from_db()
    assert (item.question, item.answer) == (QUESTION, "Câu trả lời do cán bộ sửa.")
    assert article.title == "Tiêu đề do cán bộ sửa" and article.body == migration.NEWS_NOW[1]
