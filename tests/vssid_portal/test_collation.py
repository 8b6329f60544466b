"""Vietnamese dictionary order (vssid_portal.text.sort_key)."""

import random

from vssid_portal.text import sort_key

# The 34 provinces and cities in the order a Vietnamese reader expects.
PROVINCES = ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Điện Biên", "Đồng Nai", "Đồng Tháp",
             "Gia Lai", "Hà Tĩnh", "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng",
             "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh",
             "Thái Nguyên", "Thanh Hóa", "Thành phố Cần Thơ", "Thành phố Đà Nẵng", "Thành phố Hà Nội",
             "Thành phố Hải Phòng", "Thành phố Hồ Chí Minh", "Thành phố Huế", "Tuyên Quang", "Vĩnh Long"]


def test_the_provinces_come_in_dictionary_order_whatever_order_they_are_given_in():
    shuffled = PROVINCES[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == PROVINCES
    assert sorted(PROVINCES) != PROVINCES  # code points alone get it wrong


def test_letters_first_then_tones_in_their_dictionary_order():
    assert sorted(["ạ", "á", "ã", "ả", "à", "a"], key=sort_key) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert sorted(["â", "b", "ă", "a"], key=sort_key) == ["a", "ă", "â", "b"]
    assert sorted(["e", "đ", "d"], key=sort_key) == ["d", "đ", "e"]
    assert sorted(["ư", "v", "u", "ơ", "p", "ô", "o"], key=sort_key) == ["o", "ô", "ơ", "p", "u", "ư", "v"]
    assert sorted(["Lạng", "Lang"], key=sort_key) == ["Lang", "Lạng"]  # tones only break ties


def test_case_spacing_and_composition_do_not_matter_and_a_prefix_comes_first():
    assert sort_key("ĐỒNG  THÁP") == sort_key("đồng tháp") == sort_key("đo\u0302\u0300ng tha\u0301p")
    assert sorted(["Phường 10", "Phường 2", "Phường", "Phường An Lạc"], key=sort_key) == [
        "Phường", "Phường 10", "Phường 2", "Phường An Lạc"]
    assert sort_key("An") < sort_key("An Giang") < sort_key("Ang")
    assert sort_key("x").isascii() and sort_key("Quỳnh Lưu – Nghệ An (cũ)").isascii()


def test_the_province_and_ward_lists_of_the_forms_are_in_dictionary_order(client, reference_data):
    import re

    from lookup.models import Province, Ward, province_sort_key

    page = client.get("/tra-cuu/co-so-kcb/").content.decode()
    select = page[page.index('name="province"'):]
    listed = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select[:select.index("</select>")])
    assert listed == sorted(PROVINCES, key=province_sort_key)  # by name, "Thành phố" left out
    assert listed.index("Gia Lai") < listed.index("Thành phố Hà Nội") < listed.index("Hà Tĩnh")
    wards = [ward.name for ward in Ward.objects.filter(province__name="Thành phố Hà Nội")]
    assert wards == sorted(wards, key=sort_key) and wards != sorted(wards)
    renamed = Province.objects.get(name="Cà Mau")
    renamed.name = "Đất Mũi"
    renamed.save()  # a name changed in the admin takes its place at once
    names = [province.name for province in Province.objects.all()]
    assert names.index("Đắk Lắk") < names.index("Đất Mũi") < names.index("Điện Biên")  # ă < â < i
