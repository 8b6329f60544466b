"""Every page of the officers' admin, walked in English: its lists, add forms and the change, history
and delete pages of one object of each, as a superuser and as a district officer, show no
Vietnamese interface text; the stored data (names, addresses, agencies, notes) stays as written."""

import html as html_lib
import re

import pytest
from django import forms as django_forms
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


def choice_names(context) -> set[str]:
    """The names, as posted, of the page's fields that choose among fixed choices (a sex, a status, a
    payer): the selects whose options are interface text, not stored objects (a ModelChoiceField's)."""
    if context is None:
        return {"action"}
    forms = [context["adminform"].form] if context.get("adminform") is not None else []
    for inline in context.get("inline_admin_formsets") or ():
        forms += [*inline.formset.forms, inline.formset.empty_form]
    return {"action"} | {form.add_prefix(name) for form in forms for name, field in form.fields.items()
                         if isinstance(field, django_forms.ChoiceField)
                         and not isinstance(field, django_forms.ModelChoiceField)}


def interface_text_in_vietnamese(html: str, data: list[str], choices=frozenset({"action"})) -> list[str]:
    """The Vietnamese of a page that is not stored data: its title, breadcrumbs, content, attributes
    read aloud or shown (value, title, aria-label, placeholder, alt), the options of its selects named in
    `choices` (choice_names), less the options of every other select, a choice of stored objects, and
    less `data`."""
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    content = html.split('id="content"', 1)[1].split('id="footer"', 1)[0]
    crumbs = html.split('<div class="breadcrumbs">', 1)[1].split("</div>", 1)[0] if 'class="breadcrumbs"' in html else ""
    page = re.sub(r"<script.*?</script>|<textarea.*?</textarea>", "", f"<p>{title}</p>{crumbs}<div {content}", flags=re.S)

    def options_of_stored_objects(select):
        name = re.search(r'name="([^"]*)"', select.group(1))
        return select.group(0) if name and html_lib.unescape(name.group(1)) in choices else select.group(1) + select.group(2)

    page = re.sub(r"(<select[^>]*>).*?(</select>)", options_of_stored_objects, page, flags=re.S)
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
    from public_services.services import feedback_submit, filing_receive
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
        shown[url] = interface_text_in_vietnamese(response.content.decode(), data, choice_names(response.context))
    assert len(shown) > 20
    assert {url: texts for url, texts in shown.items() if texts} == {}


@pytest.mark.django_db
def test_the_walk_reads_the_options_of_a_choice_and_not_those_of_stored_objects(client, reference_data):
    """The control of the walk: a page read in Vietnamese shows the options of its fixed choices (a
    person's sex and papers) as interface text, while the options listing stored objects (the agencies,
    the provinces) are left out as data."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from accounts.models import Person
    from lookup.models import Agency

    client.force_login(get_user_model().objects.create_superuser("quantri", password=None))
    response = client.get("/quan-tri/accounts/person/add/")
    found = interface_text_in_vietnamese(response.content.decode(), [], choice_names(response.context))

    with translation.override("vi"):
        choices = [str(label) for field in ("sex", "id_type") for _value, label in Person._meta.get_field(field).choices]
    assert [label for label in choices if VIETNAMESE_LETTERS.search(label)], "the control: no choice in Vietnamese"
    assert all(label in found for label in choices if VIETNAMESE_LETTERS.search(label)), found
    agency = Agency.objects.filter(name__regex=VIETNAMESE_LETTERS.pattern).first()
    assert str(agency) in response.content.decode() and not any(str(agency) in text for text in found)
