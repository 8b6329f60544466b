"""The officers' admin in English (settings LANGUAGE_CODE="en"): its own words in English, and the
same words unchanged in the Vietnamese admin."""

import html as html_lib
import re

import pytest
from django.contrib.auth import get_user_model


def _officer_index(client) -> str:
    client.force_login(get_user_model().objects.create_superuser("quantri", password=None))
    return html_lib.unescape(client.get("/quan-tri/").content.decode())


@pytest.mark.django_db
def test_the_english_admin_names_itself_in_english(client, settings, reference_data):
    settings.LANGUAGE_CODE = "en"
    index = _officer_index(client)
    assert "<title>Operations | Digital Social Insurance administration</title>" in index
    assert ">Digital Social Insurance Portal administration</a>" in index


@pytest.mark.django_db
def test_the_vietnamese_admin_names_itself_as_before(client, reference_data):
    index = _officer_index(client)
    assert "<title>Nghiệp vụ | Quản trị BHXH số</title>" in index
    assert ">Quản trị Cổng dịch vụ BHXH số</a>" in index  # the portal's one name (notifications.texts)


LABELLED = ["participation.Period", "health_card.Visit", "health_card.VisitLine", "health_card.Card",
            "public_services.Holiday"]


def labels_of(label: str) -> list[str]:
    """The names, field labels and help texts of a model, and its choices' labels, as an admin shows them."""
    from django.apps import apps

    model = apps.get_model(label)
    fields = [field for field in model._meta.get_fields() if hasattr(field, "verbose_name") and not field.auto_created]
    texts = [model._meta.verbose_name, model._meta.verbose_name_plural]
    for field in fields:
        texts += [field.verbose_name, field.help_text, *(name for _value, name in field.choices or [])]
    return [str(text) for text in texts if text]


def test_the_english_admin_labels_participation_visits_cards_and_holidays_in_english(settings):
    from django.utils import translation

    from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        vietnamese = {label: [text for text in labels_of(label) if VIETNAMESE_LETTERS.search(text)]
                      for label in LABELLED}
        assert vietnamese == {label: [] for label in LABELLED}
        shown = {label: labels_of(label) for label in LABELLED}
    assert {"participation period", "participation history", "monthly contribution (VND)", "from month",
            "The first day of the month."} <= set(shown["participation.Period"])
    assert {"medical visit", "medical visits", "admitted on", "main disease code (ICD-10)"} <= set(
        shown["health_card.Visit"])
    assert {"card number", "valid from", "issuing agency", "status"} <= set(shown["health_card.Card"])
    assert {"holiday or make-up working day", "holiday calendar", "date", "name", "Public holiday or Tet"} <= set(
        shown["public_services.Holiday"])


def test_the_vietnamese_admin_labels_them_as_before():
    from django.utils import translation

    with translation.override("vi"):
        shown = {label: labels_of(label) for label in LABELLED}
    assert {"giai đoạn tham gia", "quá trình tham gia", "số tiền đóng mỗi tháng (đ)", "từ tháng",
            "Ngày đầu tháng."} <= set(shown["participation.Period"])
    assert {"lượt khám chữa bệnh", "ngày vào", "mã bệnh chính (ICD-10)"} <= set(shown["health_card.Visit"])
    assert {"mã thẻ", "giá trị sử dụng từ ngày", "cơ quan cấp thẻ", "trạng thái"} <= set(shown["health_card.Card"])
    assert {"ngày nghỉ lễ hoặc làm bù", "lịch nghỉ lễ, Tết", "ngày", "tên", "Ngày nghỉ lễ, Tết"} <= set(
        shown["public_services.Holiday"])


@pytest.mark.django_db
def test_the_english_admin_labels_the_holiday_form_in_english(client, settings, reference_data):
    settings.LANGUAGE_CODE = "en"
    client.force_login(get_user_model().objects.create_superuser("quantri", password=None))
    page = html_lib.unescape(client.get("/quan-tri/public_services/holiday/add/").content.decode())
    assert '<label class="required" for="id_date">Date:</label>' in page
    assert "dd/mm/yyyy, for example 02/09/2026." in page and ">Make-up working day (a weekend day worked)</option>" in page


def test_a_limit_is_written_as_the_admins_language_writes_money_and_as_its_migration_with_none_active():
    """An English admin read "1.000.000.000 đ" in a limit's refusal and "2,500,000 VND" in the next
    message; with no language active, as makemigrations writes a constraint's message, the amount is
    the Vietnamese the migrations hold, not Django's default 100,000,000,000."""
    from django.utils import translation

    from vssid_portal.money import at_most_message

    message = at_most_message("Tổng chi phí", 100_000_000_000)
    with translation.override("en"):
        assert str(at_most_message("Total cost", 100_000_000_000)) == (
            "Total cost cannot be more than 100,000,000,000 VND: check the digits typed.")
    for language in ("vi", None):
        with translation.override(language):
            assert str(message) == "Tổng chi phí không được lớn hơn 100.000.000.000 đ: kiểm tra lại số chữ số đã nhập."


def test_a_limit_with_no_language_active_is_written_in_vietnamese_under_an_english_admin_too(settings):
    """With the admin in English (LANGUAGE_CODE "en") and no language active, as makemigrations runs,
    the sentence is the Vietnamese msgid: its amount is Vietnamese too, as the migrations hold it, not
    "10,000,000,000 VND" inside a Vietnamese sentence, which made makemigrations want new migrations."""
    from django.utils import translation

    from vssid_portal.money import at_most_message

    settings.LANGUAGE_CODE = "en"
    with translation.override(None):
        assert str(at_most_message("Tổng chi phí", 100_000_000_000)) == (
            "Tổng chi phí không được lớn hơn 100.000.000.000 đ: kiểm tra lại số chữ số đã nhập.")


def shown_models() -> list[str]:
    """Every model the admin has a page for, and every model shown inline on one."""
    from django.contrib import admin

    models = {*admin.site._registry, *(inline.model for model_admin in admin.site._registry.values()
                                       for inline in model_admin.inlines)}
    return sorted(model._meta.label for model in models)


def test_the_english_admin_labels_every_model_it_shows_and_their_apps_in_english(settings):
    """Every model of the admin, its fields, help texts and choices, and every app's name: none was
    left a plain Vietnamese string ("Select người tham gia to view" on an English list)."""
    from django.apps import apps
    from django.utils import translation

    from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        vietnamese = {label: [text for text in labels_of(label) if VIETNAMESE_LETTERS.search(text)]
                      for label in shown_models()}
        assert {label: texts for label, texts in vietnamese.items() if texts} == {}
        assert [str(app.verbose_name) for app in apps.get_app_configs()
                if VIETNAMESE_LETTERS.search(str(app.verbose_name))] == []
        shown = {label: labels_of(label) for label in ("accounts.Person", "accounts.Registration",
                                                       "public_services.Filing", "notifications.Message")}
        assert str(apps.get_app_config("accounts").verbose_name) == "Accounts and insured persons"
    assert {"insured person", "insured persons", "social insurance code", "house number, street"} <= set(
        shown["accounts.Person"])
    assert {"reference number", "portrait photo", "receiving social insurance agency"} <= set(
        shown["accounts.Registration"])
    assert {"received at", "finished at", "submitted by", "reason / what to correct"} <= set(
        shown["public_services.Filing"])
    assert {"message", "outbox", "recipient", "send attempts"} <= set(shown["notifications.Message"])


def test_the_vietnamese_admin_labels_every_model_and_app_as_before():
    from django.apps import apps
    from django.utils import translation

    with translation.override("vi"):
        shown = {label: labels_of(label) for label in ("accounts.Person", "accounts.Registration",
                                                       "public_services.Filing", "notifications.Message")}
        assert str(apps.get_app_config("accounts").verbose_name) == "Tài khoản và người tham gia"
        assert str(apps.get_app_config("lookup").verbose_name) == "Dữ liệu tra cứu"
    assert {"người tham gia", "mã số BHXH", "số nhà, đường"} <= set(shown["accounts.Person"])
    assert {"số tham chiếu", "ảnh chân dung", "cơ quan BHXH tiếp nhận"} <= set(shown["accounts.Registration"])
    assert {"tiếp nhận lúc", "kết thúc lúc", "người nộp", "lý do / nội dung cần sửa"} <= set(
        shown["public_services.Filing"])
    assert {"tin nhắn", "hộp thư đi", "người nhận", "số lần gửi"} <= set(shown["notifications.Message"])


@pytest.mark.django_db
def test_an_english_list_of_people_an_officer_may_only_view_is_titled_in_english(client, settings, reference_data):
    from tests.accounts.helpers import officer

    settings.LANGUAGE_CODE = "en"
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    page = html_lib.unescape(client.get("/quan-tri/accounts/person/").content.decode())
    assert "<h1>Select insured person to view</h1>" in page and ">Insured persons</" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "what"), [
    ("/quan-tri/accounts/person/", "are no insured persons to view"),
    ("/quan-tri/accounts/registration/", "are no registrations for electronic transactions to review"),
    ("/quan-tri/public_services/filing/", "are no applications to process"),
    ("/quan-tri/participation/period/", "is no participation history to view"),
    ("/quan-tri/health_card/card/", "are no health insurance cards to view"),
    ("/quan-tri/health_card/facilityapitoken/", "are no API tokens to view"),
])
def test_an_english_admin_tells_an_officer_without_an_agency_why_the_list_is_empty_in_english(
        client, settings, reference_data, path, what):
    """The Vietnamese of each list is held in tests/health_card/test_admin_no_agency.py and the
    accounts' and filings' admin tests."""
    from tests.accounts.helpers import officer

    settings.LANGUAGE_CODE = "en"
    client.force_login(officer("canbo-chua-co-quan", None, "Cán bộ BHXH cơ sở"))
    response = client.get(path)
    assert [str(message) for message in response.context["messages"]] == [
        f"Your account is not attached to any social insurance agency, so there {what}. Ask an administrator to "
        "attach your account to the social insurance agency where you work."]


def registration_review(client, language_code: str, settings) -> str:
    """The review page of a registration whose phone differs from the registry's, as a district officer reads it."""
    from tests.accounts.helpers import make_person, officer, submit

    person = make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2)
    registration = submit(person, "07901")
    settings.LANGUAGE_CODE = language_code
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    return html_lib.unescape(client.get(f"/quan-tri/accounts/registration/{registration.pk}/change/").content.decode())


@pytest.mark.django_db
def test_an_english_admin_compares_a_registration_with_the_registry_and_names_its_photos_in_english(
        client, settings, reference_data):
    from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

    page = registration_review(client, "en", settings)
    table = page.split('<table class="comparison">', 1)[1].split("</table>", 1)[0]
    assert ('<th scope="col">Item</th><th scope="col">Declared</th><th scope="col">Social insurance record</th>'
            '<th scope="col">Check</th>') in table
    assert '<th scope="row">Full name</th>' in table and "Matches" in table
    assert 'class="mismatch"><th scope="row">Phone</th>' in table and "⚠ Different" in table
    assert not VIETNAMESE_LETTERS.search(re.sub(r"<td>[^<]*</td>", "", table)), table  # the answers stay as typed
    assert "Declared details against the social insurance record</h2>" in page and ">Photos submitted:</" in page
    assert 'alt="Portrait photo"' in page and "<figcaption>Portrait</figcaption>" in page
    assert 'alt="Photo of the back"' in page and "<figcaption>Front</figcaption>" in page


@pytest.mark.django_db
def test_the_vietnamese_admin_compares_a_registration_and_names_its_photos_as_before(client, settings, reference_data):
    page = registration_review(client, "vi", settings)
    assert ('<th scope="col">Mục</th><th scope="col">Kê khai</th><th scope="col">Hồ sơ BHXH</th>'
            '<th scope="col">Đối chiếu</th>') in page
    assert '<th scope="row">Họ và tên</th>' in page and "Khớp" in page and "⚠ Khác" in page
    assert "Kê khai so với hồ sơ BHXH</h2>" in page and ">Ảnh đã nộp:</" in page
    assert 'alt="Ảnh chân dung"' in page and "<figcaption>Chân dung</figcaption>" in page
    assert 'alt="Ảnh mặt sau"' in page and "<figcaption>Mặt trước</figcaption>" in page


@pytest.mark.django_db
def test_the_english_admin_imports_participation_periods_in_english(client, settings, reference_data):
    from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

    settings.LANGUAGE_CODE = "en"
    client.force_login(get_user_model().objects.create_superuser("quantri", password=None))
    assert ">Import from CSV</a>" in client.get("/quan-tri/participation/period/").content.decode()
    page = html_lib.unescape(client.get("/quan-tri/participation/period/nhap-csv/").content.decode())
    content = page.split('<div class="breadcrumbs">', 1)[1].split('id="footer"', 1)[0]
    assert "› Import from CSV</div>" in content and ">Participation history</a>" in content
    assert "CSV file (UTF-8)" in content and 'value="Upload"' in content
    assert not VIETNAMESE_LETTERS.search(re.sub(r"<script.*?</script>", "", content, flags=re.S)), content


@pytest.mark.django_db
def test_the_vietnamese_admin_imports_participation_periods_as_before(client, reference_data):
    client.force_login(get_user_model().objects.create_superuser("quantri", password=None))
    page = html_lib.unescape(client.get("/quan-tri/participation/period/nhap-csv/").content.decode())
    assert "› Nhập từ CSV</div>" in page and ">Quá trình tham gia</a>" in page and ">Trang chủ</a>" in page
    assert "Tệp CSV (UTF-8)" in page and 'value="Tải lên"' in page
