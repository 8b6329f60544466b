"""The public lookup pages (menu "Tra cứu"): agencies, KCB facilities and the sick-leave list,
employers, collection points. Accent- and case-insensitive search on the folded key, filters,
pagination with the number of results, tampered query strings, constant query counts, and on
PostgreSQL the trigram indexes the planner uses for `search_key LIKE '% word%'`."""

import importlib
import os
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lookup import selectors
from lookup.models import Agency, CollectionPoint, Employer, MedicalFacility, Province, Ward
from lookup.views import PER_PAGE
from tests.conftest import missing
from tests.html_language import languages_of

pytestmark = pytest.mark.django_db

AGENCIES, FACILITIES, SICK_LEAVE = "/tra-cuu/co-quan-bhxh/", "/tra-cuu/co-so-kcb/", "/tra-cuu/co-so-kcb/cap-giay-nghi-om/"
EMPLOYERS, POINTS = "/tra-cuu/don-vi/", "/tra-cuu/diem-thu/"
PAGES = [AGENCIES, FACILITIES, SICK_LEAVE, EMPLOYERS, POINTS]
TRIGRAM_TABLES = ["lookup_agency", "lookup_medicalfacility", "lookup_employer", "lookup_collectionpoint"]


@pytest.fixture(scope="module")
def _reference_data_once(django_db_setup, django_db_blocker):
    """The reference data loaded once for this module, in a transaction rolled back at its end;
    each test runs in a savepoint inside it, so the tests stay independent."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with open(os.devnull, "w") as quiet:
                call_command("load_reference_data", stdout=quiet)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def reference_data(_reference_data_once, db):
    return None


@pytest.fixture
def rows(reference_data):
    """One row per lookup whose name carries every Vietnamese diacritic trap: Đ, ễ, ă, ứ."""
    hcm, hanoi = Province.objects.get(code="79"), Province.objects.get(code="01")
    parent = Agency.objects.get(code="079")
    ward = Ward.objects.filter(province=hcm).order_by("code").first()
    agency = Agency.objects.create(
        code="07999", name="BHXH cơ sở Nguyễn Văn Đức", parent=parent, province=hcm,
        address="9 Đường Nguyễn Văn Đức, Phường Sài Gòn", phone="(028) 3999.0099",
        working_hours="Thứ Hai – Thứ Bảy: 7:00–17:00",
    )
    return {
        "agency": agency,
        "ward": ward,
        "facility": MedicalFacility.objects.create(
            code="79Z01", name="Phòng khám Đa khoa Nguyễn Văn Đức", address="1 Lê Lợi, Phường Sài Gòn", province=hcm,
            level=MedicalFacility.Level.PROVINCIAL, issues_sick_leave=True,
        ),
        "facility_no_leave": MedicalFacility.objects.create(
            code="01Z02", name="Trạm y tế Nguyễn Văn Đức", province=hanoi, level=MedicalFacility.Level.GRASSROOTS,
        ),
        "facility_no_contract": MedicalFacility.objects.create(
            code="79Z03", name="Phòng khám tư Nguyễn Văn Đức", province=hcm, bhyt_contract=False,
        ),
        "employer": Employer.objects.create(
            code="ZZ0001A", name="Hộ kinh doanh Nguyễn Văn Đức", tax_code="0399999991", address="5 Đồng Khởi",
            province=hcm, agency=agency, in_arrears=True,
        ),
        "employer_paid": Employer.objects.create(
            code="ZZ0002B", name="Công ty TNHH Nguyễn Văn Đức và Con", tax_code="0399999992", province=hcm,
            agency=parent,
        ),
        "point": CollectionPoint.objects.create(
            code="DTZ0001", name="Đại lý thu Nguyễn Văn Đức", kind=CollectionPoint.Kind.AGENT,
            address="7 Pasteur", province=hcm, ward=ward, phone="0909 111 222", agency=agency,
        ),
    }


def html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def count(page: str) -> int:
    return int(re.search(r'<p class="result-count" role="status">(\d+) kết quả', page).group(1))


def headings(page: str) -> list[str]:
    return re.findall(r"<li>\s*<h2>([^<]+)</h2>", page)


# --- Each page -------------------------------------------------------------------------------

def test_agencies_show_address_phone_working_hours_and_parent(client, rows):
    page = html(client, AGENCIES, q="phu nhuan", province="79")
    assert "BHXH Phú Nhuận" in headings(page)
    assert "71 Phan Đình Phùng, Phường Đức Nhuận, TP. Hồ Chí Minh" in page and "(028) 3002.3434" in page
    assert "Thứ Hai – Thứ Sáu: 7:30–11:30, 13:00–16:30" in page  # the default office hours
    assert "<dt>Cấp trên</dt><dd>BHXH TP. Hồ Chí Minh</dd>" in page
    own = html(client, AGENCIES, q="07999")
    assert headings(own) == ["BHXH cơ sở Nguyễn Văn Đức"] and "Thứ Hai – Thứ Bảy: 7:00–17:00" in own
    top = html(client, AGENCIES, q="079", province="79")
    assert "Không có (cấp tỉnh)" in top
    assert count(html(client, AGENCIES, province="01")) == Agency.objects.filter(province__code="01").count() > 0


def test_working_hours_are_marked_vietnamese_on_the_english_page(client, settings, rows):
    """Stored in Vietnamese only: lang="vi" has a screen reader on an English page read them with
    Vietnamese pronunciation (WCAG 3.1.2)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(client, AGENCIES, q="07999")
    assert languages_of(page, "Thứ Hai – Thứ Bảy: 7:00–17:00") == ["vi"]
    assert languages_of(page, "Working hours") == ["en"]


def test_facilities_by_province_name_code_and_level(client, rows):
    assert headings(html(client, FACILITIES, q="79Z01")) == ["Phòng khám Đa khoa Nguyễn Văn Đức"]
    page = html(client, FACILITIES, q="nguyen van duc")
    assert set(headings(page)) == {"Phòng khám Đa khoa Nguyễn Văn Đức", "Trạm y tế Nguyễn Văn Đức"}  # no contract: hidden
    assert "79 - Z01" in page and "Tuyến tỉnh" in page
    assert headings(html(client, FACILITIES, q="nguyen van duc", province="01")) == ["Trạm y tế Nguyễn Văn Đức"]
    assert headings(html(client, FACILITIES, q="nguyen van duc", level="co_so")) == ["Trạm y tế Nguyễn Văn Đức"]
    central = html(client, FACILITIES, level="trung_uong", province="01")
    assert "Bệnh viện Bạch Mai" in headings(central)
    assert count(central) == MedicalFacility.objects.filter(level="trung_uong", province__code="01", bhyt_contract=True).count()


def test_sick_leave_list_holds_only_facilities_allowed_to_issue_certificates(client, rows):
    page = html(client, SICK_LEAVE, q="nguyen van duc")
    assert headings(page) == ["Phòng khám Đa khoa Nguyễn Văn Đức"]
    assert "Cơ sở KCB được cấp giấy nghỉ việc hưởng BHXH" in page
    everyone = html(client, SICK_LEAVE)
    assert count(everyone) == MedicalFacility.objects.filter(issues_sick_leave=True, bhyt_contract=True).count()
    assert count(everyone) < MedicalFacility.objects.filter(bhyt_contract=True).count()
    assert 'href="/tra-cuu/co-so-kcb/cap-giay-nghi-om/"' in html(client, FACILITIES)


@pytest.mark.parametrize("query", ["ho kinh doanh nguyen van duc", "ZZ0001A", "zz0001a", "0399999991"])
def test_employers_by_name_unit_code_or_tax_code_with_managing_agency_and_arrears(client, rows, query):
    page = html(client, EMPLOYERS, q=query)
    assert headings(page) == ["Hộ kinh doanh Nguyễn Văn Đức"]
    assert "<dt>Cơ quan quản lý</dt><dd>BHXH cơ sở Nguyễn Văn Đức</dd>" in page
    assert "Đang nợ đóng" in page and "Không nợ" not in page


def test_an_employer_without_arrears_says_so(client, rows):
    page = html(client, EMPLOYERS, q="0399999992")
    assert headings(page) == ["Công ty TNHH Nguyễn Văn Đức và Con"]
    assert "Không nợ" in page and "Đang nợ đóng" not in page
    assert "<dt>Cơ quan quản lý</dt><dd>BHXH TP. Hồ Chí Minh</dd>" in page


def test_employers_from_the_reference_data_carry_the_arrears_flag(client, reference_data):
    assert Employer.objects.filter(in_arrears=True).exists() and Employer.objects.filter(in_arrears=False).exists()
    assert "Đang nợ đóng" in html(client, EMPLOYERS, q="TB9489T")


def test_collection_points_by_province_and_ward(client, rows):
    ward = rows["ward"]
    page = html(client, POINTS)
    assert "Danh sách theo tỉnh/thành phố đã chọn; đổi tỉnh thì bấm “Cập nhật danh sách phường/xã”." in page
    assert f'<option value="{ward.code}"' not in page  # no ward list before a province is chosen
    by_province = html(client, POINTS, province="79")
    assert f'<option value="{ward.code}">{ward.name}</option>' in by_province
    assert count(by_province) == CollectionPoint.objects.filter(province__code="79").count()
    by_ward = html(client, POINTS, province="79", ward=ward.code)
    assert "Đại lý thu Nguyễn Văn Đức" in headings(by_ward)
    assert count(by_ward) == CollectionPoint.objects.filter(ward=ward).count()
    assert "Đại lý thu" in by_ward and "0909 111 222" in by_ward and f"<dd>{ward.name}</dd>" in by_ward
    other_ward = Ward.objects.filter(province__code="79").exclude(pk=ward.pk).exclude(collection_points__isnull=False).first()
    assert count(html(client, POINTS, province="79", ward=other_ward.code)) == 0
    assert "Đại lý thu Nguyễn Văn Đức" not in html(client, POINTS, province="01")


def test_the_ward_list_button_shows_the_provinces_wards_without_searching(client, rows):
    """Without JavaScript "Cập nhật danh sách phường/xã" sends the GET form with its name: the page
    again with the province's wards and what was typed, nothing searched (no results, no count), so
    that the ward is chosen before "Tìm". With JavaScript static/js/refresh-list.js asks for the same
    page as soon as the province changes (tests/e2e/test_lookup_lists.py). Before, the list followed
    the province only after a search."""
    ward = rows["ward"]
    page = html(client, POINTS, q="nguyen van duc", province="79", **{"cap-nhat": "1"})
    assert f'<option value="{ward.code}">{ward.name}</option>' in page
    assert 'value="nguyen van duc"' in page and '<option value="79" selected>' in page
    assert 'class="result-count"' not in page and 'class="results"' not in page
    assert 'data-refresh-from="province" data-refresh-list="ward"' in page
    assert len(re.findall(r'<script src="[^"]*/js/refresh-list\.[^"]*js" defer></script>', page)) == 1
    assert "refresh-list" not in html(client, AGENCIES)  # no list hanging on another: no script


def test_collection_points_are_found_by_their_kind(client, reference_data):
    """"bưu điện" found the 4 post offices with the word in their name or address, not the 22 the
    page labels "Loại: Bưu điện"; the key is Vietnamese whatever the language of the page."""
    post_offices = CollectionPoint.objects.filter(kind=CollectionPoint.Kind.POST_OFFICE).count()
    assert count(html(client, POINTS, q="bưu điện")) == post_offices > 4
    with translation.override("en"):
        point = CollectionPoint.objects.create(code="DTZ0002", name="Điểm thu Bến Nghé", kind="buu_dien",
                                               province=Province.objects.get(code="79"), agency=Agency.objects.get(code="079"))
    assert point.search_key == "dtz0002 diem thu ben nghe buu dien"


def test_the_migration_gives_existing_collection_points_their_kind(reference_data):
    migration = importlib.import_module("lookup.migrations.0009_collection_point_kind_in_search_key")
    point = CollectionPoint.objects.get(code="DT79001")
    CollectionPoint.objects.filter(pk=point.pk).update(search_key="dt79001 buu cuc sai gon")  # the key as it was
    migration.refresh_search_keys(apps, None)
    point.refresh_from_db()
    assert point.search_key == "dt79001 buu cuc sai gon buu dien 46 hai ba trung, phuong sai gon, tp. ho chi minh"
    point.refresh_search_key()
    assert point.search_key == CollectionPoint.objects.get(pk=point.pk).search_key  # as the model writes it


def test_a_ward_left_from_the_province_chosen_before_is_dropped_and_said_as_no_error(client, reference_data):
    """TP. Hồ Chí Minh, then Phường Sài Gòn, then Hà Nội: the ward field said "Chọn phường/xã trong
    danh sách." though the citizen did nothing wrong. The page says beside the list, as no error, that
    the ward was not used: before, the search covered the province without a word."""
    saigon = Ward.objects.get(province__code="79", name="Phường Sài Gòn")
    assert "Chọn phường/xã trong danh sách." not in html(client, POINTS, province="79", ward=saigon.code)
    for province in ("01", ""):
        page = html(client, POINTS, province=province, ward=saigon.code)
        assert "Chọn phường/xã trong danh sách." not in page and 'aria-invalid="true"' not in page
        expected = CollectionPoint.objects.filter(province__code=province) if province else CollectionPoint.objects.all()
        assert count(page) == expected.count() > 0
        assert f'value="{saigon.code}"' not in page
    hanoi = html(client, POINTS, province="01", ward=saigon.code)
    assert '<option value="" selected>Tất cả phường/xã</option>' in hanoi
    assert f'<option value="{Ward.objects.filter(province__code="01").first().code}">' in hanoi
    # said beside the list, as no error: the search is not the one the URL or the form asked for
    assert ('<p class="notice" role="status">Phường Sài Gòn không thuộc Thành phố Hà Nội nên không được dùng để '
            'tìm: kết quả là các điểm thu của cả tỉnh/thành phố.</p>') in hanoi
    assert ("Phường Sài Gòn chỉ được dùng để tìm khi đã chọn tỉnh/thành phố của phường/xã đó: kết quả là các "
            "điểm thu của mọi tỉnh/thành phố.") in html(client, POINTS, ward=saigon.code)
    assert 'class="notice"' not in html(client, POINTS, province="79", ward=saigon.code)


def test_a_refreshed_ward_list_says_nothing_of_results_never_searched(client, reference_data):
    """Without JavaScript, a search in TP. Hồ Chí Minh for Phường Sài Gòn, then Hà Nội chosen and
    "Cập nhật danh sách phường/xã" pressed: the page, nothing searched, said the ward was not used and
    that the results cover the whole province. Only the list is refreshed, so nothing is said of results."""
    saigon = Ward.objects.get(province__code="79", name="Phường Sài Gòn")
    for province in ("01", ""):
        page = html(client, POINTS, province=province, ward=saigon.code, **{"cap-nhat": "1"})
        assert 'class="notice"' not in page and "không được dùng để tìm" not in page
        assert "chỉ được dùng để tìm" not in page and 'class="result-count"' not in page
        assert '<option value="" selected>Tất cả phường/xã</option>' in page  # the ward is still dropped


# The 34 provinces by their proper name: a city's "Thành phố" does not put it under T.
PROVINCES_BY_NAME = [
    "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Thành phố Cần Thơ", "Thành phố Đà Nẵng", "Đắk Lắk", "Điện Biên",
    "Đồng Nai", "Đồng Tháp", "Gia Lai", "Thành phố Hà Nội", "Hà Tĩnh", "Thành phố Hải Phòng", "Thành phố Hồ Chí Minh",
    "Thành phố Huế", "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Nghệ An", "Ninh Bình",
    "Phú Thọ", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên", "Thanh Hóa",
    "Tuyên Quang", "Vĩnh Long",
]


def province_options(page: str) -> list[str]:
    select = page[page.index('name="province"'):]
    return re.findall(r'<option value="[^"]+"[^>]*>([^<]+)</option>', select[:select.index("</select>")])


def test_provinces_are_listed_by_their_name_without_the_city_prefix(client, reference_data):
    """"…, Thanh Hóa, Thành phố Cần Thơ, Thành phố Đà Nẵng, Thành phố Hà Nội, …": the cities sat under T."""
    from accounts.forms import DeclarationForm
    from accounts.views.code_lookup import CodeLookupForm

    for url in (AGENCIES, FACILITIES, EMPLOYERS, POINTS, "/tra-cuu/ma-so-bhxh/"):
        assert province_options(html(client, url)) == PROVINCES_BY_NAME, url
    for form in (DeclarationForm(), CodeLookupForm()):
        assert [province.name for province in form.fields["province"].queryset] == PROVINCES_BY_NAME
    renamed = Province.objects.get(code="96")
    renamed.name = "Tỉnh Đất Mũi"
    renamed.save()  # a name changed in the admin takes its place at once, its type left out as well
    names = [province.name for province in Province.objects.all()]
    assert names.index("Đắk Lắk") < names.index("Tỉnh Đất Mũi") < names.index("Điện Biên")


def test_the_migration_orders_existing_provinces_by_their_name(reference_data):
    migration = importlib.import_module("lookup.migrations.0010_province_sort_key_without_type")
    migration.backwards(apps, None)
    names = [province.name for province in Province.objects.all()]
    assert names.index("Thanh Hóa") < names.index("Thành phố Hà Nội")  # as it was
    migration.forwards(apps, None)
    assert [province.name for province in Province.objects.all()] == PROVINCES_BY_NAME


def test_phone_numbers_are_links_a_phone_can_dial(client, rows):
    """Agencies and collection points showed their numbers as plain text, which a phone cannot tap."""
    assert '<dd><a href="tel:02830023434">(028) 3002.3434</a></dd>' in html(client, AGENCIES, q="phu nhuan", province="79")
    assert '<dd><a href="tel:02839990099">(028) 3999.0099</a></dd>' in html(client, AGENCIES, q="07999")
    assert '<dd><a href="tel:0909111222">0909 111 222</a></dd>' in html(client, POINTS, q="DTZ0001")
    agency = rows["agency"]
    for phone, shown in [("+84 28 3999 0099", '<a href="tel:+842839990099">+84 28 3999 0099</a>'),
                         ("<b>đang cập nhật</b>", "&lt;b&gt;đang cập nhật&lt;/b&gt;")]:
        agency.phone = phone
        agency.save()
        assert f"<dd>{shown}</dd>" in html(client, AGENCIES, q="07999"), phone


# --- Accent-insensitive search, both databases -------------------------------------------------

@pytest.mark.parametrize("url,expected", [
    (AGENCIES, "BHXH cơ sở Nguyễn Văn Đức"),
    (FACILITIES, "Phòng khám Đa khoa Nguyễn Văn Đức"),
    (SICK_LEAVE, "Phòng khám Đa khoa Nguyễn Văn Đức"),
    (EMPLOYERS, "Hộ kinh doanh Nguyễn Văn Đức"),
    (POINTS, "Đại lý thu Nguyễn Văn Đức"),
])
def test_search_ignores_accents_case_spacing_and_word_order(client, rows, url, expected):
    for query in ["nguyen van duc", "NGUYỄN văn ĐỨC", "  Nguyen   VĂN duc ", "duc nguyen", "Nguyễn Văn Đức"]:
        assert expected in headings(html(client, url, q=query)), query


@pytest.mark.parametrize("url", PAGES)
def test_every_word_must_match(client, rows, url):
    page = html(client, url, q="nguyen van dung")
    assert count(page) == 0 and "Không có kết quả phù hợp" in page


def test_punctuation_around_words_is_not_searched_for(client, rows):
    """A facility code copied as the card prints it ("79 - Z01"), a code in brackets, a word with
    its comma: the punctuation is dropped, the words are searched."""
    for query in ["79 - Z01", "79 – Z01", "(79Z01)", "Nguyễn Văn Đức, Lê Lợi", "“Nguyễn Văn Đức”"]:
        assert "Phòng khám Đa khoa Nguyễn Văn Đức" in headings(html(client, FACILITIES, q=query)), query
    assert "BHXH cơ sở Nguyễn Văn Đức" in headings(html(client, AGENCIES, q="Nguyễn Văn Đức - 07999"))
    page = html(client, FACILITIES, q="- – …")  # nothing left to look for: nothing found, not everything
    assert count(page) == 0 and "Không có kết quả phù hợp" in page


@pytest.mark.parametrize("url", PAGES)
def test_a_search_of_invisible_characters_only_lists_what_an_empty_search_lists(client, rows, url):
    """A zero-width space or a byte order mark pasted alone is nothing typed, not punctuation: the
    whole list, as for an empty search, instead of no result."""
    everything = count(html(client, url, q=""))
    assert everything > 0
    for query in ["\u200b", "\u200b \ufeff", " \u2060 "]:
        assert count(html(client, url, q=query)) == everything, repr(query)


def test_a_facility_found_only_without_a_bhyt_contract_is_named_as_such(client, rows):
    """"Phòng khám tư Nguyễn Văn Đức" has no BHYT contract: its search answered only "no result,
    try a shorter word", as if misspelt. It now says the card is not used there."""
    note = "Các cơ sở sau khớp với tìm kiếm nhưng không có hợp đồng khám chữa bệnh BHYT"
    page = html(client, FACILITIES, q="phong kham tu nguyen van duc")
    assert count(page) == 0 and note in page and "Phòng khám tư Nguyễn Văn Đức (79 - Z03, " in page
    assert "Không có kết quả phù hợp" not in page  # no "try a shorter word" about a facility just named
    assert note not in html(client, FACILITIES, q="nguyen van duc")  # found with a contract: no note
    nothing = html(client, FACILITIES, q="khong co co so nao")
    assert note not in nothing and "Không có kết quả phù hợp. Hãy thử từ khóa ngắn hơn" in nothing
    assert note not in html(client, FACILITIES, province="79", level="co_so")  # no words searched


def test_a_contracted_facility_that_issues_no_sick_leave_certificates_is_named_as_such_on_the_sick_leave_list(
        client, settings, rows):
    """"Trạm y tế Nguyễn Văn Đức" has a BHYT contract but gives no sick-leave certificates: searched on
    the sick-leave list, it answered only "no result, try a shorter word", as if misspelt."""
    note = ("Các cơ sở sau khớp với tìm kiếm, có hợp đồng khám chữa bệnh BHYT nhưng không được cấp giấy chứng nhận "
            "nghỉ việc hưởng BHXH.")
    page = html(client, SICK_LEAVE, q="tram y te nguyen van duc")
    assert count(page) == 0 and note in page and "Trạm y tế Nguyễn Văn Đức (01 - Z02, " in page
    assert "Không có kết quả phù hợp" not in page
    assert note not in html(client, SICK_LEAVE, q="nguyen van duc")  # found on the list: no note
    assert note not in html(client, FACILITIES, q="tram y te nguyen van duc")  # the list of every contract
    nothing = html(client, SICK_LEAVE, q="khong co co so nao")
    assert note not in nothing and "Không có kết quả phù hợp. Hãy thử từ khóa ngắn hơn" in nothing
    assert note not in html(client, SICK_LEAVE, province="01", level="co_so")  # no words searched
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = html(client, SICK_LEAVE, q="tram y te nguyen van duc")
    assert ("These facilities match the search and have a health insurance contract, but may not issue sick-leave "
            "certificates.") in english and "Trạm y tế Nguyễn Văn Đức (01 - Z02, " in english


def test_a_search_typed_in_fullwidth_digits_or_letters_finds_what_the_same_in_ascii_finds(client, rows):
    """"０７９９９" (as some keyboards type digits) found nothing where "07999" found the agency."""
    assert headings(html(client, AGENCIES, q="０７９９９")) == ["BHXH cơ sở Nguyễn Văn Đức"]
    assert headings(html(client, FACILITIES, q="７９ - Ｚ０１")) == ["Phòng khám Đa khoa Nguyễn Văn Đức"]
    assert headings(html(client, FACILITIES, q="７９Ｚ０１")) == ["Phòng khám Đa khoa Nguyễn Văn Đức"]
    assert headings(html(client, EMPLOYERS, q="０３９９９９９９９１")) == ["Hộ kinh doanh Nguyễn Văn Đức"]


def test_a_facility_code_written_with_its_dash_finds_that_facility_only(client, rows):
    """"79 - Z01" searched as the words 79 and Z01 also found a facility of another province whose
    code ends in Z01 and whose address holds "479"."""
    hanoi = Province.objects.get(code="01")
    MedicalFacility.objects.create(code="01Z01", name="Phòng khám Lương Ngọc Quyến", province=hanoi,
                                   address="479 Lương Ngọc Quyến")
    for query in ["79 - Z01", "79-Z01", "79 – z01", " 79 -Z01 "]:
        assert headings(html(client, FACILITIES, q=query)) == ["Phòng khám Đa khoa Nguyễn Văn Đức"], query
    assert count(html(client, FACILITIES, q="79-Z99")) == 0
    assert selectors.facility_code_written("79 - 032") == "79032" and selectors.facility_code_written("79032") is None


def test_a_facility_code_written_with_a_space_for_its_dash_finds_that_facility_only(client, rows):
    """"79 001" found nothing while "79-001", "79 - 001" and "79001" found the facility."""
    hanoi = Province.objects.get(code="01")
    MedicalFacility.objects.create(code="01Z01", name="Phòng khám Lương Ngọc Quyến", province=hanoi,
                                   address="479 Lương Ngọc Quyến")
    for query in ["79 Z01", "79 z01", " 79   Z01 ", "79\tZ01"]:
        assert headings(html(client, FACILITIES, q=query)) == ["Phòng khám Đa khoa Nguyễn Văn Đức"], query
    assert selectors.facility_code_written("79 032") == "79032" and selectors.facility_code_written("7 9032") is None


def test_two_digits_and_three_letters_that_are_no_facility_code_are_searched_as_words(client, rows):
    """"15 ngo", an address typed without accents as the hint invites, has the shape of a code
    written with a space for its dash ("79 032"): no facility has the code 15NGO, so its words are
    looked for."""
    hcm = Province.objects.get(code="79")
    MedicalFacility.objects.create(code="79Z04", name="Phòng khám Đa khoa Bình An", province=hcm,
                                   address="15 Ngô Quyền, Phường Chợ Lớn")
    assert headings(html(client, FACILITIES, q="15 ngo")) == ["Phòng khám Đa khoa Bình An"]
    assert headings(html(client, FACILITIES, q="15 - ngo")) == ["Phòng khám Đa khoa Bình An"]
    assert headings(html(client, FACILITIES, q="79 z01")) == ["Phòng khám Đa khoa Nguyễn Văn Đức"]


def test_a_facility_code_outside_the_filters_chosen_finds_no_facility_of_its_words(client, rows):
    """A code a facility has, written with its dash, but that facility outside the filters (another
    province, no BHYT contract, no sick-leave papers): its words "79" and "Z01" were looked for and
    listed facilities that had nothing to do with it. Only a code no facility has is searched as words."""
    hanoi, hcm = Province.objects.get(code="01"), Province.objects.get(code="79")
    MedicalFacility.objects.create(code="01Z05", name="Phòng khám Hàng Bài", province=hanoi,
                                   address="Lô Z01, 79 Hàng Bài")
    MedicalFacility.objects.create(code="79Z06", name="Phòng khám Nguyễn Trãi", province=hcm,
                                   address="Lô Z03, 79 Nguyễn Trãi")
    MedicalFacility.objects.create(code="79Z07", name="Phòng khám Trần Hưng Đạo", province=hcm, issues_sick_leave=True,
                                   address="Lô Z02, 01 Trần Hưng Đạo")
    for url, params, unrelated in [(FACILITIES, {"q": "79 - Z01", "province": "01"}, "Phòng khám Hàng Bài"),
                                   (FACILITIES, {"q": "79 - Z03"}, "Phòng khám Nguyễn Trãi"),
                                   (SICK_LEAVE, {"q": "01 - Z02"}, "Phòng khám Trần Hưng Đạo")]:
        page = html(client, url, **params)
        assert count(page) == 0 and unrelated not in page, params
    assert [f.code for f in selectors.facilities_lookup(query="79 - Z03", bhyt_contract=False)] == ["79Z03"]
    assert "Trạm y tế Nguyễn Văn Đức (01 - Z02, " in html(client, SICK_LEAVE, q="01 - Z02")  # on the contract list
    # A code no facility has: its words, within the filters.
    assert headings(html(client, FACILITIES, q="79 han", province="01")) == ["Phòng khám Hàng Bài"]
    assert headings(html(client, FACILITIES, q="79 - Z01", province="79")) == ["Phòng khám Đa khoa Nguyễn Văn Đức"]


def test_whole_word_matches_come_first(client, reference_data):
    """"Quận 1" matched Quận 10, 11 and 12 and every "Quảng …" too, in code order: BHXH Quận 1 was
    thirteenth. The query as whole words comes first, then where it begins a word, then the rest."""
    found = headings(html(client, AGENCIES, q="Quận 1"))
    assert found[0] == "BHXH Quận 1"
    assert found[1:4] == ["BHXH Quận 12", "BHXH Quận 10", "BHXH Quận 11"]  # "quan 1…", by code
    assert "BHXH tỉnh Quảng Ninh" in found[4:]
    assert [agency.code for agency in selectors.agencies_lookup(query="quan 1")[:1]] == ["07901"]
    assert headings(html(client, FACILITIES, q="bach mai"))[0] == "Bệnh viện Bạch Mai"
    assert headings(html(client, AGENCIES, q="079"))[0] == "BHXH TP. Hồ Chí Minh"  # the code itself, then 079xx


def test_the_query_as_whole_words_before_a_comma_comes_first_too(rows):
    """An address or a name writes a district as "Quận 1, …": that is the query "quận 1" as whole words, ranked
    with the rows saying it between spaces, before "Quận 10", which it only begins (and whose code sorts first)."""
    hcm = Province.objects.get(code="79")
    ten = Employer.objects.create(code="ZZ0010A", name="Công ty TNHH In ấn Quận 10", tax_code="0312345610",
                                  province=hcm, agency=rows["agency"])
    one = Employer.objects.create(code="ZZ0011A", name="Công ty TNHH In ấn Quận 1, chi nhánh Bến Nghé",
                                  tax_code="0312345611", province=hcm, agency=rows["agency"])
    assert [e.pk for e in selectors.employers_lookup(query="in an quan 1")] == [one.pk, ten.pk]


def test_a_word_matches_from_the_start_of_a_word_only(client, rows):
    """"ha noi" found the "Nội thất" companies ("ha" inside "thất") and no Hà Nội employer; "An Hội"
    found "Tân Thới". A code or a tax code typed from its beginning is still found."""
    hanoi = Employer.objects.create(code="ZZ0003C", name="Công ty TNHH Xây dựng Hà Nội", tax_code="0199999993",
                                    province=Province.objects.get(code="01"), agency=rows["agency"])
    found = headings(html(client, EMPLOYERS, q="ha noi"))
    assert found[0] == hanoi.name and not [name for name in found if "Nội thất" in name]
    assert Employer.objects.filter(name__contains="Nội thất").exists()
    points = headings(html(client, POINTS, q="An Hội"))
    assert {"Bưu cục An Hội Tây", "UBND phường An Hội"} <= set(points) and "Bưu cục Tân Thới Hiệp" not in points
    assert headings(html(client, EMPLOYERS, q="039999999")) == ["Hộ kinh doanh Nguyễn Văn Đức", "Công ty TNHH Nguyễn Văn Đức và Con"]
    assert count(html(client, EMPLOYERS, q="99999991")) == 0  # the middle of a tax code
    assert headings(html(client, FACILITIES, q="79z"))[0] == "Phòng khám Đa khoa Nguyễn Văn Đức"
    codes = {agency.code for agency in selectors.agencies_lookup(query="0790")}
    assert {"07901", "07902", "07909"} <= codes and "07912" not in codes


def test_a_word_after_an_opening_bracket_or_a_full_stop_is_found(client, reference_data):
    """The sample employers are named "… (dữ liệu mẫu)": "du" begins a word after the bracket.
    Three hospitals are named "… TP.HCM": "hcm" begins a word after the full stop."""
    assert count(html(client, EMPLOYERS, q="du lieu mau")) == Employer.objects.filter(name__contains="(dữ liệu mẫu)").count() > 0
    assert {"Bệnh viện Đại học Y Dược TP.HCM", "Bệnh viện Ung Bướu TP.HCM"} <= set(headings(html(client, FACILITIES, q="hcm")))


@pytest.mark.parametrize("query", ["tp hcm", "TP.HCM", "tphcm", "hcm", "thành phố hồ chí minh"])
def test_ho_chi_minh_city_is_found_as_people_abbreviate_it(query, reference_data):
    """The data writes "TP. Hồ Chí Minh"; people type "tp hcm", "TP.HCM" or "tphcm"."""
    found = {agency.code for agency in selectors.agencies_lookup(query=query)}
    in_hcm = set(Agency.objects.filter(address__contains="Hồ Chí Minh").values_list("code", flat=True))
    assert "079" in found and in_hcm <= found


def test_a_hospital_is_found_by_the_abbreviations_of_its_kind(client, reference_data):
    assert "Bệnh viện Đa khoa Đức Giang" in headings(html(client, FACILITIES, q="bv đức giang"))
    assert "Bệnh viện Đa khoa Đức Giang" in headings(html(client, FACILITIES, q="BVĐK Đức Giang"))
    assert "Bệnh viện Đa khoa Hà Đông" in headings(html(client, FACILITIES, q="bv hà đông hn"))
    assert count(html(client, FACILITIES, q="bv")) == MedicalFacility.objects.filter(
        bhyt_contract=True, name__istartswith="Bệnh viện").count()
    assert count(html(client, FACILITIES, q="benh vien")) == count(html(client, FACILITIES, q="bv"))


def test_the_selectors_search_the_folded_key_on_this_database(rows):
    """The SQL the selector sends: a plain LIKE on the folded column (served by the trigram index
    on PostgreSQL, a scan on SQLite), never a database-specific unaccent() or ILIKE."""
    queryset = selectors.employers_lookup(query="Nguyễn ĐỨC")
    with CaptureQueriesContext(connection) as queries:
        found = list(queryset)
    assert [employer.code for employer in found] == ["ZZ0001A", "ZZ0002B"]
    sql = queries.captured_queries[0]["sql"]
    assert sql.count('"lookup_employer"."search_key"') >= 2 and "LIKE" in sql
    assert "'nguyen%'" in sql and "'% nguyen%'" in sql and "'% duc%'" in sql
    assert "%nguyen%" not in sql and "unaccent" not in sql.lower() and "ILIKE" not in sql
    assert rows["employer"].search_key == "zz0001a 0399999991 ho kinh doanh nguyen van duc"


def test_the_folded_key_follows_edits_and_fits_its_column(rows):
    agency = rows["agency"]
    agency.name = "BHXH cơ sở Nguyễn Văn Đức" + " phòng tiếp nhận" * 10
    agency.address = ("Đường Trần Hưng Đạo " * 14).strip()  # name + address: longer than the key's column
    agency.save()
    agency.refresh_from_db()
    assert agency.search_key.startswith("07999 bhxh co so nguyen van duc phong tiep nhan")
    assert len(agency.search_key) == Agency.SEARCH_KEY_LENGTH
    assert list(selectors.agencies_lookup(query="phong tiep nhan tran hung dao")) == [agency]


# --- Pagination --------------------------------------------------------------------------------

def test_pagination_shows_the_count_and_keeps_the_filters(client, reference_data):
    total = MedicalFacility.objects.filter(bhyt_contract=True).count()
    assert total > PER_PAGE * 2
    first = html(client, FACILITIES, province="", q="")
    assert count(first) == total and len(headings(first)) == PER_PAGE
    assert f"(trang 1/{-(-total // PER_PAGE)})" in first
    assert 'href="?province=&amp;q=&amp;trang=2" rel="next"' in first
    second = html(client, FACILITIES, province="", q="", trang="2")
    assert len(headings(second)) == PER_PAGE and set(headings(second)).isdisjoint(headings(first))
    assert '<span aria-current="page"><span class="visually-hidden">Trang </span>2</span>' in second
    assert f"<title>Cơ sở khám chữa bệnh BHYT – {total} kết quả – trang 2" in second  # what was found, then the page
    filtered = html(client, FACILITIES, q="benh vien", level="", trang="2")
    assert count(filtered) == selectors.facilities_lookup(query="bệnh viện").count() > PER_PAGE
    assert 'href="?q=benh+vien&amp;level=&amp;trang=1" rel="prev"' in filtered
    assert all("benh vien" in facility.search_key for facility in selectors.facilities_lookup(query="bệnh viện"))


@pytest.mark.parametrize("trang,expected", [
    ("9999", "last"), ("99999999999999999999999", "last"),  # past the end
    ("0", 1), ("-1", 1), ("-99999999999999999999999", 1),  # before the start
    ("abc", 1), ("1e3", 1), ("", 1), ("2.5", 1),  # not a page number
])
def test_an_out_of_range_or_broken_page_number_shows_a_valid_page(client, reference_data, trang, expected):
    total = Agency.objects.count()
    last = -(-total // PER_PAGE)
    page = html(client, AGENCIES, trang=trang)
    assert count(page) == total and len(headings(page)) == (total - (last - 1) * PER_PAGE if expected == "last" else PER_PAGE)
    shown = int(re.search(r'<span aria-current="page"><span class="visually-hidden">Trang </span>(\d+)</span>', page).group(1))
    assert shown == (last if expected == "last" else expected)


# --- Tampered query strings ------------------------------------------------------------------

TAMPERED = [
    "province=zz", "province=79&province=01", "province=%00", "q=%00", "q=a%00b", "q=" + "x" * 5000,
    "level=%3Cscript%3E", "ward=99999&province=79", "ward=abc", "ward=26740&province=01", "trang=%00",
    "q=%25%25%25", "q=_", "q=%5C", "q=%27%3B+DROP+TABLE+lookup_agency%3B--", "q[]=1", "q=%F0%9F%98%80",
    "q=%ED%A0%80", "province=../../etc", "trang=2&trang=x", "province=79&ward=%00", "province=7%009",
]


@pytest.mark.parametrize("url", PAGES)
def test_tampered_query_strings_get_a_page_not_an_error(client, reference_data, url):
    for query in TAMPERED:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, query
        assert "kết quả" in response.content.decode(), query


@pytest.mark.parametrize("lookup", [selectors.agencies_lookup, selectors.facilities_lookup, selectors.employers_lookup,
                                    selectors.collection_points_lookup])
def test_a_search_reads_no_more_words_than_the_faq_search_does(reference_data, lookup):
    """Each word is four LIKEs on the search key: 50 one-letter words (what the field's 100
    characters hold) made 200 of them over the 100,000 employer units, with no rate limit."""
    from lookup.selectors_support import faq_topics

    words = [chr(ord("a") + n % 26) for n in range(50)]
    kept = words[:selectors.SEARCH_WORDS_MAX]
    assert 1 < len(kept) < len(words)
    assert str(lookup(query=" ".join(words)).query) == str(lookup(query=" ".join(kept)).query)
    with CaptureQueriesContext(connection) as every:
        faq_topics(query=" ".join(words))
    with CaptureQueriesContext(connection) as capped:
        faq_topics(query=" ".join(kept))
    assert [query["sql"] for query in every.captured_queries] == [query["sql"] for query in capped.captured_queries]


@pytest.mark.parametrize("url", PAGES)
def test_the_words_a_long_search_leaves_out_are_named_on_the_results_page(client, settings, rows, url):
    """The words after those a search reads were dropped without a word: the citizen thought the
    results matched all they typed."""
    typed = "N Ng Ngu Nguy Nguyễn V Văn Đức không có từ này"
    page = html(client, url, q=typed)
    assert count(page) >= 1  # the first eight words are searched; the rest would find nothing
    assert "Từ khóa quá dài: các từ “không có từ này” không được tìm." in page
    assert "không được tìm" not in html(client, url, q="Nguyễn Văn Đức")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "The search is too long: the words “không có từ này” were not searched." in html(client, url, q=typed)


@pytest.mark.parametrize("query", [
    "tphcm " * 8, "tphcm bvdk pkdk ttyt tyt tp hcm hn bv dk pk tx tt", "bv " * 50,
    "thanh pho ho chi minh " * 5, "tp.hcm " * 10,
])
def test_abbreviations_count_against_the_words_a_search_reads(reference_data, query):
    """Each abbreviation also searches what it stands for: eight times "tphcm" made 128 LIKEs on
    the search key, where eight words make 32."""
    for lookup in (selectors.agencies_lookup, selectors.facilities_lookup):
        sql = str(lookup(query=query).query)
        assert sql.count(" LIKE ") <= 4 * 12 + 3, query  # twelve written forms, four LIKEs each; the ranking's 3


def test_an_abbreviation_counts_what_it_stands_for_and_is_named_when_left_out():
    assert selectors.search_terms("TPHCM bvđk PKĐK ttyt tyt Tp Hcm") == selectors.SearchTerms(
        words=["tphcm", "bvdk", "pkdk", "ttyt", "tyt"], left_out="Tp Hcm")  # 4 + 2 + 2 + 2 + 2 forms
    # "tp.hcm" is "tp" and "hcm": when only "tp" would fit, the word is left out whole.
    assert selectors.search_terms("tphcm bvdk pkdk ttyt tp.hcm") == selectors.SearchTerms(
        words=["tphcm", "bvdk", "pkdk", "ttyt"], left_out="tp.hcm")
    assert selectors.search_terms("thanh pho ho chi minh " * 5) == selectors.SearchTerms(
        words=["thanh", "pho", "ho", "chi", "minh"] * 5, left_out="")  # "tp hcm" five times: looked for once


def test_a_repeated_word_or_abbreviation_finds_what_it_finds_once(client, reference_data):
    """Repeated, a word is looked for once: it costs nothing of the words a search reads."""
    once = headings(html(client, FACILITIES, q="bv tphcm"))
    assert once and headings(html(client, FACILITIES, q="bv tphcm tphcm bv tphcm bv tphcm bv tphcm")) == once
    page = html(client, FACILITIES, q="bệnh viện đại học y dược tphcm")  # the abbreviations of a real name
    assert "Bệnh viện Đại học Y Dược TP.HCM" in headings(page) and "không được tìm" not in page


def test_like_wildcards_in_the_query_are_literal(client, rows):
    assert count(html(client, EMPLOYERS, q="zz0001a")) == 1 and count(html(client, EMPLOYERS, q="nguyen")) >= 1
    # Each would match as a LIKE pattern ("ngu_en" is "nguyen", "zz000_a" is "ZZ0001A").
    for query in ("ngu_en", "zz000_a", "zz%1a", "nguyen%duc"):
        assert count(html(client, EMPLOYERS, q=query)) == 0, query


def test_an_invalid_filter_is_named_and_left_out_while_the_others_apply(client, rows):
    page = html(client, FACILITIES, q="nguyen van duc", level="khong-co", province="01")
    assert "Chọn tuyến trong danh sách." in page and 'aria-invalid="true"' in page
    assert headings(page) == ["Trạm y tế Nguyễn Văn Đức"]  # the words and the province still filter
    page = html(client, POINTS, q="nguyen van duc", province="79", ward="00000")
    assert "Chọn phường/xã trong danh sách." in page and headings(page) == ["Đại lý thu Nguyễn Văn Đức"]
    page = html(client, AGENCIES, q="nguyen van duc", province="99")
    assert "Chọn tỉnh/thành phố trong danh sách." in page and headings(page) == ["BHXH cơ sở Nguyễn Văn Đức"]


# --- Queries per page --------------------------------------------------------------------------

@pytest.mark.parametrize("url,params", [
    (AGENCIES, {}),
    (FACILITIES, {}),
    (SICK_LEAVE, {}),
    (EMPLOYERS, {}),
    (POINTS, {"province": "79"}),
])
def test_a_full_page_costs_the_same_queries_as_a_single_result(client, rows, url, params,
                                                               django_assert_max_num_queries):
    client.get(url, {**params, "q": "nguyen van duc"})  # warm the session and any lazy setup
    with CaptureQueriesContext(connection) as single:
        one = client.get(url, {**params, "q": "nguyen van duc"})
    assert count(one.content.decode()) >= 1
    with django_assert_max_num_queries(len(single.captured_queries)):
        full = client.get(url, params)
    assert len(headings(full.content.decode())) == PER_PAGE
    assert len(single.captured_queries) <= 6  # count, page, the filters' choices


# --- PostgreSQL: the trigram indexes and the planner --------------------------------------------

def postgres_only():
    """Skips on a developer's SQLite; fails in CI, where the suite must run on PostgreSQL."""
    if connection.vendor != "postgresql":
        missing("trigram indexes are a PostgreSQL feature; SQLite searches the folded key without them")


def test_the_trigram_indexes_exist(db):
    postgres_only()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE indexname LIKE %s", ["%_search_trgm"])
        found = dict(cursor.fetchall())
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()
    assert sorted(found) == sorted(TRIGRAM_TABLES)
    assert all("USING gin (search_key gin_trgm_ops)" in definition for definition in found.values())


@pytest.mark.parametrize("lookup,table", [
    (lambda: selectors.agencies_lookup(query="nguyen van duc"), "lookup_agency"),
    (lambda: selectors.facilities_lookup(query="nguyen van duc"), "lookup_medicalfacility"),
    (lambda: selectors.employers_lookup(query="nguyen van duc"), "lookup_employer"),
    (lambda: selectors.collection_points_lookup(query="nguyen van duc"), "lookup_collectionpoint"),
])
def test_the_planner_can_serve_each_search_from_its_trigram_index(rows, lookup, table):
    postgres_only()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
        # The test tables are tiny, so a scan would win: forbid scans to see what the planner *can* use
        # (bench/ shows the plans it chooses at national scale).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = lookup().explain()
    assert f"Bitmap Index Scan on {table}_search_trgm" in plan, plan
    assert "'% nguyen%'" in plan and "Seq Scan on " + table not in plan


@pytest.mark.parametrize("url", [AGENCIES, FACILITIES, POINTS])
def test_an_invalid_filter_in_the_address_says_error_in_the_title_and_sums_it_up(client, url):
    page = html(client, url, province="xx")
    assert re.search(r"<title>Lỗi: [^<]+</title>", page)
    summary = re.search(r'</h1>\s*<div class="error-summary" role="alert" tabindex="-1".*?</div>', page, re.S)
    assert summary and '<a href="#id_province">' in summary.group(0)
    assert "<title>Lỗi:" not in html(client, url, province="79")


def test_an_agency_under_itself_is_refused_in_the_admins_language(reference_data):
    """An English admin read in Vietnamese that an agency cannot be its own parent or its child's."""
    from django.core.exceptions import ValidationError

    province = Agency.objects.get(code="079")
    province.parent = Agency.objects.get(code="07901")
    for language, said in (("vi", "Cơ quan cấp trên không được là chính cơ quan này hoặc cơ quan cấp dưới của nó."),
                           ("en", "The parent agency cannot be this agency itself or one of the agencies under it.")):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            province.clean()
        assert refused.value.message_dict == {"parent": [said]}



def empty_advice(page: str) -> str:
    found = re.search(r'<p class="result-count" role="status">(\d+) [^<]*</p>\s*<p>(.*?)</p>', page, re.S)
    assert found.group(1) == "0"
    return found.group(2)


def test_no_result_for_words_typed_advises_shorter_or_other_words_and_fewer_choices_only_when_made(client, rows):
    assert empty_advice(html(client, AGENCIES, q="khong co gi ca")) == (
        "Không có kết quả phù hợp. Hãy thử từ khóa ngắn hơn hoặc từ khóa khác.")
    assert empty_advice(html(client, FACILITIES, q="khong co gi ca", province="79")) == (
        "Không có kết quả phù hợp. Hãy thử từ khóa ngắn hơn hoặc bỏ bớt điều kiện.")


def test_no_result_without_words_advises_another_province_level_or_ward_not_shorter_words(client, rows):
    """Only a province, a level or a ward chosen, nothing typed: "try shorter words" was no advice."""
    Employer.objects.filter(province__code="01").delete()
    assert empty_advice(html(client, EMPLOYERS, province="01")) == (
        "Không có kết quả ở tỉnh/thành phố đã chọn. Hãy chọn tỉnh/thành phố khác.")
    lacking = Province.objects.exclude(facilities__level=MedicalFacility.Level.CENTRAL).first()
    assert empty_advice(html(client, FACILITIES, province=lacking.code, level="trung_uong")) == (
        "Không có cơ sở nào thuộc tuyến đã chọn ở tỉnh/thành phố đã chọn. Hãy chọn tuyến khác hoặc tỉnh/thành phố "
        "khác.")
    MedicalFacility.objects.filter(level=MedicalFacility.Level.CENTRAL).delete()
    assert empty_advice(html(client, SICK_LEAVE, level="trung_uong")) == (
        "Không có cơ sở nào thuộc tuyến đã chọn. Hãy chọn tuyến khác.")
    ward = Ward.objects.filter(province__code="79", collection_points__isnull=True).first()
    page = html(client, POINTS, province="79", ward=ward.code)
    assert empty_advice(page) == (
        "Không có điểm thu nào ở phường/xã đã chọn. Hãy chọn phường/xã khác hoặc “Tất cả phường/xã”.")
    client.cookies["django_language"] = "en"
    assert empty_advice(html(client, EMPLOYERS, province="01")) == (
        "No results in the province or city chosen. Choose another province or city.")
