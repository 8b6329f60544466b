"""Every page of the officers' admin, walked in English: its lists, add forms and the change, history
and delete pages of one object of each, as a superuser and as a district officer, show no
Vietnamese interface text; the stored data (names, addresses, agencies, notes) stays as written."""

import html as html_lib
import re

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory

from tests.health_card.card_fixtures import facility, issue, signing_keys  # noqa: F401 (fixtures)
from tests.notifications.test_notice_language import VIETNAMESE_LETTERS
from tests.public_services.helpers import district_officer, owner  # noqa: F401 (fixtures)


def stored_texts() -> list[str]:
    """Every text the database holds (a name, an address, a note, a label given by the reference data),
    every object's name as the admin writes it (whole, and cut to its first 18 words in the
    breadcrumbs), and a filing's answers as its declaration words them (always Vietnamese): data,
    not interface."""
    from django.utils.text import Truncator

    from public_services.models import Filing

    texts = set()
    for filing in Filing.objects.all():
        texts.update(str(text) for row in filing.procedure.filing_rows(filing, user=filing.submitted_by)
                     for text in (row.pdf_label, row.value))
    for model in {*admin.site._registry, *(inline.model for model_admin in admin.site._registry.values()
                                           for inline in model_admin.inlines)}:
        fields = [field.attname for field in model._meta.concrete_fields
                  if isinstance(field, (models.CharField, models.TextField))]
        for row in model._default_manager.all():
            texts.update([str(row), Truncator(str(row)).words(18)])
            texts.update(str(getattr(row, name)) for name in fields)
    return sorted((text for text in texts if VIETNAMESE_LETTERS.search(text)), key=len, reverse=True)


def interface_text_in_vietnamese(html: str, data: list[str]) -> list[str]:
    """The Vietnamese of a page that is not stored data: its title, breadcrumbs, content, attributes
    read aloud or shown (value, title, aria-label, placeholder, alt), less the options of a choice of
    stored objects (every select but the actions') and less `data`."""
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    content = html.split('id="content"', 1)[1].split('id="footer"', 1)[0]
    crumbs = html.split('<div class="breadcrumbs">', 1)[1].split("</div>", 1)[0] if 'class="breadcrumbs"' in html else ""
    page = re.sub(r"<script.*?</script>|<textarea.*?</textarea>", "", f"<p>{title}</p>{crumbs}<div {content}", flags=re.S)
    page = re.sub(r'(<select(?![^>]*name="action")[^>]*>).*?(</select>)', r"\1\2", page, flags=re.S)
    texts = [html_lib.unescape(text) for text in
             re.findall(r'(?:value|title|aria-label|placeholder|alt)="([^"]*)"', page)]
    texts += [html_lib.unescape(text) for text in re.split(r"<[^>]+>", page)]
    found = []
    for text in texts:
        if not VIETNAMESE_LETTERS.search(text):
            continue
        for stored in data:
            if stored in text:
                text = text.replace(stored, "")
                if not VIETNAMESE_LETTERS.search(text):
                    break
        if VIETNAMESE_LETTERS.search(text):
            found.append(text.strip())
    return found


def admin_pages(user) -> list[str]:
    """Each registered model's list, its add form and the change, history and delete pages of the
    first object the user may see of it."""
    request = RequestFactory().get("/quan-tri/")
    request.user = user
    urls = []
    for model, model_admin in admin.site._registry.items():
        base = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, f"{base}add/"]
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            urls += [f"{base}{first.pk}/{page}/" for page in ("change", "history", "delete")]
    return urls


@pytest.fixture
def demo(owner, district_officer, facility):  # noqa: F811
    """One object of each kind an officer handles."""
    from lookup.models import Agency
    from public_services.feedback_services import feedback_submit
    from public_services.services import filing_receive
    from tests.accounts.helpers import make_person
    from tests.accounts.helpers import submit as submit_registration
    from tests.benefits.helpers import record
    from tests.health_card.test_visits import visit
    from tests.participation.helpers import period
    from tests.public_services.helpers import submit

    registrant = make_person("7901000001", "Trần Thị Lan", id_number="079188012345", sex=2)
    submit_registration(registrant, "07901", email="")
    filing_receive(filing=submit(owner), officer=district_officer)
    feedback_submit(kind="phan_anh", topic="thu_so", content="Đơn vị chưa chốt sổ.", full_name="Trần Thị Mai",
                    agency=Agency.objects.get(code="07901"), phone="+84912345678", idempotency_key="feedback-walk")
    issue(owner.person, facility)
    record(owner.person)
    visit(owner.person)
    period(owner.person, "01/2020", "12/2024")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["superuser", "district officer"])
def test_every_admin_page_shows_no_vietnamese_interface_text_in_english(client, settings, demo, district_officer, who):  # noqa: F811
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("quantri", password=None) if who == "superuser" else district_officer
    settings.LANGUAGE_CODE = "en"
    client.force_login(user)
    data = stored_texts()
    shown = {}
    for url in admin_pages(user):
        response = client.get(url)
        if response.status_code != 200:
            continue
        shown[url] = interface_text_in_vietnamese(response.content.decode(), data)
    assert len(shown) > 20
    assert {url: texts for url, texts in shown.items() if texts} == {}
