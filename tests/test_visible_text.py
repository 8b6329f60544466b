"""What every page says, read as a Vietnamese reader would: each page a citizen, a guardian, an
officer, a clinic's staff, the superuser and an anonymous visitor can open (found in the URLconf,
as the IDOR matrix finds them, and every admin model's list, add, change, history and delete page),
in Vietnamese, its visible text read without tags, scripts and styles. No English left from Django's
admin or allauth, no ISO or US date, no 12-hour time, no money written the English way, no "None"
or "null" shown, and a title and an <h1> on every page."""

import html as html_lib
import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from accounts.roles import CLINIC_STAFF, sync_groups
from lookup.models import MedicalFacility
from tests.security.test_headers import parameterless_paths
from tests.security.test_idor import CITIZEN_CASES, world  # noqa: F401 (the fixture)
from tests.security.world import client_for

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"\b(?:" + "|".join([
    # Django's admin
    "Skip to main content", "Toggle theme", "Log out", "View site", "Welcome", "Save and", "History", "Filter",
    "Search", "Clear all filters", "Show counts", "Select all", "Action", "Add", "Change", "Delete", "Home",
    "Breadcrumbs", "Recent actions", "My actions", "superuser", "Superuser", "admin site", "trang admin",
    "Date joined", "Last login", "Staff status", "Groups", "Permissions", "Yes", "Unknown", "Today", "Now",
    # the permissions' names Django stores in English (auth_permission.name), in the pickers
    "Can add", "Can change", "Can delete", "Can view",
    # allauth's names in the admin and its pages
    "Accounts", "Email addresses", "email addresses", "User Sessions", "User sessions", "Authenticators",
    "Mark selected", "Verified", "Primary", "Created at", "Last used at", "Last seen at", "User agent",
    "Recovery codes", "Authenticator App", "Sign In", "Sign Up", "Remember Me", "Forgot your password",
    "Password", "Username", "Confirm", "Cancel", "Continue", "Activate", "Deactivate", "Download", "Generate",
    # forms
    "This field is required", "Enter a valid", "Select a valid",
    # a row Django names by its class ("Group_permissions object (2)")
    "object",
]) + r")\b")
DATES = re.compile(r"\b\d{4}-\d{2}-\d{2}\b"  # ISO
                   r"|\b(?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}"  # US
                   r"|(?<![\d/])(?:\d/\d{1,2}|\d{1,2}/\d)/\d{4}\b"  # a day or month of one digit
                   # 12-hour times, not a group of a verification code ("BVAP-93PM-PWBQ-Y2S8")
                   r"|(?<![\w-])\d{1,2}(?::\d{2})? ?(?:a\.m\.|p\.m\.|AM|PM)(?![\w-])|\b(?:midnight|noon)\b")
MONEY = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\bVND\b")
UPPER = "A-ZĐÁÀẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴ"
# A model's name inside a sentence starts with a small letter ("Được thêm nhóm", "muốn xóa nhóm",
# "Xóa các nhóm đã chọn", "muốn xóa những lựa chọn nhóm"); an abbreviation (BHXH, BHYT) is all capitals.
CAPITAL = re.compile(rf"\b(?:Được (?:thêm|sửa|xóa|xem)|muốn xóa|Xóa các|những lựa chọn) [{UPPER}](?=\w)(?![{UPPER}\d])\w*")
EMPTY = re.compile(r"\b(?:None|null|True|False)\b|\[\]|\{\}")

# The few places where such text is right, each with its reason.
ALLOWED = [
    # The language switch names English in English.
    (re.compile(r"\bEnglish\b"), None),
]


def visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", html)
    # A JSON field's editor in the admin (an authenticator's or a session's data) shows JSON: null, {}.
    html = re.sub(r"(?is)<textarea\b[^>]*name=\"data\".*?</textarea>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html_lib.unescape(html))


def text_defects(text: str) -> list[str]:
    """English, a date or time, money or an empty value written the wrong way in `text`."""
    return [f"{kind} {match.group(0)!r}: …{text[max(0, match.start() - 40):match.end() + 40]}…"
            for kind, pattern in (("English", ENGLISH), ("date or time", DATES), ("money", MONEY),
                                  ("empty value", EMPTY), ("capital inside a sentence", CAPITAL))
            for match in pattern.finditer(text)]


def defects(path: str, html: str) -> list[str]:
    text = visible_text(html)
    for pattern, paths in ALLOWED:
        if paths is None or paths.search(path):
            text = pattern.sub(" ", text)
    found = text_defects(text)
    title = re.search(r"(?is)<title>(.*?)</title>", html)
    if not title or not title.group(1).strip():
        found.append("an empty <title>")
    if not re.search(r"(?i)<h1\b", html):
        found.append("no <h1>")
    return found


def admin_pages(user) -> list[str]:
    paths = ["/quan-tri/"] + [f"/quan-tri/{label}/" for label in
                              dict.fromkeys(model._meta.app_label for model in admin.site._registry)]
    for model in admin.site._registry:
        base = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
        paths += [base, f"{base}add/"]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths += [f"{base}{first.pk}/change/", f"{base}{first.pk}/history/", f"{base}{first.pk}/delete/"]
    return paths


def test_every_page_reads_as_vietnamese(world):  # noqa: F811 (the fixture)
    clinic = User.objects.create_user("nhanvienkcb", password="x-Pass-2026!", is_staff=True,
                                      facility=MedicalFacility.objects.filter(bhyt_contract=True).order_by("code").first())
    clinic.groups.add(sync_groups(Group, Permission)[CLINIC_STAFF])
    own_pages = [url for case in CITIZEN_CASES.values() if case.control == "owner" and not case.post
                 for url in case.attack(world)]
    child = world.guardian.guardianships.get().child
    public = [path for path in parameterless_paths() if not path.startswith("/quan-tri/")
              and "dang-xuat" not in path]
    readers = {"anonymous": (None, public), "citizen": (world.owner, public + own_pages),
               # The guardian's pages read with the child's records (the switch comes first).
               "guardian": (world.guardian, [f"/ca-nhan/xem/{child.pk}/"] + public), "clinic": (clinic, public + admin_pages(clinic)),
               "officer": (world.officer, public + admin_pages(world.officer)),
               "superuser": (world.superuser, admin_pages(world.superuser))}
    read, found, childs_page_read = 0, [], False
    for reader, (user, paths) in readers.items():
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
        for path in paths:
            response = client.get(path)
            if response.status_code not in (200, 403, 404, 405) or response.streaming or "text/html" not in response["Content-Type"]:
                continue
            read += 1
            if (reader, path) == ("guardian", "/ca-nhan/"):
                assert child.full_name in response.content.decode()  # the child's records were read
                childs_page_read = True
            found += [f"{reader} {path}: {defect}" for defect in defects(path, response.content.decode())]
    assert read > 300 and childs_page_read
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(("html", "defect"), [
    ("<title>T</title><h1>T</h1><p>Dec. 5, 2026</p>", "date or time 'Dec. 5, 2026'"),
    ("<title>T</title><h1>T</h1><p>Ngày 2026-12-05</p>", "date or time '2026-12-05'"),
    ("<title>T</title><h1>T</h1><p>Ngày 5/12/2026</p>", "date or time '5/12/2026'"),
    ("<title>T</title><h1>T</h1><p>lúc 3 p.m.</p>", "date or time '3 p.m.'"),
    ("<title>T</title><h1>T</h1><p>lúc 11:30 PM</p>", "date or time '11:30 PM'"),
    ("<title>T</title><h1>T</h1><p>1,234,567 đ</p>", "money '1,234,567'"),
    ("<title>T</title><h1>T</h1><p>Ngày hết hạn: None</p>", "empty value 'None'"),
    ("<title>T</title><h1>T</h1><a>Email addresses</a>", "English 'Email addresses'"),
    ("<title>T</title><h1>T</h1><label>Trạng thái superuser</label>", "English 'superuser'"),
    ("<title>T</title><h1>T</h1><option>Được thêm Nhóm</option>", "capital inside a sentence 'Được thêm Nhóm'"),
    ("<title>T</title><h1>T</h1><p>Bạn có chắc là muốn xóa Nhóm \"A\"?</p>", "capital inside a sentence 'muốn xóa Nhóm'"),
    ("<title>T</title><h1>T</h1><option>Xóa các Các nhóm đã chọn</option>", "capital inside a sentence 'Xóa các Các'"),
    ("<title>T</title><h1>T</h1><li>Quan hệ: Group_permissions object (2)</li>", "English 'object'"),
    ("<title> </title><h1>T</h1>", "an empty <title>"),
    ("<title>T</title><h2>T</h2>", "no <h1>"),
])
def test_the_sweep_finds_each_kind_of_defect(html, defect):
    assert [found for found in defects("/", html) if found.startswith(defect)] != []


def test_the_sweep_passes_dates_times_and_money_written_the_vietnamese_way():
    assert defects("/", "<title>T</title><h1>T</h1><p>05/12/2026 14:30 · 1.234.567 đ · 01/2015–12/2020</p>"
                        "<p>Mã xác thực 12AM-93PM-PWBQ-11PM</p>"
                        "<script>var x = null;</script>") == []
