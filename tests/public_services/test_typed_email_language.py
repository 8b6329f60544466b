"""The address typed on a filing's form, not the login's, is told of the filing's later steps in the
language of the filer's request that asked it confirmed (Filing.email_language), the confirmation
e-mail's, whatever page then opens the link (a phone without the portal's cookie reads Vietnamese); a
filing whose address was confirmed before the portal kept that language is told in Vietnamese; the
login's own notices keep its language."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.models import User
from notifications.models import Message
from public_services.models import Filing
from public_services.services import filing_receive

from .helpers import district_officer, owner, withdrawn  # noqa: F401
from .test_typed_email_confirmation import TYPED, confirmation_path, emails_to, filed

pytestmark = pytest.mark.django_db


def confirmed_from_page(language: str) -> None:
    """The link of the confirmation e-mail opened, and its button pressed, on a page read in `language`."""
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    path = confirmation_path()
    assert browser.get(path)["Content-Language"] == language
    assert browser.post(path).status_code == 200


@pytest.mark.parametrize(("language", "subject"), [("en", "Application {}: Received"), ("vi", "Hồ sơ {}: Đã tiếp nhận")])
def test_a_typed_address_is_told_of_later_steps_in_the_language_it_was_asked_to_confirm_in(
        owner, district_officer, mailoutbox, django_capture_on_commit_callbacks, language, subject):  # noqa: F811
    User.objects.filter(pk=owner.pk).update(language="en")  # the login's SMS are in English either way
    with django_capture_on_commit_callbacks(execute=True), translation.override(language):
        filing = filed(owner)
    assert emails_to(TYPED).get(template="public_service_email_confirm").language == language
    confirmed_from_page("vi" if language == "en" else "en")  # a phone without the filer's language
    assert Filing.objects.get(pk=filing.pk).email_language == language
    with django_capture_on_commit_callbacks(execute=True), translation.override("vi"):  # the officer's page
        filing_receive(filing=filing, officer=district_officer)
    [told] = emails_to(TYPED).filter(template="public_service_filing")
    assert told.language == language and told.subject == subject.format(filing.tracking_number)
    sms = Message.objects.filter(channel=Message.Channel.SMS, template="public_service_filing").last()
    assert sms.language == "en"


def test_an_address_confirmed_before_its_language_was_kept_is_told_in_vietnamese(
        owner, district_officer, django_capture_on_commit_callbacks):  # noqa: F811
    filing = filed(owner)
    Filing.objects.filter(pk=filing.pk).update(email_confirmed=TYPED)  # as migration 0016 marked older filings
    User.objects.filter(pk=owner.pk).update(language="en")
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        filing_receive(filing=filing, officer=district_officer)
    [told] = emails_to(TYPED).filter(template="public_service_filing")
    assert told.language == "vi" and told.subject == f"Hồ sơ {filing.tracking_number}: Đã tiếp nhận"


def test_another_filing_with_the_address_confirmed_is_told_in_the_language_it_was_filed_in(
        owner, district_officer, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    """Not asked again, the address of a filing the same login filed before is still told in the
    language of this filing's own request, not the earlier one's."""
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        first = filed(owner)
    confirmed_from_page("en")
    with django_capture_on_commit_callbacks(execute=True), translation.override("vi"):
        withdrawn(first)  # filed again, as a new filing, from Vietnamese pages
        second = filed(owner)  # its address confirmed already: not asked again
    assert Filing.objects.get(pk=second.pk).email_language == "vi"
    assert emails_to(TYPED).filter(template="public_service_email_confirm").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        filing_receive(filing=second, officer=district_officer)
    told = emails_to(TYPED).filter(template="public_service_filing").last()
    assert told.language == "vi" and told.subject == f"Hồ sơ {second.tracking_number}: Đã tiếp nhận"
    assert first.pk != second.pk
