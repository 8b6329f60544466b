"""Writes to the FAQ: one path for the admin and any importer, keeping the folded search key."""

from django.db import transaction

from vssid_portal.text import fold, normalize_name

from .models_support import FaqQuestion


@transaction.atomic
def faq_question_save(*, question: FaqQuestion) -> FaqQuestion:
    question.question = normalize_name(question.question)
    question.search_key = fold(f"{question.question} {question.answer}")
    question.full_clean()
    question.save()
    return question
