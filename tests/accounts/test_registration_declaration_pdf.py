"""The registration declaration as paper, read back page by page with pdftotext: the pledge and the
signature block share a page however long the name and the address make the form."""

import re
import subprocess

import pytest

from accounts.models import Registration
from accounts.services.registration import registration_build_declaration
from tests.conftest import require_tool

from .helpers import make_person, submit
from .test_child_account import child, parent, send  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PLEDGE = "Tôi xin cam đoan những thông tin kê khai trên là đúng sự thật"
LONG_NAME = "Tôn Nữ Thị Phương Thảo Ngọc Diễm Hương Trầm Khuê Vỹ"
LONG_STREET = ("Số 123/45/67 Hẻm 89 đường Nguyễn Thị Minh Khai nối dài, Khu phố 5, Tổ dân phố 12, "
               "gần chợ Bến Thành, đối diện Trường Tiểu học Lê Ngọc Hân, ngã ba cây xăng số 4")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def declaration_pages(registration) -> list[str]:
    require_tool("pdftotext", "poppler-utils")
    registration = registration_build_declaration(registration_id=registration.pk)
    with registration.declaration_pdf.open("rb") as handle:
        pdf = handle.read()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [squash(page) for page in text.split("\f")[:-1]]


def page_of(pages: list[str], words: str) -> int:
    holding = [number for number, text in enumerate(pages, 1) if squash(words) in text]
    assert len(holding) == 1, (words, holding)
    return holding[0]


def test_a_long_name_and_address_keep_the_signature_on_the_page_of_the_pledge(reference_data):
    person = make_person(name=LONG_NAME)
    pages = declaration_pages(submit(person, street=LONG_STREET))
    pledged = page_of(pages, PLEDGE)
    assert page_of(pages, "Người kê khai") == pledged
    assert squash(LONG_NAME) in pages[pledged - 1].split(squash("Người kê khai"), 1)[1]


def test_a_child_registered_by_a_parent_without_a_street_gets_the_parents_address_without_a_dash(
        client, parent, child):
    client.force_login(parent)
    send(client)
    text = "".join(declaration_pages(Registration.objects.get()))
    ward, province = parent.person.ward.name, parent.person.province.name
    assert squash(f"[05] Địa chỉ liên hệ {ward}, {province} [06]") in text, text


def test_the_declaration_is_headed_with_the_name_of_the_form_of_decree_166(reference_data):
    pages = declaration_pages(submit(make_person()))
    assert squash("TỜ KHAI ĐĂNG KÝ SỬ DỤNG, ĐIỀU CHỈNH THÔNG TIN VÀ NGỪNG SỬ DỤNG PHƯƠNG THỨC GIAO DỊCH "
                  "ĐIỆN TỬ TRONG LĨNH VỰC BẢO HIỂM XÃ HỘI") in pages[0], pages[0]


def test_the_declaration_says_it_was_sent_online_instead_of_asking_for_a_signature(reference_data):
    pages = declaration_pages(submit(make_person()))
    signed = pages[-1][pages[-1].index(squash(PLEDGE)):]
    assert squash("Người kê khai (Nộp trực tuyến qua Cổng dịch vụ BHXH số) Nguyễn Văn Đức") in signed, signed
    assert squash("Ký, ghi rõ họ tên") not in signed


def test_the_identity_papers_number_is_labelled_as_a_number_without_the_screens_hint(reference_data):
    person = make_person()
    text = "".join(declaration_pages(submit(person)))
    assert squash(f"[04] Số CCCD/Căn cước {person.id_number} [05]") in text, text
    assert squash("(12 số)") not in text
