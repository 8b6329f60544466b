"""A contact change to a phone that is already another person's registered phone is not refused (a family
shares one phone, as registrations and notices allow), but the officer's page confirming its completion warns
that the person's login codes and security notices will go to a number someone else registered, naming
only the people the officer may see (persons of their agency's scope) and counting the others."""

import re

import pytest
from django.contrib.messages import WARNING as WARNED
from django.utils import translation

from accounts.models import Person
from public_services.models import Filing
from public_services.services import filing_receive, filing_start
from tests.accounts.helpers import make_person

from .helpers import district_officer, logged, owner, stranger, submit  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUE = "/quan-tri/public_services/filing/"
OWN, SHARED = "+84912000111", "+84987654321"
WARNING = "đang là số điện thoại đăng ký trong hồ sơ BHXH của người khác"


def in_hand(owner, officer, new_phone):
    Person.objects.filter(pk=owner.person.pk).update(phone=OWN)
    filing = submit(owner, "DOI-LIEN-HE", changes=["phone"], new_phone=new_phone, new_email="", new_province="",
                    new_ward="", new_street="")
    for step in (filing_receive, filing_start):
        step(filing=filing, officer=officer)
    return filing


def confirmation_page(owner, officer, new_phone):
    filing = in_hand(owner, officer, new_phone)
    response = logged(officer).get(f"{QUEUE}{filing.pk}/buoc/complete/")
    assert response.status_code == 200 and Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING
    return response.content.decode()


def test_a_phone_of_a_person_in_the_officer_s_scope_is_named_on_the_confirmation(owner, district_officer):  # noqa: F811
    sister = make_person("7901112223", "Nguyễn Thị Lan", sex=2, id_number="079190011122")
    Person.objects.filter(pk=sister.pk).update(phone=SHARED, agency=owner.person.agency)
    page = confirmation_page(owner, district_officer, "0987654321")
    assert WARNING in page and "Nguyễn Thị Lan (mã số BHXH 7901112223)" in page
    assert f"thông báo bảo mật của {owner.person.full_name} sẽ được gửi đến số này" in page


def test_a_phone_of_a_person_outside_the_officer_s_scope_is_counted_not_named(owner, stranger,
                                                                             district_officer):  # noqa: F811
    Person.objects.filter(pk=stranger.person.pk).update(phone=SHARED)  # managed by another district
    page = confirmation_page(owner, district_officer, "0987654321")
    assert WARNING in page and "1 người thuộc cơ quan BHXH ngoài phạm vi quản lý của bạn" in page
    assert stranger.person.full_name not in page and stranger.person.bhxh_code not in page


def test_a_phone_nobody_else_registered_gives_no_warning(owner, stranger, district_officer):  # noqa: F811
    Person.objects.filter(pk=stranger.person.pk).update(phone=SHARED)
    page = confirmation_page(owner, district_officer, "0911222333")
    assert WARNING not in page and "Số điện thoại di động trong hồ sơ BHXH mã số" in page  # the change, as before


def test_a_warning_that_appears_after_the_page_was_opened_is_confirmed_again(owner, district_officer):  # noqa: F811
    filing = in_hand(owner, district_officer, "0987654321")
    client = logged(district_officer)
    html = client.get(f"{QUEUE}{filing.pk}/buoc/complete/").content.decode()
    assert WARNING not in html
    form = dict(re.findall(r'name="(seen|seen_revision|confirmed)" value="([^"]*)"', html))
    sister = make_person("7901112223", "Nguyễn Thị Lan", sex=2, id_number="079190011122")
    Person.objects.filter(pk=sister.pk).update(phone=SHARED, agency=owner.person.agency)  # meanwhile
    response = client.post(f"{QUEUE}{filing.pk}/buoc/complete/", form)
    html = response.content.decode()
    assert response.status_code == 200 and WARNING in html and "Nguyễn Thị Lan" in html
    assert [message.level for message in response.context["messages"]] == [WARNED]
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.PROCESSING
    form = dict(re.findall(r'name="(seen|seen_revision|confirmed)" value="([^"]*)"', html))
    assert client.post(f"{QUEUE}{filing.pk}/buoc/complete/", form).status_code == 302  # confirmed with the warning
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.DONE
    assert Person.objects.get(pk=owner.person.pk).phone.as_e164 == SHARED  # a shared phone is not refused


WARNING_EN = "is already registered in the social insurance records as the phone of"


def shared_with_sister(owner):
    sister = make_person("7901112223", "Nguyễn Thị Lan", sex=2, id_number="079190011122")
    Person.objects.filter(pk=sister.pk).update(phone=SHARED, agency=owner.person.agency)


def test_the_warning_is_in_the_active_language_and_the_digest_the_same_in_either(owner, district_officer):  # noqa: F811
    from public_services.selectors import completion_confirmed, completion_digest, completion_warnings

    shared_with_sister(owner)
    filing = in_hand(owner, district_officer, "0987654321")
    digests = {}
    for language, said in (("en", WARNING_EN), ("vi", WARNING)):
        with translation.override(language):
            [warning] = completion_warnings(filing, district_officer)
            digests[language] = completion_digest(completion_confirmed(filing, district_officer))
        assert said in warning and "Nguyễn Thị Lan" in warning
    assert digests["en"] == digests["vi"]


def test_a_confirmation_shown_in_an_english_admin_completes_in_a_vietnamese_one(owner, district_officer,  # noqa: F811
                                                                               settings):
    """The page's digest is made of the Vietnamese sentences, whatever language the page showed them in:
    the completion, checked in another language, finds nothing changed."""
    shared_with_sister(owner)
    filing = in_hand(owner, district_officer, "0987654321")
    client = logged(district_officer)
    settings.LANGUAGE_CODE = "en"
    html = client.get(f"{QUEUE}{filing.pk}/buoc/complete/").content.decode()
    assert WARNING_EN in html and WARNING not in html
    form = dict(re.findall(r'name="(seen|seen_revision|confirmed)" value="([^"]*)"', html))
    settings.LANGUAGE_CODE = "vi"
    assert client.post(f"{QUEUE}{filing.pk}/buoc/complete/", form).status_code == 302
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.DONE
