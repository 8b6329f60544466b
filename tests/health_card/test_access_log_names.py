"""Who the access log names for each check: one rule (health_card.selectors.checker_name) for the
log row and the person reading the log, and a page that reads no more for any kind of checker."""

import importlib
import pkgutil
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Guardianship, User
from health_card import migrations
from health_card.models import CardCheck
from health_card.qr import Kind, Purpose
from health_card.selectors import card_checks_for, checker_name
from health_card.services import api_token_create, card_qr
from lookup.models import MedicalFacility
from tests.accounts.helpers import born_years_ago, cccd_for, make_person, officer

from .card_fixtures import *  # noqa: F401,F403
from .card_fixtures import issue, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def child_card(holder, facility):
    """A 15-year-old's card: the holder is the child's parent, and the child has a login of its own."""
    born = born_years_ago(15)
    child = make_person("7905555555", "Nguyễn Gia Bảo", birth=born, id_number=cccd_for(born))
    User.objects.create_user(username=child.bhxh_code, password="x-Strong-Pass-2026", person=child)
    Guardianship.objects.create(parent=holder, child=child, relationship="cha")
    return issue(child, facility, group="HS", valid_from=born)


def every_kind_of_check(child_card, holder, clinic_user, stranger, facility):
    """One check by each kind of checker, in the order the log lists them (newest first)."""
    token, _ = api_token_create(facility=facility, name="Phần mềm HIS")
    child_login = User.objects.get(person=child_card.person)
    who = [{"checked_by": child_login}, {"checked_by": holder},
           {"checked_by": clinic_user, "facility": facility},
           {"checked_by": officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"), "channel": CardCheck.Channel.PUBLIC},
           {"checked_by": stranger, "channel": CardCheck.Channel.PUBLIC},
           {"token": token, "facility": facility, "channel": CardCheck.Channel.API},
           {"channel": CardCheck.Channel.PUBLIC}]
    CardCheck.objects.bulk_create([CardCheck(card=child_card, person=child_card.person, result=Kind.VALID,
                                             **{"channel": CardCheck.Channel.QR, **fields})
                                   for fields in reversed(who)])
    return child_login


def test_each_checker_is_named_for_the_one_reading_the_log(child_card, holder, clinic_user, stranger, facility):
    child_login = every_kind_of_check(child_card, holder, clinic_user, stranger, facility)
    checks = list(card_checks_for(person=child_card.person))
    with translation.override("vi"):
        assert [checker_name(check, viewer=child_login) for check in checks] == [
            "Bạn", "Cha, mẹ hoặc người giám hộ", "Phạm Thu Hà", "Cán bộ BHXH Quận 1",
            "Người dùng khác (đã đăng nhập)", "Phần mềm: Phần mềm HIS", "Khách (không đăng nhập)"]
        assert [checker_name(check, viewer=holder) for check in checks][:2] == ["Chủ thẻ", "Bạn"]
    with translation.override("en"):
        assert [checker_name(check, viewer=child_login) for check in checks][:5:3] == ["You", "Officer of BHXH Quận 1"]


def test_the_log_reads_the_same_queries_whoever_checked(child_card, holder, clinic_user, stranger, facility):
    """The person in view, the number of checks, and a page of them with the checker's agency and
    whether they are the holder's parent: three queries, whichever of the checkers a row names."""
    child_login = every_kind_of_check(child_card, holder, clinic_user, stranger, facility)
    client = logged_in(child_login)
    client.get("/the-bhyt/ai-da-xem/")  # session, user and the unread count cached
    with CaptureQueriesContext(connection) as queries:
        page = re.sub(r"\s+", " ", client.get("/the-bhyt/ai-da-xem/").content.decode())
    assert len(queries) == 3
    names = re.findall(r'data-label="Ai xác thực">([^<]*)</td>', page)
    assert names == ["Bạn", "Cha, mẹ hoặc người giám hộ", "Phạm Thu Hà", "Cán bộ BHXH Quận 1",
                     "Người dùng khác (đã đăng nhập)", "Phần mềm: Phần mềm HIS", "Khách (không đăng nhập)"]


@pytest.mark.parametrize("channel", [CardCheck.Channel.QR, CardCheck.Channel.TYPED])
def test_a_clinic_staff_check_is_named_as_such_once_the_staff_login_is_deleted(holder, card, clinic_user, facility,
                                                                               channel):
    """Only clinic staff check on the clinic page (by QR or typed): a login deleted since leaves its
    checks without a checker, which are a clinic's all the same, never a guest's."""
    CardCheck.objects.create(card=card, person=card.person, checked_by=clinic_user, facility=facility,
                             channel=channel, result=Kind.VALID)
    clinic_user.delete()
    page = re.sub(r"\s+", " ", logged_in(holder).get("/the-bhyt/ai-da-xem/").content.decode())
    assert re.findall(r'data-label="Ai xác thực">([^<]*)</td>', page) == ["Nhân viên cơ sở KCB"]
    check = card_checks_for(person=card.person).get()
    with translation.override("en"):
        assert checker_name(check, viewer=holder) == "Healthcare facility staff"


def test_a_checker_is_named_for_what_they_were_at_the_check_not_for_what_their_login_is_now(
        holder, card, clinic_user, stranger, facility):
    """A citizen's check on the public page stays unnamed once their login is attached to a clinic, and
    a clinic staff member's check on the clinic page stays theirs once their login has left it."""
    CardCheck.objects.create(card=card, person=card.person, checked_by=stranger, channel=CardCheck.Channel.PUBLIC,
                             result=Kind.VALID)
    CardCheck.objects.create(card=card, person=card.person, checked_by=clinic_user, facility=facility,
                             channel=CardCheck.Channel.QR, result=Kind.VALID)
    User.objects.filter(pk=stranger.pk).update(facility=facility)
    User.objects.filter(pk=clinic_user.pk).update(facility=None)
    with translation.override("vi"):
        assert [checker_name(check, viewer=holder) for check in card_checks_for(person=card.person)] == [
            "Phạm Thu Hà", "Người dùng khác (đã đăng nhập)"]


def test_a_public_check_by_a_login_deleted_since_is_named_a_signed_in_checkers_not_a_guests(
        holder, card, stranger, clinic_user, facility):
    """A citizen's check on the public page stays a signed-in citizen's, unnamed, once their login is
    deleted, and that of staff of a clinic whose contract had ended stays clinic staff's; a guest's
    check stays a guest's."""
    scan = {"cach": "quet", "ma_qr": card_qr(card, purpose=Purpose.SCREEN)}
    MedicalFacility.objects.filter(pk=facility.pk).update(bhyt_contract=False)
    for client in (Client(), logged_in(stranger), logged_in(clinic_user)):
        assert client.post("/xac-thuc/the-bhyt/", scan).status_code == 200
    assert list(CardCheck.objects.order_by("pk").values_list("channel", flat=True)) == ["public"] * 3
    stranger.delete()
    clinic_user.delete()
    page = re.sub(r"\s+", " ", logged_in(holder).get("/the-bhyt/ai-da-xem/").content.decode())
    assert re.findall(r'data-label="Ai xác thực">([^<]*)</td>', page) == [
        "Nhân viên cơ sở KCB", "Người dùng khác (đã đăng nhập)", "Khách (không đăng nhập)"]
    with translation.override("en"):
        assert [checker_name(check, viewer=holder) for check in card_checks_for(person=card.person)] == [
            "Healthcare facility staff", "Another user (logged in)", "Visitor (not logged in)"]


def test_the_migration_marks_the_checks_logged_before_with_a_login_as_signed_in(holder, card, stranger):
    [name] = [module.name for module in pkgutil.iter_modules(migrations.__path__)
              if module.name.endswith("_signed_in_marked")]
    migration = importlib.import_module(f"health_card.migrations.{name}")
    CardCheck.objects.bulk_create([CardCheck(card=card, person=card.person, checked_by=checker, result=Kind.VALID,
                                             channel=CardCheck.Channel.PUBLIC) for checker in (stranger, None)])
    migration.mark_signed_in(apps, None)
    assert list(CardCheck.objects.order_by("pk").values_list("signed_in", flat=True)) == [True, False]
    stranger.delete()
    with translation.override("vi"):
        assert [checker_name(check, viewer=holder) for check in card_checks_for(person=card.person)] == [
            "Khách (không đăng nhập)", "Người dùng khác (đã đăng nhập)"]
