"""The FAQ answer on codes that do not arrive says how many codes an hour a phone is sent (migration
lookup 0016), the figure of the limit itself; its sentence on a changed phone number is not touched.
A sentence an officer has reworded is left alone, and the migration reverses."""

import html
import importlib

import pytest
from django.apps import apps
from django.conf import settings

from lookup.models_support import FaqQuestion

pytestmark = pytest.mark.django_db

QUESTION = "Vì sao tôi không nhận được mã xác thực qua SMS?"
PHONE_SENTENCE = ("Nếu số điện thoại đã thay đổi, hãy liên hệ tổng đài 1900 9068 hoặc cơ quan BHXH để cập nhật.")


def test_the_answer_gives_the_hourly_limit_of_codes(client):
    per_hour = settings.ACCOUNT_RATE_LIMITS["otp_send"]
    assert per_hour == "5/1h/key"
    faq = html.unescape(client.get("/ho-tro/", {"q": "khong nhan duoc ma"}).content.decode())
    assert "mỗi số điện thoại nhận tối đa 5 mã trong một giờ" in faq
    assert "có giới hạn số lần trong một giờ" not in faq
    assert FaqQuestion.objects.get(question=QUESTION).answer.endswith(PHONE_SENTENCE)


def test_the_other_sentences_are_kept_whatever_they_say_and_the_migration_reverses():
    migration = importlib.import_module("lookup.migrations.0016_faq_codes_an_hour")
    item = FaqQuestion.objects.get(question=QUESTION)
    changed = item.answer.replace(PHONE_SENTENCE, "Câu về số điện thoại mới, do người khác sửa.")
    FaqQuestion.objects.filter(pk=item.pk).update(answer=changed)
    migration.backwards(apps, None)
    item.refresh_from_db()
    assert migration.SEEDED in item.answer and "Câu về số điện thoại mới" in item.answer
    assert "gioi han so lan" in item.search_key
    migration.forwards(apps, None)
    item.refresh_from_db()
    assert item.answer == changed and "toi da 5 ma" in item.search_key

    FaqQuestion.objects.filter(pk=item.pk).update(answer="Câu trả lời do cán bộ sửa.")
    migration.backwards(apps, None)
    migration.forwards(apps, None)
    item.refresh_from_db()
    assert item.answer == "Câu trả lời do cán bộ sửa."
