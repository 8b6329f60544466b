"""The officer's completion confirmation of a filing (`buoc/complete/`, posting `seen` and
`confirmed`) and the signed `opened` token of the reason pages (`ghi-chu/<step>/`), under the
requests of anyone but the filing's officers and under hostile posts: refused without the filing's
data, never a 500, nothing written. The generic matrix of test_idor.py requests these URLs with a
plain post; here they get the genuine form of the page, taken by the filing's own officer."""

import re
import time

import pytest
from django.core import signing
from django.test import Client

from health_card.models import Card
from lookup.models import Agency
from public_services.models import Filing
from public_services.selectors import DECISION_PAGE_MAX_AGE, decision_page_token
from public_services.services import filing_receive, filing_start
from tests.accounts.helpers import officer
from tests.public_services.helpers import DISTRICT

from .world import OWNER_NAME, build_world, use_fresh_signing_keys

pytestmark = [pytest.mark.security, pytest.mark.django_db]

QUEUE = "/quan-tri/public_services/filing/"
LOGIN_PATHS = ("/tai-khoan/dang-nhap/", "/quan-tri/login/")
NOTE = "Lý do bí mật 4821 của cán bộ"


@pytest.fixture
def world(reference_data, settings, tmp_path):
    use_fresh_signing_keys(settings, tmp_path)
    world = build_world()  # its PDFs are not built (they wait for a commit): no page here needs them
    filing = world.objects["filing"]  # a 608A: completing it writes the person's new details
    for step in (filing_receive, filing_start):
        step(filing=filing, officer=world.officer)
    world.objects["filing"] = Filing.objects.get(pk=filing.pk)
    world.colleague = officer("canbo07901b", "07901", DISTRICT)
    world.without_agency = officer("canbo-chua-gan", None, DISTRICT)
    return world


def client_of(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode("utf-8", "replace")


def unchanged(world) -> bool:
    filing = Filing.objects.get(pk=world.objects["filing"].pk)
    person = type(world.owner.person).objects.get(pk=world.owner.person.pk)
    return (filing.status == Filing.Status.PROCESSING and person.full_name == OWNER_NAME
            and Card.objects.filter(person=person).count() == 1)


def confirmation_form(world) -> dict:
    """The form of the confirmation page as the filing's own officer gets it (the positive control)."""
    response = client_of(world.officer).get(f"{QUEUE}{world.objects['filing'].pk}/buoc/complete/")
    html = body(response)
    assert response.status_code == 200 and "Xác nhận" in html and world.objects["filing"].tracking_number in html
    form = dict(re.findall(r'name="(seen|confirmed)" value="([^"]*)"', html))
    assert form.keys() == {"seen", "confirmed"} and form["confirmed"]
    return form


def refusal_problem(response, world) -> str | None:
    if response.status_code >= 500:
        return str(response.status_code)
    location = response.get("Location", "").split("?")[0] if response.status_code == 302 else ""
    if response.status_code not in (403, 404, 405) and not (location.endswith(LOGIN_PATHS) or location == "/quan-tri/"):
        return f"answered {response.status_code} {location}"
    text = body(response)
    shown = [s for s in world.secrets() + [world.objects["filing"].tracking_number] if s in text]
    return f"shows {shown}" if shown else None


def test_the_completion_confirmation_is_refused_to_anyone_but_the_filings_officers(world):
    form = confirmation_form(world)
    url = f"{QUEUE}{world.objects['filing'].pk}/buoc/complete/"
    attackers = {"officer of another agency": world.other_officer,
                 "officer of another province": world.other_province_officer,
                 "officer without an agency": world.without_agency, "citizen": world.stranger, "anonymous": None}
    failures = []
    for name, user in attackers.items():
        client = client_of(user)
        for method, response in (("GET", client.get(url)), ("POST", client.post(url, form)),
                                 ("POST without confirmed", client.post(url, {"seen": form["seen"]}))):
            problem = refusal_problem(response, world)
            if problem:
                failures.append(f"{name} {method}: {problem}")
    assert failures == []
    assert unchanged(world)


def moved_away(world):
    filing = world.objects["filing"]
    Filing.objects.filter(pk=filing.pk).update(agency=Agency.objects.get(code="07902"))
    return f"{QUEUE}{filing.pk}/ghi-chu/reject/"


def test_a_forged_replayed_expired_or_anothers_opened_token_is_a_plain_404(world, monkeypatch):
    filing = world.objects["filing"]
    genuine = decision_page_token(filing, world.officer)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - DECISION_PAGE_MAX_AGE - 60)
    expired = decision_page_token(filing, world.officer)
    monkeypatch.setattr(signing.time, "time", real_time)
    value, _, signature = genuine.rpartition(":")
    tokens = {
        "tampered signature": f"{value}:{signature[::-1]}",
        "without signature": value,
        "signed with another salt": signing.dumps([filing.pk, world.officer.pk], salt="other"),
        "another filing's": signing.dumps([filing.pk + 1000, world.officer.pk],
                                          salt="public_services.filing-decision-page"),
        "a colleague's": decision_page_token(filing, world.colleague),
        "expired": expired,
        "huge": "A" * 100_000,
        "with NUL": genuine + "\x00",
    }
    url = moved_away(world)
    failures = []
    for name, token in tokens.items():
        response = client_of(world.officer).post(url, {"note": NOTE, "seen": "processing", "opened": token})
        text = body(response)
        if response.status_code != 404 or NOTE in text or filing.tracking_number in text or OWNER_NAME in text:
            failures.append(f"{name}: {response.status_code}")
    # The officer's genuine token, posted by anyone else who cannot see the filing: it stays unknown
    # to them (the officers of 07902 now hold it: theirs to decide).
    for name, user in (("officer of another province", world.other_province_officer), ("colleague", world.colleague),
                       ("officer without an agency", world.without_agency)):
        response = client_of(user).post(url, {"note": NOTE, "seen": "processing", "opened": genuine})
        text = body(response)
        if response.status_code not in (403, 404) or NOTE in text or filing.tracking_number in text:
            failures.append(f"{name} with the officer's token: {response.status_code}")
    assert failures == []
    # The control: the officer's own token, posted by them, says where the filing went.
    response = client_of(world.officer).post(url, {"note": NOTE, "seen": "processing", "opened": genuine})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING


HOSTILE = {
    "no confirmed": {"seen": "processing"},
    "forged confirmed": {"seen": "processing", "confirmed": "0" * 16},
    "empty confirmed": {"seen": "processing", "confirmed": ""},
    "huge confirmed": {"seen": "processing", "confirmed": "a" * 1_000_000},
    "huge seen": {"seen": "x" * 1_000_000, "confirmed": "0" * 16},
    "NUL in confirmed": {"seen": "processing", "confirmed": "\x00" * 16},
    "NUL in seen": {"seen": "processing\x00", "confirmed": "0" * 16},
    "several confirmed": {"seen": "processing", "confirmed": ["0" * 16, "1" * 16]},
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_post_to_the_confirmation_is_never_a_500_and_writes_nothing(world, name):
    confirmation_form(world)
    response = client_of(world.officer).post(f"{QUEUE}{world.objects['filing'].pk}/buoc/complete/", HOSTILE[name])
    assert response.status_code in (200, 302, 400), response.status_code
    assert unchanged(world)


def test_the_pages_added_for_filings_and_removed_records_carry_the_security_headers(world):
    """The confirmation, the reason page, the "no longer available" pages of a benefit record and a
    visit, and the 404 page, as served in-process (HSTS is production's only, judged on every page
    by test_headers.py): CSP without unsafe-inline, frame-ancestors 'none', nosniff, Referrer-Policy."""
    from .test_headers import header_problems

    filing = world.objects["filing"]
    pages = [(world.officer, f"{QUEUE}{filing.pk}/buoc/complete/", 200),
             (world.officer, f"{QUEUE}{filing.pk}/ghi-chu/reject/", 200),
             (world.stranger, f"/thong-tin-huong/{world.objects['benefit'].pk}/", 404),
             (world.stranger, f"/so-kham-chua-benh/{world.objects['visit'].pk}/", 404),
             (world.stranger, "/khong-ton-tai/", 404), (None, "/khong-ton-tai/", 404)]
    failures = []
    for user, url, status in pages:
        response = client_of(user).get(url)
        headers = type("Headers", (), {"getheader": staticmethod(response.headers.get)})
        problems = [p for p in header_problems(headers) if not p.startswith("HSTS")]
        if response.status_code != status or problems:
            failures.append(f"{url}: {response.status_code} {problems}")
    assert failures == []


def test_someone_elses_record_and_a_record_that_never_was_get_the_same_page(world):
    """The "no longer available" pages say nothing a stranger could tell another person's record by."""
    client = client_of(world.stranger)
    nonce = re.compile(r'(nonce|value)="[^"]*"')
    for prefix, key in (("/thong-tin-huong/", "benefit"), ("/so-kham-chua-benh/", "visit")):
        theirs, never = (client.get(f"{prefix}{pk}/") for pk in (world.objects[key].pk, 2_000_000_000))
        assert theirs.status_code == never.status_code == 404
        assert nonce.sub("", body(theirs)) == nonce.sub("", body(never))


def test_an_officers_opened_token_is_a_plain_404_once_they_are_moved_deactivated_or_lose_the_permission(world):
    """The token says where the filing went only to an officer who still decides the filings of the
    agency it was opened in: one moved to another agency, deactivated or no longer allowed to decide
    is told nothing of the filing, the same as with a token that never was."""
    from django.contrib.auth.models import Permission

    filing = world.objects["filing"]
    url = f"{QUEUE}{filing.pk}/ghi-chu/reject/"

    def moved(user):
        user.agency = Agency.objects.get(code="07903")

    def moved_up(user):  # to the province, whose scope still holds the district the page was opened in
        user.agency = Agency.objects.get(code="079")

    def deactivated(user):
        user.is_active = False

    def without_the_permission(user):
        user.groups.clear()
        user.user_permissions.set(Permission.objects.filter(codename="view_filing"))

    failures = []
    for change, filing_agency in ((moved, "07901"), (moved, "07902"), (moved_up, "00101"), (deactivated, "07902"),
                                  (without_the_permission, "07902")):
        Filing.objects.filter(pk=filing.pk).update(agency=Agency.objects.get(code="07901"))
        user = officer(f"canbo-{change.__name__}-{filing_agency}", "07901", DISTRICT)
        token = decision_page_token(filing, user)
        change(user)
        user.save()
        Filing.objects.filter(pk=filing.pk).update(agency=Agency.objects.get(code=filing_agency))
        client = client_of(user)
        for post in ({"note": NOTE, "seen": "processing", "opened": token},
                     {"note": NOTE, "seen": "processing", "opened": "A" * 40}):
            response = client.post(url, post)
            text = body(response) + body(client.get(QUEUE))
            refused = response.status_code in (403, 404) or (
                response.status_code == 302 and response["Location"].split("?")[0].endswith(LOGIN_PATHS))
            if not refused or NOTE in text or filing.tracking_number in text:
                failures.append(f"{change.__name__}, filing at {filing_agency}: {response.status_code} "
                                f"{response.get('Location', '')}")
    assert failures == []
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING
