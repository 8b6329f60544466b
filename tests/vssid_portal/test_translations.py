"""The portal's two languages: Django's own form and field messages reach citizens in Vietnamese,
also those Django's Vietnamese catalogue leaves untranslated (locale/vi); the English catalogue
(locale/en) covers every marked string with a reviewed translation; the English pages show none of
the Vietnamese interface text they used to; numbers read the same in both languages."""

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from accounts.models import Guardianship
from benefits.models import SalaryAdjustment
from tests.benefits.helpers import child_of, citizen
from tests.conftest import require_tool
from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401 (fixtures)
from tests.participation.helpers import period


@pytest.mark.parametrize(("field", "value", "message"), [
    (forms.CharField(), "Nguyễn\x00Văn", "Không được chứa ký tự rỗng (NUL)."),
    (forms.DurationField(), "mãi mãi", "Nhập một khoảng thời gian hợp lệ."),
    (forms.UUIDField(), "không-phải-uuid", "Nhập một mã UUID hợp lệ."),
    (forms.JSONField(), "{không", "Nhập một chuỗi JSON hợp lệ."),
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


@pytest.fixture(autouse=True)
def _vietnamese_afterwards():
    """ChosenLanguageMiddleware activates the request's language and leaves it active on the
    thread: after a test's English request, the next test would otherwise start in English."""
    yield
    translation.deactivate()


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
         "Hiện số", "<dt>Địa chỉ</dt>", "<dt>Cơ quan BHXH quản lý</dt>", "Muốn đổi số điện thoại",
         ">Lịch sử khám chữa bệnh</a>", ">Hồ sơ dịch vụ công đã nộp</a>", "Bảo mật: đổi mật khẩu",
         "Tài khoản của con", ">Đăng ký tài khoản cho con</a>", ">Xem thông tin<"],
        ["<h2>Personal details</h2>", "<dt>Sex</dt>", "<dt>Phone number</dt>", "<dt>Address</dt>",
         ">Register an account for your child</a>", "Public services</a>."],
    ),
    "/tai-khoan/dang-nhap/": (
        ["Chưa có tài khoản?", "Quên mật khẩu?"],
        ["No account yet? <a", ">Register an account</a>", "Forgot your password?"],
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
        ["Các hồ sơ hưởng chế độ", "Ước tính số tiền hưởng", "Chưa có thông tin hưởng chế độ nào"],
        ["Your social insurance and unemployment insurance benefit applications",
         "Estimate your one-time social insurance payment"],
    ),
    "/the-bhyt/": (
        ["Thẻ BHYT điện tử có mã QR"],
        ["Your electronic health insurance card with a QR code"],
    ),
}


def without_faq(html: str) -> str:
    """The FAQ questions and answers are Vietnamese content edited in the admin, not interface text."""
    return re.sub(r'<section class="faq-topic".*?</section>', "", html, flags=re.S)


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_english_pages_show_none_of_their_vietnamese_interface_text(client, holder, url):
    vietnamese, english = PAGES[url]
    user = None if url == "/tai-khoan/dang-nhap/" else holder
    vi = without_faq(read(client, url, "vi", user))
    for text in vietnamese + FOOTER:
        assert text in vi, (url, text)  # the control: the Vietnamese page says it
    en = without_faq(read(client, url, "en", user))
    assert [text for text in vietnamese + FOOTER if text in en] == []
    assert [text for text in english if text not in en] == []


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


# --- Numbers ----------------------------------------------------------------------------------
# Numbers follow the Vietnamese convention in both languages, like the amounts beside them
# ("1.635.509.000 đ", "12,5 năm"): Django's floatformat follows the active language instead.


@pytest.mark.django_db
def test_adjustment_coefficients_and_contribution_rates_read_the_same_in_both_languages(client, reference_data):
    user = citizen()
    SalaryAdjustment.objects.filter(scheme="bhxh_bb", year__in=[2015, 2016]).delete()
    SalaryAdjustment.objects.create(scheme="bhxh_bb", year=2015, coefficient=Decimal("1.63"), source="kiểm thử")
    SalaryAdjustment.objects.create(scheme="bhxh_bb", year=2016, coefficient=Decimal("1.20"), source="kiểm thử")
    rate_period = period(user.person, "01/2015", "12/2016", save=False)
    rate_period.rate = Decimal("10.50")
    rate_period.save()

    def cells(url, language, pattern):
        return re.findall(pattern, read(client, url, language, user))

    coefficient = r"<td>(\d[\d.,]*)</td>\s*<td>[\d.]+ đ</td>\s*</tr>"
    assert cells("/thong-tin-huong/uoc-tinh/", "vi", coefficient) == ["1,63", "1,2"]
    assert cells("/thong-tin-huong/uoc-tinh/", "en", coefficient) == ["1,63", "1,2"]
    rate = r"<dt>Tỷ lệ đóng</dt><dd>([^<]*)</dd>"
    assert cells("/qua-trinh-tham-gia/", "vi", rate) == ["10,5 %"]
    assert cells("/qua-trinh-tham-gia/", "en", rate) == ["10,5 %"]
