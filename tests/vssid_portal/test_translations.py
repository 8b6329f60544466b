"""The portal's two languages: Django's own form and field messages reach citizens in Vietnamese,
and its admin's pages officers, also those Django's Vietnamese catalogue leaves untranslated
(locale/vi); the English catalogue (locale/en) covers every marked string with a reviewed
translation; the English pages show none of the Vietnamese interface text they used to; numbers
read the same in both languages."""

import datetime
import html as html_lib
import json
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import django
import pytest
from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from accounts.models import Guardianship
from benefits.models import BenefitRecord, SalaryAdjustment
from participation.models import Period, Statement
from participation.selectors import format_months
from tests.benefits.helpers import child_of, citizen, decided, record
from tests.conftest import require_tool
from tests.health_card.card_fixtures import clinic_user, facility, issue, signing_keys  # noqa: F401 (fixtures)
from tests.health_card.test_visits import visit
from tests.notifications.test_notice_language import VIETNAMESE_LETTERS
from tests.participation.helpers import period
from tests.public_services.helpers import district_officer, owner, review_post  # noqa: F401 (fixtures)


@pytest.mark.parametrize(("field", "value", "message"), [
    (forms.CharField(), "Nguyễn\x00Văn", "Không được chứa ký tự rỗng (NUL)."),
    (forms.DurationField(), "mãi mãi", "Nhập một khoảng thời gian hợp lệ."),
    (forms.UUIDField(), "không-phải-uuid", "Nhập một mã UUID hợp lệ."),
    (forms.JSONField(), "{không", "Nhập một chuỗi JSON hợp lệ."),
    # Django's own Vietnamese reads "kí tự" and quotes a refused choice back, whatever its length.
    (forms.CharField(max_length=5), "Nguyễn", "Nhập tối đa 5 ký tự (đang có 6 ký tự)."),
    (forms.CharField(min_length=3), "Ng", "Nhập ít nhất 3 ký tự (đang có 2 ký tự)."),
    (forms.ChoiceField(choices=[("a", "A")]), "x" * 50_000, "Hãy chọn một giá trị trong danh sách."),
])
def test_django_messages_missing_from_its_catalogue_are_vietnamese(field, value, message):
    with translation.override("vi"):
        with pytest.raises(ValidationError) as raised:
            field.clean(value)
        assert raised.value.messages == [message]  # lazy messages: read while Vietnamese is active


@pytest.mark.django_db
def test_a_nul_character_in_a_public_form_is_answered_in_vietnamese(client, reference_data):
    html = client.get("/tra-cuu/co-quan-bhxh/", {"q": "Quận\x001"}).content.decode()
    assert "Không được chứa ký tự rỗng (NUL)." in html and "Null characters" not in html


# The admin officers work in: every string of Django's admin (its pages and its scripts) and of
# django.contrib.auth's user pages has Vietnamese, from Django's catalogue or, where that lacks it,
# from locale/vi; the pages show none of the English leftovers.

DJANGO_LOCALE = Path(django.__file__).parent
VI_CATALOGUES = Path(django_settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"


def translated_keys(path: Path) -> set[tuple]:
    return {(e["msgctxt"], e["msgid"]) for e in po_entries(path) if e["msgid"] and all(e["msgstr"])}


@pytest.mark.parametrize(("catalogue", "domain"), [
    ("contrib/admin", "django"), ("contrib/admin", "djangojs"), ("contrib/auth", "django"),
])
def test_every_string_of_djangos_admin_has_vietnamese(catalogue, domain):
    sources = DJANGO_LOCALE / catalogue / "locale"
    wanted = {(e["msgctxt"], e["msgid"]) for e in po_entries(sources / "en" / "LC_MESSAGES" / f"{domain}.po")
              if e["msgid"] and not e["obsolete"]}
    ours = VI_CATALOGUES / f"{domain}.po"
    have = translated_keys(sources / "vi" / "LC_MESSAGES" / f"{domain}.po") | translated_keys(ours)
    assert len(wanted) > 20
    assert sorted(wanted - have, key=str) == []


ADMIN_LEFTOVERS = ["Skip to main content", "Toggle theme (current theme:", "Model name", "Add link",
                   "Change or view list link", "Show counts", "Breadcrumbs", "Toggle navigation", "Sidebar",
                   "Filter navigation items", "Select all objects on this page for an action",
                   "Select this object for an action", "Password-based authentication", "Reset password",
                   "Raw passwords are not stored", "After you’ve created a user"]


@pytest.mark.django_db
def test_the_admin_pages_show_no_english_leftovers(client, reference_data):
    from accounts.models import User

    admin_user = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    client.force_login(admin_user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "vi"
    pages = {url: client.get(url).content.decode() for url in [
        "/quan-tri/",  # the index
        "/quan-tri/lookup/agency/",  # a list with filters and action check boxes
        f"/quan-tri/accounts/user/{admin_user.pk}/change/",  # a change form
        "/quan-tri/accounts/user/add/",
    ]}
    html = html_lib.unescape("".join(pages.values()))
    assert [text for text in ADMIN_LEFTOVERS if text in html] == []
    for vietnamese in ("Bỏ qua, đến nội dung chính", "Đổi giao diện (đang dùng: tự động)", "Loại dữ liệu",
                       "Liên kết thêm mới", "Liên kết sửa hoặc xem danh sách", "Hiện số lượng", "Vị trí trang",
                       "Chọn mọi mục trên trang này để thực hiện hành động", "Đặt lại mật khẩu",
                       "Đăng nhập bằng mật khẩu"):
        assert vietnamese in html, vietnamese
    script = client.get("/quan-tri/jsi18n/").content.decode()  # the admin scripts' catalogue
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    assert catalogue["Choose all %s"] == "Chọn tất cả %s" and catalogue["Monday"] == "Thứ hai"


def test_allauths_english_spells_email_as_the_portals_english_does():
    """The catalogue that words allauth's messages in the portal's terms (locale/allauth/en), as compiled and
    read: "email", never "e-mail", in what it shows."""
    import gettext

    compiled = Path(django_settings.BASE_DIR) / "locale" / "allauth" / "en" / "LC_MESSAGES" / "django.mo"
    with compiled.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog
    shown = [text for msgid, text in catalogue.items() if msgid]
    assert any("email" in text for text in shown)
    assert [text for text in shown if "e-mail" in text.lower()] == []


def test_the_portals_english_spells_email_one_way():
    """The portal's English (locale/en), as compiled and read, says "email" as allauth's does: no page,
    SMS, notice or e-mail in English spells it "e-mail"."""
    import gettext

    compiled = Path(django_settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.mo"
    with compiled.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog
    shown = [text for msgid, text in catalogue.items() if msgid]
    assert any("email" in text for text in shown)
    assert [text for text in shown if "e-mail" in text.lower()] == []


# allauth's and django.contrib.sessions' names for their apps, models, fields and actions, which
# allauth has no Vietnamese for and Django's sessions catalogue leaves in English.
ALLAUTH_ADMIN_LEFTOVERS = ["Email addresses", "User Sessions", ">Accounts<", "Mark selected email addresses",
                           "Verified", "Primary", "By primary", "By verified", "Sessions |", "session data"]


@pytest.mark.django_db
def test_allauths_names_in_the_admin_are_vietnamese(client, reference_data):
    from allauth.account.models import EmailAddress

    from accounts.models import User

    admin_user = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    EmailAddress.objects.create(user=admin_user, email="quantri@example.vn", primary=True, verified=False)
    client.force_login(admin_user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = html_lib.unescape("".join(client.get(url).content.decode() for url in [
        "/quan-tri/", "/quan-tri/account/emailaddress/", "/quan-tri/usersessions/usersession/",
        "/quan-tri/auth/group/add/",  # the permissions, each named by its app and model
    ]))
    assert [text for text in ALLAUTH_ADMIN_LEFTOVERS if text in html] == []
    for vietnamese in ("Địa chỉ email", "Phiên đăng nhập", "Email tài khoản",
                       "Đánh dấu các địa chỉ email đã chọn là đã xác minh", "Đã xác minh", "Phiên làm việc |"):
        assert vietnamese in html, vietnamese


@pytest.mark.django_db
def test_the_user_pages_name_the_superuser_status_and_the_admin_in_vietnamese(client, reference_data):
    """Django's Vietnamese says "trạng thái superuser" and "trang admin" on the user's page and filter."""
    from accounts.models import User

    admin_user = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    client.force_login(admin_user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = html_lib.unescape("".join(client.get(url).content.decode() for url in [
        "/quan-tri/accounts/user/", f"/quan-tri/accounts/user/{admin_user.pk}/change/"]))
    assert "superuser" not in html.replace('name="is_superuser"', "").replace("is_superuser", "")
    assert "trang admin" not in html
    assert "Toàn quyền quản trị" in html
    assert "Cho biết người dùng có được đăng nhập trang quản trị hay không." in html


@pytest.mark.django_db
def test_the_link_to_an_objects_history_is_named_as_the_page_it_opens(client, reference_data):
    """Django's Vietnamese names the link "Bản ghi nhớ" (a memorandum) on every object page, and the
    page it opens "Lịch sử thay đổi"."""
    from accounts.models import User

    admin_user = User.objects.create_superuser("quantri", password="x-Pass-2026!")
    client.force_login(admin_user)
    html = client.get(f"/quan-tri/accounts/user/{admin_user.pk}/change/").content.decode()
    link = re.search(r'<a href="[^"]*/history/" class="historylink">([^<]*)</a>', html)
    assert link.group(1) == "Lịch sử thay đổi" and "Bản ghi nhớ" not in html
    history = client.get(f"/quan-tri/accounts/user/{admin_user.pk}/history/").content.decode()
    assert "Lịch sử thay đổi: quantri" in history and "Bản ghi nhớ" not in history


@pytest.mark.django_db
def test_the_list_filters_say_what_they_filter_by_and_which_days(client, reference_data):
    """Django's Vietnamese headed each filter "Bởi trạng thái" ("caused by the status") and named the
    past seven days "7 ngày trước" ("seven days ago")."""
    from accounts.models import User

    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    html = html_lib.unescape(client.get("/quan-tri/accounts/registration/").content.decode())
    filters = html[html.index('id="changelist-filter"'):]
    assert "Theo trạng thái" in filters and "Theo ngày nộp" in filters and ">7 ngày qua<" in filters
    assert "Bởi " not in filters and "7 ngày trước" not in filters


@pytest.mark.django_db
def test_the_admin_stays_vietnamese_when_english_is_chosen_on_the_portal(client, reference_data):
    """The admin's own pages are Vietnamese only: its frame (Django's) is Vietnamese too, whatever the
    visitor chose on the portal, and it offers no language switch that would say otherwise."""
    from accounts.models import User

    client.force_login(User.objects.create_superuser("quantri", password=None))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/quan-tri/lookup/agency/")  # a list with filters and actions
    html = html_lib.unescape(response.content.decode())
    assert response["Content-Language"] == "vi" and '<html lang="vi"' in html
    for vietnamese in ("Trang chủ", "Bộ lọc", "Hoạt động:", ">Đi đến<", "Xóa các cơ quan BHXH đã chọn", "Thêm vào"):
        assert vietnamese in html, vietnamese
    assert [english for english in ("Home", "Filter", "Action:", ">Go<", "Delete selected", "Add ") if english in html] == []
    assert "/i18n/setlang/" not in html
    script = client.get("/quan-tri/jsi18n/").content.decode()
    assert json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))["Monday"] == "Thứ hai"

    assert client.get("/")["Content-Language"] == "en"  # the portal's own pages keep the visitor's choice


def page_text_in_vietnamese(html: str, data: list[str]) -> list[str]:
    """The Vietnamese interface text of an admin page: its title, breadcrumbs and content (not the
    admin's frame and menu), its texts and its buttons' and fields' attributes, less `data` (the
    citizen's name and details, which stay as they are)."""
    title = html.split("<title>", 1)[1].split(" | ", 1)[0]
    crumbs = html.split('<div class="breadcrumbs">', 1)[1].split("</div>", 1)[0]
    content = html.split('id="content"', 1)[1].split('id="footer"', 1)[0]
    page = re.sub(r"<script.*?</script>", "", f"<p>{title}</p>{crumbs}<div {content}", flags=re.S)
    texts = [html_lib.unescape(text) for text in re.findall(r'(?:value|title|aria-label|placeholder)="([^"]*)"', page)]
    texts += [html_lib.unescape(text) for text in re.split(r"<[^>]+>", page)]
    for text in data:
        texts = [part.replace(text, "") for part in texts]
    return [text.strip() for text in texts if VIETNAMESE_LETTERS.search(text)]


@pytest.mark.django_db
def test_the_admin_decision_pages_speak_english_around_the_officers_field(client, settings, owner, district_officer,
                                                                         facility):
    """With the admin in English (LANGUAGE_CODE), the pages where an officer types words sent to a
    citizen (a registration's refusal, a filing's rejection or return, a feedback's answer, a card's
    reason, a benefit's refusal) are English around the field: heading, breadcrumbs, intro, labels,
    help, choices, buttons and the errors of an empty field; the citizen's details stay as they are."""
    from lookup.models import Agency
    from public_services.services import feedback_submit, filing_receive
    from tests.accounts.helpers import make_person
    from tests.accounts.helpers import submit as submit_registration
    from tests.public_services.helpers import submit

    registrant = make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2)
    registration = submit_registration(registrant, "07901", email="")
    filing = submit(owner)
    filing_receive(filing=filing, officer=district_officer)
    feedback = feedback_submit(kind="phan_anh", topic="thu_so", content="Đơn vị chưa chốt sổ.",
                               full_name="Trần Thị Mai", agency=Agency.objects.get(code="07901"),
                               phone="+84912345678", idempotency_key="feedback-english-admin")
    card = issue(owner.person, facility)
    benefit = record(owner.person)
    data = [owner.person.full_name, registrant.full_name, "Trần Thị Mai", "Đơn vị chưa chốt sổ.",
            str(Agency.objects.get(code="07901"))]
    registration_page = f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/"
    note_page = f"/quan-tri/public_services/filing/{filing.pk}/ghi-chu/"
    cards = "/quan-tri/health_card/card/"
    pages = {  # each page, and each with the error of an empty field
        "registration": lambda: client.get(registration_page),
        "registration, empty": lambda: client.post(registration_page, {"reason": ""}),
        "filing rejected": lambda: client.get(f"{note_page}reject/"),
        "filing returned": lambda: client.get(f"{note_page}return/"),
        "filing rejected, empty": lambda: client.post(f"{note_page}reject/", {"note": ""}),
        "filing returned, empty": lambda: client.post(f"{note_page}return/", {"note": ""}),
        "feedback": lambda: client.get(f"/quan-tri/public_services/feedback/{feedback.pk}/change/"),
        "card reissued": lambda: client.post(cards, {"action": "reissue", "_selected_action": [card.pk]}),
        "card revoked, empty": lambda: client.post(cards, {"action": "revoke", "_selected_action": [card.pk],
                                                           "confirm": "1", "details": "x" * 201}),
        "benefit": lambda: client.get(f"/quan-tri/benefits/benefitrecord/{benefit.pk}/change/"),
    }
    client.force_login(district_officer)
    vietnamese = {name: page_text_in_vietnamese(page().content.decode(), data) for name, page in pages.items()}
    assert all(vietnamese.values()), vietnamese  # the control: the pages are Vietnamese in a Vietnamese admin
    settings.LANGUAGE_CODE = "en"
    english = {name: page().content.decode() for name, page in pages.items()}
    assert {name: page_text_in_vietnamese(html, data) for name, html in english.items()} == {name: [] for name in pages}
    assert "<h1>Refuse registration " in english["registration"] and "Write the reason for the refusal" in english[
        "registration, empty"]
    assert 'value="Revoke the cards"' in english["card revoked, empty"] and "Choose a reason." in english[
        "card revoked, empty"]
    assert 'value="Send the answer"' in english["feedback"] and "Reason for the refusal:" in english["benefit"]

@pytest.mark.django_db
def test_the_english_admin_names_its_lists_in_the_plural(client, settings, owner, district_officer, facility):
    """Vietnamese names a list as it names one record ("thẻ BHYT"); English does not: an English
    admin's index and the decision pages' breadcrumbs name the lists in the plural, and one record
    of them in the singular."""
    from django.contrib.auth import get_user_model

    from accounts.models import Registration
    from benefits.models import BenefitEvent
    from health_card.models import Card
    from public_services.models import Feedback, Filing
    from public_services.services import filing_receive
    from tests.accounts.helpers import make_person
    from tests.accounts.helpers import submit as submit_registration
    from tests.public_services.helpers import submit

    registrant = make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2)
    registration = submit_registration(registrant, "07901", email="")
    filing = submit(owner)
    filing_receive(filing=filing, officer=district_officer)
    card = issue(owner.person, facility)
    benefit = record(owner.person)
    settings.LANGUAGE_CODE = "en"
    names = {
        Card: ("health insurance card", "health insurance cards"),
        Registration: ("registration for electronic transactions", "registrations for electronic transactions"),
        Filing: ("public service application", "public service applications"),
        Feedback: ("feedback", "feedback"),
        BenefitEvent: ("update log entry", "update log"),
    }
    with translation.override("en"):
        assert {model: (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
                for model in names} == names
    client.force_login(district_officer)

    def breadcrumbs(response) -> str:
        return response.content.decode().split('<div class="breadcrumbs">', 1)[1].split("</div>", 1)[0]

    assert ">Registrations for electronic transactions</a>" in breadcrumbs(
        client.get(f"/quan-tri/accounts/registration/{registration.pk}/tu-choi/"))
    assert ">Public service applications</a>" in breadcrumbs(
        client.get(f"/quan-tri/public_services/filing/{filing.pk}/ghi-chu/return/"))
    assert ">Health insurance cards</a>" in breadcrumbs(
        client.post("/quan-tri/health_card/card/", {"action": "reissue", "_selected_action": [card.pk]}))
    assert '"inline-heading">Update log</h2>' in client.get(
        f"/quan-tri/benefits/benefitrecord/{benefit.pk}/change/").content.decode()
    client.force_login(get_user_model().objects.create_superuser("quantri", password=None))
    index = client.get("/quan-tri/").content.decode()
    assert [name for name in ("Health insurance cards", "Registrations for electronic transactions",
                              "Public service applications", "Two-step verification methods", "Login sessions")
            if f">{name}</a>" not in index] == []



@pytest.mark.django_db
@pytest.mark.parametrize(("before", "chosen"), [(None, "en"), ("vi", "en"), ("en", "vi")])
def test_the_thread_has_its_own_language_back_after_a_request(client, reference_data, before, chosen):
    """The request's language is the page's only: what runs next on the thread (a management
    command, an eager Celery task, the next test) does not start in the last visitor's language."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = chosen
    with translation.override(before):
        expected = translation.get_language()
        response = client.get("/")
        assert response["Content-Language"] == chosen and f'<html lang="{chosen}"' in response.content.decode()
        assert translation.get_language() == expected


def test_a_streamed_response_is_read_in_the_request_language_and_the_thread_has_its_own_back(rf):
    """A streamed response is rendered while the server reads it, after the middleware returned:
    its chunks speak the request's language, and the thread's language comes back at its end, or
    when the server closes it early."""
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.http import StreamingHttpResponse
    from django.utils.translation import gettext

    from vssid_portal.middleware import ChosenLanguageMiddleware

    middleware = ChosenLanguageMiddleware(
        lambda request: StreamingHttpResponse(gettext(text) for text in ("Về trang chủ", "Hỗ trợ")))
    request = rf.get("/")
    request.COOKIES[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("vi"):
        response = middleware(request)
        assert translation.get_language() == "vi"
        assert b"".join(response.streaming_content) == "Back to the home pageHelp".encode()
        assert translation.get_language() == "vi"

        response = middleware(request)
        chunks = iter(response.streaming_content)
        assert next(chunks) == b"Back to the home page"
        request_finished.disconnect(close_old_connections)  # as the test client does: no database here
        try:
            response.close()  # the visitor went away
        finally:
            request_finished.connect(close_old_connections)
        assert translation.get_language() == "vi"


# --- The English catalogue --------------------------------------------------------------------
# Vietnamese is the source language: every string marked in a template or in Python is a msgid of
# locale/en/LC_MESSAGES/django.po, and a msgid left without English shows Vietnamese on the English
# pages. The catalogue must cover every marked string (makemessages adds nothing) and nothing else
# (no entry of a template that is gone), each with a reviewed English text (not empty, not fuzzy).


EN_CATALOGUE = Path(django_settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
# What `make messages` leaves out (-i .venv/* tests/* bench/*), and var/ (the wapiti venv and
# generated files), which holds no portal source either.
NOT_SCANNED = {".venv", "var", "tests", "bench", "locale", "node_modules"}


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list), flags, obsolete."""
    entries, entry, field = [], None, None

    def start():
        nonlocal entry
        entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [], "flags": set(),
                 "obsolete": False}
        entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        obsolete = raw.startswith("#~")
        line = raw[2:].lstrip() if obsolete else raw
        if not line.strip():
            entry = field = None
            continue
        if line.startswith("#,"):
            if entry is None:
                start()
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            if entry is None:
                start()
            continue
        keyword = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
        if keyword:
            if entry is None or (keyword[1] in ("msgctxt", "msgid") and entry["msgid"] is not None):
                start()
            entry["obsolete"] |= obsolete
            field = keyword[1]
            value = keyword[2]
        else:
            value = line
        text = value[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
        if field.startswith("msgstr"):
            if keyword:
                entry["msgstr"].append(text)
            else:
                entry["msgstr"][-1] += text
        else:
            entry[field] = (entry[field] or "") + text if not keyword else text
    return [e for e in entries if e["msgid"] is not None]


def catalogue_keys(entries) -> set[tuple]:
    return {(e["msgctxt"], e["msgid"], e["msgid_plural"]) for e in entries if e["msgid"] and not e["obsolete"]}


def test_every_english_entry_has_a_reviewed_translation():
    entries = [e for e in po_entries(EN_CATALOGUE) if e["msgid"]]
    assert len(entries) > 100
    assert [e["msgid"] for e in entries if e["obsolete"]] == []
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if not all(s.strip() for s in e["msgstr"])] == []


def test_the_english_pages_call_a_ho_so_an_application_throughout():
    """A citizen's hồ sơ is an "application" on every English page; a sentence calling it a "filing"
    read as something else. One files an application, never a service: "file public services"
    (the home page's) read as nonsense, a citizen applies for them."""
    entries = [e for e in po_entries(EN_CATALOGUE) if e["msgid"] and not e["obsolete"]]
    assert sum("application" in " ".join(e["msgstr"]) for e in entries) > 50
    assert [e["msgid"] for e in entries if re.search(r"\bfilings?\b", " ".join(e["msgstr"]), re.IGNORECASE)] == []
    assert [e["msgid"] for e in entries
            if re.search(r"\bfil(e|es|ed|ing) (public )?services?\b", " ".join(e["msgstr"]), re.IGNORECASE)] == []


def test_makemessages_finds_no_string_missing_from_the_english_catalogue(tmp_path, monkeypatch, settings):
    """makemessages run on a copy of the sources (so the project's catalogue is not touched) ends with
    exactly the msgids of the committed catalogue: no marked string lacks an entry, no entry is left
    from a string or template that is gone."""
    require_tool("xgettext", "gettext")
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    for folder, subfolders, files in os.walk(base):
        here = Path(folder)
        subfolders[:] = [name for name in subfolders
                         if not name.startswith(".") and not (here == base and name in NOT_SCANNED)]
        for name in files:
            if Path(name).suffix in (".py", ".html", ".txt"):
                target = copy / (here / name).relative_to(base)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(here / name, target)
    catalogue = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    shutil.copyfile(EN_CATALOGUE, catalogue)
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)

    committed, fresh = catalogue_keys(po_entries(EN_CATALOGUE)), catalogue_keys(po_entries(catalogue))
    assert sorted(fresh - committed, key=str) == [], "marked strings missing from locale/en (run makemessages)"
    assert sorted(committed - fresh, key=str) == [], "entries of strings that no template or module marks"


# --- English pages ----------------------------------------------------------------------------
# Pages that speak English in part showed Vietnamese headings, labels and sentences. Each page is
# read in both languages: the Vietnamese page keeps its text, the English one has none of it.

FOOTER = ["Thư điện tử", "Gửi phản ánh, kiến nghị", "Tin tức"]


def main_and_footer(html: str) -> str:
    return html[html.index("<main"):]


def read(client, url, language, user=None) -> str:
    if user:
        client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Language"] == language
    return main_and_footer(response.content.decode())


@pytest.fixture
def holder(reference_data, facility):  # noqa: F811
    user = citizen()
    issue(user.person, facility)
    child_of(user)
    return user


PAGES = {
    "/ca-nhan/": (
        ["Thông tin cá nhân", "<dt>Giới tính</dt>", "<dt>Số giấy tờ tùy thân</dt>", "<dt>Số điện thoại</dt>",
         "Hiện số", "<dt>Địa chỉ</dt>", "<dt>Cơ quan BHXH quản lý</dt>", "Đổi số điện thoại, email hoặc địa chỉ liên hệ?",
         ">Lịch sử khám chữa bệnh</a>", ">Hồ sơ dịch vụ công đã nộp</a>", "Bảo mật: đổi mật khẩu",
         "Tài khoản của con", ">Đăng ký tài khoản cho con</a>", ">Xem thông tin<",
         # The model's choice labels: the sex and the kind of identity document.
         "<dd>Nam</dd>", "<dd>Căn cước công dân / Căn cước (12 số): "],
        ["<h2>Personal details</h2>", "<dt>Sex</dt>", "<dt>Phone number</dt>", "<dt>Address</dt>",
         ">Register an account for your child</a>", "<dd>Male</dd>",
         "<dd>Citizen identity card / Identity card (12 digits): "],
    ),
    "/tai-khoan/dang-nhap/": (
        ["Chưa có tài khoản?", "Quên mật khẩu?", ">Mã số BHXH hoặc tên đăng nhập</label>",
         "Công dân đăng nhập bằng mã số BHXH gồm 10 chữ số.", ">Mật khẩu</label>"],
        ["No account yet? <a", ">Register an account</a>", "Forgot your password?",
         ">Social insurance code or username</label>", "Citizens log in with their 10-digit social insurance code.",
         ">Password</label>"],
    ),
    "/tra-cuu/": (
        ["Tìm mã số BHXH của bạn", "Địa chỉ, điện thoại của BHXH", "Cơ sở KCB có hợp đồng",
         "Cơ sở được cấp giấy nghỉ ốm", "Đơn vị sử dụng lao động", "Bưu điện, UBND"],
        ["Find your social insurance code", "Facilities that may issue sick-leave certificates"],
    ),
    "/ho-tro/": (
        ["Giải đáp thắc mắc", ">Liên hệ</h2>", "<dt>Thư điện tử</dt>", "Tìm câu hỏi", "Gõ có dấu hoặc không dấu",
         ">Phản ánh, kiến nghị</h2>", "Chưa tìm được câu trả lời", ">Gửi phản ánh, kiến nghị</a>",
         ">Tra cứu phản ánh đã gửi</a>", ">Tin tức</h2>", ">Tất cả tin tức</a>"],
        ["<h2 id=\"lien-he\">Contact</h2>", "Send feedback or a complaint", "All news"],
    ),
    "/thong-tin-huong/": (
        ["Các hồ sơ hưởng chế độ", "Ước tính số tiền hưởng", "Bạn chưa có hồ sơ hưởng chế độ nào"],
        ["Your social insurance and unemployment insurance benefit applications",
         "Estimate your one-time social insurance payment"],
    ),
    "/the-bhyt/": (
        ["Thẻ BHYT điện tử có mã QR", "Bảo hiểm xã hội Việt Nam</span>", "<strong>Thẻ bảo hiểm y tế</strong>",
         'alt="Chưa có ảnh chân dung"', "<dt>Mã số</dt>", "<dt>Mã thẻ 15 ký tự</dt>", "<dt>Họ và tên</dt>",
         "<dt>Giới tính</dt><dd>Nam</dd>", "<dt>Nơi đăng ký KCB ban đầu</dt>",
         "<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024, không thời hạn</dd>", "<dt>Thời điểm đủ 5 năm liên tục</dt>",
         "<dt>Mức hưởng</dt><dd>Mức 4 – 80 %</dd>", "<dt>Nơi cấp</dt>", ", ngày 05/01/2024 (lần cấp 1)</dd>",
         "</span> Mã QR</a>", ">Tải thẻ để in (PDF)</a>", "Mã QR trên màn hình chỉ dùng được 10 phút",
         "<h2>Quyền riêng tư</h2>", ">Ai đã xem thẻ của tôi</a>", "các lần cơ sở KCB hoặc người khác xác thực thẻ."],
        ["Your electronic health insurance card with a QR code", "<strong>Health insurance card</strong>",
         "<dt>Sex</dt><dd>Male</dd>", "<dt>Valid</dt><dd>from 01/01/2024, with no end date</dd>",
         "<dt>Benefit level</dt><dd>Level 4 – 80%</dd>", ", on 05/01/2024 (issue no. 1)</dd>", "</span> QR code</a>",
         "<h2>Privacy</h2>", ">Who has viewed my card</a>"],
    ),
    # The public lookups, public services and registration: labels, hints, select placeholders, result labels.
    "/tra-cuu/ma-so-bhxh/": (
        [">Tra cứu</a> › Mã số BHXH</p>", "<h1>Tra cứu mã số BHXH</h1>", "Nhập đúng thông tin như trong hồ sơ BHXH.",
         ">Họ và tên</label>", "Như trên giấy tờ; có dấu hay không dấu đều được.", ">Ngày sinh</label>",
         "Dạng ngày/tháng/năm, ví dụ 25/12/1990.", ">Tỉnh/thành phố nơi cư trú</label>",
         ">– Chọn tỉnh/thành phố –</option>", ">Số giấy tờ</label>", "Người chưa có giấy tờ: để trống",
         ">Họ tên cha hoặc mẹ</label>", "Chỉ cần khi không có số giấy tờ.", ">Câu hỏi kiểm tra: ",
         " bằng mấy?</label>", "Nhập kết quả bằng chữ số.", ">Tra cứu</button>",
         "Mỗi lượt tra cứu có kết quả đều được ghi nhật ký."],
        ["<h1>Look up a social insurance code</h1>", ">Full name</label>", ">Date of birth</label>",
         "As day/month/year, for example 25/12/1990.", ">Province or city of residence</label>",
         ">– Choose a province or city –</option>", ">Check question: What is ", ">Look up</button>"],
    ),
    "/tra-cuu/co-quan-bhxh/?q=phu+nhuan": (
        [">Tra cứu</a> › Cơ quan BHXH</p>", "<h1>Cơ quan BHXH</h1>", "Địa chỉ, điện thoại, giờ làm việc của BHXH",
         'aria-label="Tìm kiếm: Cơ quan BHXH"', ">Tên, mã hoặc địa chỉ cơ quan BHXH</label>",
         "Ví dụ: Phú Nhuận hoặc 07909. Không cần gõ dấu.", ">Tỉnh/thành phố</label>", ">Tất cả tỉnh/thành phố</option>",
         ">Tìm</button>", " kết quả</p>", "<dt>Mã</dt><dd>07909</dd>", "<dt>Địa chỉ</dt>", "<dt>Điện thoại</dt>",
         "<dt>Giờ làm việc</dt>", "<dt>Cấp trên</dt>", "<dd>Không có (cấp tỉnh)</dd>", "<dt>Tỉnh/thành phố</dt>"],
        ["<h1>Social insurance agencies</h1>", 'aria-label="Search: Social insurance agencies"',
         ">Name, code or address of the social insurance agency</label>", ">All provinces and cities</option>",
         ">Search</button>", " results</p>", "<dt>Code</dt><dd>07909</dd>", "<dt>Address</dt>", "<dt>Phone</dt>",
         "<dt>Working hours</dt>", "<dt>Parent agency</dt><dd>BHXH TP. Hồ Chí Minh</dd>",
         "<dd>None (provincial level)</dd>"],
    ),
    "/tra-cuu/co-so-kcb/?q=benh+vien": (
        ["<h1>Cơ sở khám chữa bệnh BHYT</h1>", "Cơ sở khám chữa bệnh có hợp đồng khám chữa bệnh BHYT.",
         ">Danh sách cơ sở KCB được cấp giấy nghỉ việc hưởng BHXH</a>", ">Tên, mã hoặc địa chỉ cơ sở KCB</label>",
         ">Tuyến</label>", ">Tất cả các tuyến</option>", ">Tuyến trung ương</option>", ">Tuyến tỉnh</option>",
         ">Tuyến cơ sở</option>", " kết quả (trang 1/", "<dt>Mã KCB</dt>", "<dt>Tuyến</dt><dd>Tuyến trung ương</dd>",
         "<dt>Giấy nghỉ ốm</dt><dd>Được cấp</dd>", 'aria-label="Phân trang"'],
        ["<h1>Health insurance medical facilities</h1>", ">Level</label>", ">All levels</option>",
         ">Central level</option>", ">Provincial level</option>", ">Grassroots level</option>", " results (page 1 of ",
         "<dt>Facility code</dt>", "<dt>Level</dt><dd>Central level</dd>",
         "<dt>Sick-leave certificates</dt><dd>May issue them</dd>", 'aria-label="Pagination"'],
    ),
    "/tra-cuu/co-so-kcb/cap-giay-nghi-om/": (
        ["<h1>Cơ sở KCB được cấp giấy nghỉ việc hưởng BHXH</h1>", "Cơ sở KCB có hợp đồng BHYT được cấp giấy chứng nhận",
         ">Xem tất cả cơ sở KCB có hợp đồng BHYT</a>"],
        ["<h1>Medical facilities that may issue sick-leave certificates</h1>",
         ">See all medical facilities with a health insurance contract</a>"],
    ),
    "/tra-cuu/don-vi/": (
        ["<h1>Đơn vị tham gia BHXH</h1>", "cơ quan BHXH quản lý và tình trạng nợ đóng",
         ">Tên đơn vị, mã đơn vị hoặc mã số thuế</label>", "Ví dụ: det may nam viet", "<dt>Mã đơn vị</dt>",
         "<dt>Mã số thuế</dt>", "<dt>Cơ quan quản lý</dt>", "<dt>Nợ đóng BHXH</dt>", ">Đang nợ đóng</span>",
         ">Không nợ</span>"],
        ["<h1>Employers</h1>", ">Employer name, employer code or tax code</label>", "<dt>Employer code</dt>",
         "<dt>Tax code</dt>", "<dt>Managing agency</dt>", "<dt>Social insurance arrears</dt>", ">In arrears</span>",
         ">No arrears</span>"],
    ),
    "/tra-cuu/diem-thu/?province=79": (
        ["<h1>Điểm thu BHXH, BHYT</h1>", "Bưu điện, UBND phường/xã và đại lý thu BHXH tự nguyện",
         ">Tên hoặc địa chỉ điểm thu</label>", ">Phường/xã</label>", ">Tất cả phường/xã</option>",
         "<dt>Loại</dt><dd>Bưu điện</dd>", "<dd>UBND phường/xã</dd>", "<dd>Đại lý thu</dd>", "<dt>Phường/xã</dt>",
         "<dt>Điện thoại</dt><dd>Chưa có</dd>", "<dt>Cơ quan BHXH</dt>"],
        ["<h1>Collection points</h1>", ">Name or address of the collection point</label>", ">Ward/commune</label>",
         ">All wards and communes</option>", "<dt>Type</dt><dd>Post office</dd>",
         "<dd>Ward or commune People’s Committee</dd>", "<dd>Collection agent</dd>",
         "<dt>Phone</dt><dd>Not available</dd>", "<dt>Social insurance agency</dt>"],
    ),
    "/dich-vu-cong/": (
        ['<p class="notice">Hãy <a href="/tai-khoan/dang-nhap/?next=/dich-vu-cong/">đăng nhập</a> để nộp hồ sơ.',
         "Thông tin của bạn được điền sẵn từ hồ sơ BHXH.", "<h2>Thủ tục nộp trực tuyến</h2>",
         ">Mã thủ tục 607A · Thời hạn giải quyết 10 ngày làm việc</p>", ">Thời hạn giải quyết 7 ngày làm việc</p>"],
        ['<a href="/tai-khoan/dang-nhap/?next=/dich-vu-cong/">Log in</a> to file an application.',
         "<h2>Procedures you can file online</h2>", ">Procedure code 607A · Handled within 10 working days</p>",
         ">Handled within 7 working days</p>"],
    ),
    "/dang-ky/": (
        ["<h1>Đăng ký sử dụng phương thức giao dịch điện tử</h1>", 'aria-label="Các bước đăng ký"',
         ">1. Kê khai thông tin</li>", ">2. Ảnh chân dung và giấy tờ</li>", ">3. Cơ quan BHXH tiếp nhận</li>",
         "Tất cả các mục đều bắt buộc, trừ mục ghi (không bắt buộc).", ">Tra cứu trạng thái đăng ký</a>",
         ">Mã số BHXH</label>", "10 chữ số, in trên sổ BHXH hoặc thẻ BHYT.", ">Loại giấy tờ tùy thân</label>",
         ">Số giấy tờ</label>", ">– Chọn phường/xã –</option>", ">Cập nhật danh sách phường/xã</button>",
         ">Số nhà, đường/thôn/xóm</label>", ">Số điện thoại di động</label>", ">Thư điện tử (không bắt buộc)</label>",
         "Để nhận thư báo đã tiếp nhận đăng ký.", ">Tiếp tục</button>"],
        ["<h1>Register for electronic transactions</h1>", 'aria-label="Registration steps"', ">1. Your details</li>",
         "Every item is required, except those marked (optional).", ">Check the status of your registration</a>",
         ">Social insurance code</label>", ">Type of ID document</label>",
         ">Update the list of wards and communes</button>", ">Mobile phone number</label>", ">Email (optional)</label>",
         ">Continue</button>"],
    ),
    "/dang-ky/tra-cuu/": (
        ["<h1>Tra cứu trạng thái đăng ký</h1>", ">Số tham chiếu</label>", "Ví dụ DK2611ABC234, có trong SMS xác nhận.",
         ">Ngày sinh</label>", ">Tra cứu</button>"],
        ["<h1>Check the status of a registration</h1>", ">Reference number</label>",
         "For example DK2611ABC234; it is in the confirmation SMS.", ">Date of birth</label>",
         "As given in the registration (the child&#39;s, if you registered for your child)", ">Look up</button>"],
    ),
}
# Pages read by a visitor who has not logged in (/dich-vu-cong/ then asks to log in).
ANONYMOUS = {"/tai-khoan/dang-nhap/", "/tra-cuu/ma-so-bhxh/", "/dich-vu-cong/", "/dang-ky/", "/dang-ky/tra-cuu/"}


def without_faq(html: str) -> str:
    """The FAQ questions and answers are Vietnamese content edited in the admin, not interface text."""
    return re.sub(r'<section class="faq-topic".*?</section>', "", html, flags=re.S)


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_english_pages_show_none_of_their_vietnamese_interface_text(client, holder, url):
    vietnamese, english = PAGES[url]
    user = None if url in ANONYMOUS else holder
    vi = without_faq(read(client, url, "vi", user))
    for text in vietnamese + FOOTER:
        assert text in vi, (url, text)  # the control: the Vietnamese page says it
    en = without_faq(read(client, url, "en", user))
    assert [text for text in vietnamese + FOOTER if text in en] == []
    assert [text for text in english if text not in en] == []


@pytest.mark.django_db
def test_the_chosen_language_is_kept_for_a_year_when_the_browser_closes(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["max-age"] == 365 * 24 * 60 * 60 and cookie["expires"]  # not a session cookie
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "wanted", "unwanted"), [
    ("vi", ["Nhập mã số BHXH hoặc tên đăng nhập.", "Nhập mật khẩu.", '<span class="visually-hidden">Lỗi:</span>'],
     ["Enter your password.", "Error:"]),
    ("en", ["Enter your social insurance code or username.", "Enter your password.",
            '<span class="visually-hidden">Error:</span>'],
     ["Nhập mã số BHXH hoặc tên đăng nhập.", "Nhập mật khẩu.", "Lỗi:"]),
])
def test_an_empty_login_is_answered_in_the_chosen_language(client, reference_data, language, wanted, unwanted):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    html = client.post("/tai-khoan/dang-nhap/", {"login": "", "password": ""}).content.decode()
    assert [text for text in wanted if text not in html] == []
    assert [text for text in unwanted if text in html] == []


@pytest.mark.django_db
def test_page_links_in_english(client, reference_data):
    both_languages(client, "/tra-cuu/co-quan-bhxh/?trang=2", None,
                   ['aria-label="Phân trang"', '‹ <span class="visually-hidden">Trang </span>trước',
                    '<span class="visually-hidden">Trang </span>sau ›', '<span class="visually-hidden">Trang </span>1<'],
                   ['aria-label="Pagination"', '‹ Previous<span class="visually-hidden"> page</span>',
                    'Next<span class="visually-hidden"> page</span> ›', '<span class="visually-hidden">Page </span>1<'])


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "said", "not_said"), [
    ("vi", "Đang xem thông tin của <strong>{name}</strong>.", "You are viewing the details of <strong>{name}"),
    ("en", "You are viewing the details of <strong>{name}</strong>.", "Đang xem thông tin của <strong>{name}"),
])
def test_the_box_on_switching_to_a_child_follows_the_language(client, holder, language, said, not_said):
    child = Guardianship.objects.get(parent=holder).child
    client.force_login(holder)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    html = client.post("/ca-nhan/xem/", {"child": child.pk}, follow=True).content.decode()
    assert said.format(name=child.full_name) in html
    assert not_said.format(name=child.full_name) not in html


def both_languages(client, url, user, vietnamese, english):
    """The Vietnamese page says each of `vietnamese`; the English page says none of them, and `english`."""
    vi = read(client, url, "vi", user)
    assert [text for text in vietnamese if text not in vi] == [], url  # the control
    en = read(client, url, "en", user)
    assert [text for text in vietnamese if text in en] == [], url
    assert [text for text in english if text not in en] == [], url


@pytest.mark.django_db
def test_benefit_list_and_detail_pages_in_english(client, holder):
    received = record(holder.person)
    approved = record(holder.person, kind=BenefitRecord.Kind.MATERNITY, **decided())
    record(holder.person, kind=BenefitRecord.Kind.ONE_TIME)  # the list shows the timeline of one-time BHXH
    both_languages(client, "/thong-tin-huong/", holder, [
        " hồ sơ)</span>", f">Hồ sơ số {received.reference}</a>", "<dt>Ngày tiếp nhận</dt>", "<dt>Cơ quan BHXH</dt>",
        "<dt>Trạng thái</dt>", "<dt>Ngày hẹn trả kết quả</dt>", "<dt>Quyết định</dt><dd>số 123/QĐ-BHXH ngày 10/09/2025</dd>",
        "<dt>Số tiền được hưởng</dt>", ">Tiến trình giải quyết</h4>", 'aria-label="Tiến trình giải quyết hồ sơ ',
    ], [
        "(1 application)</span>", f">Application no. {received.reference}</a>", "<dt>Social insurance agency</dt>",
        "<dt>Decision</dt><dd>no. 123/QĐ-BHXH of 10/09/2025</dd>", "<dt>Benefit amount</dt>", ">Progress</h4>",
        'aria-label="Progress of application ',
    ])
    both_languages(client, f"/thong-tin-huong/{approved.pk}/", holder, [
        "← Thông tin hưởng</a>", f": hồ sơ số {approved.reference}</h1>",
        "<dt>Người hưởng</dt>", "<dt>Chế độ</dt>", "<dt>Ngày tiếp nhận hồ sơ</dt>", "<dt>Cơ quan BHXH giải quyết</dt>",
        "<dt>Trạng thái</dt>", "<dt>Số quyết định</dt>", "<dt>Ngày quyết định</dt>", "<dt>Số tiền được hưởng</dt>",
        "<dt>Hình thức nhận</dt>", "<h2>Thông tin của chế độ</h2>", "180 ngày</dd>", "<h2>Tiến trình giải quyết</h2>",
    ], [
        f": application no. {approved.reference}</h1>", "<dt>Beneficiary</dt>",
        "<dt>Decision number</dt>", "<h2>Benefit details</h2>", "180 days</dd>", "<h2>Progress</h2>",
    ])
    monthly = record(holder.person, kind=BenefitRecord.Kind.SICKNESS, **decided(amount=None, monthly_amount=5_000_000))
    both_languages(client, f"/thong-tin-huong/{monthly.pk}/", holder,
                   ["<dt>Mức hưởng hằng tháng</dt><dd>5.000.000 đ/tháng</dd>", "5 ngày</dd>"],
                   ["<dt>Monthly benefit</dt><dd>5,000,000 VND/month</dd>", "5 days</dd>"])
    pending = record(holder.person, expected_on=None)
    both_languages(client, f"/thong-tin-huong/{pending.pk}/", holder, ["<dd>Chưa có</dd>"], ["<dd>Not yet set</dd>"])


@pytest.mark.django_db
def test_the_estimate_page_in_english(client, reference_data):
    user = citizen()
    period(user.person, "01/2010", "06/2012")
    period(user.person, "01/2015", "08/2020", unpaid=2)
    both_languages(client, "/thong-tin-huong/uoc-tinh/", user, [
        "<h1>Ước tính BHXH một lần</h1>", "Đây là số tiền ước tính", "Kết quả ước tính", "Khoảng <strong>",
        "Thời gian đóng BHXH được tính", "Bước 1. Quá trình đóng BHXH", "Các giai đoạn đóng BHXH bắt buộc và tự nguyện",
        ">Từ tháng<", ">Đến tháng<", ">Đơn vị / người đóng<", ">Mức đóng (tháng)<", "(còn nợ 2 tháng: không tính)",
        "Một tháng có nhiều giai đoạn cùng đóng", "Bước 2. Số tháng đóng trước và từ năm 2014", "<dt>Trước năm 2014</dt>",
        "<dt>Tổng cộng</dt><dd>96 tháng (", "Bước 3. Số năm tính hưởng", "Trước năm 2014: 30 tháng = <strong>2 năm</strong>",
        "6 tháng lẻ được chuyển sang giai đoạn từ năm 2014", "Tháng lẻ: từ 1 đến 6 tháng tính là nửa năm",
        "Bước 4. Mức bình quân tiền lương", "Tiền lương (thu nhập) của từng tháng", ">Mức điều chỉnh<", ">Sau điều chỉnh<",
        ">Bắt buộc</td>", ">Tổng</th>", "Mức bình quân = ", "Bước 5. Mức hưởng", "tháng lương bình quân",
        "Mức hưởng ước tính = ", "Thời gian đóng để hưởng lương hưu", "Tổng thời gian đóng BHXH (bắt buộc và tự nguyện)",
        "Ước tính này áp dụng", "Còn thiếu ", "Theo Luật BHXH 2014 trước đây cần",
    ], [
        "<h1>Estimate of the one-time social insurance payment</h1>", "This amount is an estimate",
        "the Law on Social Insurance No. 41/2024/QH15", "About <strong>", "(2 months owed: not counted)",
        "Before 2014: 30 months = <strong>2 years</strong>", ">Compulsory</td>", "Step 5. Benefit amount",
        "(the 2024 Law on Social Insurance, Article 70(3))", "Still missing: ",
    ])
    short = citizen(code="7909999999", name="Trần Thị Hoa")
    period(short.person, "01/2024", "06/2024")
    both_languages(client, "/thong-tin-huong/uoc-tinh/", short, [
        "Tổng thời gian đóng chưa đủ 1 năm", "Số tiền đã đóng vào quỹ hưu trí, tử tuất", "Mức tối đa: 2 × ",
        "Mức hưởng ước tính: <strong>",
    ], [
        "Less than 1 year of contributions in total", "Maximum: 2 × ", "Estimated benefit: <strong>",
    ])
    nobody = citizen(code="7908888888", name="Lê Văn An")
    both_languages(client, "/thong-tin-huong/uoc-tinh/", nobody, ["Chưa có quá trình đóng BHXH nào để ước tính."],
                   ["There are no social insurance contributions to estimate from yet."])


@pytest.mark.django_db
def test_the_estimate_says_one_year_and_one_month_in_the_singular(client, reference_data):
    one_odd_month = citizen()
    period(one_odd_month.person, "01/2012", "01/2013")  # 13 months: 1 year, 1 month carried over
    period(one_odd_month.person, "01/2015", "12/2015")  # 12 + 1 = 13 months: 1.5 years
    both_languages(client, "/thong-tin-huong/uoc-tinh/", one_odd_month, [
        "Trước năm 2014: 13 tháng = <strong>1 năm</strong>; 1 tháng lẻ được chuyển",
        "= 13 tháng (1 năm 1 tháng); 1 tháng lẻ (từ 1 đến 6 tháng) tính là nửa năm → <strong>1,5 năm</strong>",
        "Trước năm 2014: 1,5 tháng × 1 năm = 1,5 tháng lương bình quân.",
        "Từ năm 2014: 2 tháng × 1,5 năm = 3 tháng lương bình quân.",
    ], [
        "Before 2014: 13 months = <strong>1 year</strong>; 1 odd month is carried over",
        "= 13 months (1 year 1 month); 1 odd month (1 to 6 months) counts as half a year → <strong>1.5 years</strong>",
        "Before 2014: 1.5 months × 1 year = 1.5 months of average salary.",
        "From 2014: 2 months × 1.5 years = 3 months of average salary.",
    ])
    one_year_each = citizen(code="7909999999", name="Trần Thị Hoa")
    period(one_year_each.person, "01/2012", "12/2012")
    period(one_year_each.person, "01/2015", "12/2015")
    en = read(client, "/thong-tin-huong/uoc-tinh/", "en", one_year_each)
    assert "= 12 months (1 year) → <strong>1 year</strong>" in en
    assert "From 2014: 2 months × 1 year = 2 months of average salary." in en
    half_a_year = citizen(code="7908888888", name="Lê Văn An")
    period(half_a_year.person, "01/2012", "12/2012")
    period(half_a_year.person, "01/2015", "03/2015")
    en = read(client, "/thong-tin-huong/uoc-tinh/", "en", half_a_year)
    assert "3 odd months (1 to 6 months) count as half a year → <strong>0.5 years</strong>" in en
    assert "From 2014: 2 months × 0.5 years = 1 month of average salary." in en
    one_month = citizen(code="7907777777", name="Phạm Thị Lan")
    period(one_month.person, "01/2024", "01/2024")
    assert re.search(r"Average = [\d,]+ VND ÷ 1 month = <strong>", read(client, "/thong-tin-huong/uoc-tinh/", "en", one_month))


@pytest.mark.django_db
def test_benefit_kinds_statuses_payment_methods_and_timeline_in_english(client, holder):
    """The model's choice labels, the type's own details and the timeline built in Python."""
    person = holder.person
    Kind = BenefitRecord.Kind
    record(person, kind=Kind.ONE_TIME, status="processing", expected_on=None)
    record(person, kind=Kind.ONE_TIME, **decided(status="paid", paid_on=datetime.date(2025, 9, 20), payment_method="cash"))
    record(person, kind=Kind.ONE_TIME, status="rejected", reject_reason="Thiếu sổ BHXH.")
    both_languages(client, "/thong-tin-huong/", holder, [
        '">BHXH một lần <span', 'status--processing">Đang giải quyết</span>', 'status--paid">Đã chi trả</span>',
        'status--rejected">Không giải quyết</span>', 'timeline__title">Tiếp nhận hồ sơ</span>',
        'timeline__title">Giải quyết hồ sơ</span>', 'timeline__title">Kết quả</span>', 'timeline__title">Chi trả</span>',
        "(Đã xong)", "(Đang thực hiện)", "(Chưa đến)", "(Không giải quyết)", "(số hồ sơ T-",
        "Cơ quan BHXH đang xem xét hồ sơ.", "Chưa có kết quả.", "(Chưa có ngày hẹn)", "(Có kết quả đúng hẹn)",
        "(Đã có kết quả)",
        "Đã giải quyết theo quyết định số 123/QĐ-BHXH.", "Tiền mặt tại điểm chi trả (bưu điện)",
        'Không giải quyết: <span lang="vi">Thiếu sổ BHXH.</span>',
    ], [
        '">One-time social insurance payment <span', 'status--processing">Being processed</span>',
        'status--paid">Paid</span>', 'status--rejected">Rejected</span>', 'timeline__title">Application received</span>',
        'timeline__title">Processing the application</span>', 'timeline__title">Result</span>',
        'timeline__title">Payment</span>', "(Done)", "(In progress)", "(Not reached yet)", "(Rejected)", "(application no. T-",
        "The social insurance agency is reviewing the application.", "No result yet.", "(No date set yet)",
        "(Result given on time)", "(Result ready)",
        "Approved by decision no. 123/QĐ-BHXH.", "Cash at a payment point (post office)", 'Rejected: <span lang="vi">Thiếu sổ BHXH.</span>',
    ])
    pension = record(person, kind=Kind.PENSION, **decided(
        amount=None, monthly_amount=7_000_000, replacement_rate=Decimal("62.5"), contribution_months=300,
        start_date=datetime.date(2025, 10, 1)))
    both_languages(client, f"/thong-tin-huong/{pension.pk}/", holder, [
        "<dd>Lương hưu hằng tháng</dd>", '">Đã giải quyết</span>', "<dd>Chuyển khoản vào tài khoản cá nhân</dd>",
        "<dt>Hưởng từ ngày</dt>", "<dt>Tỷ lệ hưởng lương hưu</dt>",
        "<dt>Số tháng đóng BHXH được tính</dt>", "<dd>300 tháng</dd>",
    ], [
        "<dd>Monthly pension</dd>", '">Approved</span>', "<dd>Transfer to a personal bank account</dd>",
        "<dt>Benefit starts on</dt>", "<dt>Pension rate</dt>",
        "<dt>Months of social insurance contributions counted</dt>", "<dd>300 months</dd>",
    ])
    unemployment = record(person, kind=Kind.UNEMPLOYMENT, **decided(allowance_months=3, payment_method="employer"))
    both_languages(client, f"/thong-tin-huong/{unemployment.pk}/", holder, [
        "<dd>Trợ cấp thất nghiệp</dd>", "<dd>Qua đơn vị sử dụng lao động</dd>", "<dt>Số tháng hưởng trợ cấp</dt>", "<dd>3 tháng</dd>",
    ], ["<dd>Unemployment benefit</dd>", "<dd>Through the employer</dd>", "<dt>Months of benefit</dt>", "<dd>3 months</dd>"])
    accident = record(person, kind=Kind.ACCIDENT, event_date=datetime.date(2025, 1, 1))
    both_languages(client, f"/thong-tin-huong/{accident.pk}/", holder, [
        "<dd>Tai nạn lao động, bệnh nghề nghiệp</dd>", "<dt>Tỷ lệ suy giảm khả năng lao động</dt>",
        "<dt>Ngày bị tai nạn / phát hiện bệnh</dt>", '">Đã tiếp nhận</span>',
    ], [
        "<dd>Occupational accident or disease</dd>", "<dt>Reduction in working capacity</dt>",
        "<dt>Date of the accident / diagnosis</dt>", '">Received</span>',
    ])
    maternity = record(person, kind=Kind.MATERNITY)
    both_languages(client, f"/thong-tin-huong/{maternity.pk}/", holder,
                   ["<dd>Thai sản</dd>", "<dt>Ngày sinh của con</dt>", "<dt>Số ngày nghỉ</dt>", "<dd>180 ngày</dd>"],
                   ["<dd>Maternity</dd>", "<dt>Child&#x27;s date of birth</dt>", "<dt>Days off</dt>", "<dd>180 days</dd>"])


@pytest.mark.parametrize(("months", "vietnamese", "english"), [
    (30, "2 năm 6 tháng", "2 years 6 months"), (12, "1 năm", "1 year"), (13, "1 năm 1 tháng", "1 year 1 month"),
    (1, "1 tháng", "1 month"), (0, "0 tháng", "0 months"), (240, "20 năm", "20 years"),
])
def test_durations_follow_the_language(months, vietnamese, english):
    with translation.override("vi"):
        assert format_months(months) == vietnamese
    with translation.override("en"):
        assert format_months(months) == english


@pytest.mark.django_db
def test_the_estimate_durations_and_coefficient_notes_in_english(client, reference_data):
    user = citizen()
    first = SalaryAdjustment.objects.filter(scheme="bhxh_bb").order_by("year").values_list("year", flat=True).first()
    SalaryAdjustment.objects.filter(scheme="bhxh_bb", year=2016).delete()
    this_year = timezone.localdate().year
    period(user.person, f"01/{first - 2}", f"12/{first - 2}")
    period(user.person, "01/2010", "06/2012")
    period(user.person, "01/2016", "12/2016")
    period(user.person, f"01/{this_year}", f"01/{this_year}")
    both_languages(client, "/thong-tin-huong/uoc-tinh/", user, [
        "<dt>Trước năm 2014</dt><dd>42 tháng (3 năm 6 tháng)</dd>", f"(dùng mức của năm {first} (áp dụng cho các năm trước đó))",
        "(không có trong bảng: tính 1,00)", "(năm hiện tại)",
    ], [
        "<dt>Before 2014</dt><dd>42 months (3 years 6 months)</dd>",
        f"(the {first} coefficient, which applies to every earlier year)", "(not in the table: counted as 1.00)",
        "(current year)",
    ])


@pytest.mark.django_db
def test_the_card_qr_page_in_english(client, holder):
    both_languages(client, "/the-bhyt/ma-qr/", holder, [
        "<h1>Mã QR thẻ BHYT</h1>", f'alt="Mã QR thẻ BHYT của {holder.person.full_name}, mã thẻ ',
        "Đưa mã này cho nhân viên cơ sở khám chữa bệnh quét. Mỗi mã QR chỉ dùng được 10 phút kể từ khi tạo.",
        "Mã QR tự làm mới mỗi phút khi trang đang mở.", ">Tải lại để lấy mã QR mới</a>", ">Quay lại thẻ BHYT</a>",
        'data-say-stopped="Mã QR đã ngừng tự làm mới vì đã lâu không có thao tác. Hãy tải lại trang để lấy mã QR mới."',
    ], [
        "<h1>Health insurance card QR code</h1>", f'alt="Health insurance card QR code of {holder.person.full_name}, card number ',
        "Each QR code works for only 10 minutes after it is made.", ">Reload to get a new QR code</a>",
        'data-say-stopped="The QR code no longer renews itself, as there has been no activity for a while. Reload the page',
        ">Back to the health insurance card</a>",
    ])


def posted(client, url, data, language, status=200) -> str:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(url, data)
    assert response.status_code == status, url
    return main_and_footer(response.content.decode())


@pytest.mark.django_db
def test_the_card_verify_page_in_english(client, holder, clinic_user, monkeypatch):  # noqa: F811
    from health_card.models import Card
    from health_card.qr import Purpose
    from health_card.services import card_qr

    qr = card_qr(Card.objects.get(person=holder.person), purpose=Purpose.SCREEN)
    public_vi = ["<h1>Xác thực thẻ BHYT</h1>", "Trang dành cho cơ sở khám chữa bệnh.", "<h2>Quét mã QR</h2>",
                 ">Quét bằng camera</button>", ">Dừng camera</button>", 'aria-label="Hình ảnh từ camera"',
                 ">Xác thực mã QR</button>", "Phần mềm của cơ sở KCB có thể xác thực qua API"]
    public_en = ["<h1>Verify a health insurance card</h1>", "This page is for healthcare facilities.",
                 "<h2>Scan the QR code</h2>", ">Scan with the camera</button>", ">Verify the QR code</button>",
                 'the public keys to check the signatures yourself: <a href="/.well-known/bhyt-keys.json">']
    both_languages(client, "/xac-thuc/the-bhyt/", None, public_vi, public_en)
    answer = {"cach": "quet", "ma_qr": qr}
    vi = posted(client, "/xac-thuc/the-bhyt/", answer, "vi")
    assert "Thẻ hợp lệ</h2>" in vi and "<p>Chủ thẻ: <strong>NGUYỄN V*** Đ</strong></p>" in vi
    en = posted(client, "/xac-thuc/the-bhyt/", answer, "en")
    assert "Valid card</h2>" in en and "<p>Card holder: <strong>NGUYỄN V*** Đ</strong></p>" in en
    assert "Chủ thẻ" not in en and "Thẻ hợp lệ" not in en

    clinic_vi = ["Cơ sở KCB: <strong>", "Mỗi lần xác thực được ghi lại và chủ thẻ xem được.", "<dt>Họ và tên</dt>",
                 "<dt>Mã thẻ</dt>", ", lần cấp 1</dd>", "<strong>đúng cơ sở này</strong>",
                 "<dt>Giá trị sử dụng</dt><dd>từ 01/01/2024, không thời hạn</dd>", "<dt>Mức hưởng</dt><dd>Mức 4 – 80 %</dd>",
                 "<h2>Hoặc nhập thông tin trên thẻ</h2>"]
    clinic_en = ["Healthcare facility: <strong>", "Every check is recorded and the card holder can see it.",
                 "<dt>Full name</dt>", "<dt>Card number</dt>", ", issue no. 1</dd>", "<strong>this facility</strong>",
                 "<dt>Valid</dt><dd>from 01/01/2024, with no end date</dd>", "<dt>Benefit level</dt><dd>Level 4 – 80%</dd>",
                 "<h2>Or type the details on the card</h2>"]
    client.force_login(clinic_user)
    vi = posted(client, "/xac-thuc/the-bhyt/", answer, "vi")
    assert [text for text in clinic_vi if text not in vi] == []
    en = posted(client, "/xac-thuc/the-bhyt/", answer, "en")
    assert [text for text in clinic_vi if text in en] == []
    assert [text for text in clinic_en if text not in en] == []

    client.logout()
    monkeypatch.setattr("health_card.views.verify.PUBLIC_RATE", "1/m")
    posted(client, "/xac-thuc/the-bhyt/", answer, "vi")  # the minute's one check
    assert "Bạn đã xác thực quá nhiều lần trong một phút." in posted(client, "/xac-thuc/the-bhyt/", answer, "vi", 429)
    en = posted(client, "/xac-thuc/the-bhyt/", answer, "en", 429)
    assert "You have checked too many cards in one minute. Try again in 1 minute." in en and "Bạn đã" not in en


@pytest.mark.django_db
def test_the_visit_history_pages_in_english(client, holder):
    person = holder.person
    visit(person)
    inpatient = visit(person, admitted=datetime.date(2024, 5, 1), kind="noi_tru", discharged_on=datetime.date(2024, 5, 4))
    without_lines = visit(person, admitted=datetime.date(2024, 6, 1), lines=[])
    both_languages(client, "/so-kham-chua-benh/", holder, [
        "<h1>Lịch sử khám chữa bệnh</h1>", "Các lượt khám chữa bệnh BHYT của bạn do cơ sở KCB gửi lên cơ quan BHXH",
        ">Tổng hợp theo năm</h2>", "Chọn một năm trong bảng để xem các lượt khám của năm đó.",
        'aria-label="Tổng hợp chi phí khám chữa bệnh theo năm"', ">Số lượt khám</th>", ">Năm 2025 <span",
        "(1 lượt khám)", "<dt>Tổng chi phí</dt>", "<dt>BHYT chi trả</dt>", "<dt>Người bệnh chi trả</dt>",
        " – xem chi tiết</span>", "<dt>Cơ sở KCB</dt>", '<span class="muted">(mã ', "<dt>Hình thức điều trị</dt>",
        "<dt>Ngày vào – ngày ra</dt>", "<dt>Chẩn đoán chính</dt>", "<dt>Mã lượt khám</dt>",
        ">Chi phí chi tiết của lượt khám LK",
    ], [
        "<h1>Medical visit history</h1>", "Your health insurance visits that healthcare facilities have reported",
        ">Totals by year</h2>", "Choose a year in the table to see that year's visits.", ">Year 2025 <span",
        "(1 visit)", "<dt>Total cost</dt>", "<dt>Paid by health insurance</dt>", " – show details</span>",
        '<span class="muted">(code ', "<dt>Main diagnosis</dt>", ">Itemised costs of visit LK",
    ])
    both_languages(client, "/so-kham-chua-benh/?nam=2024", holder, [
        ">Năm 2024 <span", "(2 lượt khám)", "(3 ngày điều trị)",
    ], [">Year 2024 <span", "(2 visits)", "(3 days of treatment)"])
    both_languages(client, f"/so-kham-chua-benh/{inpatient.pk}/", holder, [
        "← Lịch sử khám chữa bệnh</a>", "<h1>Lượt khám nội trú ngày 01/05/2024</h1>", "<dt>Người bệnh</dt>",
        "<h2>Chi phí chi tiết</h2>", ">Nhóm chi phí</th>", ">Nội dung</th>", ">Số lượng</th>", ">Đơn giá</th>",
        ">Thành tiền</th>", ">Người bệnh trả</th>", ">Cộng</th>", 'aria-label="Chi phí chi tiết của lượt khám LK',
    ], ["← Medical visit history</a>", "<h1>Visit on 01/05/2024 (", "<dt>Patient</dt>", "<h2>Itemised costs</h2>",
        ">Cost group</th>", ">Total</th>"])
    both_languages(client, f"/so-kham-chua-benh/{without_lines.pk}/", holder, [
        "Cơ sở KCB chưa gửi chi phí chi tiết của lượt khám này.",
    ], ["has not sent the itemised costs of this visit yet."])
    child = Guardianship.objects.get(parent=holder).child
    client.post("/ca-nhan/xem/", {"child": child.pk}, follow=True)  # the switch's message shown
    both_languages(client, "/so-kham-chua-benh/", None, [
        f"Đang xem thông tin của <strong>{child.full_name}</strong>.", ">Quay về tài khoản của tôi</button>",
        f"Các lượt khám chữa bệnh BHYT của {child.full_name} do", "Chưa có lượt khám chữa bệnh BHYT nào được ghi nhận.",
    ], [
        f"You are viewing the details of <strong>{child.full_name}</strong>.", ">Back to my account</button>",
        f"The health insurance visits of {child.full_name} that", "No health insurance visit has been recorded yet.",
    ])


@pytest.mark.django_db
def test_who_has_viewed_my_card_in_english(client, holder, facility, clinic_user):  # noqa: F811
    from health_card.models import Card, CardCheck
    from health_card.qr import Purpose
    from health_card.services import api_token_create, card_check, card_qr

    both_languages(client, "/the-bhyt/ai-da-xem/", holder, ["<h1>Ai đã xem thẻ của tôi</h1>", "Chưa có lần xác thực nào."],
                   ["<h1>Who has viewed my card</h1>", "The card has not been checked yet."])
    qr = card_qr(Card.objects.get(person=holder.person), purpose=Purpose.SCREEN)
    token, _raw = api_token_create(facility=facility, name="HIS")
    card_check(channel=CardCheck.Channel.API, token=token, payload=qr)
    card_check(channel=CardCheck.Channel.QR, user=clinic_user, payload=qr)
    card_check(channel=CardCheck.Channel.PUBLIC, payload=qr)
    both_languages(client, "/the-bhyt/ai-da-xem/", holder, [
        "Mỗi lần thẻ BHYT được xác thực (quét mã QR, nhập mã thẻ", 'aria-label="Các lần xác thực thẻ"',
        ">Các lần xác thực thẻ, mới nhất trước</caption>", ">Thời điểm</th>", ">Ai xác thực</th>", ">Cơ sở KCB</th>",
        ">Cách xác thực</th>", ">Kết quả</th>", "Phần mềm: HIS", "Khách (không đăng nhập)", ">Quay lại thẻ BHYT</a>",
    ], [
        "Every time your health insurance card is checked (by scanning its QR code", ">Card checks, newest first</caption>",
        ">Time</th>", ">Checked by</th>", ">Healthcare facility</th>", ">Method</th>", ">Result</th>", "Software: HIS",
        "Visitor (not logged in)", ">Back to the health insurance card</a>",
    ])


@pytest.mark.django_db
def test_the_child_being_viewed_is_named_in_english(client, holder):
    child = Guardianship.objects.get(parent=holder).child
    client.force_login(holder)
    client.post("/ca-nhan/xem/", {"child": child.pk})
    for url in ("/ca-nhan/", "/thong-tin-huong/"):
        vi = read(client, url, "vi")
        assert f"Đang xem thông tin của <strong>{child.full_name}</strong>." in vi and "Quay về tài khoản của tôi" in vi
        en = read(client, url, "en")
        assert f"You are viewing the details of <strong>{child.full_name}</strong>." in en
        assert "Đang xem thông tin" not in en and "Quay về tài khoản của tôi" not in en and "Back to my account" in en


# --- Participation history and statements ------------------------------------------------------

def history_of(person):
    """Compulsory BHXH with an employer (2 months owed), voluntary BHXH self-paid and by household with a
    gap before it, a year of BHYT, and 61 one-month BHTNLĐ-BNN periods (two pages); no BHTN."""
    period(person, "01/2015", "12/2017")
    period(person, "01/2018", "06/2019", unpaid=2)
    period(person, "07/2019", "11/2019", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF)
    period(person, "03/2020", "05/2020", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.HOUSEHOLD)
    period(person, "01/2015", "12/2015", kind=Period.Kind.BHYT)
    for number in range(61):
        year, month = divmod(number, 12)
        period(person, f"{month + 1:02d}/{2000 + year}", f"{month + 1:02d}/{2000 + year}", kind=Period.Kind.BHTNLD)


@pytest.mark.django_db
def test_the_participation_history_page_in_english(client, reference_data):
    user = citizen()
    history_of(user.person)
    both_languages(client, "/qua-trinh-tham-gia/", user, [
        "<h1>Quá trình tham gia</h1>", "Nguyễn Văn Đức · Mã số BHXH 7901234567</p>", 'aria-label="Loại bảo hiểm"',
        'aria-current="page">BHXH</a>', ">BHTN</a>", ">BHTNLĐ-BNN</a>", ">BHYT</a>", '<h2 id="tong-hop">Tổng hợp BHXH</h2>',
        "<dt>Tổng thời gian tham gia</dt><dd><strong>5 năm 2 tháng</strong> (62 tháng, từ 01/2015 đến 05/2020)</dd>",
        "<dt>Số tháng đã đóng</dt><dd>60 tháng</dd>",
        "<dt>Số tháng còn nợ</dt><dd><strong>2 tháng</strong> – đơn vị chưa đóng đủ; hãy liên hệ đơn vị hoặc cơ quan BHXH.</dd>",
        "<dt>Khoảng gián đoạn</dt><dd>12/2019–02/2020</dd>", ">Mức đóng bình quân hằng tháng theo năm</h2>",
        ">Biểu đồ cột mức đóng bình quân hằng tháng theo năm; số liệu chi tiết ở bảng bên dưới.</title>",
        ">Cao nhất: 10.000.000 đ</text>", "<summary>Xem số liệu dạng bảng</summary>",
        'aria-label="Mức đóng bình quân hằng tháng theo năm"', ">Năm</th>", ">Mức đóng bình quân/tháng</th>",
        ">Các giai đoạn (mới nhất trước)</h2>", " · Hộ gia đình · 3 tháng<span", " · <strong>nợ 2 tháng</strong>",
        "<span class=\"visually-hidden\"> – xem chi tiết</span>", "<dt>Loại</dt><dd>BHXH bắt buộc</dd>",
        "<dt>Loại</dt><dd>BHXH tự nguyện</dd>", "<dt>Người đóng</dt><dd>Đơn vị sử dụng lao động: ",
        "<dt>Người đóng</dt><dd>Tự đóng</dd>", "<dt>Tiền lương đóng</dt>", "<dt>Mức đóng</dt>", "<dt>Tỷ lệ đóng</dt>",
        "<dt>Số tiền đóng mỗi tháng</dt>", "<dt>Tỉnh/thành phố</dt>", "<dt>Cơ quan BHXH quản lý</dt>", ">Tải về</h2>",
        ">Tải toàn bộ quá trình tham gia (CSV)</a>", ">Tải bản xác nhận quá trình tham gia</button>",
        "Bản xác nhận (PDF) có mã QR và mã xác thực",
    ], [
        "<h1>Contribution history</h1>", "Nguyễn Văn Đức · Social insurance code 7901234567</p>",
        'aria-label="Insurance type"', 'aria-current="page">Social insurance</a>', ">Unemployment insurance</a>",
        ">Occupational accident and disease insurance</a>", ">Health insurance</a>",
        '<h2 id="tong-hop">Social insurance summary</h2>',
        "<dt>Total time of participation</dt><dd><strong>5 years 2 months</strong> (62 months, from 01/2015 to 05/2020)</dd>",
        "<dt>Months paid</dt><dd>60 months</dd>", "<dt>Months owed</dt><dd><strong>2 months</strong> – the employer",
        "<dt>Gaps</dt><dd>12/2019–02/2020</dd>", ">Average monthly contribution base by year</h2>",
        ">Highest: 10,000,000 VND</text>", "<summary>Show the figures as a table</summary>", ">Year</th>",
        ">Periods (newest first)</h2>", " · Household · 3 months<span", " · <strong>2 months owed</strong>",
        "<span class=\"visually-hidden\"> – show details</span>", "<dt>Type</dt><dd>Compulsory social insurance</dd>",
        "<dt>Type</dt><dd>Voluntary social insurance</dd>", "<dt>Payer</dt><dd>Employer: ", "<dt>Payer</dt><dd>Self-paid</dd>",
        "<dt>Contribution salary</dt>", "<dt>Contribution base</dt>", "<dt>Contribution rate</dt>",
        "<dt>Monthly contribution</dt>", "<dt>Province/city</dt>", ">Downloads</h2>",
        ">Download the whole contribution history (CSV, in Vietnamese)</a>", ">Get a statement of contribution history</button>",
    ])
    both_languages(client, "/qua-trinh-tham-gia/bhyt/", user, [
        "<dt>Số tháng còn nợ</dt><dd>Không</dd>", "<dt>Khoảng gián đoạn</dt><dd>Không có</dd>", "<dd>BHYT</dd>",
    ], ["<dt>Months owed</dt><dd>None</dd>", "<dt>Gaps</dt><dd>None</dd>", "<dd>Health insurance</dd>"])
    both_languages(client, "/qua-trinh-tham-gia/bhtnld/", user, [
        "<p>Giai đoạn 1–60 trong 61, trang 1/2.</p>", "<dd>BHTNLĐ-BNN</dd>", " · 1 tháng<span",
    ], ["<p>Periods 1–60 of 61, page 1/2.</p>", "<dd>Occupational accident and disease insurance</dd>", " · 1 month<span"])
    both_languages(client, "/qua-trinh-tham-gia/bhtn/", user, ["<p>Chưa có giai đoạn tham gia BHTN nào.</p>"],
                   ["<p>Unemployment insurance: no periods yet.</p>"])


@pytest.mark.django_db
def test_the_statement_pages_in_english(client, reference_data, django_capture_on_commit_callbacks):
    from participation.services.statements import code_display, code_new, verify_path

    user = citizen()
    history_of(user.person)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/qua-trinh-tham-gia/xac-nhan/")
    ready = Statement.objects.get()
    assert ready.status == Statement.Status.READY
    failed = Statement.objects.create(code=code_new(), person=user.person, requested_by=user,
                                      status=Statement.Status.FAILED)
    both_languages(client, "/qua-trinh-tham-gia/xac-nhan/", user, [
        "<h1>Bản xác nhận quá trình tham gia</h1>", "Mã số BHXH 7901234567</p>",
        "<p>Bản xác nhận liệt kê toàn bộ quá trình tham gia BHXH, BHTN, BHTNLĐ-BNN và BHYT", ">Các bản đã yêu cầu</h2>",
        'aria-label="Các bản xác nhận đã yêu cầu, mới nhất trước"', ">Mã xác thực</th>", ">Yêu cầu lúc</th>",
        ">Trạng thái</th>", "<td>Sẵn sàng</td>", "<td>Lỗi</td>", ">Quay lại quá trình tham gia</a>",
    ], [
        "<h1>Statement of contribution history</h1>", "Social insurance code 7901234567</p>",
        "<p>The statement lists your whole history of social insurance,", ">Requested statements</h2>",
        ">Verification code</th>", ">Requested at</th>", ">Status</th>", "<td>Ready</td>", "<td>Failed</td>",
        ">Back to the contribution history</a>",
    ])
    both_languages(client, f"/qua-trinh-tham-gia/xac-nhan/{ready.pk}/", user, [
        "<strong>Văn bản đã sẵn sàng.</strong>", ">Tải bản xác nhận (PDF)</a>",
        "Liên kết tải có hiệu lực 15 phút; tải lại trang để lấy liên kết mới.", "<dt>Mã xác thực</dt>",
        "<dt>Yêu cầu lúc</dt>", "<dt>Ngày cấp</dt>", "<dt>Mã băm nội dung (SHA-256)</dt>", "<dt>Trang xác thực</dt>",
        f"Bên nhận văn bản quét mã QR in trên văn bản, hoặc mở trang xác thực và nhập mã <strong>{code_display(ready.code)}",
        ">Các bản xác nhận đã yêu cầu</a>",
    ], [
        "<strong>The document is ready.</strong>", ">Download the statement (PDF, in Vietnamese)</a>", "<dt>Issued on</dt>",
        "<dt>Content hash (SHA-256)</dt>", "<dt>Verification page</dt>",
        f"opens the verification page and types the code <strong>{code_display(ready.code)}</strong>",
    ])
    both_languages(client, f"/qua-trinh-tham-gia/xac-nhan/{failed.pk}/", user, [
        "<p><strong>Chưa tạo được văn bản.</strong> Đã có lỗi khi tạo tệp PDF.</p>", ">Tạo lại văn bản</button>",
    ], ["<p><strong>The document could not be created.</strong> An error occurred while making the PDF file.</p>",
        ">Create the document again</button>"])
    Statement.objects.filter(pk=failed.pk).update(status=Statement.Status.BUILDING)
    both_languages(client, f"/qua-trinh-tham-gia/xac-nhan/{failed.pk}/", user, [
        "<strong>Văn bản đang được tạo.</strong> Thường chỉ mất vài giây.", "Trang tự cập nhật khi văn bản sẵn sàng.",
        ">Dừng tự động cập nhật</button>", ">Tải lại để xem trạng thái mới</a>",
    ], ["<strong>The document is being made.</strong> This usually takes only a few seconds.",
        ">Stop updating automatically</button>", ">Reload to see the latest status</a>"])
    both_languages(client, verify_path(failed.code), None, [f"<p>Mã xác thực: <strong>{code_display(failed.code)}</strong>"],
                   [f"<p>Verification code: <strong>{code_display(failed.code)}</strong>"])
    Statement.objects.filter(pk=failed.pk).update(build_started_at=timezone.now() - datetime.timedelta(hours=1))
    both_languages(client, f"/qua-trinh-tham-gia/xac-nhan/{failed.pk}/", user,
                   ["<strong>Việc tạo văn bản lâu hơn bình thường.</strong>"],
                   ["<strong>Making the document is taking longer than usual.</strong>"])

    # The public check page: what the holder sees, then an anonymous visitor.
    both_languages(client, verify_path(ready.code), user, [
        ">Tải bản xác nhận (PDF)</a>", "Chỉ bạn (người tham gia hoặc người giám hộ) thấy liên kết này.",
    ], [">Download the statement (PDF, in Vietnamese)</a>", "Only you (the insured person or their guardian) can see this link."])
    client.logout()
    both_languages(client, verify_path(ready.code), None, [
        "<h1>Xác thực văn bản</h1>",
        "<strong>Văn bản hợp lệ.</strong> Bản xác nhận quá trình tham gia này do Cổng dịch vụ BHXH số cấp.",
        "<dt>Loại văn bản</dt><dd>Bản xác nhận quá trình tham gia BHXH, BHTN, BHTNLĐ-BNN, BHYT</dd>",
        "<dt>Người tham gia</dt><dd>NGUYỄN V*** Đ***</dd>", "<h2>Tổng hợp ghi trên văn bản</h2>",
        'aria-label="Tổng thời gian tham gia và số tháng còn nợ ghi trên văn bản"', ">Loại bảo hiểm</th>",
        ">Tổng thời gian tham gia</th>", ">Số tháng còn nợ</th>",
        '<th scope="row">BHXH</th><td>5 năm 2 tháng</td><td>2 tháng</td>',
        '<th scope="row">BHTN</th><td>Chưa có thời gian tham gia</td><td>0 tháng</td>',
        '<th scope="row">BHTNLĐ-BNN</th><td>5 năm 1 tháng</td>', '<th scope="row">BHYT</th><td>1 năm 0 tháng</td>',
        "Hãy đối chiếu ngày cấp, mã băm và các số tổng hợp trên", "<h2>Kiểm tra mã khác</h2>",
        ">16 ký tự, ví dụ ABCD-EFGH-JKLM-NPQR</span>", ">Kiểm tra</button>",
    ], [
        "<h1>Verify a document</h1>", "<strong>Valid document.</strong> This statement of contribution history was issued",
        "<dt>Document type</dt>", "<dt>Insured person</dt><dd>NGUYỄN V*** Đ***</dd>",
        "<h2>Totals stated on the document</h2>", ">Insurance type</th>",
        '<th scope="row">Social insurance</th><td>5 years 2 months</td><td>2 months</td>',
        '<th scope="row">Unemployment insurance</th><td>No participation yet</td><td>0 months</td>',
        '<th scope="row">Occupational accident and disease insurance</th><td>5 years 1 month</td>',
        '<th scope="row">Health insurance</th><td>1 year 0 months</td>', "<h2>Check another code</h2>",
        ">16 characters, for example ABCD-EFGH-JKLM-NPQR</span>", ">Check</button>",
    ])
    both_languages(client, "/xac-thuc/van-ban/AAAA-BBBB-CCCC-DDDD/", None, [
        "<strong>Không xác thực được văn bản này.</strong>", "Mã xác thực không đúng hoặc không có văn bản nào mang mã này.",
    ], ["<strong>This document could not be verified.</strong>", "The verification code is wrong, or no document has this code."])
    both_languages(client, "/xac-thuc/van-ban/", None, ["Nhập mã xác thực in dưới mã QR của bản xác nhận quá trình tham gia."],
                   ["Type the verification code printed under the QR code of the statement of contribution history."])


@pytest.mark.django_db
def test_the_statement_rate_limit_messages_in_english(client, reference_data):
    user = citizen()
    for _ in range(30):
        client.get("/xac-thuc/van-ban/", {"ma": "x"})
    said = {}
    for language in ("vi", "en"):
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get("/xac-thuc/van-ban/", {"ma": "x"})
        assert response.status_code == 429
        said[language] = response.content.decode()
    assert "Bạn đã tra cứu quá nhiều lần trong một phút. Hãy thử lại sau 1 phút." in said["vi"]
    assert "You have looked up too many codes in one minute. Try again in 1 minute." in said["en"]
    assert "Bạn đã tra cứu" not in said["en"]

    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "vi"
    for _ in range(10):
        Statement.objects.update(status=Statement.Status.FAILED)  # a build under way is not counted
        assert client.post("/qua-trinh-tham-gia/xac-nhan/").status_code == 302
    Statement.objects.update(status=Statement.Status.FAILED)
    vi = posted(client, "/qua-trinh-tham-gia/xac-nhan/", {}, "vi", 429)
    assert "Bạn đã yêu cầu quá nhiều bản xác nhận trong một giờ." in vi
    en = posted(client, "/qua-trinh-tham-gia/xac-nhan/", {}, "en", 429)
    assert "You have asked for too many statements in one hour." in en and "Bạn đã yêu cầu" not in en


# --- The card verify page's form, results and camera; card, visit and check labels ---------------

def inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)


@pytest.mark.django_db
def test_the_card_verify_forms_results_and_camera_messages_in_english(client, holder, clinic_user):  # noqa: F811
    from health_card.models import Card
    from health_card.qr import Purpose
    from health_card.services import card_qr, reissue_card

    card = Card.objects.get(person=holder.person)
    qr = card_qr(card, purpose=Purpose.SCREEN)
    client.force_login(clinic_user)
    page_vi = [
        ">Chuỗi mã QR trên thẻ</label>", "Đặt con trỏ vào ô này rồi quét mã QR bằng máy quét cầm tay",
        ">Mã thẻ BHYT</label>", "Mã số BHXH 10 chữ số, mã thẻ cũ 15 ký tự", ">Họ và tên</label>", ">Ngày sinh</label>",
        "dd/mm/yyyy hoặc ddmmyyyy, hoặc chỉ năm sinh (yyyy) nếu thẻ chỉ ghi năm.", 'data-say-opening="Đang mở camera…"',
        'data-say-aim="Đưa mã QR vào khung hình."', 'data-say-read="Đã đọc được mã QR, đang xác thực…"',
        'data-say-failed="Không mở được camera. Hãy cho phép dùng camera', 'data-say-stopped="Đã dừng camera."',
    ]
    page_en = [
        ">QR code string on the card</label>", "Put the cursor in this box and scan the QR code",
        ">Health insurance card number</label>", "The 10-digit social insurance code", ">Full name</label>",
        ">Date of birth</label>", "dd/mm/yyyy or ddmmyyyy, or only the year of birth (yyyy) if the card shows only the year.",
        'data-say-opening="Opening the camera…"', 'data-say-aim="Hold the QR code inside the frame."',
        'data-say-read="QR code read, verifying…"', 'data-say-failed="The camera could not be opened.',
        'data-say-stopped="Camera stopped."',
    ]
    both_languages(client, "/xac-thuc/the-bhyt/", None, page_vi, page_en)
    for language in ("vi", "en"):  # CSP without 'unsafe-inline': the camera's words come in attributes, not a script
        assert inline_scripts(read(client, "/xac-thuc/the-bhyt/", language)) == []

    answers = [  # (what is posted, status, Vietnamese, English)
        ({"cach": "quet", "ma_qr": ""}, 400, ["Quét hoặc dán chuỗi mã QR trên thẻ BHYT."],
         ["Scan or paste the QR code string of the health insurance card."]),
        ({"cach": "quet", "ma_qr": "x" * 2001}, 400, ["Chuỗi quá dài: đây không phải mã QR thẻ BHYT."],
         ["The string is too long: this is not a health insurance card QR code."]),
        ({"cach": "nhap"}, 400, ["Nhập mã thẻ BHYT.", "Nhập họ và tên ghi trên thẻ.", "Nhập ngày sinh theo dạng dd/mm/yyyy."],
         ["Enter the health insurance card number.", "Enter the full name shown on the card.",
          "Enter the date of birth as dd/mm/yyyy."]),
        ({"cach": "nhap", "so_the": "12", "ho_ten": "A", "ngay_sinh": "31/02/1990"}, 400,
         ["Mã thẻ gồm 10 chữ số, 15 ký tự (mã thẻ cũ) hoặc 12 chữ số (CCCD).",
          "Ngày sinh không có thật: kiểm tra lại ngày và tháng."],
         ["A card number has 10 digits, 15 characters (an old card number) or 12 digits",
          "This date of birth does not exist: check the day and the month."]),
        ({"cach": "nhap", "so_the": card.number, "ho_ten": "A", "ngay_sinh": "1990-01-01"}, 400,
         ["Nhập ngày sinh theo dạng dd/mm/yyyy, ví dụ 15/03/1988, hoặc năm sinh yyyy."],
         ["Enter the date of birth as dd/mm/yyyy, for example 15/03/1988, or the year of birth as yyyy."]),
        ({"cach": "quet", "ma_qr": qr}, 200, ["Thẻ hợp lệ</h2>", "<p>Thẻ đang có giá trị sử dụng.</p>"],
         ["Valid card</h2>", "<p>The card is currently valid.</p>"]),
        ({"cach": "quet", "ma_qr": "abc"}, 200,
         ["Không đọc được mã QR</h2>", "<p>Chuỗi không đúng định dạng mã QR thẻ BHYT. Hãy quét lại."],
         ["QR code not readable</h2>", "<p>The string does not have the format of a health insurance card QR code."]),
        ({"cach": "nhap", "so_the": card.number, "ho_ten": "Nguyễn Văn Tài", "ngay_sinh": "15/03/1988"}, 200,
         ["Sai họ tên</h2>", "<p>Họ tên không khớp với thông tin thẻ.</p>"],
         ["Wrong name</h2>", "<p>The name does not match the card.</p>"]),
        ({"cach": "nhap", "so_the": card.number, "ho_ten": holder.person.full_name, "ngay_sinh": "01/01/1990"}, 200,
         ["Sai ngày sinh</h2>", "<p>Ngày sinh không khớp với thông tin thẻ.</p>"],
         ["Wrong date of birth</h2>", "<p>The date of birth does not match the card.</p>"]),
        ({"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN, issued_at=int(timezone.now().timestamp()) - 3600)},
         200, ["Mã QR đã hết hạn</h2>", "<p>Mã QR trên màn hình chỉ dùng được 10 phút: hãy đề nghị người bệnh mở lại"],
         ["QR code expired</h2>", "<p>An on-screen QR code works for 10 minutes only: ask the patient to open"]),
    ]
    for data, status, vietnamese, english in answers:
        vi = posted(client, "/xac-thuc/the-bhyt/", data, "vi", status)
        assert [text for text in vietnamese if text not in vi] == [], data  # the control
        en = posted(client, "/xac-thuc/the-bhyt/", data, "en", status)
        assert [text for text in vietnamese if text in en] == [], data
        assert [text for text in english if text not in en] == [], data
    reissue_card(holder.person, "Mất thẻ")
    vi = posted(client, "/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": qr}, "vi")
    en = posted(client, "/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": qr}, "en")
    assert "Thẻ đã được cấp lại</h2>" in vi and "Đây là thẻ cũ: người bệnh đã được cấp thẻ mới." in vi
    assert "Card reissued</h2>" in en and "This is an old card: the patient has been issued a new one." in en
    assert "Thẻ đã được cấp lại" not in en and "Đây là thẻ cũ" not in en


@pytest.mark.django_db
def test_card_status_visit_kinds_cost_groups_and_check_channels_in_english(client, holder, facility, clinic_user):  # noqa: F811
    from health_card.models import Card, CardCheck
    from health_card.qr import Purpose
    from health_card.services import api_token_create, card_check, card_qr, card_revoke
    from tests.health_card.test_visits import line

    person = holder.person
    card = Card.objects.get(person=person)
    outpatient = visit(person, lines=[line(), line("xet_nghiem", "Công thức máu", unit_price=46_200),
                                      line("thuoc", "Paracetamol 500 mg", quantity="10", unit_price=500, unit="viên")])
    inpatient = visit(person, admitted=datetime.date(2024, 5, 1), kind="noi_tru", discharged_on=datetime.date(2024, 5, 4),
                      lines=[line("ngay_giuong", "Giường nội khoa", quantity="3", unit_price=200_000),
                             line("cdha", "X-quang ngực")])
    both_languages(client, "/so-kham-chua-benh/", holder, [" · Ngoại trú · "], [" · Outpatient · "])
    both_languages(client, "/so-kham-chua-benh/?nam=2024", holder, [
        " · Nội trú · ", "<dt>Hình thức điều trị</dt><dd>Nội trú</dd>",
    ], [" · Inpatient · ", "<dd>Inpatient</dd>"])
    both_languages(client, f"/so-kham-chua-benh/{outpatient.pk}/", holder, [">Xét nghiệm</td>", ">Thuốc</td>"],
                   [">Laboratory tests</td>", ">Medicines</td>"])
    both_languages(client, f"/so-kham-chua-benh/{inpatient.pk}/", holder, [">Ngày giường</td>", ">Chẩn đoán hình ảnh</td>"],
                   [">Bed days</td>", ">Imaging</td>"])

    token, _raw = api_token_create(facility=facility, name="HIS")
    qr = card_qr(card, purpose=Purpose.SCREEN)
    card_check(channel=CardCheck.Channel.API, token=token, payload=qr)
    card_check(channel=CardCheck.Channel.QR, user=clinic_user, payload=qr)
    card_check(channel=CardCheck.Channel.PUBLIC, payload=qr)
    card_check(channel=CardCheck.Channel.TYPED, user=clinic_user, number=card.number, full_name=person.full_name,
               birth_date=person.birth_date)
    card_check(channel=CardCheck.Channel.QR, user=clinic_user,
               payload=card_qr(card, purpose=Purpose.SCREEN, issued_at=int(timezone.now().timestamp()) - 3600))
    both_languages(client, "/the-bhyt/ai-da-xem/", holder, [
        ">Phần mềm của cơ sở KCB (API)</td>", ">Quét mã QR</td>", ">Trang xác thực công khai</td>",
        ">Nhập mã thẻ, họ tên, ngày sinh</td>", ">Thẻ hợp lệ</td>", ">Mã QR đã hết hạn</td>",
    ], [
        ">Healthcare facility software (API)</td>", ">Scanned QR code</td>", ">Public verification page</td>",
        ">Typed card number, name and date of birth</td>", ">Valid card</td>", ">QR code expired</td>",
    ])
    card_revoke(card=card, reason="Thu hồi theo quyết định")
    both_languages(client, "/the-bhyt/", holder, ["<strong>Thẻ đã thu hồi.</strong>"],
                   ["<strong>Card status: revoked.</strong>"])


# --- Lookup form errors, the BHXH-code lookup's question and answers, the registration steps -------

@pytest.mark.django_db
def test_lookup_filters_that_are_not_valid_and_empty_results_in_english(client, reference_data):
    both_languages(client, "/tra-cuu/diem-thu/?province=xx&ward=1", None, [
        "Chọn tỉnh/thành phố trong danh sách.", "Chọn phường/xã trong danh sách.",
        "Danh sách theo tỉnh/thành phố đã chọn; đổi tỉnh thì bấm “Cập nhật danh sách phường/xã”.",
        "Cập nhật danh sách phường/xã</button>",
    ], [
        "Choose a province or city from the list.", "Choose a ward or commune from the list.",
        "The list follows the chosen province or city; after changing it, press “Update the list of wards and "
        "communes”.", "Update the list of wards and communes</button>",
    ])
    from lookup.models import Ward

    saigon = Ward.objects.get(province__code="79", name="Phường Sài Gòn").code
    both_languages(client, f"/tra-cuu/diem-thu/?province=01&ward={saigon}", None, [
        "Phường Sài Gòn không thuộc Thành phố Hà Nội nên không được dùng để tìm",
    ], ["Phường Sài Gòn is not in Thành phố Hà Nội, so it was not used in the search"])
    both_languages(client, "/tra-cuu/co-so-kcb/?level=x&q=zzzz", None, [
        "Chọn tuyến trong danh sách.", ">0 kết quả</p>", "Không có kết quả phù hợp. Hãy thử từ khóa ngắn hơn",
    ], ["Choose a level from the list.", ">0 results</p>", "No matching results. Try shorter keywords"])


QUESTION = {"vi": r"Câu hỏi kiểm tra: (\d+) cộng (\d+) bằng mấy\?</label>",
            "en": r"Check question: What is (\d+) plus (\d+)\?</label>"}


def answered(client, language, **fields):
    """Posts the code lookup with the no-JavaScript question answered as a reader of `language` would."""
    from lookup.models import Province

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/tra-cuu/ma-so-bhxh/").content.decode()
    first, second = re.search(QUESTION[language], page).groups()
    data = {"full_name": "nguyen van duc", "birth_date": "15/03/1988", "province": Province.objects.get(code="79").pk,
            "id_number": "079088012345", "parent_name": "", "work": "",
            "challenge": re.search(r'name="challenge" value="([^"]+)"', page)[1],
            "answer": str(int(first) + int(second)), **fields}
    return client.post("/tra-cuu/ma-so-bhxh/", data)


@pytest.mark.django_db
def test_the_code_lookup_question_and_answers_in_english(client, reference_data, settings):
    """An English reader answers the question asked in English; the answer is checked as before."""
    from tests.accounts.helpers import make_person

    settings.CODE_LOOKUP_RATES = {"ip": "100/h", "network": "100/h"}
    make_person()
    vi = answered(client, "vi").content.decode()
    assert "<h2>Đã tìm thấy mã số BHXH</h2>" in vi and '<dd class="code-answer">7901234567</dd>' in vi  # the control
    response = answered(client, "en")
    en = main_and_footer(response.content.decode())
    assert response.status_code == 200
    assert [text for text in ["<h2>Social insurance code found</h2>", "<dt>Social insurance code</dt>",
                              '<dd class="code-answer">7901234567</dd>', "<dt>Full name</dt>",
                              'Use this code to <a href="/dang-ky/">register an account</a>'] if text not in en] == []
    assert "Đã tìm thấy" not in en and "Dùng mã số này" not in en and " cộng " not in en

    wrong = answered(client, "en", answer="999")  # no sum of two numbers below 100
    assert wrong.status_code == 400
    assert "The answer to the check question is wrong or has expired." in wrong.content.decode()
    unknown = main_and_footer(answered(client, "en", full_name="tran van an").content.decode())
    assert "No social insurance code matches the details you entered." in unknown and "Không tìm thấy" not in unknown
    assert "or call the helpline on " in unknown
    missing = main_and_footer(answered(client, "en", id_number="").content.decode())
    assert ("Enter the document number (citizen identity card, people’s identity card or passport), or the full name "
            "of the father or mother") in missing and "CCCD" not in missing


@pytest.mark.django_db
def test_the_refusal_past_the_failed_challenges_in_english(client, reference_data, settings):
    settings.CHALLENGE_FAILURE_RATE = "1/h"
    assert answered(client, "en", answer="999").status_code == 400
    response = answered(client, "en")
    html = response.content.decode()
    assert response.status_code == 429 and "Câu hỏi kiểm tra đã bị" not in html
    assert re.search(r"The check question has been answered wrongly too many times from the network you are using\. "
                     r"Try again in \d+ minutes?\.", html)  # "1 minute" in the hour's last minute


@pytest.mark.django_db
def test_the_registration_steps_and_status_in_english(client, reference_data):
    """The three steps, their messages and the status page follow the language; the SMS that the
    registration sends stays Vietnamese."""
    from lookup.models import Agency
    from notifications.models import Message
    from tests.accounts.helpers import declaration_data, jpeg, make_person

    make_person()
    too_long = posted(client, "/dang-ky/", declaration_data(email="a" * 250 + "@example.vn"), "en")
    assert "The email address is too long: 254 characters at most." in too_long and "quá dài" not in too_long
    assert client.post("/dang-ky/", declaration_data()).status_code == 302  # the language cookie is still "en"
    both_languages(client, "/dang-ky/anh/", None, [
        "<h1>Ảnh chân dung và giấy tờ tùy thân</h1>", ">Ảnh chân dung</label>", "Ảnh chụp rõ mặt, không đeo kính râm.",
        ">Ảnh mặt trước giấy tờ</label>", ">Ảnh mặt sau giấy tờ</label>", "Chụp đủ bốn góc, rõ chữ.",
        ">Quay lại bước 1</a>",
    ], [
        "<h1>Portrait and ID document photos</h1>", ">Portrait photo</label>",
        ">Photo of the front of the document</label>", "Show all four corners, with legible text.",
        ">Back to step 1</a>",
    ])
    kept = posted(client, "/dang-ky/anh/", {"portrait": jpeg()}, "en")
    assert "Photo received (see above). Choose another photo to replace it." in kept and "Đã nhận ảnh" not in kept
    assert client.post("/dang-ky/anh/", {"id_front": jpeg(), "id_back": jpeg()}).status_code == 302
    both_languages(client, "/dang-ky/co-quan/", None, [
        "<h1>Cơ quan BHXH tiếp nhận</h1>", ">Tìm cơ quan BHXH theo tên, mã hoặc địa chỉ</label>",
        "Mặc định hiển thị các cơ quan BHXH ở Thành phố Hồ Chí Minh.",
        "<legend>Chọn cơ quan BHXH tiếp nhận đăng ký</legend>", " · ĐT (028) ", ">Gửi đăng ký</button>",
        ">Quay lại bước 2</a>",
    ], [
        "<h1>Receiving social insurance agency</h1>",
        ">Find a social insurance agency by name, code or address</label>",
        "By default, the social insurance agencies in Thành phố Hồ Chí Minh are shown.", " · Tel. (028) ",
        ">Send the registration</button>", ">Back to step 2</a>",
    ])
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    status_url = client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code="07901").pk})["Location"]
    both_languages(client, status_url, None, [
        "<h1>Đăng ký giao dịch điện tử</h1>", "<p>Số tham chiếu: <strong>DK", "Trạng thái: <strong>Chờ duyệt</strong>",
        "<dt>Mã số BHXH</dt>", "<dt>Ngày nộp</dt>", "<dt>Cơ quan BHXH tiếp nhận</dt>", " · ĐT (028) ",
        "Cơ quan BHXH sẽ xem xét và báo kết quả qua SMS", "<h2>Tờ khai</h2>", "Tờ khai đang được tạo.",
    ], [
        "<h1>Registration for electronic transactions</h1>", "<p>Reference number: <strong>DK",
        "Status: <strong>Awaiting approval</strong>", "<dt>Submitted on</dt>",
        "<dt>Receiving social insurance agency</dt>",
        "The social insurance agency will review it and send the result by SMS", "<h2>Declaration</h2>",
        "The declaration is being created.",
    ])
    sms = Message.objects.get(channel=Message.Channel.SMS)  # the registrant's own request, read in English
    assert sms.body.startswith("BHXH: Registration DK") and sms.body.endswith(
        "for electronic transactions has been received. You will be told the result by SMS."), sms.body

    unknown = posted(client, "/dang-ky/tra-cuu/", {"reference": "DK0000000000", "bhxh_code": "7901234567",
                                                   "birth_date": "15/03/1988"}, "en")
    assert "No registration was found with this reference number, social insurance code and date of birth." in unknown
    assert "Không tìm thấy đăng ký" not in unknown


@pytest.mark.django_db
def test_the_public_services_page_of_a_logged_in_citizen_in_english(client, holder):
    both_languages(client, "/dich-vu-cong/", holder, [">Hồ sơ đã nộp và kết quả giải quyết</a>"],
                   [">Applications you have filed and their results</a>"])


# --- Numbers ----------------------------------------------------------------------------------
# Numbers and amounts take the separators of the page's language: "1.635.509.000 đ" and "12,5 năm"
# in Vietnamese, "1,635,509,000 VND" and "12.5 years" in English, where "1,5" is not one and a half.


@pytest.mark.django_db
def test_adjustment_coefficients_and_contribution_rates_follow_the_language(client, reference_data):
    user = citizen()
    SalaryAdjustment.objects.filter(scheme="bhxh_bb", year__in=[2015, 2016]).delete()
    SalaryAdjustment.objects.create(scheme="bhxh_bb", year=2015, coefficient=Decimal("1.63"), source="kiểm thử")
    SalaryAdjustment.objects.create(scheme="bhxh_bb", year=2016, coefficient=Decimal("1.20"), source="kiểm thử")
    rate_period = period(user.person, "01/2015", "12/2016", save=False)
    rate_period.rate = Decimal("10.50")
    rate_period.save()

    def cells(url, language, pattern):
        return re.findall(pattern, read(client, url, language, user))

    coefficient = r">(\d[\d.,]*)</td>\s*<td[^>]*>([\d.,]+ (?:đ|VND))</td>\s*</tr>"
    vi = cells("/thong-tin-huong/uoc-tinh/", "vi", coefficient)
    assert [number for number, _amount in vi] == ["1,63", "1,2"]
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})* đ", amount) for _number, amount in vi), vi
    en = cells("/thong-tin-huong/uoc-tinh/", "en", coefficient)
    assert [number for number, _amount in en] == ["1.63", "1.2"]
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})* VND", amount) for _number, amount in en), en
    assert cells("/qua-trinh-tham-gia/", "vi", r"<dt>Tỷ lệ đóng</dt><dd>([^<]*)</dd>") == ["10,5 %"]
    assert cells("/qua-trinh-tham-gia/", "en", r"<dt>Contribution rate</dt><dd>([^<]*)</dd>") == ["10.5%"]


@pytest.mark.django_db
def test_a_benefits_percentages_are_written_the_way_of_the_language(client, holder):
    """A percentage follows the page's language: its decimal separator and, in English, no space
    before the sign ("62.5%"), where the Vietnamese texts write "62,5 %"."""
    pension = record(holder.person, kind=BenefitRecord.Kind.PENSION, replacement_rate=Decimal("62.5"),
                     **decided(amount=None, monthly_amount=8_000_000))
    accident = record(holder.person, kind=BenefitRecord.Kind.ACCIDENT, impairment_percent=35)
    details = r"<dd>(\d[^<]*)</dd>"
    assert re.findall(details, read(client, f"/thong-tin-huong/{pension.pk}/", "vi", holder))[-1:] == ["62,5 %"]
    assert re.findall(details, read(client, f"/thong-tin-huong/{pension.pk}/", "en", holder))[-1:] == ["62.5%"]
    assert "35 %</dd>" in read(client, f"/thong-tin-huong/{accident.pk}/", "vi", holder)
    english = read(client, f"/thong-tin-huong/{accident.pk}/", "en", holder)
    assert "35%</dd>" in english and "35 %" not in english



@pytest.mark.django_db
def test_the_estimate_writes_its_numbers_the_way_of_the_language(client, reference_data):
    user = citizen()
    period(user.person, "01/2010", "06/2012")  # 30 months before 2014: 2 years, 6 months carried over
    period(user.person, "01/2015", "09/2020", unpaid=2)  # 67 + 6 = 73 months: 6.5 years
    both_languages(client, "/thong-tin-huong/uoc-tinh/", user, [
        "→ <strong>6,5 năm</strong>", "Trước năm 2014: 1,5 tháng × 2 năm = 3 tháng lương bình quân.",
        "Từ năm 2014: 2 tháng × 6,5 năm = 13 tháng lương bình quân.", "Mức hưởng ước tính = 16 tháng × ",
    ], [
        "→ <strong>6.5 years</strong>", "Before 2014: 1.5 months × 2 years = 3 months of average salary.",
        "From 2014: 2 months × 6.5 years = 13 months of average salary.", "Estimated benefit = 16 months × ",
    ])
    en = read(client, "/thong-tin-huong/uoc-tinh/", "en", user)
    amounts = re.findall(r"[\d.,]+ (?:đ|VND)\b", en)
    assert amounts and all(re.fullmatch(r"\d{1,3}(,\d{3})* VND", amount) for amount in amounts), amounts


@pytest.mark.django_db
def test_what_leaves_the_portal_stays_vietnamese_when_the_page_speaks_english(client, reference_data, facility):  # noqa: F811
    """A filing's recorded identity (its declaration prints it), a PDF, and the card-check API
    (hospital software reads "Nam"/"Nữ") do not follow the visitor's language."""
    import subprocess

    from health_card.qr import Purpose
    from health_card.services import api_token_create, card_qr
    from public_services.services.filings import _identity
    from tests.accounts.helpers import make_person
    from vssid_portal.pdf import render_pdf

    person = make_person()  # a man with a CCCD
    card = issue(person, facility)
    with translation.override("en"):
        assert person.get_sex_display() == "Male"  # the pages do follow the language
        identity = _identity(person)
        pdf = render_pdf("health_card/card_pdf.html", {"card": card, "person": person, "qr_uri": "", "photo_uri": ""})
    assert (identity["sex"], identity["id_type"]) == ("Nam", "Số CCCD/Căn cước")
    require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Nam" in text and "Male" not in text

    _token, raw = api_token_create(facility=facility, name="HIS")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = client.post("/api/xac-thuc/the-bhyt/", {"maQR": card_qr(card, purpose=Purpose.SCREEN)},
                         content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert answer["hopLe"] is True and answer["gioiTinh"] == "Nam"
    assert (answer["thongBao"], answer["ghiChu"]) == ("Thẻ hợp lệ", "Thẻ đang có giá trị sử dụng.")


@pytest.mark.django_db
def test_the_participation_csv_and_the_admin_log_of_a_period_stay_vietnamese(client, reference_data):
    """The CSV export keeps its Vietnamese columns and type and payer labels for the spreadsheets
    that read it (like the statement), and the admin's change log keeps a period's name (str) in
    Vietnamese, whatever the page's language."""
    user = citizen()
    history_of(user.person)
    client.force_login(user)
    files = {}
    for language in ("vi", "en"):
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get("/qua-trinh-tham-gia/xuat-csv/")
        files[language] = b"".join(response.streaming_content).decode("utf-8-sig")
    assert files["en"] == files["vi"]
    assert "\nBHXH bắt buộc,01/2018,06/2019," in files["en"] and ",Tự đóng," in files["en"]
    assert "Compulsory" not in files["en"] and "Self-paid" not in files["en"]
    with translation.override("en"):
        assert Period.Kind.BHYT.label == "Health insurance"  # the control
        assert str(Period.objects.get(kind="bhyt")) == "7901234567 BHYT 01/2015–12/2015"


@pytest.mark.django_db
def test_a_period_saved_from_an_english_page_is_announced_in_vietnamese(reference_data):
    from notifications.models import Message
    from participation.services.periods import period_save

    user = citizen()
    with translation.override("en"):
        period_save(period=period(user.person, "01/2021", "03/2021", kind=Period.Kind.BHXH_VOLUNTARY,
                                  payer=Period.Payer.SELF, save=False))
    notice, sms = (Message.objects.get(user=user, channel=channel).body for channel in ("inbox", "sms"))
    assert notice.startswith("BHXH: Quá trình tham gia BHXH tự nguyện vừa được cập nhật: 01/2021–03/2021, Tự đóng,"
                             " mức đóng 10.000.000 đ."), notice
    assert sms.startswith("BHXH: Quá trình tham gia của bạn vừa được cập nhật."), sms  # no details on a lock screen

@pytest.mark.django_db
def test_a_benefit_saved_from_an_english_page_is_logged_and_announced_in_vietnamese(holder):
    """An officer whose admin speaks English: the audit trail and the citizen's notices stay Vietnamese
    (the kind and status labels are lazy translations)."""
    from benefits.services import benefit_save
    from notifications.models import Message

    claim = record(holder.person, kind=BenefitRecord.Kind.MATERNITY, save=False)
    with translation.override("en"):
        benefit_save(record=claim)
        claim.status = BenefitRecord.Status.PROCESSING
        benefit_save(record=claim)
    assert list(claim.events.values_list("changes", flat=True)) == [
        "Tiếp nhận hồ sơ Thai sản, trạng thái Đã tiếp nhận.", "trạng thái: Đã tiếp nhận → Đang giải quyết"]
    told = Message.objects.filter(user=holder).order_by("pk")
    assert told.count() == 4  # a notice and an SMS for each change
    bodies = list(told.filter(channel="inbox").values_list("body", flat=True))
    # received: said once, by "đã tiếp nhận", not by a status saying it again
    assert "đã tiếp nhận hồ sơ hưởng chế độ thai sản" in bodies[0] and "Trạng thái" not in bodies[0]
    assert "Trạng thái: Đang giải quyết." in bodies[1]
    # by SMS only that the record changed (benefit.sms.txt), in Vietnamese too
    bodies += told.filter(channel="sms").values_list("body", flat=True)
    assert all(body.startswith("BHXH: Hồ sơ hưởng của bạn vừa được cập nhật.") for body in bodies[2:]), bodies
    assert [body for body in bodies if "Received" in body or "Being processed" in body] == []


# --- Public services, the login and account pages, the child registration ----------------------
# The procedures' names, documents, labels, choices and messages are lazy translations: the pages
# follow the visitor's language, while a filing's stored answers and documents, its declaration PDF
# and the notices it sends stay Vietnamese.

BOOK = "/dich-vu-cong/cap-lai-so-bhxh/"
CHANGE = "/dich-vu-cong/cap-lai-so-bhxh-thay-doi-thong-tin/"


def idempotency_key(client, url, language) -> str:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)


@pytest.fixture
def applicant(reference_data):
    from tests.public_services.helpers import citizen as filing_citizen

    return filing_citizen()


@pytest.mark.django_db
def test_a_procedure_form_and_its_messages_in_english(client, applicant):
    both_languages(client, BOOK, applicant, [
        "<h1>Cấp lại sổ BHXH do mất, hỏng (không thay đổi thông tin)</h1>",
        "Mã thủ tục 607A · Thời hạn giải quyết 10 ngày làm việc kể từ khi cơ quan BHXH tiếp nhận.",
        "<h2>Giấy tờ cần có</h2>", "<li>Sổ BHXH cũ nếu sổ bị hỏng</li>", "<h2>Người tham gia</h2>",
        "Lấy từ hồ sơ BHXH. Thông tin sai? Dùng thủ tục 608A để điều chỉnh.", "<dt>Họ và tên</dt>",
        "<dt>Giới tính</dt><dd>Nam</dd>", "<h2>Nội dung kê khai</h2>", "<legend>Lý do cấp lại</legend>",
        "> Bị mất sổ</label>",
        ">Nội dung yêu cầu</label>", "Ví dụ: mất sổ khi chuyển nhà. Tối đa 1000 ký tự.",
        ">Số điện thoại di động để cơ quan BHXH liên hệ</label>", ">Thư điện tử (không bắt buộc)</label>",
        "> Gửi qua bưu điện đến địa chỉ dưới đây</label>", ">Tiếp tục</button>", ">Quay lại</a>",
    ], [
        "<h1>Reissue of a lost or damaged social insurance book (details unchanged)</h1>",
        "Procedure code 607A · Handled within 10 working days of receipt by the social insurance agency.",
        "<h2>Documents needed</h2>", "<li>The old social insurance book, if it is damaged</li>",
        "<dt>Sex</dt><dd>Male</dd>",
        "<legend>Reason for the reissue</legend>", "> The book was lost</label>",
        ">Mobile number for the social insurance agency to contact you</label>",
        "> By post to the address below</label>", ">Continue</button>", ">Back</a>",
    ])
    errors = {
        "vi": ["<title>Lỗi: Cấp lại sổ BHXH", "Nhập nội dung yêu cầu cấp lại sổ.", "Chọn cách nhận kết quả.",
               "Nhập số điện thoại di động để cơ quan BHXH liên hệ."],
        "en": ["<title>Error: Reissue of a lost", "Enter your request for a new book.",
        "Choose how to receive the result.",
               "Enter a mobile number for the social insurance agency to contact you."],
    }
    for language, other in (("vi", "en"), ("en", "vi")):
        key = idempotency_key(client, BOOK, language)
        html = client.post(BOOK, {"idempotency_key": key}).content.decode()
        assert [text for text in errors[language] if text not in html] == [], language
        assert [text for text in errors[other] if text in html] == [], language


@pytest.mark.django_db
def test_the_review_page_in_english(client, applicant):
    from tests.accounts.helpers import jpeg
    from tests.public_services.helpers import answers

    client.force_login(applicant)
    key = idempotency_key(client, CHANGE, "vi")
    # A new sex comes with a new CCCD: the number encodes it.
    data = {**answers("608A", changes=["full_name", "sex", "id_number"], new_sex="2", new_id_number="079188012345"),
            "idempotency_key": key, "evidence_1": jpeg()}
    response = client.post(CHANGE, data)
    assert response.status_code == 302
    both_languages(client, f"{CHANGE}xem-lai/", None, [
        "<h1>Kiểm tra trước khi nộp</h1>", "(mã thủ tục 608A)",
        "<dt>Thông tin cần thay đổi</dt><dd>Họ và tên, Giới tính, Số CCCD</dd>",
        "<dt>Giới tính mới</dt><dd>Nữ</dd>", "<dt>Lý do thay đổi</dt>",
        "<dt>Cách nhận kết quả</dt><dd>Nhận tại cơ quan BHXH giải quyết hồ sơ</dd>", "<h2>Ảnh giấy tờ</h2>",
        'alt="Ảnh giấy tờ chứng minh đã tải lên"', ">Sửa nội dung kê khai</a>",
        "Khi bấm “Nộp hồ sơ”, bạn cam đoan nội dung kê khai là đúng sự thật. Cổng tạo “Tờ khai tham gia, điều chỉnh "
        "thông tin BHXH, BHYT (mẫu TK1-TS)” từ nội dung trên để bạn tải về.", ">Nộp hồ sơ</button>",
    ], [
        "<h1>Check before submitting</h1>", "(procedure code 608A)",
        "<dt>Details to change</dt><dd>Full name, Sex, Citizen identity card number</dd>",
        "<dt>New sex</dt><dd>Female</dd>",
        "<dt>How to receive the result</dt><dd>Collect it at the social insurance agency handling the application</dd>",
        'alt="Photo of the supporting document (uploaded)"', "The portal makes the “Declaration of participation and "
        "change of social and health insurance details (form TK1-TS)” from them", ">Submit the application</button>",
    ])


@pytest.mark.django_db
def test_filing_status_pages_and_the_filing_list_in_english(client, applicant, district_officer):
    from public_services.services import filing_receive, filing_return
    from tests.public_services.helpers import submit, withdrawn

    filing = submit(applicant, "608A")
    number = filing.tracking_number
    both_languages(client, f"/dich-vu-cong/ho-so/{filing.pk}/", applicant, [
        f"<h1>Hồ sơ {number}</h1>", "<dt>Trạng thái</dt><dd><strong>Đã nộp</strong></dd>",
        "<dt>Tiếp theo</dt><dd>Cơ quan BHXH sẽ kiểm tra và tiếp nhận hồ sơ;", "<dt>Cơ quan giải quyết</dt>",
        "<dt>Hẹn trả kết quả</dt>", "(dự kiến; tính lại khi cơ quan BHXH tiếp nhận)", "<h2>Tờ khai</h2>",
        "<strong>Tờ khai đang được tạo.</strong>", f'aria-label="Quá trình xử lý hồ sơ {number}"', ">Ghi chú</th>",
        "<td>Đã nộp</td>", "<dt>Thông tin cần thay đổi</dt><dd>Họ và tên, Ngày sinh</dd>", "<h2>Giấy tờ kèm theo</h2>",
        ">Ảnh giấy tờ chứng minh</a>", "<h2>Rút hồ sơ</h2>", f">Rút hồ sơ {number}</a>", ">Các hồ sơ đã nộp</a>",
    ], [
        f"<h1>Application {number}</h1>", "<dt>Status</dt><dd><strong>Submitted</strong></dd>",
        "<dt>Next</dt><dd>The social insurance agency will check and receive the application;",
        "(estimated; counted again when the social insurance agency receives it)",
        "<strong>The declaration is being made.</strong>", f'aria-label="Processing history of application {number}"',
        "<td>Submitted</td>", "<dt>Details to change</dt><dd>Full name, Date of birth</dd>",
        ">Photo of the supporting document</a>", f">Withdraw application {number}</a>",
    ])
    withdrawn(filing)  # a 607A is not filed while the 608A is in hand
    returned = submit(applicant, "607A")
    filing_receive(filing=returned, officer=district_officer)
    filing_return(filing=returned, officer=district_officer, what="Bổ sung bản chụp sổ cũ.")
    both_languages(client, f"/dich-vu-cong/ho-so/{returned.pk}/", applicant, [
        "<strong>Cần bổ sung, sửa đổi</strong>", '<dt>Cần bổ sung, sửa đổi</dt><dd lang="vi">Bổ sung bản chụp sổ cũ.</dd>',
        "Sửa, bổ sung hồ sơ theo nội dung cơ quan BHXH đề nghị rồi nộp lại", ">Sửa và nộp lại hồ sơ</a>",
        "<td>Đã tiếp nhận</td>",
    ], [
        "<strong>Returned for correction</strong>",
        '<dt>To be corrected or completed</dt><dd lang="vi">Bổ sung bản chụp sổ cũ.</dd>',
        "Correct or complete the application as the social insurance agency asks", "<td>Received</td>",
    ])
    both_languages(client, f"/dich-vu-cong/ho-so/{returned.pk}/sua/", applicant, [
        f"Cơ quan BHXH đề nghị bổ sung, sửa đổi hồ sơ {returned.tracking_number}:", ">Nộp lại hồ sơ</button>",
    ], [
        f"The social insurance agency asks you to correct or complete application {returned.tracking_number}:",
        ">Resubmit the application</button>",
    ])
    both_languages(client, "/dich-vu-cong/ho-so/", applicant, [
        "<h1>Hồ sơ đã nộp</h1>", "Nguyễn Văn Đức · Mã số BHXH 7901234567", ">Số hồ sơ</th>", ">Thủ tục</th>",
        ">Ngày nộp</th>", ">Hẹn trả kết quả</th>",
        ">Cấp lại sổ BHXH do thay đổi họ tên, ngày sinh, giới tính, số CCCD</td>",
        ">Cần bổ sung, sửa đổi</td>", ">Nộp hồ sơ mới</a>",
    ], [
        "<h1>Submitted applications</h1>", "Nguyễn Văn Đức · Social insurance code 7901234567",
        ">Application number</th>",
        ">Reissue of the social insurance book after a change of name, date of birth, sex or citizen identity card "
        "number</td>", ">Returned for correction</td>", ">Submit a new application</a>",
    ])


@pytest.mark.django_db
def test_the_notes_the_portal_writes_in_a_filings_history_follow_the_language(client, applicant, district_officer):
    from public_services.models import FilingEvent
    from public_services.services import filing_receive, filing_resubmit, filing_return
    from tests.public_services.helpers import answers, submit, withdrawn

    taken_back = withdrawn(submit(applicant, "607A"))
    resubmitted = submit(applicant, "608A")
    filing_receive(filing=resubmitted, officer=district_officer)
    filing_return(filing=resubmitted, officer=district_officer, what="Ảnh CCCD bị mờ, chụp lại.")
    filing_resubmit(filing=resubmitted, user=applicant, data=answers("608A"), uploads={}, revision=1)
    # The audit trail officers read keeps the notes in Vietnamese, whatever the page's language.
    assert set(FilingEvent.objects.exclude(note="").values_list("note", flat=True)) == {
        "Người nộp rút hồ sơ.", "Ảnh CCCD bị mờ, chụp lại.", "Người nộp đã sửa và nộp lại hồ sơ."}
    both_languages(client, f"/dich-vu-cong/ho-so/{taken_back.pk}/", applicant,
                   ["<td>Người nộp rút hồ sơ.</td>"], ["<td>The applicant withdrew the application.</td>"])
    both_languages(client, f"/dich-vu-cong/ho-so/{resubmitted.pk}/", applicant,
                   ["<td>Người nộp đã sửa và nộp lại hồ sơ.</td>"],
                   ["<td>The applicant corrected and resubmitted the application.</td>"])
    for language in ("vi", "en"):  # what an officer typed is shown as typed, marked as Vietnamese
        html = read(client, f"/dich-vu-cong/ho-so/{resubmitted.pk}/", language)
        assert '<td lang="vi">Ảnh CCCD bị mờ, chụp lại.</td>' in html, language


@pytest.mark.django_db
def test_the_english_pages_of_filings_name_the_card_the_agency_and_the_record_in_english(
        client, applicant, district_officer, facility):  # noqa: F811
    """English sentences said "BHYT card", "BHXH agency" and "BHXH record", which an English
    reader cannot decode: the rest of the English pages say health or social insurance."""
    from public_services.banks import bank_choices
    from public_services.services import filing_receive
    from tests.public_services.helpers import answers, submit

    abbreviations = re.compile(r"BHYT card|BHXH (agency|record)")
    filing = submit(applicant, "607A")
    both_languages(client, f"/dich-vu-cong/ho-so/{filing.pk}/", applicant,
                   ["Bạn có thể rút hồ sơ khi cơ quan BHXH chưa tiếp nhận hoặc đã trả lại để bổ sung."],
                   ["You can withdraw the application before the social insurance agency receives it, or after it has "
                    "been returned for correction."])
    filing_receive(filing=filing, officer=district_officer)
    for language, said in (("vi", "Chỉ rút được hồ sơ khi cơ quan BHXH chưa tiếp nhận hoặc đã trả lại để bổ sung."),
                           ("en", "An application can only be withdrawn before the social insurance agency has "
                                  "received it, or after it has been returned for correction.")):
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get(f"/dich-vu-cong/ho-so/{filing.pk}/rut/", follow=True).content.decode()
        assert said in html and not abbreviations.search(html), language
    both_languages(client, "/dich-vu-cong/cap-lai-the-bhyt/", None,
                   ["Nguyễn Văn Đức chưa có thẻ BHYT đang sử dụng nên không cấp lại được. Hãy liên hệ cơ quan BHXH "
                    "quản lý."],
                   ["Nguyễn Văn Đức has no health insurance card in use, so it cannot be reissued. Please contact the "
                    "managing social insurance agency."])
    url = "/dich-vu-cong/thay-doi-phuong-thuc-nhan/"
    html = posted(client, url, {**answers("THAY-DOI-CHI-TRA", method="tai_khoan", bank=bank_choices()[0][0],
                                          account_number="0123456789", account_holder="TRAN THI MAI", post_office=""),
                                "idempotency_key": idempotency_key(client, url, "en")}, "en")
    assert ("The account must be in the beneficiary&#x27;s name: enter Nguyễn Văn Đức as the account holder, as in the "
            "social insurance record.") in html
    assert not abbreviations.search(html)
    from lookup.models import MedicalFacility, Province

    MedicalFacility.objects.create(code="79Z03", name="Phòng khám tư Hòa Bình", province=Province.objects.get(code="79"),
                                   bhyt_contract=False)
    both_languages(client, "/tra-cuu/co-so-kcb/?q=phong+kham+tu+hoa+binh", None,
                   ["không có hợp đồng khám chữa bệnh BHYT: thẻ BHYT không dùng được ở đó."],
                   ["have no health insurance contract: the health insurance card cannot be used there."])


VIETNAMESE_DOWNLOADS = {  # the files are written in Vietnamese whatever the page's language (vssid_portal.pdf)
    "Tải tờ khai đăng ký (PDF)": "Download the registration declaration (PDF, in Vietnamese)",
    "Tải thẻ để in (PDF)": "Download the card to print (PDF, in Vietnamese)",
    "Tải toàn bộ quá trình tham gia (CSV)": "Download the whole contribution history (CSV, in Vietnamese)",
    "Tải bản xác nhận (PDF)": "Download the statement (PDF, in Vietnamese)",
    "Tải tờ khai (PDF)": "Download the declaration (PDF, in Vietnamese)",
}


def test_every_download_of_a_vietnamese_file_says_so_in_english():
    with translation.override("en"):
        assert {vietnamese: translation.gettext(vietnamese) for vietnamese in VIETNAMESE_DOWNLOADS} == VIETNAMESE_DOWNLOADS


@pytest.mark.django_db
def test_an_english_reader_is_told_the_card_and_the_declaration_they_download_are_in_vietnamese(
        client, holder, django_capture_on_commit_callbacks):
    from tests.public_services.helpers import submit

    both_languages(client, "/the-bhyt/", holder, [">Tải thẻ để in (PDF)</a>"],
                   [">Download the card to print (PDF, in Vietnamese)</a>"])
    with django_capture_on_commit_callbacks(execute=True):
        filing = submit(holder, "607A")
    both_languages(client, f"/dich-vu-cong/ho-so/{filing.pk}/", holder, [">Tải tờ khai (PDF)</a>"],
                   [">Download the declaration (PDF, in Vietnamese)</a>"])


@pytest.mark.django_db
def test_the_feedback_form_and_its_messages_in_english(client, reference_data):
    from django.core.cache import cache

    cache.clear()  # no rate limit left by another test
    url = "/dich-vu-cong/phan-anh/"
    both_languages(client, url, None, [
        "<h1>Gửi phản ánh, kiến nghị</h1>", "Không cần đăng nhập.", "Bạn nhận mã phản ánh ngay sau khi gửi",
        "<h2>Nội dung</h2>", "<legend>Loại</legend>", "> Phản ánh</label>", "> Kiến nghị</label>", ">Lĩnh vực</label>",
        "– Chọn lĩnh vực –", ">Thẻ BHYT, khám chữa bệnh BHYT</option>", ">Cơ quan BHXH nhận phản ánh</label>",
        "Mô tả sự việc, thời gian, nơi xảy ra; tối đa 3000 ký tự.", ">Tệp đính kèm (không bắt buộc)</label>",
        "<h2>Thông tin liên hệ</h2>", ">Số điện thoại di động</label>", "Nhận câu trả lời qua thư điện tử.",
        ">Quay lại trang Hỗ trợ</a>",
    ], [
        "<h1>Send feedback or a complaint</h1>", "No login needed.", "<h2>Your feedback</h2>", "> Complaint</label>",
        "> Suggestion</label>", ">Topic</label>",
        ">Health insurance card, medical care under health insurance</option>",
        "Describe what happened, when and where; 3000 characters at most.", ">Attachment (optional)</label>",
        "<h2>Contact details</h2>", ">Mobile phone number</label>", ">Back to Help</a>",
    ])
    answers = {
        "vi": ["Chọn lĩnh vực của phản ánh, kiến nghị.", "Nhập nội dung phản ánh, kiến nghị.",
               "Nhập số điện thoại di động hoặc thư điện tử để nhận câu trả lời."],
        "en": ["Choose the topic of your feedback.", "Enter the details of your feedback.",
               "Enter a mobile phone number or an email address to receive the answer."],
    }
    for language, other in (("vi", "en"), ("en", "vi")):
        html = posted(client, url, {"kind": "phan_anh", "full_name": "Trần Thị Mai"}, language, 400)
        assert [text for text in answers[language] if text not in html] == [], language
        assert [text for text in answers[other] if text in html] == [], language


@pytest.mark.django_db
def test_the_login_and_logout_pages_and_their_messages_in_english(client, applicant):
    from django.core.cache import cache

    cache.clear()  # no failed-login count left by another test
    for language, wanted, unwanted in [
        ("vi", "Mã số BHXH (tên đăng nhập) hoặc mật khẩu không đúng.", "The social insurance code (username)"),
        ("en", "The social insurance code (username) or the password is wrong.", "hoặc mật khẩu không đúng"),
    ]:
        html = posted(client, "/tai-khoan/dang-nhap/", {"login": applicant.username, "password": "sai-mat-khau"},
                      language)
        assert wanted in html and unwanted not in html
    both_languages(client, "/tai-khoan/dang-xuat/", applicant, [
        "<h1>Đăng xuất</h1>", "Bạn muốn đăng xuất khỏi Cổng dịch vụ BHXH số trên thiết bị này?", ">Đăng xuất</button>",
    ], [
        "<h1>Log out</h1>", "Do you want to log out of the Digital Social Insurance Portal on this device?",
        ">Log out</button>",
    ])


@pytest.mark.django_db
def test_the_login_code_page_and_its_messages_in_english(client, applicant):
    from django.core.cache import cache

    cache.clear()  # no rate limit or code cooldown left by another test
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/tai-khoan/dang-nhap/", {"login": applicant.username, "password": "x-Pass-2026!"})
    assert response["Location"] == "/tai-khoan/dang-nhap/xac-nhan/"
    html = read(client, "/tai-khoan/dang-nhap/xac-nhan/", "en")
    assert "A verification code has been sent to the phone number ending in 678." in html  # the message, once
    both_languages(client, "/tai-khoan/dang-nhap/xac-nhan/", None, [
        "<h1>Xác nhận đăng nhập</h1>", "Bạn đang đăng nhập trên một trình duyệt mới.",
        "trình duyệt này sẽ không phải nhập mã trong 90 ngày.", ">Mã xác thực</label>",
        "Mã gồm 6 chữ số trong tin nhắn chúng tôi vừa gửi, có hiệu lực 5 phút.", ">Xác nhận và đăng nhập</button>",
        ">Gửi lại mã</button>", ">Hủy đăng nhập</button>",
    ], [
        "<h1>Confirm your login</h1>", "You are logging in on a new browser.",
        "this browser will not need a code for 90 days.", ">Verification code</label>",
        "The 6-digit code in the message we have just sent, valid for 5 minutes.", ">Confirm and log in</button>",
        ">Send the code again</button>", ">Cancel the login</button>",
    ])
    for language, wanted, unwanted in [
        ("vi", "Mã xác thực không đúng. Bạn còn 4 lần thử.", "The verification code is wrong."),
        ("en", "The verification code is wrong. You have 3 tries left.", "Mã xác thực không đúng."),
    ]:
        html = posted(client, "/tai-khoan/dang-nhap/xac-nhan/", {"action": "verify", "code": "000000"}, language)
        assert wanted in html and unwanted not in html
    assert client.post("/tai-khoan/dang-nhap/xac-nhan/", {"action": "resend"}).status_code == 302  # too soon: refused
    html = read(client, "/tai-khoan/dang-nhap/xac-nhan/", "en")
    assert ("The verification code just sent to the phone number ending in 678 still works: type it in. If it has "
            "not arrived, you can ask for a new code in ") in html and "Mã xác thực vừa gửi" not in html


@pytest.mark.django_db
def test_the_security_page_of_an_account_receiving_no_code_in_english(client, applicant):
    applicant.person.phone = ""
    applicant.person.save(update_fields=["phone"])
    applicant.email = ""
    applicant.save(update_fields=["email"])
    both_languages(client, "/tai-khoan/bao-mat/", applicant, [
        "Tài khoản chưa có số điện thoại hoặc email", "<h2>Xác thực hai bước</h2>",
        "nhập mã từ một ứng dụng xác thực trên điện thoại", ">Dùng ứng dụng xác thực</a>",
    ], [
        "<h2>Two-step verification</h2>", "enter a code from an authenticator app on your phone",
        ">Use an authenticator app</a>",
    ])
    assert "SMS" not in read(client, "/tai-khoan/bao-mat/", "en")


@pytest.mark.django_db
def test_the_security_and_password_pages_in_english(client, applicant):
    both_languages(client, "/tai-khoan/bao-mat/", applicant, [
        "<h1>Bảo mật tài khoản</h1>", "<h2>Trình duyệt này</h2>", "Trình duyệt này chưa là thiết bị tin cậy",
        "<h2>Phiên đăng nhập</h2>", "phiên kết thúc sau 30 phút không thao tác.",
        'aria-label="Các phiên đăng nhập của tài khoản"', ">Thiết bị</th>", ">Địa chỉ IP</th>", ">Đăng nhập lúc</th>",
        ">Hoạt động gần nhất</th>", "<strong>Thiết bị này</strong>", "Không rõ trình duyệt",
        ">Đăng xuất khỏi mọi thiết bị khác</button>", "<h2>Mật khẩu</h2>", ">Đổi mật khẩu</a>",
    ], [
        "<h1>Account security</h1>", "<h2>This browser</h2>", "This browser is not a trusted device yet",
        "a session ends after 30 minutes of inactivity.", 'aria-label="The account\'s login sessions"', ">Device</th>",
        ">Last active</th>", "<strong>This device</strong>", "Unknown browser",
        ">Log out of every other device</button>",
        ">Change password</a>",
    ])
    for language, said in (("vi", "Đã đăng xuất tài khoản khỏi mọi thiết bị khác."),
                           ("en", "The account has been logged out of every other device.")):
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        assert said in client.post("/tai-khoan/bao-mat/", follow=True).content.decode()
    both_languages(client, "/tai-khoan/doi-mat-khau/", None, [
        "<h1>Đổi mật khẩu</h1>", ">Mật khẩu hiện tại</label>", ">Mật khẩu mới</label>", "Dùng ít nhất 8 ký tự",
        ">Nhập lại mật khẩu mới</label>", ">Quay lại trang bảo mật tài khoản</a>",
    ], [
        "<h1>Change password</h1>", ">Current password</label>", ">New password</label>", "Use at least 8 characters",
        ">New password (again)</label>", ">Back to account security</a>",
    ])
    html = posted(client, "/tai-khoan/doi-mat-khau/", {"oldpassword": "sai", "password1": "ngan", "password2": "khac"},
                  "en")
    assert "The current password is wrong." in html
    assert "The password is too short: it needs at least 8 characters." in html
    assert "Mật khẩu" not in html


@pytest.mark.django_db
def test_the_child_registration_page_in_english(client, applicant):
    url = "/ca-nhan/dang-ky-cho-con/"
    both_languages(client, url, applicant, [
        "<h1>Đăng ký tài khoản cho con</h1>", "Sau khi cơ quan BHXH duyệt, bạn xem được quá trình tham gia",
        ">Mã số BHXH</label>", "10 chữ số, in trên sổ BHXH hoặc thẻ BHYT.", ">Họ và tên của trẻ</label>",
        ">Ngày sinh</label>", ">Số giấy khai sinh</label>", "<legend>Quan hệ với trẻ</legend>", "> Cha</label>",
        "> Người giám hộ</label>", ">Ảnh chân dung của trẻ</label>", ">Cơ quan BHXH tiếp nhận</label>",
        "– Chọn cơ quan BHXH –", ">Gửi đăng ký</button>", ">Quay lại Quản lý cá nhân</a>",
    ], [
        "<h1>Register an account for your child</h1>", "Once the social insurance agency approves it",
        ">Social insurance code</label>", ">Child&#39;s full name</label>", ">Date of birth</label>",
        "<legend>Your relationship to the child</legend>", "> Father</label>", "> Guardian</label>",
        ">Portrait photo of the child</label>", "– Choose a social insurance agency –",
        ">Send the registration</button>",
    ])
    html = posted(client, url, {}, "en", 400)
    assert "Enter the child&#39;s full name." in html
    assert " portrait photo of the child " in html  # the message names the missing photo, in English
    assert "Hãy chọn" not in html and "Phiên khai đã hết hạn" not in html


@pytest.mark.django_db
def test_a_filing_made_from_english_pages_is_recorded_declared_and_announced_in_vietnamese(
        client, applicant, django_capture_on_commit_callbacks):
    import subprocess

    from notifications.models import Message
    from public_services.models import Filing
    from tests.accounts.helpers import jpeg
    from tests.public_services.helpers import answers

    client.force_login(applicant)
    key = idempotency_key(client, CHANGE, "en")
    assert client.post(CHANGE, {**answers("608A", changes=["full_name", "sex", "id_number"], new_sex="2",
                                          new_id_number="079188012345"),
                                "idempotency_key": key, "evidence_1": jpeg()}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{CHANGE}xem-lai/", review_post(client, CHANGE, key))
    filing = Filing.objects.get()
    assert filing.pdf_ready and filing.identity["sex"] == "Nam"
    assert list(filing.documents.values_list("label", flat=True)) == ["Ảnh giấy tờ chứng minh"]
    html = read(client, response["Location"], "en")
    assert ">Photo of the supporting document</a>" in html  # the page names the stored document in English
    bodies = list(Message.objects.filter(user=applicant).values_list("body", flat=True))
    # the notice names the procedure in full, the SMS by its short name (Procedure.sms_name)
    assert bodies and all(("Cấp lại sổ BHXH do thay đổi họ tên" in body or "– 608A Đổi thông tin sổ BHXH –" in body)
                          and "đã nộp" in body for body in bodies), bodies
    require_tool("pdftotext", "poppler-utils")
    with filing.declaration_pdf.open("rb") as handle:
        pdf = handle.read()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    text = " ".join(text.split())
    for vietnamese in ("Thông tin cần thay đổi", "Họ và tên, Giới tính", "Giới tính mới", "Nữ", "Nhận kết quả",
                       "Tại cơ quan BHXH giải quyết hồ sơ", "Ảnh giấy tờ chứng minh",
                       "Cấp lại sổ BHXH do thay đổi họ tên, ngày sinh, giới tính, số CCCD"):
        assert vietnamese in text, vietnamese
    assert [english for english in ("Details to change", "Female", "Collect it", "Reissue of") if english in text] == []


def test_the_server_error_page_follows_the_language_and_needs_no_request(rf):
    from vssid_portal.views import server_error

    with translation.override("en"):
        html = server_error(rf.get("/")).content.decode()
    assert '<html lang="en">' in html and "<h1>Sorry, there is a problem with the service</h1>" in html and "1900 9068" in html
    assert "Hệ thống đang gặp sự cố" not in html
    with translation.override("vi"):
        html = server_error(rf.get("/")).content.decode()
    assert '<html lang="vi">' in html and "<h1>Hệ thống đang gặp sự cố</h1>" in html
