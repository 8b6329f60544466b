"""The public help page and the news pages read as many queries with fifteen FAQ topics or articles
as with one, and the count at fifteen is held (a new query is noticed)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lookup.models_support import FaqQuestion, FaqTopic, NewsArticle

pytestmark = pytest.mark.django_db


def _topic(n: int) -> str:
    topic = FaqTopic.objects.create(title=f"Chủ đề thử {n}", slug=f"chu-de-thu-{n}", position=50 + n)
    FaqQuestion.objects.create(topic=topic, question=f"Câu hỏi thử {n}?", answer="Đáp.", position=n)
    return topic.title


def _article(n: int) -> str:
    return NewsArticle.objects.create(title=f"Tin thử {n}", slug=f"tin-thu-{n}", summary="Tóm tắt.", body="Nội dung.",
                                      published_at=timezone.now(), is_published=True).title


# page: (its address, how its n-th row is made, returning what the page shows of it)
PAGES = {
    "help": ("/ho-tro/", _topic),
    "news": ("/tin-tuc/", _article),
    "an article": ("/tin-tuc/tin-thu-1/", _article),
}
# the queries of each page at fifteen rows
QUERIES = {"help": 3, "news": 2, "an article": 2}


@pytest.mark.parametrize("shown", PAGES)
def test_a_public_page_reads_as_many_queries_for_fifteen_rows_as_for_one(client, shown, django_assert_num_queries):
    url, build = PAGES[shown]

    def queries(counted, text: str) -> int:
        client.get(url)  # warm: the caches
        with counted as captured:
            response = client.get(url)
        assert response.status_code == 200 and text in response.content.decode()
        return len(captured)

    one = queries(CaptureQueriesContext(connection), build(1))
    shown_last = [build(n) for n in range(2, 16)][-1]
    assert queries(django_assert_num_queries(QUERIES[shown]), "Tin thử 1" if shown == "an article" else shown_last) == one
