"""The card QR page in Chromium (Playwright's clock standing in for the minutes): the image is asked
for again every minute, marked as the script's own request (X-Requested-With: background), shown
without a reload, and not stamped as activity on the server; once the idle time-out has passed since
the last activity in any tab of the portal, no more is asked, and another tab's activity starts the
refreshes again."""

import re
import time

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accounts.middleware import BACKGROUND_HEADER_VALUE
from accounts.sessions import SEEN
from tests.health_card.card_fixtures import *  # noqa: F401,F403 (the fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE = 242  # seconds: a few refreshes of a minute each
# The note under the code (health_card/templates/health_card/qr.html), as the page says it.
REFRESHING = "Mã QR tự làm mới mỗi phút khi trang đang mở."
STOPPED = "Mã QR đã ngừng tự làm mới vì đã lâu không có thao tác. Hãy tải lại trang để lấy mã QR mới."
# The page's refreshes as the script asks for them, counted when asked (the clock runs them at once).
COUNT_REFRESHES = """
  window.qrRefreshes = 0;
  window.qrAnswered = 0;
  const fetch = window.fetch;
  window.fetch = function (url, options) {
    const answer = fetch.apply(this, arguments);
    if (String(url).indexOf("ma-qr.png?t=") >= 0) {
      window.qrRefreshes += 1;
      answer.finally(() => { window.qrAnswered += 1; });
    }
    return answer;
  };
"""


def refreshes_answered(page) -> int:
    """The refreshes asked so far, once the server has answered them all (none left running into the
    next test's database)."""
    for _ in range(200):
        asked, answered = page.evaluate("[window.qrRefreshes, window.qrAnswered]")
        if asked == answered:
            return asked
        page.wait_for_timeout(50)
    raise AssertionError(f"{asked - answered} refreshes unanswered")


@pytest.fixture
def qr_page(page, live_server, holder, card, settings):
    settings.SESSION_IDLE_TIMEOUT = IDLE
    client = Client()
    client.force_login(holder)
    page.session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": page.session_key,
                               "url": live_server.url}])
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.clock.install()
    page.add_init_script(COUNT_REFRESHES)
    return page


def test_the_refresh_is_the_scripts_own_request_and_not_activity(qr_page, live_server, card):
    page = qr_page
    page.goto(f"{live_server.url}/the-bhyt/ma-qr/")
    store = SessionStore(page.session_key)
    data = store.load()
    data[SEEN] = time.time() - 120  # two minutes ago, within the idle time: a stamp now would move it
    store._session_cache = data
    store.save()
    with page.expect_request(lambda request: "/ma-qr.png?t=" in request.url) as asked:
        page.clock.run_for(61_000)
    assert asked.value.headers.get("x-requested-with") == BACKGROUND_HEADER_VALUE
    expect(page.locator("[data-qr-refresh]")).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    assert page.locator("[data-qr-auto]").is_visible() and refreshes_answered(page) == 1
    assert SessionStore(page.session_key).load()[SEEN] == data[SEEN]
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_refresh_is_asked_once_the_idle_time_has_passed_unless_another_tab_was_used(qr_page, live_server,
                                                                                       settings, language):
    """And the note that says the code refreshes by itself says, in the page's language, while none is
    asked, that it no longer does and to reload the page; it is back once the refreshes start again."""
    page = qr_page
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    with translation.override(language):
        refreshing, stopped = gettext(REFRESHING), gettext(STOPPED)
    assert refreshing != stopped
    note = page.locator("[data-qr-auto]")
    # The footer's script would load the page again at the same moment (the time-out's own answer,
    # tests/e2e/test_session_timeout.py): left out, what is seen is what the QR's script does alone.
    page.route("**/session-timeout.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    page.goto(f"{live_server.url}/the-bhyt/ma-qr/")
    page.clock.run_for((IDLE - 1) * 1000)
    asked = refreshes_answered(page)
    assert asked == (IDLE - 1) // 60
    expect(note).to_have_text(refreshing)
    page.clock.run_for(10 * 60_000)
    assert refreshes_answered(page) == asked  # nobody there: nothing more asked
    expect(note).to_have_text(stopped)
    expect(note).to_be_visible()

    page.evaluate("window.localStorage.setItem('vssid-last-activity', String(Date.now()))")  # another tab
    page.clock.run_for(60_000)
    assert refreshes_answered(page) == asked + 1
    expect(note).to_have_text(refreshing)
    assert page.console_errors == []
