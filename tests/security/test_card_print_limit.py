"""The printable BHYT card is drawn by WeasyPrint within the request: a login may have it drawn
health_card.views.card.PRINT_RATE times, then is refused with a 429 saying so in Vietnamese and the
wait in Retry-After, nothing drawn, so that a script looping on its link cannot hold the web workers."""

import math

import pytest

from health_card.models import Card
from health_card.views import card as views
from tests.health_card.card_fixtures import *  # noqa: F401,F403
from tests.health_card.card_fixtures import logged_in

pytestmark = [pytest.mark.security, pytest.mark.django_db]


@pytest.fixture
def drawn(monkeypatch):
    """The PDFs drawn: WeasyPrint's work, counted instead of done."""
    calls = []
    monkeypatch.setattr(views, "render_pdf", lambda template, context: calls.append(template) or b"%PDF-1.7")
    monkeypatch.setattr(views, "PRINT_RATE", "2/h", raising=False)  # raising: the test fails, not errs, without it
    return calls


def test_the_printed_card_stops_at_the_logins_limit_with_a_vietnamese_429_and_retry_after(holder, card, stranger,
                                                                                        drawn):
    client = logged_in(holder)
    assert [client.get(f"/the-bhyt/{card.pk}/in/").status_code for _ in range(2)] == [200, 200]
    refused = client.get(f"/the-bhyt/{card.pk}/in/")
    assert refused.status_code == 429 and refused["Content-Type"].startswith("text/html")
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert "Bạn đã tải bản in thẻ BHYT quá nhiều lần trong một giờ." in refused.content.decode()
    # the minutes left of the hour, as Retry-After says them, not "later" for a wait of up to an hour
    assert f"Hãy thử lại sau {math.ceil(int(refused['Retry-After']) / 60)} phút;" in refused.content.decode()
    assert "NGUYỄN VĂN ĐỨC" in refused.content.decode()  # the card page, where the card is still shown
    # shown at the print's address, its language switch and session dialog lead to the card page, not
    # to another print (refused again, or a download once the hour is over)
    assert 'name="next" type="hidden" value="/the-bhyt/"' in refused.content.decode()
    assert f'value="/the-bhyt/{card.pk}/in/"' not in refused.content.decode()
    assert len(drawn) == 2
    # Another login's prints are its own.
    other = Card.objects.get(person=stranger.person)
    assert logged_in(stranger).get(f"/the-bhyt/{other.pk}/in/").status_code == 200
    assert len(drawn) == 3

