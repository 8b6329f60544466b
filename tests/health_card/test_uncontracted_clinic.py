"""A KCB facility whose BHYT contract has ended checks no more cards: its software's API tokens are
refused with a message that says why, and its staff see the verify page as anyone else does."""

import pytest
from django.test import Client

from health_card.models import CardCheck
from health_card.qr import Purpose
from health_card.services import api_token_create, card_qr

from .card_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db

API = "/api/xac-thuc/the-bhyt/"


def end_contract(facility):
    facility.bhyt_contract = False
    facility.save()


def test_the_api_refuses_the_token_of_a_clinic_whose_contract_ended_though_it_was_cached(card, facility):
    _token, raw = api_token_create(facility=facility, name="HIS")
    data, auth = {"maQR": card_qr(card, purpose=Purpose.SCREEN)}, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    for _ in range(2):  # the token is read, then cached
        assert client.post(API, data, content_type="application/json", **auth).status_code == 200
    end_contract(facility)
    refused = client.post(API, data, content_type="application/json", **auth)
    answer = refused.json()
    assert refused.status_code == 403 and answer["maKetQua"] == "403" and answer["hopLe"] is False
    assert answer["thongBao"] == (f"Cơ sở KCB {facility.code} không còn hợp đồng khám chữa bệnh BHYT nên mã truy "
                                  "cập này không dùng được để xác thực thẻ. Liên hệ cơ quan BHXH.")
    assert "hoTen" not in answer
    assert CardCheck.objects.count() == 2  # the refused call checked nothing


def test_staff_of_a_clinic_whose_contract_ended_see_the_verify_page_as_anyone_and_are_told_why(
        card, clinic_user, facility):
    import re

    from .card_fixtures import logged_in

    end_contract(facility)
    client = logged_in(clinic_user)
    page = re.sub(r"\s+", " ", client.get("/xac-thuc/the-bhyt/").content.decode())
    assert (f"Cơ sở KCB {facility.display_code} {facility.name} không còn hợp đồng khám chữa bệnh BHYT: tài khoản "
            "này chỉ cho biết thẻ hợp lệ hay không, với họ tên đã được che bớt. Liên hệ cơ quan BHXH nếu cơ sở đã "
            "ký lại hợp đồng.") in page
    assert "Hoặc nhập thông tin trên thẻ" not in page and "Khi chưa đăng nhập" not in page
    scanned = re.sub(r"\s+", " ", client.post("/xac-thuc/the-bhyt/", {"cach": "quet",
                                                                     "ma_qr": card_qr(card, purpose=Purpose.SCREEN)})
                     .content.decode())
    assert "Thẻ hợp lệ" in scanned and "NGUYỄN VĂN ĐỨC" not in scanned and "15/03/1988" not in scanned
    typed = client.post("/xac-thuc/the-bhyt/", {"cach": "nhap", "so_the": "7901234567", "ho_ten": "Nguyễn Văn Đức",
                                               "ngay_sinh": "15/03/1988"})
    assert "NGUYỄN VĂN ĐỨC" not in typed.content.decode()
    assert CardCheck.objects.get().channel == CardCheck.Channel.PUBLIC


def test_an_officer_makes_no_token_for_a_clinic_whose_contract_ended(facility, other_facility):
    from health_card.models import FacilityApiToken
    from tests.accounts.helpers import officer

    from .card_fixtures import logged_in

    end_contract(facility)
    client = logged_in(officer("canbo079", "079", "Cán bộ BHXH tỉnh"))
    form = client.get("/quan-tri/health_card/facilityapitoken/add/").context["adminform"].form
    assert not form.fields["facility"].queryset.filter(pk=facility.pk).exists()
    assert form.fields["facility"].queryset.filter(pk=other_facility.pk).exists()
    response = client.post("/quan-tri/health_card/facilityapitoken/add/",
                           {"facility": facility.pk, "name": "HIS", "nonce": form["nonce"].value()})
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not FacilityApiToken.objects.exists()


def test_an_officer_registers_no_new_card_at_a_clinic_without_a_contract(facility, other_facility):
    from accounts.models import Person
    from health_card.models import BeneficiaryGroup, Card
    from lookup.models import Agency
    from tests.accounts.helpers import make_person, officer

    from .card_fixtures import logged_in

    person = make_person("7901000011", "Phạm Văn Nam", id_number="079088000011")
    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))
    end_contract(facility)
    client = logged_in(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    offered = client.get("/quan-tri/health_card/card/add/").context["adminform"].form.fields["facility"].queryset
    assert not offered.filter(pk=facility.pk).exists() and offered.filter(pk=other_facility.pk).exists()
    form = {"person": person.pk, "group": BeneficiaryGroup.objects.get(code="DN").pk,
            "agency": Agency.objects.get(code="07901").pk, "valid_from": "01/01/2026", "valid_to": "", "living_area": ""}
    response = client.post("/quan-tri/health_card/card/add/", {**form, "facility": facility.pk})
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert not Card.objects.exists()
    assert client.post("/quan-tri/health_card/card/add/", {**form, "facility": other_facility.pk}).status_code == 302


def test_an_english_page_tells_staff_of_a_clinic_whose_contract_ended_why_without_vietnamese_abbreviations(
        clinic_user, facility):
    import re

    from .card_fixtures import logged_in

    end_contract(facility)
    client = logged_in(clinic_user)
    client.cookies["django_language"] = "en"
    page = re.sub(r"\s+", " ", client.get("/xac-thuc/the-bhyt/").content.decode())
    notice = re.search(r'<div class="notice" role="status"><p>(.*?)</p></div>', page).group(1)
    assert notice == (f"Healthcare facility {facility.display_code} {facility.name} no longer has a health insurance "
                      "contract: this account only shows whether a card is valid, with the name partly hidden. Contact "
                      "the social insurance agency if the facility has signed a new contract.")


def test_the_api_refuses_at_once_a_cached_token_of_a_clinic_whose_contract_a_reference_load_ended(
        card, facility, tmp_path, monkeypatch):
    """`load_reference_data --update` writes the facilities in bulk, without a save of each."""
    import io

    from django.core.management import call_command

    from lookup import services as lookup_services

    _token, raw = api_token_create(facility=facility, name="HIS")
    data, auth = {"maQR": card_qr(card, purpose=Purpose.SCREEN)}, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    for _ in range(2):  # the token is read, then cached
        assert client.post(API, data, content_type="application/json", **auth).status_code == 200
    for source in lookup_services.DATA_DIR.glob("*.csv"):
        text = source.read_text(encoding="utf-8")
        if source.name == "facilities.csv":
            lines = text.splitlines(keepends=True)
            row = next(i for i, line in enumerate(lines) if line.startswith(f"{facility.code},"))
            fields = lines[row].rstrip("\n").rsplit(",", 4)  # ..., bhyt_contract, issues_sick_leave, level, is_demo
            assert fields[1] == "1"
            lines[row] = ",".join([fields[0], "0", *fields[2:]]) + "\n"
            text = "".join(lines)
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(lookup_services, "DATA_DIR", tmp_path)
    call_command("load_reference_data", "--update", stdout=io.StringIO())
    facility.refresh_from_db()
    assert not facility.bhyt_contract
    refused = client.post(API, data, content_type="application/json", **auth)
    assert refused.status_code == 403 and refused.json()["maKetQua"] == "403"
    assert CardCheck.objects.count() == 2
