"""IDOR matrix: every URL that takes an object id or a token, requested as another citizen, as an
officer of another agency, as an officer of another province, as an officer without an agency, as a
guardian whose login has no person record and anonymously, is refused (404, 403, 405 or a redirect
to a login page) and never carries the owner's data. The URL resolver is walked, so a new
parameterised URL that this matrix does not cover fails `test_every_parameterised_url_is_in_the_matrix`.

Each case also has a positive control (the owner, the owner's officer or a superuser opens the
same URL), so a wrong URL in the matrix cannot pass as "refused"."""

from dataclasses import dataclass
from typing import Callable

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Guardianship, Registration, User
from health_card.keys import sync_public_keys
from public_services.models import Filing
from public_services.procedures import registry
from tests.accounts.helpers import born_years_ago, jpeg, make_person, officer, officer_record
from tests.public_services.helpers import DISTRICT

from .world import PASSWORD, World, build_world, client_for, make_links, use_fresh_signing_keys

pytestmark = [pytest.mark.security, pytest.mark.django_db]

LOGIN_PATHS = ("/tai-khoan/dang-nhap/", "/quan-tri/login/")
# Django's admin sends staff who ask for an object outside their queryset to the admin index with
# "… does not exist": a refusal that says nothing about the object.
ADMIN_INDEX = "/quan-tri/"
REFUSED = {403, 404, 405}
# A registration's status link opened in another browser asks for its reference, BHXH code and birth date; a
# feedback's, for the phone or e-mail given.
REGISTRATION_LOOKUP = "/dang-ky/tra-cuu/"
FEEDBACK_LOOKUP = "/dich-vu-cong/phan-anh/tra-cuu/"


@dataclass(frozen=True)
class Case:
    """`attack(world)`: the URLs to try as someone else. `control`: who opens the first of them
    (or `control_url(world)`) with a 200, or None where nobody outside the admin can."""

    attack: Callable[[World], list[str]]
    control: str | None = "owner"
    control_url: Callable[[World], str] | None = None
    post: bool = False  # also POST each URL (state-changing views)
    public: bool = False  # anyone may open it (by design); only the owner's data must be absent
    own_page: bool = False  # the parameter picks a view of the requester's own data, not an object


def pk(key):
    return lambda world: world.objects[key].pk


def forged(token: str) -> list[str]:
    """Tokens an attacker can make: tampered signature, tampered payload, a value without signature."""
    value, _, signature = token.rpartition(":")
    return [f"{value}:{signature[::-1]}", f"{value[:-2]}xy:{signature}", value.split(":")[0]]


CITIZEN_CASES = {
    "dang-ky/ho-so/<str:token>/": Case(
        # The genuine link too: it opens only in the browser that filed the registration.
        lambda w: [w.links["registration_status"]]
        + [f"/dang-ky/ho-so/{t}/" for t in forged(w.links["registration_status"].split("/")[3])]
        + [f"/dang-ky/ho-so/{w.objects['registration'].reference}/",
           "/dang-ky/ho-so/%s/" % signing.TimestampSigner(salt="other").sign(w.objects["registration"].reference)],
        control="registrant"),
    "tep/<str:token>/": Case(
        lambda w: [w.links[name] for name in ("statement_pdf", "filing_document", "filing_pdf", "feedback_attachment",
                                              "registration_pdf")]
        + ["/tep/%s/" % t for t in forged(w.links["filing_document"].split("/")[2])],
        control_url=lambda w: w.links["filing_document"]),
    "tin-tuc/anh/<id:pk>/": Case(lambda w: [f"/tin-tuc/anh/{w.objects['news'].pk}/"], control=None),
    "tin-tuc/<slug:slug>/": Case(lambda w: [f"/tin-tuc/{w.objects['news'].slug}/"], control=None),
    "the-bhyt/<id:pk>/ma-qr.png": Case(lambda w: [f"/the-bhyt/{pk('card')(w)}/ma-qr.png"]),
    "the-bhyt/<id:pk>/in/": Case(lambda w: [f"/the-bhyt/{pk('card')(w)}/in/"]),
    "so-kham-chua-benh/<id:pk>/": Case(lambda w: [f"/so-kham-chua-benh/{pk('visit')(w)}/"]),
    "^qua-trinh-tham-gia/(?P<tab>bhxh|bhtn|bhtnld|bhyt)/$": Case(
        lambda w: [f"/qua-trinh-tham-gia/{tab}/" for tab in ("bhxh", "bhtn", "bhtnld", "bhyt")], own_page=True),
    "qua-trinh-tham-gia/xac-nhan/<id:pk>/": Case(lambda w: [f"/qua-trinh-tham-gia/xac-nhan/{pk('statement')(w)}/"]),
    "xac-thuc/van-ban/<str:code>/": Case(lambda w: [f"/xac-thuc/van-ban/{w.objects['statement'].code}/"],
                                         public=True, control="anyone"),
    "thong-tin-huong/<id:pk>/": Case(lambda w: [f"/thong-tin-huong/{pk('benefit')(w)}/"]),
    "dich-vu-cong/ho-so/<id:pk>/": Case(lambda w: [f"/dich-vu-cong/ho-so/{pk(key)(w)}/"
                                                   for key in ("filing", "contact_filing")]),
    # GET: the confirmation page (the owner's control opens it and withdraws nothing); POST withdraws.
    "dich-vu-cong/ho-so/<id:pk>/rut/": Case(lambda w: [f"/dich-vu-cong/ho-so/{pk('filing')(w)}/rut/"], post=True),
    "dich-vu-cong/ho-so/<id:pk>/sua/": Case(lambda w: [f"/dich-vu-cong/ho-so/{pk('filing')(w)}/sua/"], post=True,
                                             control=None),  # only a returned filing can be corrected
    "dich-vu-cong/ho-so/<id:pk>/giay-to/<id:document_pk>/": Case(
        lambda w: [f"/dich-vu-cong/ho-so/{pk('filing')(w)}/giay-to/{pk('document')(w)}/"]),
    # The owner's POST sends and the owner's GET (back from a login) leads to the filing, as
    # test_typed_email_resend holds; anyone else's GET or POST is a 404.
    "dich-vu-cong/ho-so/<id:pk>/gui-lai-xac-nhan-email/": Case(
        lambda w: [f"/dich-vu-cong/ho-so/{pk('filing')(w)}/gui-lai-xac-nhan-email/"], post=True, control=None),
    # The link mailed to an address typed on a filing's form opens without a login, by design: its page
    # shows nothing of the filing; a forged one is the "not valid or expired" 404 (POST: test_typed_email_confirmation).
    "dich-vu-cong/xac-nhan-email/<str:token>/": Case(
        lambda w: [w.links["email_confirm"]] + [f"/dich-vu-cong/xac-nhan-email/{t}/"
                                                for t in forged(w.links["email_confirm"].split("/")[3])],
        public=True, control="anyone"),
    "dich-vu-cong/phan-anh/<str:tracking_number>/": Case(
        lambda w: [f"/dich-vu-cong/phan-anh/{w.objects['feedback'].tracking_number}/"], control="sender"),
    "dich-vu-cong/<slug:slug>/": Case(lambda w: [f"/dich-vu-cong/{p.slug}/" for p in registry.all_procedures()],
                                      own_page=True),
    "dich-vu-cong/<slug:slug>/xem-lai/": Case(lambda w: [f"/dich-vu-cong/{p.slug}/xem-lai/"
                                                         for p in registry.all_procedures()], own_page=True,
                                              control=None),  # the review needs a draft in the session
    # The switch a notice's link goes through: a person not the user nor their child is a 404 (the
    # owner's own answer is a redirect to the page, tested in tests/notifications/test_notice_links.py).
    "ca-nhan/xem/<id:person_id>/": Case(lambda w: [f"/ca-nhan/xem/{pk('person')(w)}/?tiep=/the-bhyt/"], control=None),
    "thong-bao/<id:pk>/": Case(lambda w: [f"/thong-bao/{pk('notice')(w)}/"]),
    "tai-khoan/^confirm-email/(?P<key>[-:\\w]+)/$": Case(lambda w: ["/tai-khoan/confirm-email/MQ:1abc:xyz/"],
                                                          control=None),
    "tai-khoan/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Case(
        lambda w: ["/tai-khoan/password/reset/key/%s-set-password/" % w.owner.pk], control=None),
    "quan-tri/r/<path:content_type_id>/<path:object_id>/": Case(
        lambda w: [f"/quan-tri/r/{ContentType.objects.get_for_model(type(w.objects[key])).pk}/{w.objects[key].pk}/"
                   for key in ("filing", "person", "registration")], control=None),
}

# Person-scoped pages without a parameter: someone else sees their own (empty) page, never the owner's.
OWN_PAGES = ["/ca-nhan/", "/the-bhyt/", "/the-bhyt/ma-qr/", "/the-bhyt/ai-da-xem/", "/so-kham-chua-benh/",
             "/qua-trinh-tham-gia/", "/qua-trinh-tham-gia/xac-nhan/", "/qua-trinh-tham-gia/xuat-csv/",
             "/thong-tin-huong/", "/thong-tin-huong/uoc-tinh/", "/dich-vu-cong/ho-so/", "/thong-bao/",
             "/tai-khoan/bao-mat/", "/ca-nhan/dang-ky-cho-con/", "/tai-khoan/doi-mat-khau/", "/tai-khoan/2fa/",
             "/tai-khoan/nhap-lai-mat-khau/", "/tai-khoan/2fa/reauthenticate/"]
# Pages behind the login that are not in OWN_PAGES, and why: each is found by walking the URLconf,
# so a new page behind the login is in neither list until someone decides.
NOT_OWN_PAGES = {
    "/ca-nhan/xem/": "the switch back to one's own records: a redirect",
    "/tai-khoan/dang-nhap/xac-nhan/": "a step of a login under way: a logged-in visitor is sent on",
    "/tai-khoan/2fa/authenticate/": "a step of a login under way: a logged-in visitor is sent on",
    "/tai-khoan/2fa/trust/": "a step of a login under way: a logged-in visitor is sent on",
    "/tai-khoan/2fa/recovery-codes/": "behind a fresh password confirmation, the account's own (allauth)",
    "/tai-khoan/2fa/recovery-codes/download/": "behind a fresh password confirmation, the account's own (allauth)",
    "/tai-khoan/2fa/recovery-codes/generate/": "behind a fresh password confirmation, the account's own (allauth)",
    "/tai-khoan/2fa/totp/activate/": "behind a fresh password confirmation, the account's own (allauth)",
    "/tai-khoan/2fa/totp/deactivate/": "behind a fresh password confirmation, the account's own (allauth)",
    "/tai-khoan/doi-mat-khau/xac-nhan/": "a step of a password change under way: sent back otherwise",
    "/tai-khoan/dat-mat-khau-moi/": "a step of a password change under way: sent back otherwise",
    "/tai-khoan/phien/tiep-tuc/": "POST only: keeps one's own session alive",
    "/thong-bao/da-doc/": "POST only: marks one's own notices read",
}

# Admin models holding a person's data, scoped to the officer's agency (and the agencies below it):
# world object → who may open it (the owner's officer, or only a superuser where officers hold no
# permission on the model at all).
ADMIN_SCOPED = {
    "accounts.person": ("person", "officer"),
    "accounts.user": ("user", "superuser"),
    "accounts.registration": ("registration", "officer"),
    "participation.period": ("period", "officer"),
    "participation.statement": ("statement", "superuser"),
    "benefits.benefitrecord": ("benefit", "officer"),
    "health_card.card": ("card", "officer"),
    "health_card.cardcheck": ("card_check", "officer"),
    "health_card.visit": ("visit", "officer"),
    "health_card.facilityapitoken": ("api_token", "officer"),
    "public_services.filing": ("filing", "officer"),
    "public_services.feedback": ("feedback", "superuser"),
    "notifications.message": ("message", "superuser"),
    "usersessions.usersession": ("usersession", "superuser"),
    "mfa.authenticator": ("authenticator", "superuser"),
    "account.emailaddress": ("emailaddress", "superuser"),
}
# Scoped to the officer's province, not agency: every officer of the clinic's province may see (and
# revoke) a clinic's API token by design, so only the officer of another province is refused.
ADMIN_PROVINCE_SCOPED = {"health_card.facilityapitoken"}
# Admin models without a citizen's data: reference data, configuration, roles. Officers of every
# agency may read them by design; citizens and anonymous visitors are still refused.
ADMIN_STAFF_WIDE = {
    "auth.group": "staff roles",
    "lookup.faqtopic": "public FAQ", "lookup.faqquestion": "public FAQ", "lookup.newsarticle": "news (editors)",
    "lookup.province": "reference data", "lookup.ward": "reference data", "lookup.agency": "reference data",
    "lookup.medicalfacility": "reference data", "lookup.employer": "reference data",
    "lookup.collectionpoint": "reference data",
    "benefits.salaryadjustment": "yearly coefficients (law)",
    "health_card.benefitlevel": "reference data", "health_card.beneficiarygroup": "reference data",
    "health_card.signingkey": "public halves of the QR signing keys",
    "public_services.holiday": "the public holiday calendar",
}
ADMIN_OBJECT_ROUTES = ["<path:object_id>/", "<path:object_id>/change/", "<path:object_id>/history/",
                       "<path:object_id>/delete/"]
ADMIN_CUSTOM = {
    "quan-tri/accounts/registration/<id:pk>/anh/<str:field>/": (
        lambda w: [f"/quan-tri/accounts/registration/{pk('registration')(w)}/anh/{f}/"
                   for f in ("portrait", "id_front", "id_back")],
        "officer", False),
    "quan-tri/accounts/registration/<id:pk>/duyet/": (
        lambda w: [f"/quan-tri/accounts/registration/{pk('registration')(w)}/duyet/"], None, True),
    "quan-tri/accounts/registration/<id:pk>/to-khai/": (
        lambda w: [f"/quan-tri/accounts/registration/{pk('registration')(w)}/to-khai/"], "officer", False),
    "quan-tri/accounts/registration/<id:pk>/tu-choi/": (
        lambda w: [f"/quan-tri/accounts/registration/{pk('registration')(w)}/tu-choi/"], "officer", True),
    "quan-tri/accounts/user/<id>/password/": (
        lambda w: [f"/quan-tri/accounts/user/{w.owner.pk}/password/"], "superuser", True),
    "quan-tri/public_services/feedback/<id:pk>/dinh-kem/": (
        lambda w: [f"/quan-tri/public_services/feedback/{pk('feedback')(w)}/dinh-kem/"], "superuser", False),
    "quan-tri/public_services/filing/<id:pk>/giay-to/<id:document_pk>/": (
        lambda w: [f"/quan-tri/public_services/filing/{pk('filing')(w)}/giay-to/{pk('document')(w)}/"],
        "officer", False),
    "quan-tri/public_services/filing/<id:pk>/to-khai/": (
        lambda w: [f"/quan-tri/public_services/filing/{pk('filing')(w)}/to-khai/"], "officer", False),
    "quan-tri/public_services/filing/<id:pk>/buoc/<str:step>/": (
        lambda w: [f"/quan-tri/public_services/filing/{pk('filing')(w)}/buoc/{s}/"
                   for s in ("receive", "start", "complete")],
        None, True),
    "quan-tri/public_services/filing/<id:pk>/ghi-chu/<str:step>/": (
        lambda w: [f"/quan-tri/public_services/filing/{pk('filing')(w)}/ghi-chu/{s}/" for s in ("reject", "return")],
        "officer", True),
}


def admin_app_index_route() -> str:
    """The admin's app index route, its app labels in the order the registry gives them, as Django spells it."""
    labels = dict.fromkeys(model._meta.app_label for model in admin.site._registry)
    return "quan-tri/^(?P<app_label>" + "|".join(labels) + ")/$"


# Parameterised admin URLs that name no object.
APP_INDEX = admin_app_index_route()
ADMIN_NO_OBJECT = {
    APP_INDEX: "an app's index: lists the models the officer may use",
    "quan-tri/(?P<url>.*)$": "the admin's catch-all: a 404 for staff, the login page for anyone else",
}


def parameterised_routes() -> set[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and ("<" in route or "(?P" in route):
                yield route

    return set(walk(get_resolver().url_patterns))


def admin_model_routes() -> dict[str, str]:
    """Generic object routes of every registered ModelAdmin → its model label."""
    routes = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        for suffix in ADMIN_OBJECT_ROUTES:
            routes[f"quan-tri/{model._meta.app_label}/{model._meta.model_name}/{suffix}"] = label
    return routes


def test_every_parameterised_url_is_in_the_matrix():
    covered = set(CITIZEN_CASES) | set(ADMIN_CUSTOM) | set(ADMIN_NO_OBJECT) | set(admin_model_routes())
    assert parameterised_routes() - covered == set(), "parameterised URLs missing from the IDOR matrix"
    labels = {model._meta.label_lower for model in admin.site._registry}
    assert labels - set(ADMIN_SCOPED) - set(ADMIN_STAFF_WIDE) == set(), "admin models missing from the IDOR matrix"
    assert not set(ADMIN_SCOPED) & set(ADMIN_STAFF_WIDE)
    assert ADMIN_PROVINCE_SCOPED <= set(ADMIN_SCOPED)


@pytest.fixture
def world(reference_data, settings, tmp_path, django_capture_on_commit_callbacks):
    use_fresh_signing_keys(settings, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world()
    make_links(world)
    sync_public_keys()  # the public half of the signing key: a row behind the admin's "Khóa ký mã QR"
    # The draft article's image is there to be served: its URL answers 404 only for the draft's sake.
    settings.NEWS_MEDIA_ROOT = tmp_path / "news"
    image = world.objects["news"].lead_image
    assert image.storage.save(image.name, ContentFile(jpeg().read())) == image.name
    # a superuser naming a record of their own, without which they would decide and write nothing
    world.superuser = User.objects.create_superuser("quantri", password=PASSWORD,
                                                    officer_person=officer_record("quantri"))
    world.officer_without_agency = officer("canbo-chua-gan", None, DISTRICT)  # not yet attached to one
    # A guardian's login without a person record of its own: its pages link to its child's records.
    world.guardian = User.objects.create_user("giamho-khong-ma", password=PASSWORD)
    child = make_person("7905550099", "Trần Minh An", birth=born_years_ago(6), id_number="")
    Guardianship.objects.create(parent=world.guardian, child=child, relationship="cha")
    owner = world.owner
    client_for(owner).get("/ca-nhan/")  # a tracked session (allauth.usersessions)
    world.objects["usersession"] = UserSession.objects.filter(user=owner).first()
    world.objects["authenticator"] = Authenticator.objects.create(user=owner, type=Authenticator.Type.TOTP,
                                                                  data={"secret": "JBSWY3DPEHPK3PXP"})
    world.objects["emailaddress"] = EmailAddress.objects.create(user=owner, email=owner.email, primary=True)
    assert all(world.links.values()), world.links  # every PDF was built
    return world


OFFICERS = ("officer of another agency", "officer of another province", "officer without an agency")


def actors(world: World) -> dict:
    return {"another citizen": world.stranger, "officer of another agency": world.other_officer,
            "officer of another province": world.other_province_officer,
            "officer without an agency": world.officer_without_agency,
            "guardian without a person record": world.guardian, "anonymous": None}


def leaks(response, world: World) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    return [secret for secret in world.secrets() if secret in text]


def refused(client, url: str, world: World, *, post: bool = False) -> str | None:
    """None when the request is refused without data; otherwise what went wrong."""
    response = client.post(url, {"reason": "x", "what": "x"}) if post else client.get(url, follow=True)
    chain = getattr(response, "redirect_chain", [])
    if response.status_code == 302:
        location = response["Location"]
        chain = [(location, 302)]
    last = chain[-1][0].split("?")[0] if chain else ""
    to_login = last.endswith(LOGIN_PATHS) or last in (ADMIN_INDEX, REGISTRATION_LOOKUP, FEEDBACK_LOOKUP)
    if response.status_code >= 500:
        return f"{response.status_code}"
    if not (response.status_code in REFUSED or to_login):
        return f"answered {response.status_code} {chain}"
    found = leaks(response, world)
    return f"shows {found}" if found else None


def controller(world, who):
    return {"owner": world.owner, "officer": world.officer, "superuser": world.superuser,
            "anyone": None, "sender": world.owner, "registrant": None}[who]


def check_control(world, who, url):
    client = client_for(controller(world, who))
    if who == "sender":
        session = client.session
        session["feedback_seen"] = [world.objects["feedback"].tracking_number]
        session.save()
    if who == "registrant":  # the browser that filed the registration (no account yet)
        session = client.session
        session["registration_status_seen"] = [world.objects["registration"].reference]
        session.save()
    response = client.get(url)
    assert response.status_code == 200, (who, url, response.status_code)


def test_citizen_object_urls_refuse_everyone_but_the_owner(world):
    failures = []
    for route, case in CITIZEN_CASES.items():
        urls = case.attack(world)
        if case.control:
            check_control(world, case.control, case.control_url(world) if case.control_url else urls[0])
        for actor, user in actors(world).items():
            client = client_for(user)
            for url in urls:
                if case.public or (case.own_page and user is not None):
                    response = client.get(url)
                    problem = f"{response.status_code}" if response.status_code >= 500 else None
                    problem = problem or (f"shows {leaks(response, world)}" if leaks(response, world) else None)
                else:
                    problem = refused(client, url, world)
                    if not problem and case.post:
                        problem = refused(client, url, world, post=True)
                if problem:
                    failures.append(f"{actor}: {url} ({route}) {problem}")
    assert failures == []
    filing = Filing.objects.get(pk=world.objects["filing"].pk)
    assert filing.status == world.objects["filing"].status  # no refused POST changed anything


def test_every_page_behind_the_login_is_in_the_matrix(world):
    from .test_headers import parameterless_paths

    anonymous = client_for(None)
    behind_login = set()
    for path in parameterless_paths():
        if path.startswith("/quan-tri/"):
            continue  # the admin: its models are in the matrix above
        response = anonymous.get(path)
        if response.status_code == 302 and response["Location"].startswith(LOGIN_PATHS):
            behind_login.add(path)
    assert behind_login - set(OWN_PAGES) - set(NOT_OWN_PAGES) == set(), "pages behind the login missing from the matrix"
    assert set(OWN_PAGES) | set(NOT_OWN_PAGES) <= behind_login, "a page in the matrix no longer needs a login"


def test_person_scoped_pages_never_show_someone_elses_data(world):
    control = client_for(world.owner)
    for url in OWN_PAGES:
        response = control.get(url)
        assert response.status_code == 200, url
    failures = []
    for actor, user in actors(world).items():
        client = client_for(user)
        for url in OWN_PAGES:
            response = client.get(url)
            if response.status_code >= 500 or leaks(response, world):
                failures.append(f"{actor}: {url} {response.status_code} {leaks(response, world)}")
            if user is None and not (response.status_code == 302 and response["Location"].startswith(LOGIN_PATHS)):
                failures.append(f"{actor}: {url} answered {response.status_code}")
    assert failures == []


def admin_cases(world):
    """(route, urls, who may open them, also POST?, actors to refuse)."""
    everyone = actors(world)
    not_staff = {name: user for name, user in everyone.items() if name not in OFFICERS}
    other_province = {name: user for name, user in everyone.items() if name != "officer of another agency"}
    by_label = {model._meta.label_lower: model for model in admin.site._registry}
    for route, label in admin_model_routes().items():
        model = by_label[label]
        suffix = route.rsplit("<path:object_id>/", 1)[1]
        if label in ADMIN_SCOPED:
            key, who = ADMIN_SCOPED[label]
            obj_pk, refuse = world.objects[key].pk, other_province if label in ADMIN_PROVINCE_SCOPED else everyone
        else:
            first = model.objects.order_by("pk").first()
            # Without a row nobody could open the URL: its refusals would prove nothing.
            assert first is not None, f"{label}: the world holds no row for the positive control"
            obj_pk, who, refuse = first.pk, "superuser", not_staff
        url = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/{obj_pk}/{suffix}"
        control = who if suffix in {"change/", "history/"} else None
        yield route, [url], control, suffix == "delete/", refuse
    for route, (attack, who, post) in ADMIN_CUSTOM.items():
        yield route, attack(world), who, post, everyone


def test_admin_object_urls_refuse_other_agencies_citizens_and_anonymous(world):
    failures = []
    for route, urls, control, post, refuse in admin_cases(world):
        if control:
            check_control(world, control, urls[0])
        for actor, user in refuse.items():
            client = client_for(user)
            for url in urls:
                problem = refused(client, url, world)
                if not problem and post:
                    problem = refused(client, url, world, post=True)
                if problem:
                    failures.append(f"{actor}: {url} ({route}) {problem}")
    assert failures == []
    registration = Registration.objects.get(pk=world.objects["registration"].pk)
    assert registration.status == world.objects["registration"].status
    # Refused deletes deleted nothing.
    assert User.objects.filter(pk=world.owner.pk).exists()
    assert type(world.owner.person).objects.filter(pk=world.owner.person.pk).exists()
