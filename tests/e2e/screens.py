"""The screens a citizen page is checked on in Chromium."""

from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 360, "height": 740}
# WCAG 2.1 success criterion 1.4.10 (Reflow): content at 320 CSS px wide needs no sideways scrolling.
NARROWEST = {"width": 320, "height": 640}


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def accessible(page):
    """No axe violation on a desktop and on a phone, no sideways scroll on the phone nor at 320 px."""
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        results = Axe().run(page)
        assert results.violations_count == 0, f"{page.url} (phone)\n{results.generate_report()}"
        assert not scrolls_sideways(page), f"{page.url} scrolls sideways"
        page.set_viewport_size(NARROWEST)
        assert not scrolls_sideways(page), f"{page.url} scrolls sideways at 320 px"
    finally:
        page.set_viewport_size(desktop)


def check(page, heading):
    """The page's heading, then `accessible`."""
    assert page.locator("h1").first.inner_text() == heading, page.url
    accessible(page)
