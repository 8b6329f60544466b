"""Reads for the "Hỗ trợ" menu: FAQ by topic with an accent-insensitive search, and news."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models_support import FaqQuestion, FaqTopic, NewsArticle
from .selectors import search_terms, words_begin_words

NEWS_PER_PAGE = 10


def faq_topics(*, query: str = "") -> list[FaqTopic]:
    """Topics with their published questions (in `topic.shown`), only those with a match when
    `query` is given: every folded word must begin a word of the folded question or answer
    (`lookup.selectors.words_begin_words`)."""
    questions = FaqQuestion.objects.filter(is_published=True)
    terms = search_terms(query)
    if terms.punctuation_only:
        questions = questions.none()  # nothing to look for
    questions = questions.filter(words_begin_words(terms.words))
    topics = FaqTopic.objects.prefetch_related(
        Prefetch("questions", queryset=questions.order_by("position", "pk"), to_attr="shown")
    )
    return [topic for topic in topics if topic.shown]


def published_news() -> QuerySet[NewsArticle]:
    return NewsArticle.objects.filter(is_published=True, published_at__lte=timezone.now())


def news_page(*, page: str | int | None):
    return Paginator(published_news(), NEWS_PER_PAGE).get_page(page)


def news_article(*, slug: str) -> NewsArticle:
    return get_object_or_404(published_news(), slug=slug)


def latest_news(*, exclude_pk: int | None = None, limit: int = 3) -> list[NewsArticle]:
    return list(published_news().exclude(pk=exclude_pk)[:limit])
