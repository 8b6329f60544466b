"""The officers' admin in English (settings LANGUAGE_CODE="en"): its own words in English, and the
same words unchanged in the Vietnamese admin."""

import html as html_lib

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
