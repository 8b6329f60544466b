"""The dashboard says truly how the details it shows are corrected: name, birth date, sex and ID
number online by procedure 608A, phone, e-mail and address by the contact change procedure (both
linked)."""

import re

import pytest

from tests.public_services.helpers import owner  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_dashboard_links_the_608a_form_and_the_contact_change_form(client, owner):
    client.force_login(owner)
    html = client.get("/ca-nhan/").content.decode()
    link = re.search(r'Hãy nộp <a href="([^"]+)">hồ sơ điều chỉnh thông tin \(thủ tục 608A\)</a>', html)
    assert link and "Họ tên, ngày sinh, giới tính hoặc số CCCD chưa đúng?" in html
    assert ("Đổi số điện thoại, email hoặc địa chỉ liên hệ? Hãy nộp <a href=\"/dich-vu-cong/dieu-chinh-thong-tin-lien-he/\">"
            "hồ sơ điều chỉnh thông tin liên hệ</a>.") in html
    form = client.get(link[1])
    assert form.status_code == 200 and form.context["procedure"].code == "608A"
    assert {"new_full_name", "new_birth_date", "new_sex", "new_id_number"} <= set(form.context["form"].fields)
