"""The lookup hub says what each lookup needs, so a visitor comes with it."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_code_lookup_card_names_every_detail_the_lookup_asks_for(client):
    html = client.get("/tra-cuu/").content.decode()
    card = re.search(r'<li class="card"><h2><a href="/tra-cuu/ma-so-bhxh/">.*?</li>', html, re.S).group(0)
    # the lookup refuses a search without an ID number, or a parent's name for someone without one
    assert "số CCCD, CMND hoặc hộ chiếu" in card and "họ tên cha hoặc mẹ" in card
