"""The dashboard says truly how the details it shows are corrected: name, birth date, sex and ID
number online by procedure 608A (linked), phone and address by the managing agency or the hotline
(no procedure of the portal changes them)."""

import re

import pytest

from tests.public_services.helpers import owner  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_dashboard_links_the_608a_form_and_sends_phone_and_address_to_the_agency(client, owner, settings):
    client.force_login(owner)
    html = client.get("/ca-nhan/").content.decode()
    assert "Hãy nộp hồ sơ điều chỉnh thông tin tại" not in html  # no procedure changes the phone or the address
    link = re.search(r'Hãy nộp <a href="([^"]+)">hồ sơ điều chỉnh thông tin \(thủ tục 608A\)</a>', html)
    assert link and "Họ tên, ngày sinh, giới tính hoặc số CCCD chưa đúng?" in html
    assert ("Số điện thoại và địa chỉ chưa đổi được trên cổng: hãy liên hệ cơ quan BHXH quản lý hoặc gọi "
            f"{settings.PORTAL_HOTLINE}.") in html
    form = client.get(link[1])
    assert form.status_code == 200 and form.context["procedure"].code == "608A"
    assert {"new_full_name", "new_birth_date", "new_sex", "new_id_number"} <= set(form.context["form"].fields)
