"""The "Hỗ trợ" pages: FAQ with search, hotline and e-mail, links to feedback; news and their
lead images (public content, served only for published articles)."""

import mimetypes
import re

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.text import normalize_newlines
from django.views.decorators.http import require_safe

from vssid_portal.paging import page_number
from vssid_portal.text import clean_text

from .selectors import search_terms
from .selectors_support import faq_topics, latest_news, news_article, news_page, published_news

MAX_QUERY = 100
# A blank line, even one holding spaces, ends a paragraph (after newlines are normalised: the
# admin's textarea sends CRLF).
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@require_safe
def support(request):
    # Without the characters nobody types (a NUL byte in a tampered URL is refused by PostgreSQL),
    # a tab or a line break read as a space: "quên<tab>mật khẩu" is three words.
    query = clean_text(request.GET.get("q", "")).strip()[:MAX_QUERY]
    topics = faq_topics(query=query)
    return render(request, "lookup/support.html", {
        "query": query, "topics": topics, "result_count": sum(len(topic.shown) for topic in topics),
        "left_out": search_terms(query).left_out,
        "latest": latest_news(),
    })


@require_safe
def news_list(request):
    return render(request, "lookup/news_list.html", {"page": news_page(page=page_number(request.GET.get("trang")))})


@require_safe
def news_detail(request, slug):
    article = news_article(slug=slug)
    parts = PARAGRAPH_BREAK.split(normalize_newlines(article.body))
    return render(request, "lookup/news_detail.html", {
        "article": article, "paragraphs": [part.strip() for part in parts if part.strip()],
        "others": latest_news(exclude_pk=article.pk),
    })


@require_safe
def news_image(request, pk):
    article = published_news().filter(pk=pk).exclude(lead_image="").first()
    if article is None:
        raise Http404
    content_type = mimetypes.guess_type(article.lead_image.name)[0]
    if content_type not in {"image/jpeg", "image/png", "image/webp"}:
        raise Http404
    try:
        handle = article.lead_image.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
