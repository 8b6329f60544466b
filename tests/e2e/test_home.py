"""The home page in a real Chromium: no accessibility violations (axe-core), no CSP breakage."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_has_no_axe_violations(page, live_server):
    csp_errors = []
    page.on("console", lambda message: message.type == "error" and csp_errors.append(message.text))
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert page.title() == "Trang chủ – Cổng dịch vụ BHXH số"
    assert page.locator("h1").inner_text() == "Bảo hiểm xã hội số"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert csp_errors == []


def test_skip_link_and_menu_work_from_the_keyboard(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#noi-dung")
    page.get_by_role("link", name="Tra cứu", exact=True).first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/tra-cuu/")
    assert page.locator("h1").inner_text() == "Tra cứu"


def test_phone_sized_screen_has_no_horizontal_scroll(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [360, 1280])
def test_header_lines_up_with_the_menu_and_the_page(page, live_server, width):
    """The portal's name and the language switch keep the page's margin on a phone, in line with
    the menu and the content below, instead of touching the edge of the screen."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/")
    left = "el => Math.round(el.getBoundingClientRect().left)"
    brand = page.locator(".brand").evaluate(left)
    assert brand == page.locator(".main-nav ul").evaluate(left) == page.locator(".hero").evaluate(left)
    assert brand >= 16
    switch = page.locator(".lang-form").evaluate("el => Math.round(el.getBoundingClientRect().right)")
    assert switch <= width - 16


@pytest.mark.parametrize("path", ["/tra-cuu/", "/tra-cuu/co-so-kcb/"])
def test_the_menu_underlines_the_current_page_and_the_section_it_is_in(page, live_server, path):
    """"Tra cứu" is marked on the lookup index (aria-current="page") and on a lookup below it
    (aria-current="true"): a sighted visitor sees where they are, as a screen reader hears it."""
    page.goto(live_server.url + path)
    current = page.locator(".main-nav a[aria-current]")
    assert current.count() == 1 and current.inner_text() == "Tra cứu"
    assert current.evaluate("el => getComputedStyle(el).textDecorationLine") == "underline"
    other = page.locator(".main-nav a", has_text="Trang chủ")
    assert other.evaluate("el => getComputedStyle(el).textDecorationLine") == "none"


def _luminance(rgb: str) -> float:
    channels = [int(value) / 255 for value in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_keyboard_focus_is_visible_on_white_and_on_the_blue_header(page, live_server):
    """WCAG 1.4.11: the focus indicator contrasts at least 3:1 with what is around it — a dark
    ring that shows on the white page, a yellow halo that shows on blue (the header, buttons)."""
    page.goto(live_server.url + "/")
    focus = """el => { el.focus(); const s = getComputedStyle(el);
        let bg = 'rgb(255, 255, 255)';
        for (let n = el.parentElement; n; n = n.parentElement) {
            const c = getComputedStyle(n).backgroundColor;
            if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; }
        }
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, bg]; }"""
    page.keyboard.press("Tab")  # keyboard use: :focus-visible applies to what is focused next
    backgrounds = set()
    for element in (page.locator("main a").first, page.locator("header a").first, page.locator("main a").last):
        style, width, ring, halo, background = element.evaluate(focus)
        halo = halo[:halo.index(")") + 1] if "(" in halo else ring
        assert (style, width) == ("solid", "3px")
        assert max(_contrast(ring, background), _contrast(halo, background)) >= 3, (ring, halo, background)
        backgrounds.add(background)
    assert {"rgb(255, 255, 255)", "rgb(11, 90, 162)"} <= backgrounds  # both kinds of surroundings were tried
