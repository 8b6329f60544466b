"""An officer opening a clinic's API token sees what the list shows of it: its first characters,
who made it and when, its last use and whether (and when) it was revoked."""

import re

import pytest

from health_card.services import api_token_authenticate, api_token_create, api_token_revoke
from tests.accounts.helpers import officer
from vssid_portal.templatetags.vn_format import vn_datetime

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import logged_in

pytestmark = pytest.mark.django_db


def test_a_tokens_page_says_who_made_it_when_it_was_last_used_and_revoked(facility):
    province = officer("canbo079", "079", "Cán bộ BHXH tỉnh")
    token, raw = api_token_create(facility=facility, name="HIS khoa Khám bệnh", created_by=province)
    api_token_authenticate(raw)
    api_token_revoke(token=token)
    token.refresh_from_db()
    html = logged_in(province).get(f"/quan-tri/health_card/facilityapitoken/{token.pk}/change/").content.decode()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    for label, value in (("Phần đầu của mã", token.prefix), ("Người tạo", "canbo079 – [079] BHXH TP. Hồ Chí Minh"),
                         ("Tạo lúc", vn_datetime(token.created_at)), ("Dùng lần cuối", vn_datetime(token.last_used_at)),
                         ("Thu hồi lúc", vn_datetime(token.revoked_at))):
        assert f"{label}: {value}" in page, label
    assert raw not in html


def buttons(html: str) -> list[str]:
    return re.findall(r'<input type="submit" value="([^"]+)"[^>]*name="_\w+"', html)


def test_the_add_form_offers_save_and_save_and_add_another_and_a_tokens_page_no_save_at_all(facility):
    """A token cannot be edited: nothing to go on editing once it is made, nothing to save on its page."""
    province = officer("canbo079", "079", "Cán bộ BHXH tỉnh")
    client = logged_in(province)
    assert buttons(client.get("/quan-tri/health_card/facilityapitoken/add/").content.decode()) == [
        "Lưu lại", "Lưu và thêm mới"]
    token, _raw = api_token_create(facility=facility, name="HIS", created_by=province)
    html = client.get(f"/quan-tri/health_card/facilityapitoken/{token.pk}/change/").content.decode()
    assert buttons(html) == []
    assert re.search(r'<a href="/quan-tri/health_card/facilityapitoken/" class="closelink">Đóng</a>', html)


def test_the_expiry_help_says_when_the_clinic_needs_a_new_token(facility):
    html = logged_in(officer("canbo079", "079", "Cán bộ BHXH tỉnh")).get(
        "/quan-tri/health_card/facilityapitoken/add/").content.decode()
    help_text = re.search(r'id="id_expires_on_helptext">\s*<div>([^<]+)</div>', html).group(1)
    assert help_text == ("dd/mm/yyyy; để trống: 1 năm kể từ hôm nay; tối đa 2 năm. "
                         "Khi hết hạn, phần mềm của cơ sở KCB cần được cấp mã mới.")


@pytest.mark.parametrize("button", ["_save", "_continue", "_addanother"])
def test_a_post_to_a_tokens_page_changes_nothing_and_logs_no_change(facility, button):
    """The page has no save button, but the officer may change tokens (to revoke them from the list):
    a post made by hand is refused, changes no field and logs no “changed” entry."""
    from django.contrib.admin.models import LogEntry

    from health_card.models import FacilityApiToken

    province = officer("canbo079", "079", "Cán bộ BHXH tỉnh")
    token, raw = api_token_create(facility=facility, name="HIS", created_by=province)
    before = FacilityApiToken.objects.values().get()
    url = f"/quan-tri/health_card/facilityapitoken/{token.pk}/change/"
    response = logged_in(province).post(url, {"name": "Đổi tên", "facility": facility.pk, "revoked_at": "",
                                              "expires_on": "01/01/2099", button: "1"})
    assert response.status_code == 403
    assert FacilityApiToken.objects.values().get() == before
    assert not LogEntry.objects.exists()
    assert api_token_authenticate(raw) == token
