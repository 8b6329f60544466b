"""Every box for a number or code (CodeField) takes the code typed or pasted with spaces whole:
the form drops the spaces before it counts (max_length), so a browser maxlength at the code's own
length would cut "079 190 012 345" at "079 190 01" without a word. A code still too long once
its spaces are gone is refused by the server, in Vietnamese."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.test import Client

from tests.health_card.card_fixtures import *  # noqa: F401,F403
from tests.health_card.card_fixtures import logged_in
from tests.public_services.helpers import answers, owner  # noqa: F401
from vssid_portal.forms import CodeField

SKIPPED = {"migrations", "management", "wsgi", "asgi"}


def project_modules():
    """Every module of the project's own apps (not migrations, commands or server entry points)."""
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(settings.BASE_DIR) or ".venv" in path.parts:
            continue
        yield config.module
        for module in pkgutil.walk_packages(config.module.__path__, f"{config.module.__name__}."):
            if not SKIPPED & set(module.name.split(".")):
                yield importlib.import_module(module.name)


def all_forms(base=forms.BaseForm):
    for form in base.__subclasses__():
        yield form
        yield from all_forms(form)


def code_fields() -> dict[str, CodeField]:
    list(project_modules())
    return {f"{form.__module__}.{form.__qualname__}.{name}": field
            for form in set(all_forms())
            for name, field in getattr(form, "base_fields", {}).items() if isinstance(field, CodeField)}


def spaced_length(field: CodeField) -> int:
    """The longest code the field takes, written with a space between every two characters."""
    return 2 * field.max_length - 1


def rendered_limit(field: CodeField) -> int | None:
    limit = re.search(r'\bmaxlength="(\d+)"', field.widget.render("code", ""))
    return int(limit.group(1)) if limit else None


def test_the_walk_finds_the_code_fields_of_every_app():
    found = code_fields()
    for expected in ("health_card.forms.TypedForm.so_the", "public_services.forms.FeedbackLookupForm.tracking_number",
                     "public_services.procedures.authorisation.AuthorisationForm.authorised_id_number",
                     "public_services.procedures.book_change.BookChangeForm.new_id_number",
                     "public_services.procedures.payment_method.PaymentMethodForm.account_number",
                     "accounts.forms.DeclarationForm.bhxh_code", "accounts.views.code_lookup.CodeLookupForm.id_number"):
        assert expected in found, sorted(found)


def test_no_code_box_cuts_a_code_typed_with_spaces():
    too_short = {}
    for name, field in code_fields().items():
        limit = rendered_limit(field)
        if limit is not None and (field.max_length is None or limit < spaced_length(field)):
            too_short[name] = limit
    assert too_short == {}


def test_the_server_still_counts_the_code_without_its_spaces():
    field = CodeField(max_length=12)
    assert field.clean("079 190 012 345") == "079190012345"
    with pytest.raises(forms.ValidationError):
        field.clean("079 190 012 3456")


@pytest.mark.django_db
def test_a_spaced_cccd_of_the_authorised_person_goes_through(client, owner):
    url = "/dich-vu-cong/uy-quyen-nhan-thay/"
    client.force_login(owner)
    page = client.get(url).content.decode()
    box = re.search(r'<input[^>]*\bname="authorised_id_number"[^>]*>', page).group()
    assert "maxlength" not in box
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    response = client.post(url, {**answers("UY-QUYEN", authorised_id_number="079 190 012 345"), "idempotency_key": key})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "079190012345" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_spaced_card_number_is_checked_on_the_verify_page(card, clinic_user):
    client: Client = logged_in(clinic_user)
    page = client.get("/xac-thuc/the-bhyt/").content.decode()
    box = re.search(r'<input[^>]*\bname="so_the"[^>]*>', page).group()
    assert "maxlength" not in box
    spaced = " ".join(card.legacy_number[i:i + 5] for i in range(0, 15, 5)).lower()  # "hs479 01234 56789"
    page = client.post("/xac-thuc/the-bhyt/", {"cach": "nhap", "so_the": spaced, "ho_ten": "Nguyễn Văn Đức",
                                               "ngay_sinh": "15/03/1988"}).content.decode()
    assert "Thẻ hợp lệ" in page


@pytest.mark.django_db
def test_a_huge_paste_in_the_card_number_is_refused_in_vietnamese(card, clinic_user):
    response = logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {
        "cach": "nhap", "so_the": "7901 234 567 " * 5000, "ho_ten": "Nguyễn Văn Đức", "ngay_sinh": "15/03/1988"})
    page = response.content.decode()
    assert response.status_code == 400  # the page again, with its errors
    assert "Nhập tối đa 20 ký tự (đang có 50000 ký tự)." in page and "Thẻ hợp lệ" not in page
