"""The English pages and messages say the portal's English: allauth's two-step verification pages in
the portal's terms (locale/allauth, which `make messages` leaves alone), the estimator's law by
its English name, no Vietnamese word inside an English sentence, one word for the helpline and
idiomatic English where a literal rendering read oddly."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.accounts.helpers import officer
from tests.benefits.helpers import citizen

REAUTHENTICATE = "/tai-khoan/nhap-lai-mat-khau/"


def main_text(response) -> str:
    html = response.content.decode()
    html = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def title_text(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.fixture
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_the_two_step_verification_pages_say_the_portals_english(english, reference_data):
    english.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    response = english.get(reverse("mfa_index"))
    text = title_text(response) + " " + main_text(response)
    for allauths in ("Two-Factor Authentication", "Authenticator App", "Recovery Codes"):
        assert allauths not in text, allauths
    for ours in ("Two-step verification", "Authenticator app", "Recovery codes", "No recovery codes set up yet."):
        assert ours in text, (ours, text)

    response = english.get(REAUTHENTICATE)
    text = title_text(response) + " " + main_text(response)
    for allauths in ("Confirm Access", "Please reauthenticate to safeguard your account"):
        assert allauths not in text, allauths
    assert "Enter your password again" in text, text
    html = english.post(REAUTHENTICATE, {"password": "wrong-Pass-1"}).content.decode()
    assert "Incorrect password." not in html and "The password is wrong." in html


def test_the_english_allauth_wording_is_kept_out_of_the_catalogue_make_messages_rewrites():
    """`make messages` drops from locale/en what the portal's sources do not mark, as allauth's
    strings are not: they live in a catalogue of their own."""
    base = Path(django_settings.BASE_DIR)
    assert 'msgid "Two-Factor Authentication"' not in (base / "locale/en/LC_MESSAGES/django.po").read_text()
    assert 'msgid "Two-Factor Authentication"' in (base / "locale/allauth/en/LC_MESSAGES/django.po").read_text()


@pytest.mark.django_db
def test_the_estimator_names_the_law_in_english(english, reference_data):
    from benefits.models import SalaryAdjustment
    from lookup.models import Agency, Province
    from participation.models import Period

    user = citizen()
    province, agency = Province.objects.get(code="79"), Agency.objects.get(code="07901")
    for first, last in ((datetime.date(2013, 1, 1), datetime.date(2013, 12, 1)),
                        (datetime.date(2014, 1, 1), datetime.date(2016, 1, 1))):
        Period.objects.create(person=user.person, kind="bhxh_tn", from_month=first, to_month=last, payer="self",
                              base=1_774_052, rate=22, amount=390_291, province=province, agency=agency,
                              import_key=f"{user.person.bhxh_code}|bhxh_tn|{first:%Y-%m}|self")
    SalaryAdjustment.objects.filter(scheme="bhxh_tn").delete()
    SalaryAdjustment.objects.bulk_create([SalaryAdjustment(scheme="bhxh_tn", year=y, coefficient=1, source="x")
                                          for y in range(2013, 2017)])
    english.force_login(user)
    text = main_text(english.get(reverse("benefits:estimate")))
    assert "Luật" not in text and "BHXH 20" not in text, text
    assert text.count("the Law on Social Insurance No. 41/2024/QH15") == 1, text
    assert "the 2024 Law on Social Insurance, Article 5(6)" in text
    assert "the former 2014 Law on Social Insurance" in text
    with translation.override("en"):  # the step 3 of less than a year of contributions
        under_a_year = translation.gettext(
            "Tổng thời gian đóng chưa đủ 1 năm: mức hưởng bằng số tiền đã đóng, tối đa 2 tháng mức bình quân tiền "
            "lương (Luật BHXH 2024, Điều 70). Không làm tròn tháng lẻ.")
    assert "Luật" not in under_a_year and "the 2024 Law on Social Insurance, Article 70" in under_a_year


def test_english_help_and_errors_hold_no_vietnamese_word():
    from public_services.procedures.payment_method import PaymentMethodForm
    from vssid_portal.forms.number_fields import MoneyField

    with translation.override("en"):
        help_text = str(PaymentMethodForm.base_fields["post_office"].help_text)
        assert "Bưu điện" not in help_text and "Saigon Central Post Office" in help_text
        with pytest.raises(ValidationError) as refused:
            MoneyField().clean("1,5")
        assert "đồng" not in refused.value.messages[0] and "VND" in refused.value.messages[0]
        card_in_use = translation.gettext("Người này đã có thẻ BHYT đang sử dụng: hãy dùng thao tác “Cấp lại thẻ”.")
        reissue = translation.gettext("Cấp lại thẻ đã chọn (thẻ mới, thẻ cũ thành “đã thay”)")
    assert "Cấp lại" not in card_in_use and f"“{reissue.split(' (')[0]}”" in card_in_use, card_in_use


def english_entries():
    """(msgid, msgstr) of every translated entry of locale/en, a plural's forms joined."""
    text = (Path(django_settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po").read_text()
    for block in text.split("\n\n"):
        msgid = "".join(re.findall(r'^(?:msgid|msgid_plural|") ?"?(.*)"$', block.split("msgstr")[0], re.M))
        msgstr = "".join(re.findall(r'"(.*)"$', "msgstr".join(block.split("msgstr")[1:]), re.M))
        yield msgid, msgstr


def test_the_english_catalogue_calls_the_number_to_call_the_helpline_and_writes_a_percentage_unspaced():
    hotline = [msgstr for _, msgstr in english_entries() if re.search(r"\bhotline\b", msgstr.replace("%(hotline)s", ""))]
    assert hotline == []
    # "call the helpline on 1900 9068", never "call the helpline 1900 9068"
    without_on = [msgstr for _, msgstr in english_entries() if re.search(r"helpline (?!on\b)\S*\d|helpline %\(", msgstr)]
    assert without_on == []
    # Vietnamese words in an English sentence: the đồng is "VND", the documents have their English names
    vietnamese = [msgstr for _, msgstr in english_entries() if re.search(r"đồng|\bCCCD, CMND\b", msgstr)]
    assert vietnamese == []
    spaced = [msgstr for _, msgstr in english_entries() if re.search(r"\d(?:%\(\w+\)s)? %", msgstr)
              or re.search(r"%\(percent\)s %", msgstr)]
    assert spaced == []


def test_the_contact_changes_english_spells_email_one_way():
    """The catalogue's spelling is "email": a contact change's messages do not say "e-mail" beside it."""
    text = (Path(django_settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po").read_text()
    said = " ".join("".join(re.findall(r'"(.*)"$', block.split("msgstr", 1)[1], re.M)) for block in text.split("\n\n")
                    if "public_services/procedures/contact_change.py" in block and "msgstr" in block)
    assert re.search(r"\bemail\b", said, re.I) and not re.search(r"\be-mail\b", said, re.I), said


def test_the_english_allauth_catalogue_says_turn_on_and_two_step_verification_and_holds_no_email():
    """One verb beside "Turn off", the portal's term for MFA, and none of the e-mails allauth never sends
    (ACCOUNT_EMAIL_NOTIFICATIONS is off)."""
    assert not getattr(django_settings, "ACCOUNT_EMAIL_NOTIFICATIONS", False)
    with translation.override("en"):
        assert translation.gettext("Activate") == "Turn on"
        assert translation.gettext("Activate Authenticator App") == "Turn on the authenticator app"
        assert translation.gettext("MFA") == "Two-step verification"
    text = (Path(django_settings.BASE_DIR) / "locale/allauth/en/LC_MESSAGES/django.po").read_text()
    msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, re.M)
    assert not [msgstr for msgstr in msgstrs if re.search(r"\bActivat|\bmulti-factor", msgstr, re.I)]
    for email_only in ("Hello from %(site_name)s!", "You are receiving this mail because",
                       "New Recovery Codes Generated", "Authenticator App Activated", "Authenticator App Deactivated"):
        assert f'msgid "{email_only}' not in text, email_only


def test_the_english_messages_read_idiomatically():
    from django.test import RequestFactory
    from django.utils import timezone

    from vssid_portal.views import server_error

    at = timezone.make_aware(datetime.datetime(2026, 12, 7, 9, 30))  # the portal's local time
    context = {"portal": "VssID Portal", "at": at, "hotline": "1900 9068", "channel": "sms"}
    with translation.override("en"):
        sms = render_to_string("notifications/messages/security_new_browser.body.txt", context)
        subject = render_to_string("notifications/messages/security_new_browser.subject.txt", context)
        cap = translation.gettext("Đã gửi đủ số mã cho phép %(every)s tới %(recipient)s, nên chưa gửi mã mới.") % {
            "every": "an hour", "recipient": "the phone number ending 678"}
        registered = translation.gettext("Đã gửi đăng ký. Số tham chiếu của bạn là %(reference)s.") % {"reference": "DK1"}
        request = RequestFactory().get("/")
        request.LANGUAGE_CODE = "en"
        error_page = server_error(request).content.decode()
    assert "Someone logged in to your" in sms and "from a new browser at 09:30 on 07/12/2026." in sms, sms
    assert subject.strip() == "Login to your VssID Portal account from a new browser", subject
    assert cap.startswith("The most codes allowed an hour have already been sent to the phone number ending 678, "
                          "so no new code was sent"), cap
    assert "Sorry, there is a problem with the service" in error_page
    assert registered == "Registration sent. Your reference number is DK1."
