"""After a failed submit the error summary is the first thing under the page's heading, on every
form that has one (a phone shows it without scrolling past the rest of the page, and without
JavaScript too), and the page loads the small script that moves the focus to it. The browser side
(the focus really landing there) is in tests/test_phone_layout.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from lookup.models import Agency
from public_services.services import filing_receive, filing_return
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401
from tests.public_services.helpers import answers, correction, district_officer, owner, submit  # noqa: F401

ROOT = Path(settings.BASE_DIR)
BOOK = "/dich-vu-cong/cap-lai-so-bhxh/"
SUMMARY_AFTER_HEADING = re.compile(r"</h1>\s*<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"")
SCRIPT = re.compile(r'<script src="/static/js/error-summary(\.[0-9a-f]+)?\.js" defer></script>')


def key_of(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def templates_with_the_summary() -> list[Path]:
    """Every project template (no virtualenv, no PDF template) that includes the summary."""
    found = []
    for folder in ("templates", "accounts", "participation", "benefits", "health_card", "public_services", "lookup",
                   "notifications"):
        for path in (ROOT / folder).rglob("*.html"):
            if "/pdf/" in path.as_posix() or path.name == "error_summary.html":
                continue
            if "includes/error_summary.html" in path.read_text(encoding="utf-8"):
                found.append(path)
    return found


def test_every_form_template_puts_the_summary_right_under_its_heading():
    found = templates_with_the_summary()
    assert len(found) >= 15  # the portal's forms: sign-in, passwords, registration, lookups, procedures…
    right_under = re.compile(r"</h1>\n\{% include \"includes/error_summary\.html\"")
    # allauth's form element has no heading of its own: it puts the summary above the form of allauth's
    # pages, whose headings are allauth's (tests/accounts/test_mfa_pages.py checks those pages).
    element = ROOT / "templates" / "allauth" / "elements" / "form.html"
    misplaced = [str(path.relative_to(ROOT)) for path in found
                 if path != element and not right_under.search(path.read_text(encoding="utf-8"))]
    assert misplaced == []


@pytest.mark.django_db
def test_a_failed_607a_submit_shows_the_summary_first_and_loads_the_focus_script(client, owner):
    client.force_login(owner)
    html = client.get(BOOK).content.decode()
    assert 'class="error-summary"' not in html and not SCRIPT.search(html)  # nothing to focus before a submit
    response = client.post(BOOK, {**answers("607A", reason="", details=""), "idempotency_key": key_of(html)})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Lỗi:" in html
    assert SUMMARY_AFTER_HEADING.search(html), html[html.index("<h1"):html.index("<h1") + 600]
    after_heading = html.split("</h1>", 1)[1]
    assert after_heading.index("error-summary") < after_heading.index("Người tham gia")  # before the identity block
    assert '<a href="#id_details">Nhập nội dung yêu cầu cấp lại sổ.</a>' in after_heading.split("</div>", 1)[0]
    assert len(SCRIPT.findall(html)) == 1
    assert finders.find("js/error-summary.js")


@pytest.mark.django_db
def test_correcting_a_returned_filing_shows_the_summary_before_the_agencys_note(client, owner, district_officer):
    filing = submit(owner)
    filing_receive(filing=filing, officer=district_officer)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ địa chỉ nhận sổ.")
    client.force_login(owner)
    response = client.post(f"/dich-vu-cong/ho-so/{filing.pk}/sua/", correction(filing, "607A", details=""))
    html = response.content.decode()
    assert response.status_code == 200 and SUMMARY_AFTER_HEADING.search(html)
    assert html.index("error-summary") < html.index("Ghi rõ địa chỉ nhận sổ.")


@pytest.mark.django_db
def test_a_failed_feedback_shows_the_summary_right_under_the_heading(client, reference_data):
    html = client.get("/dich-vu-cong/phan-anh/").content.decode()
    agency = Agency.objects.get(code="07901")
    response = client.post("/dich-vu-cong/phan-anh/", {"idempotency_key": key_of(html), "agency": agency.pk,
                                                       "kind": "phan_anh", "topic": "thu_so", "content": ""})
    html = response.content.decode()
    assert response.status_code == 200 and SUMMARY_AFTER_HEADING.search(html) and SCRIPT.search(html)


@pytest.mark.django_db
def test_a_failed_password_reset_shows_the_summary_right_under_the_heading(client, reference_data):
    response = client.post("/tai-khoan/quen-mat-khau/", {"bhxh_code": ""})
    html = response.content.decode()
    assert response.status_code == 200 and SUMMARY_AFTER_HEADING.search(html)


# --- Where the links lead -------------------------------------------------------------------------
# Following a link of the summary moves the focus to the field it names: its target must be an input,
# also for a field of several inputs (radio buttons, check boxes), whose own id is only a wrapper's.

INPUT_ID = re.compile(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"')


def links_that_reach_no_input(html: str) -> tuple[list[str], list[str]]:
    """The summary's link targets, and those that are not the id of an input, select or text area."""
    summary = html[html.index('class="error-summary"'):]
    targets = re.findall(r'<a href="#([^"]+)">', summary[:summary.index("</div>")])
    inputs = set(INPUT_ID.findall(html))
    return targets, [target for target in targets if target not in inputs]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "blank", "first_inputs"), [
    ("607A", {"reason": ""}, ["id_reason_0"]),
    ("BHYT-CL", {"reason": "", "delivery": ""}, ["id_reason_0", "id_delivery_0"]),
    ("608A", {"changes": []}, ["id_changes_0"]),
    ("THAY-DOI-CHI-TRA", {"method": ""}, ["id_method_0"]),
    ("UY-QUYEN", {"relationship": "", "benefit": ""}, ["id_relationship_0", "id_benefit_0"]),
])
def test_the_summary_links_a_choice_left_empty_to_its_first_input(client, owner, facility, code, blank,  # noqa: F811
                                                                   first_inputs):
    from public_services.procedures import registry

    if code == "BHYT-CL":
        issue(owner.person, facility)  # the form is offered to a holder of a card in use
    url = f"/dich-vu-cong/{registry.get(code).slug}/"
    client.force_login(owner)
    key = key_of(client.get(url).content.decode())
    html = client.post(url, {**answers(code, **blank), "idempotency_key": key}).content.decode()
    targets, unreachable = links_that_reach_no_input(html)
    assert [target for target in first_inputs if target not in targets] == [] and unreachable == []


@pytest.mark.django_db
def test_the_summary_links_the_childs_relationship_and_the_feedback_kind_to_their_first_input(client, owner):
    client.force_login(owner)
    html = client.post("/ca-nhan/dang-ky-cho-con/", {}).content.decode()
    targets, unreachable = links_that_reach_no_input(html)
    assert "id_relationship_0" in targets and "id_portrait" in targets and unreachable == []
    html = client.post("/dich-vu-cong/phan-anh/", {"idempotency_key": key_of(client.get("/dich-vu-cong/phan-anh/")
                                                                            .content.decode())}).content.decode()
    targets, unreachable = links_that_reach_no_input(html)
    assert "id_kind_0" in targets and unreachable == []


@pytest.mark.django_db
def test_the_feedback_summary_lists_the_errors_in_the_order_of_the_fields(client, reference_data):
    """WCAG 1.3.2: the summary reads as the page does (topic, agency, content), not in another order."""
    html = client.get("/dich-vu-cong/phan-anh/").content.decode()
    html = client.post("/dich-vu-cong/phan-anh/", {"idempotency_key": key_of(html), "kind": "phan_anh"}).content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    linked, page = re.findall(r'<a href="#([^"]+)">', summary.group(0)), html[summary.end():]
    assert linked[:3] == ["id_topic", "id_agency", "id_content"]
    assert linked == sorted(linked, key=lambda id_: page.index(f'id="{id_}"'))
