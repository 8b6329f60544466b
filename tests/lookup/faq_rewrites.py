"""The check shared by the data migrations that rewrite one seeded FAQ answer (SEEDED → NOW): the
migration reverses, keeps the search key in step, and leaves an answer an officer has edited alone."""

import importlib

from django.apps import apps

from lookup.models_support import FaqQuestion


def assert_the_rewrite_reverses_and_keeps_an_edit(migration_name: str, question: str, *, seeded_words: str,
                                                  new_words: str) -> None:
    migration = importlib.import_module(f"lookup.migrations.{migration_name}")
    item = FaqQuestion.objects.get(question=question)
    assert item.answer == migration.NOW and new_words in item.search_key
    migration.backwards(apps, None)
    item.refresh_from_db()
    assert item.answer == migration.SEEDED and seeded_words in item.search_key
    assert new_words not in item.search_key  # words of one text only: the key is seen to change
    migration.forwards(apps, None)
    item.refresh_from_db()
    assert item.answer == migration.NOW and new_words in item.search_key
    assert seeded_words not in item.search_key

    FaqQuestion.objects.filter(pk=item.pk).update(answer="Câu trả lời do cán bộ sửa.")
    migration.backwards(apps, None)
    migration.forwards(apps, None)
    item.refresh_from_db()
    assert item.answer == "Câu trả lời do cán bộ sửa."
