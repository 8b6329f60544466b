"""The same payer cannot pay the same insurance type twice for one month: a period of the same person,
type and payer (the same employer when an employer pays) whose months overlap another is refused, on
the officers' form, by the save service and by the import; different employers may overlap."""

import io
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lookup.models import Agency, Employer
from participation.models import Period
from participation.services.imports import periods_import
from participation.services.periods import period_save
from tests.accounts.helpers import managed_person, officer
from tests.benefits.helpers import admin_form
from tests.db_locks import wait_until_blocked

from .helpers import period

pytestmark = pytest.mark.usefixtures("reference_data")
ADD = "/quan-tri/participation/period/add/"
CHANGE = "/quan-tri/participation/period/{}/change/"
HEADER = "ma_so_bhxh,loai,tu_thang,den_thang,nguoi_dong,ma_don_vi,chuc_vu,muc_dong,ty_le,so_tien,so_thang_no,ma_tinh,ma_co_quan,ma_kcb\n"


@pytest.fixture
def stored(db, reference_data):
    """Compulsory BHXH 01/2020–12/2021 paid by the first employer of agency 07901."""
    person = managed_person("7901555555", "Trần Văn Bình", "07901", "079090012345")
    return period(person, "01/2020", "12/2021")


def employers():
    return list(Employer.objects.filter(agency__code="07901").order_by("code")[:2])


def form_data(client, person, **values):
    from lookup.models import Province

    data = admin_form(client, ADD, form_id="period_form")
    data.update(person=str(person.pk), kind="bhxh_bb", from_month="01/06/2021", to_month="01/03/2022",
                payer="employer", employer=str(employers()[0].pk), base="10000000", rate="25", amount="2500000",
                unpaid_months="0", province=str(Province.objects.get(code="79").pk),
                agency=str(Agency.objects.get(code="07901").pk))
    data.update(values)
    return data


def test_the_form_refuses_months_the_same_employer_already_pays_and_names_that_period(client, stored):
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    response = client.post(ADD, form_data(client, stored.person))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_from_month_error"' in html
    assert f"Trùng với giai đoạn 01/2020–12/2021 do {employers()[0].name} đóng" in html
    assert Period.objects.count() == 1 and not LogEntry.objects.exists()


def test_the_form_accepts_overlapping_months_of_another_employer_or_type(client, stored):
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    other = employers()[1]
    assert client.post(ADD, form_data(client, stored.person, employer=str(other.pk))).status_code == 302
    assert client.post(ADD, form_data(client, stored.person, kind="bhtn")).status_code == 302
    assert client.post(ADD, form_data(client, stored.person, from_month="01/01/2022")).status_code == 302  # right after
    assert Period.objects.count() == 4


def test_an_edit_is_compared_with_the_other_periods_not_itself(client, stored):
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    url = CHANGE.format(stored.pk)
    assert client.post(url, {**admin_form(client, url, form_id="period_form"), "to_month": "01/06/2022"}).status_code == 302
    later = period(stored.person, "07/2022", "12/2022")
    url = CHANGE.format(later.pk)
    response = client.post(url, {**admin_form(client, url, form_id="period_form"), "from_month": "01/05/2022"})
    assert response.status_code == 200
    assert "Trùng với giai đoạn 01/2020–06/2022" in response.content.decode()


@pytest.mark.parametrize("payer, words", [(Period.Payer.SELF, "do người tham gia tự đóng"),
                                          (Period.Payer.HOUSEHOLD, "do hộ gia đình đóng")])
def test_the_save_service_refuses_the_same_payers_overlapping_months(stored, payer, words):
    period(stored.person, "01/2020", "12/2020", kind=Period.Kind.BHYT, payer=payer)
    with pytest.raises(ValidationError) as refused:
        period_save(period=period(stored.person, "12/2020", "03/2021", kind=Period.Kind.BHYT, payer=payer, save=False))
    assert refused.value.message_dict["from_month"][0].startswith(f"Trùng với giai đoạn 01/2020–12/2020 {words}")
    other = Period.Payer.STATE
    assert period_save(period=period(stored.person, "12/2020", "03/2021", kind=Period.Kind.BHYT, payer=other, save=False))


def csv_text(*rows):
    first, second = (e.code for e in employers())
    return io.StringIO(HEADER + "".join(row.replace("{E}", first).replace("{F}", second) + "\n" for row in rows))


def test_the_import_refuses_rows_overlapping_a_stored_period_or_an_earlier_row(stored):
    report = periods_import(lines=csv_text(
        "7901555555,bhxh_bb,06/2021,03/2022,employer,{E},,10000000,25,2500000,0,79,07901,",  # overlaps the stored
        "7901555555,bhxh_bb,06/2021,03/2022,employer,{F},,10000000,25,2500000,0,79,07901,",  # another employer: kept
        "7901555555,bhxh_tn,01/2023,12/2023,self,,,5000000,22,1100000,0,79,07901,",
        "7901555555,bhxh_tn,06/2023,06/2024,self,,,5000000,22,1100000,0,79,07901,",  # overlaps line 4
        "7901555555,bhxh_bb,01/2020,06/2022,employer,{E},,10000000,25,2500000,0,79,07901,",  # the stored, longer: ok
    ), dry_run=False)
    assert [line for line, _message in report.errors] == [2, 5]
    assert report.errors[0][1].startswith(f"trùng với giai đoạn 01/2020–12/2021 do {employers()[0].name} đóng")
    assert report.errors[1][1].startswith("trùng với giai đoạn 01/2023–12/2023 ở dòng 4")
    assert (report.created, report.updated) == (2, 1)




def test_the_import_refuses_a_row_sharing_only_one_month_with_a_stored_period_of_its_payer(stored):
    """One month in common is an overlap: a row ending in the month the stored period starts (01/2020), or
    starting in the month it ends (12/2021), would pay that month twice."""
    report = periods_import(lines=csv_text(
        "7901555555,bhxh_bb,06/2019,01/2020,employer,{E},,10000000,25,2500000,0,79,07901,",
        "7901555555,bhxh_bb,12/2021,03/2022,employer,{E},,10000000,25,2500000,0,79,07901,",
    ), dry_run=True)
    assert [line for line, _message in report.errors] == [2, 3]
    assert all(message.startswith("trùng với giai đoạn 01/2020–12/2021") for _line, message in report.errors)


def test_an_overlap_with_another_agencys_period_does_not_name_its_months_or_employer(stored):
    """The officer's list hides the periods of agencies outside their scope: so does the refusal."""
    other = officer("canbo07903", "07903", "Cán bộ BHXH cơ sở")
    own = period(stored.person, "06/2021", "03/2022", agency_code="07903", employer_code=employers()[0].code,
                 save=False)
    with pytest.raises(ValidationError) as refused:
        period_save(period=own, actor=other)
    message = refused.value.message_dict["from_month"][0]
    assert message.startswith("Trùng với một giai đoạn do cơ quan BHXH khác quản lý")
    assert "2020" not in message and employers()[0].name not in message
    report = periods_import(lines=csv_text(
        "7901555555,bhxh_bb,06/2021,03/2022,employer,{E},,10000000,25,2500000,0,79,07903,"), dry_run=True,
        agency_scope={Agency.objects.get(code="07903").pk})
    assert report.errors[0][1].startswith("trùng với một giai đoạn do cơ quan BHXH khác quản lý")
    assert "2020" not in report.errors[0][1] and employers()[0].name not in report.errors[0][1]



def test_the_form_does_not_name_another_agencys_overlapping_period(client, reference_data):
    """A person now managed by 07903 whose period 07901 keeps: 07903's officer is not shown its months."""
    person = managed_person("7901555558", "Trần Văn Bền", "07903", "079090012348")
    period(person, "01/2020", "12/2021")  # agency 07901
    client.force_login(officer("canbo07903", "07903", "Cán bộ BHXH cơ sở"))
    response = client.post(ADD, form_data(client, person, agency=str(Agency.objects.get(code="07903").pk)))
    html = response.content.decode()
    assert response.status_code == 200 and "Trùng với một giai đoạn do cơ quan BHXH khác quản lý" in html
    assert "01/2020–12/2021" not in html and Period.objects.filter(person=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_saving_overlapping_periods_at_once_save_one(reference_data):
    """The second save waits on the person's row, locked by the first until it commits, then sees the
    first's period and is refused, naming it. Without the lock both would be saved."""
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL")
    person = managed_person("7901555556", "Trần Văn Bảo", "07901", "079090012346")
    outcome = {}

    def second():
        try:
            outcome["saved"] = period_save(period=period(person, "06/2020", "06/2021", save=False))
        except ValidationError as error:
            outcome["refused"] = error.messages[0]
        finally:
            connections.close_all()

    with transaction.atomic():
        period_save(period=period(person, "01/2020", "12/2020", save=False))  # uncommitted until this block ends
        thread = threading.Thread(target=second)
        thread.start()
        waited = wait_until_blocked(thread)
    thread.join(10)
    assert waited, "the second save did not wait for the first's lock"
    assert "saved" not in outcome, "a second, overlapping period was saved while the first was being committed"
    assert outcome["refused"].startswith("Trùng với giai đoạn 01/2020–12/2020")
    assert Period.objects.filter(person=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_import_during_an_officers_save_of_the_same_person_waits_for_it_and_refuses_the_row(reference_data):
    """The import locks the people it writes before reading their periods: a row overlapping a period
    an officer is saving meanwhile waits for that save, then sees it and is refused. Without the lock
    the import read the months before the officer's commit and both periods were saved."""
    import threading

    from django.db import connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL")
    person = managed_person("7901555557", "Trần Văn Bách", "07901", "079090012347")
    first = employers()[0].code
    outcome = {}

    def import_runs():
        try:
            outcome["report"] = periods_import(lines=io.StringIO(
                HEADER + f"7901555557,bhxh_bb,06/2020,06/2021,employer,{first},,10000000,25,2500000,0,79,07901,\n"),
                dry_run=False)
        finally:
            connections.close_all()

    with transaction.atomic():  # the officer's period stays uncommitted until this block ends
        period_save(period=period(person, "01/2020", "12/2020", save=False))
        thread = threading.Thread(target=import_runs)
        thread.start()
        waited = wait_until_blocked(thread)
    thread.join(10)
    assert waited, "the import did not wait for the officer's lock"
    report = outcome["report"]
    assert report.created == 0, "an overlapping row was imported while an officer's save of the same person ran"
    assert report.errors[0][1].startswith("trùng với giai đoạn 01/2020–12/2020")
    assert Period.objects.filter(person=person).count() == 1


def test_an_edit_locks_the_person_before_the_period_as_the_import_does(client, stored):
    """One lock order for every writer (person, then period rows): an officer's edit and an import of
    the same person cannot each hold the lock the other waits for."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes no row locks")
    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    data = admin_form(client, CHANGE.format(stored.pk), form_id="period_form")
    data.update(job_title="Kỹ sư")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(CHANGE.format(stored.pk), data)
    assert response.status_code == 302
    locks = [q["sql"] for q in queries if re.search(r"FOR (NO KEY )?UPDATE", q["sql"])]
    assert locks and '"accounts_person"' in locks[0].split(" WHERE ")[0]


LIST = "/quan-tri/participation/period/"


def listed(response) -> set[int]:
    assert response.status_code == 200, response.status_code
    return {p.pk for p in response.context["cl"].result_list}


def test_the_overlap_filter_lists_both_periods_of_a_stored_overlapping_pair_and_not_a_neighbouring_pair(client, stored):
    legacy = period(stored.person, "06/2021", "03/2022")  # stored before the rule: its months 06–12/2021 overlap
    neighbours = managed_person("7901555557", "Lê Thị Cúc", "07901", "079190012347")
    period(neighbours, "01/2020", "12/2020")
    period(neighbours, "01/2021", "06/2021")  # the month after: no overlap
    period(neighbours, "06/2021", "12/2021", employer_code=employers()[1].code)  # another employer pays it too
    period(neighbours, "06/2021", "12/2021", kind=Period.Kind.BHTN)  # another type
    elsewhere = managed_person("7903555558", "Võ Văn Dũng", "07903", "079090012348")
    theirs = {period(elsewhere, "01/2020", "12/2020", agency_code="07903").pk,
              period(elsewhere, "12/2020", "06/2021", agency_code="07903").pk}

    client.force_login(officer("canbo07901", "07901", "Cán bộ BHXH cơ sở"))
    assert "Trùng giai đoạn" in client.get(LIST).content.decode()
    with CaptureQueriesContext(connection) as unfiltered:
        assert len(listed(client.get(LIST))) == 6
    with CaptureQueriesContext(connection) as filtered:
        assert listed(client.get(LIST, {"trung": "co"})) == {stored.pk, legacy.pk}
    assert len(filtered) == len(unfiltered)  # one query for the rows, whatever their number
    client.force_login(officer("canbo07903", "07903", "Cán bộ BHXH cơ sở"))  # scoped as the list is
    assert listed(client.get(LIST, {"trung": "co"})) == theirs
