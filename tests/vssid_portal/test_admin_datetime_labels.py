"""A date-and-time field of the admin (a news article's publication, a signing key's retirement, an
account's last login) is two boxes under one field label that points at neither: each box has a
label of its own, "Ngày:" and "Giờ:", so that a screen reader names it and axe finds no unlabelled
input."""

import re

import pytest

from accounts.models import User
from tests.accounts.helpers import officer_record

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.mark.parametrize(("url", "field"), [("/quan-tri/lookup/newsarticle/add/", "published_at"),
                                            ("/quan-tri/accounts/user/{pk}/change/", "date_joined")])
def test_each_box_of_a_date_and_time_field_has_its_label(client, url, field):
    user = User.objects.create_superuser("quantri", password=None, officer_person=officer_record("quantri"))
    client.force_login(user)
    page = client.get(url.format(pk=user.pk)).content.decode()
    for part, label in (("0", "Ngày:"), ("1", "Giờ:")):
        assert f'id="id_{field}_{part}"' in page
        assert re.search(rf'<label for="id_{field}_{part}">{label}</label>', page), (field, part)
