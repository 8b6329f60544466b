"""An officer does not write the participation periods of their own record nor of a child a login of
theirs is (or was) guardian of: the change page shows them read-only and says why, its POST, the
deletion, the add form, the CSV import and the services refuse them; a stranger's they still write.
An officer whose own record is not known writes none."""

import io

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Person
from participation.models import Period
from participation.services.imports import periods_import
from participation.services.periods import period_delete, period_save
from tests.accounts.helpers import (
    OWN_RECORD_SAID,
    RECORD_UNKNOWN_SAID,
    officer,
)
from tests.benefits.helpers import admin_form

from .helpers import period

pytestmark = pytest.mark.usefixtures("reference_data")
DISTRICT = "Cán bộ BHXH cơ sở"
LIST = "/quan-tri/participation/period/"
CHANGE = LIST + "{}/change/"
OWN, UNKNOWN = OWN_RECORD_SAID, RECORD_UNKNOWN_SAID
HEADER = ("ma_so_bhxh,loai,tu_thang,den_thang,nguoi_dong,ma_don_vi,chuc_vu,muc_dong,ty_le,so_tien,so_thang_no,"
          "ma_tinh,ma_co_quan,ma_kcb\n")


@pytest.mark.parametrize("whose", ["own", "child"])
def test_the_officers_own_or_childs_period_is_shown_read_only_saying_why_and_its_post_refused(client, own_record_family, whose):
    staff, people = own_record_family
    theirs = period(people[whose], "01/2020", "12/2020")
    client.force_login(staff)
    html = client.get(CHANGE.format(theirs.pk)).content.decode()
    assert OWN in html and 'name="_save"' not in html
    response = client.post(CHANGE.format(theirs.pk), {"base": "99000000", "rate": "25", "amount": "24750000"})
    assert response.status_code == 403
    assert Period.objects.get(pk=theirs.pk).base == 10_000_000
    assert client.post(CHANGE.format(theirs.pk).replace("change/", "delete/"), {"post": "yes"}).status_code == 403
    client.post(LIST, {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"})
    assert Period.objects.filter(pk=theirs.pk).exists()


def test_a_strangers_period_the_officer_still_changes(client, own_record_family):
    staff, people = own_record_family
    strangers = period(people["stranger"], "01/2020", "12/2020")
    client.force_login(staff)
    data = admin_form(client, CHANGE.format(strangers.pk), form_id="period_form")
    assert OWN not in client.get(CHANGE.format(strangers.pk)).content.decode()
    response = client.post(CHANGE.format(strangers.pk), {**data, "base": "10500000", "amount": "2625000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Period.objects.get(pk=strangers.pk).base == 10_500_000


def test_the_add_form_refuses_a_period_of_the_officers_child_beside_the_person(client, own_record_family):
    staff, people = own_record_family
    strangers = period(people["stranger"], "01/2020", "12/2020")
    client.force_login(staff)
    data = {**admin_form(client, CHANGE.format(strangers.pk), form_id="period_form"), "from_month": "01/01/2021",
            "to_month": "01/12/2021", "seen_version": ""}
    response = client.post(LIST + "add/", {**data, "person": people["child"].pk})
    assert response.status_code == 200 and OWN in response.content.decode()
    assert not Period.objects.filter(person=people["child"]).exists()
    response = client.post(LIST + "add/", {**data, "person": people["stranger"].pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Period.objects.filter(person=people["stranger"]).count() == 2


def test_the_import_refuses_the_rows_of_the_officers_own_and_childs_records_and_takes_a_strangers(own_record_family):
    staff, people = own_record_family
    employer = period(people["stranger"], "01/2010", "12/2010").employer.code
    lines = "".join(f"{people[whose].bhxh_code},bhxh_bb,01/2020,12/2020,employer,{employer},,10000000,25,2500000,0,"
                    "79,07901,\n" for whose in ("own", "child", "stranger"))
    report = periods_import(lines=io.StringIO(HEADER + lines), dry_run=False, agency_scope={people["own"].agency_id},
                            persons=Person.objects.all(), actor=staff)
    assert [line for line, _message in report.errors] == [2, 3] and report.created == 1
    assert all("cán bộ không nhập quá trình tham gia của chính mình" in message for _line, message in report.errors)
    assert not Period.objects.filter(person__in=[people["own"], people["child"]]).exists()


def test_the_services_refuse_the_officer_their_own_and_childs_periods(own_record_family):
    staff, people = own_record_family
    for whose in ("own", "child"):
        theirs = period(people[whose], "01/2020", "12/2020")
        theirs.base, theirs.amount = 99_000_000, 24_750_000
        with pytest.raises(ValidationError, match=OWN):
            period_save(period=theirs, actor=staff)
        with pytest.raises(ValidationError, match=OWN):
            period_delete(periods=Period.objects.filter(pk=theirs.pk), actor=staff)
        assert Period.objects.get(pk=theirs.pk).base == 10_000_000
    new = period(people["child"], "01/2022", "12/2022", save=False)
    with pytest.raises(ValidationError, match=OWN):
        period_save(period=new, actor=staff)
    assert new.pk is None


def test_an_officer_whose_own_record_is_not_known_writes_no_period(client, own_record_family):
    _staff, people = own_record_family
    strangers = period(people["stranger"], "01/2020", "12/2020")
    unknown = officer("canbo07901b", "07901", DISTRICT, own_record=False)
    client.force_login(unknown)
    html = client.get(CHANGE.format(strangers.pk)).content.decode()
    assert UNKNOWN in html and 'name="_save"' not in html
    assert client.post(CHANGE.format(strangers.pk), {"base": "1"}).status_code == 403
    strangers.base = 99_000_000
    with pytest.raises(ValidationError, match=UNKNOWN):
        period_save(period=strangers, actor=unknown)
    report = periods_import(lines=io.StringIO(HEADER), dry_run=False, actor=unknown)
    assert UNKNOWN in report.errors[0][1]
