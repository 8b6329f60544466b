"""Periods in the officers' admin: another agency's period is out of reach by URL and by the save
service itself, and an edit tells the person once while a save that changes nothing tells nobody."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from lookup.models import Agency
from notifications.models import Message
from participation.models import Period
from participation.services.imports import periods_import
from participation.services.periods import period_save
from tests.accounts.helpers import make_person, officer
from tests.benefits.helpers import admin_form, shown_form

from .helpers import months_from_now, period

pytestmark = pytest.mark.usefixtures("reference_data")
DISTRICT = "Cán bộ BHXH cơ sở"
CHANGE = "/quan-tri/participation/period/{}/change/"


@pytest.fixture
def managed_by_thu_duc(db, reference_data):
    """A person managed by 07903 (Thủ Đức), with a login, and one of their periods."""
    person = make_person("7903111111", "Hoàng Thị Thu Trang", id_number="079192012345", sex=2)
    person.agency = Agency.objects.get(code="07903")
    person.save(update_fields=["agency"])
    get_user_model().objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)
    return period(person, "01/2012", "12/2012", base=9_876_543, agency_code="07903")


def test_an_officer_of_another_agency_gets_no_access_to_the_period(client, managed_by_thu_duc):
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    url = CHANGE.format(managed_by_thu_duc.pk)
    for response in (client.get(url), client.get(url.replace("change/", "history/")),
                     client.post(url, {"base": "1", "rate": "25", "amount": "1"})):
        assert response.status_code in (403, 404), response.status_code
        html = response.content.decode()
        assert "Hoàng Thị Thu Trang" not in html and "7903111111" not in html and "9876543" not in html
    unchanged = Period.objects.get(pk=managed_by_thu_duc.pk)
    assert unchanged.base == 9_876_543 and not Message.objects.filter(template="participation_changed").exists()
    # the positive control: an officer of 07903 opens the same page
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    assert "Hoàng Thị Thu Trang" in client.get(url).content.decode()


def test_an_admin_edit_sends_exactly_one_notice_and_a_save_without_change_sends_none(
        client, managed_by_thu_duc, django_capture_on_commit_callbacks, sms_outbox):
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    url = CHANGE.format(managed_by_thu_duc.pk)
    data = admin_form(client, url, form_id="period_form")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "base": "10500000", "amount": "2625000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Period.objects.get(pk=managed_by_thu_duc.pk).base == 10_500_000
    notices = Message.objects.filter(template="participation_changed")
    assert [m.channel for m in notices.order_by("channel")] == [Message.Channel.INBOX, Message.Channel.SMS]
    assert notices.get(channel=Message.Channel.INBOX).user.username == "7903111111"
    assert len(sms_outbox()) == 1 and "vừa được cập nhật" in sms_outbox()[0]["text"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, admin_form(client, url, form_id="period_form"), follow=True)  # saved as shown
    assert response.redirect_chain[0][1] == 302
    assert notices.count() == 2 and len(sms_outbox()) == 1
    assert "Không có thay đổi nào: không gửi thông báo." in response.content.decode()  # said, as for a benefit


STALE = "Hồ sơ này vừa được người khác sửa sau khi bạn mở trang. Hãy tải lại trang để xem bản mới rồi sửa lại."


SHOWN_AGAIN = "Người khác đã lưu hồ sơ này sau khi bạn mở trang"


def test_a_page_opened_before_another_officers_save_is_shown_again_with_that_save_and_can_then_be_saved(
        client, managed_by_thu_duc, django_capture_on_commit_callbacks):
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    url = CHANGE.format(managed_by_thu_duc.pk)
    page_of_a = admin_form(client, url, form_id="period_form")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**admin_form(client, url, form_id="period_form"), "base": "10500000", "amount": "2625000"})  # officer B
    notices = Message.objects.filter(template="participation_changed")
    assert notices.count() == 2  # B's change: notice + SMS

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**page_of_a, "job_title": "Kế toán viên"})
    assert response.status_code == 200  # the page again, with what A typed, and what B saved
    html = response.content.decode()
    assert SHOWN_AGAIN in html and 'value="Kế toán viên"' in html
    assert '<a href="#id_base">Tiền lương / mức thu nhập làm căn cứ đóng (đ): 10.500.000 đ</a>' in html
    assert 'href="#id_job_title"' not in html
    stored = Period.objects.get(pk=managed_by_thu_duc.pk)
    assert (stored.base, stored.job_title) == (10_500_000, "")
    assert notices.count() == 2

    shown_again = shown_form(response, form_id="period_form")
    with django_capture_on_commit_callbacks(execute=True):  # B comes back and saves once more
        client.post(url, {**admin_form(client, url, form_id="period_form"), "unpaid_months": "2"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, shown_again)
    assert response.status_code == 200  # refused again, with B's newer value
    html = response.content.decode()
    assert '<a href="#id_unpaid_months">' in html and 'href="#id_base"' not in html
    assert notices.count() == 4

    with django_capture_on_commit_callbacks(execute=True):  # A, having seen both, saves what the page holds
        response = client.post(url, shown_form(response, form_id="period_form"))
    assert response.status_code == 302
    stored = Period.objects.get(pk=managed_by_thu_duc.pk)
    assert (stored.base, stored.job_title, stored.unpaid_months) == (9_876_543, "Kế toán viên", 0)
    assert notices.count() == 6


def test_a_period_changed_back_to_values_it_was_told_with_before_is_told_again(
        client, managed_by_thu_duc, django_capture_on_commit_callbacks):
    """A correction undone (or another officer's change overwritten by a second save made knowing
    it) is a change like any other: the person hears of each one."""
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    url = CHANGE.format(managed_by_thu_duc.pk)
    for base in ("10500000", "9876543", "10500000"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {**admin_form(client, url, form_id="period_form"), "base": base,
                              "amount": str(int(base) // 4)})
    assert Period.objects.get(pk=managed_by_thu_duc.pk).base == 10_500_000
    assert Message.objects.filter(template="participation_changed", channel=Message.Channel.INBOX).count() == 3


def test_the_change_page_reads_as_many_queries_as_before_it_carried_the_values_shown(
        client, managed_by_thu_duc, django_assert_num_queries):
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    url = CHANGE.format(managed_by_thu_duc.pk)
    client.get(url)
    # 7, whether the officer may open the person's page, and the records of their children (whose
    # periods, as their own, they may not change: own_record_refusal)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_the_save_service_refuses_a_period_imported_since_the_page_was_opened(managed_by_thu_duc):
    seen = Period.objects.get(pk=managed_by_thu_duc.pk).updated_at
    period_save(period=Period.objects.get(pk=managed_by_thu_duc.pk), seen_version=seen)  # unchanged: still fresh
    code = managed_by_thu_duc.employer.code
    periods_import(lines=io.StringIO(
        "ma_so_bhxh,loai,tu_thang,den_thang,nguoi_dong,ma_don_vi,chuc_vu,muc_dong,ty_le,so_tien,so_thang_no,ma_tinh,"
        f"ma_co_quan,ma_kcb\n7903111111,bhxh_bb,01/2012,12/2012,employer,{code},,11000000,25,2750000,0,79,07903,\n"),
        dry_run=False)
    assert Period.objects.get(pk=managed_by_thu_duc.pk).base == 11_000_000

    managed_by_thu_duc.job_title = "Kế toán viên"
    with pytest.raises(ValidationError) as error:
        period_save(period=managed_by_thu_duc, seen_version=seen)
    assert error.value.messages == [STALE]
    assert Period.objects.get(pk=managed_by_thu_duc.pk).base == 11_000_000
    fresh = Period.objects.get(pk=managed_by_thu_duc.pk)
    fresh.job_title = "Kế toán viên"
    assert period_save(period=fresh) is True  # a caller that passes no version (the import, the demo) is not checked


ADD = "/quan-tri/participation/period/add/"


def new_period(client, person, agency_code):
    from lookup.models import Province

    data = admin_form(client, ADD, form_id="period_form")
    data.update(person=str(person.pk), kind="bhxh_bb", from_month="01/01/2020", to_month="01/12/2020", payer="self",
                base="8000000", rate="22", amount="1760000", unpaid_months="0",
                province=str(Province.objects.get(code="79").pk), agency=str(Agency.objects.get(code=agency_code).pk))
    return data


def test_an_officer_neither_sees_nor_picks_a_person_outside_their_agency(client, managed_by_thu_duc):
    person = managed_by_thu_duc.person
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    html = client.get(f"{ADD}?person={person.pk}").content.decode()
    assert "Hoàng Thị Thu Trang" not in html and "7903111111" not in html
    response = client.post(ADD, new_period(client, person, "07901"))
    assert response.status_code == 200 and 'id="id_person_error"' in response.content.decode()
    assert Period.objects.count() == 1
    # The officer of the person's agency picks them.
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    assert "Hoàng Thị Thu Trang" in client.get(f"{ADD}?person={person.pk}").content.decode()
    assert client.post(ADD, new_period(client, person, "07903")).status_code == 302
    assert Period.objects.filter(person=person).count() == 2


def test_a_district_officer_finds_the_employer_by_search_and_saves_a_period_it_pays(client, managed_by_thu_duc):
    """The employer was a raw id whose magnifier opened a 403 for officers (no permission on employers):
    an employer-paid period could be entered only by knowing the employer's database id."""
    employer = managed_by_thu_duc.employer
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    response = client.get("/quan-tri/autocomplete/", {"term": employer.code, "app_label": "participation",
                                                      "model_name": "period", "field_name": "employer"})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(employer.pk)]
    data = new_period(client, managed_by_thu_duc.person, "07903")
    data.update(payer="employer", employer=str(employer.pk))
    assert client.post(ADD, data).status_code == 302
    assert Period.objects.filter(person=managed_by_thu_duc.person, from_month__year=2020).get().employer == employer


def test_an_officer_who_may_only_correct_periods_searches_the_employer_of_a_period(client, managed_by_thu_duc):
    """Employers were searchable only with participation.add_period: an account that may correct periods
    but not add them got a 403 from the employer search of a period's change page."""
    from django.contrib.auth.models import Group

    employer = managed_by_thu_duc.employer
    user = officer("canbo07903", "07903", DISTRICT)
    user.groups.clear()
    user.user_permissions.set(Group.objects.get(name=DISTRICT).permissions.exclude(codename="add_period"))
    client.force_login(user)
    response = client.get("/quan-tri/autocomplete/", {"term": employer.code, "app_label": "participation",
                                                      "model_name": "period", "field_name": "employer"})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(employer.pk)]


def test_an_officer_cannot_add_or_move_a_period_to_another_agency(client, managed_by_thu_duc):
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    person = managed_by_thu_duc.person
    response = client.post(ADD, new_period(client, person, "07901"))
    assert response.status_code == 200 and 'id="id_agency_error"' in response.content.decode()
    url = CHANGE.format(managed_by_thu_duc.pk)
    data = admin_form(client, url, form_id="period_form")
    response = client.post(url, {**data, "agency": str(Agency.objects.get(code="07901").pk)})
    assert response.status_code == 200 and 'id="id_agency_error"' in response.content.decode()
    assert Period.objects.get(pk=managed_by_thu_duc.pk).agency.code == "07903" and Period.objects.count() == 1


def test_an_officer_edits_their_agencys_period_of_a_person_managed_elsewhere(client, managed_by_thu_duc):
    """The period's agency decides who edits it; the person, managed by 07903, stays as they are."""
    mine = period(managed_by_thu_duc.person, "01/2014", "12/2014", agency_code="07901")
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    url = CHANGE.format(mine.pk)
    data = admin_form(client, url, form_id="period_form")
    assert "person" not in data  # shown, not editable
    response = client.post(url, {**data, "base": "10500000", "amount": "2625000"})
    assert response.status_code == 302, response.content.decode()[:2000]
    mine.refresh_from_db()
    assert mine.base == 10_500_000 and mine.person == managed_by_thu_duc.person


def test_a_person_managed_elsewhere_reads_as_text_on_the_period_not_a_link_to_a_page_not_found(
        client, managed_by_thu_duc):
    """The period's agency decides who edits it, the person's who opens the person: editing their
    agency's period of a person 07903 manages, an officer of 07901 reads the person as text."""
    person = managed_by_thu_duc.person
    mine = period(person, "01/2014", "12/2014", agency_code="07901")
    person_url = f"/quan-tri/accounts/person/{person.pk}/change/"
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert client.get(person_url).status_code == 404
    html = client.get(CHANGE.format(mine.pk)).content.decode()
    assert person_url not in html and "7903111111 – Hoàng Thị Thu Trang" in html
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    assert person_url in client.get(CHANGE.format(managed_by_thu_duc.pk)).content.decode()


@pytest.mark.parametrize("change", [False, True])
def test_a_period_with_the_natural_key_of_another_is_refused_on_the_form_and_not_logged(client, managed_by_thu_duc,
                                                                                         change):
    """period_save refuses a second period with the same person, type, first month and payer: the
    form says so beside "từ tháng", and the admin neither logs nor announces a save that did not happen."""
    from django.contrib.admin.models import LogEntry

    client.force_login(officer("canbo07903", "07903", DISTRICT))
    person = managed_by_thu_duc.person
    data = new_period(client, person, "07903")
    stored = managed_by_thu_duc
    data.update(kind=stored.kind, payer=stored.payer, employer=str(stored.employer_id),
                from_month="01/01/2012", to_month="01/06/2012")  # the stored period's first month
    url = ADD
    if change:  # another period of theirs, moved onto the first's key
        other = period(person, "01/2013", "12/2013", agency_code="07903")
        url = CHANGE.format(other.pk)
        data = {**admin_form(client, url, form_id="period_form"), "from_month": "01/01/2012"}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200 and 'id="id_from_month_error"' in response.content.decode()
    assert "Người này đã có giai đoạn cùng loại, cùng đơn vị bắt đầu từ tháng này." in response.content.decode()
    assert not list(response.context["messages"])  # no "… was added successfully"
    assert not LogEntry.objects.exists()
    assert Period.objects.filter(from_month__year=2012).count() == 1


def test_an_english_admin_is_told_of_a_period_with_the_natural_key_of_another_in_english(client, managed_by_thu_duc,
                                                                                           settings):
    import html

    from django.utils import translation

    from participation.services.periods import DUPLICATE_PERIOD
    from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

    settings.LANGUAGE_CODE = "en"
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    stored = managed_by_thu_duc
    data = new_period(client, stored.person, "07903")
    data.update(kind=stored.kind, payer=stored.payer, employer=str(stored.employer_id),
                from_month="01/01/2012", to_month="01/06/2012")  # the stored period's first month
    page = client.post(ADD, data).content.decode()
    error = re.search(r'<[^>]* id="id_from_month_error">(.*?)</', page, re.S).group(1)
    with translation.override("en"):
        said = str(DUPLICATE_PERIOD)
    assert said in html.unescape(page) and not VIETNAMESE_LETTERS.search(said), error
    assert Period.objects.filter(from_month__year=2012).count() == 1


def test_the_month_fields_take_a_month_as_the_list_and_the_csv_write_it(client, managed_by_thu_duc):
    """mm/yyyy, the list's and the CSV's format, is what the month boxes show, say and take (a full date
    still, kept as its month); anything else is told the format to type."""
    import datetime

    client.force_login(officer("canbo07903", "07903", DISTRICT))
    html = client.get(CHANGE.format(managed_by_thu_duc.pk)).content.decode()
    assert re.search(r'<input[^>]*name="from_month"[^>]*value="01/2012"', html)
    assert re.search(r'<input[^>]*name="to_month"[^>]*value="12/2012"', html)
    assert html.count("mm/yyyy") >= 2 and "Ngày đầu tháng" not in html
    data = new_period(client, managed_by_thu_duc.person, "07903")
    refused = client.post(ADD, {**data, "from_month": "2020-13", "to_month": "12/2020"}).content.decode()
    error = re.search(r'<ul class="errorlist" id="id_from_month_error"><li>([^<]*)</li>', refused).group(1)
    assert "mm/yyyy" in error and "dd/mm/yyyy" not in error
    assert client.post(ADD, {**data, "from_month": "01/2020", "to_month": "15/12/2020"}).status_code == 302
    saved = Period.objects.get(person=managed_by_thu_duc.person, from_month__year=2020)
    assert (saved.from_month, saved.to_month) == (datetime.date(2020, 1, 1), datetime.date(2020, 12, 1))


def test_the_add_form_refuses_a_period_starting_after_the_current_month(client, managed_by_thu_duc, sms_outbox):
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    data = new_period(client, managed_by_thu_duc.person, "07903")
    data.update(kind="bhxh_tn", from_month="15/" + months_from_now(1), to_month="20/" + months_from_now(3))
    response = client.post(ADD, data)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_from_month_error"' in html
    assert f"Tháng bắt đầu không được sau tháng hiện tại ({months_from_now(0)})." in html
    assert Period.objects.count() == 1 and not Message.objects.exists() and not sms_outbox()
    data.update(from_month="01/" + months_from_now(0))
    assert client.post(ADD, data).status_code == 302


def test_a_base_with_digits_too_many_is_refused_naming_the_most(client, managed_by_thu_duc, sms_outbox):
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    url = CHANGE.format(managed_by_thu_duc.pk)
    response = client.post(url, {**admin_form(client, url, "period_form"), "base": "9.876.543.000.000", "amount": ""})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_base_error"' in html
    assert "Căn cứ đóng không được lớn hơn 200.000.000 đ một tháng: kiểm tra lại số chữ số đã nhập." in html
    managed_by_thu_duc.refresh_from_db()
    assert managed_by_thu_duc.base == 9_876_543 and not Message.objects.exists() and not sms_outbox()


@pytest.mark.parametrize(("typed", "errors"), [
    ({"base": "10.000.000.000.000.000.000", "amount": ""},
     {"base": ["Căn cứ đóng không được lớn hơn 200.000.000 đ một tháng: kiểm tra lại số chữ số đã nhập."]}),
    ({"amount": "10.000.000.000.000.000.000"},
     {"amount": ["Số tiền đóng mỗi tháng không được lớn hơn 200.000.000 đ: kiểm tra lại số chữ số đã nhập."]}),
])
def test_a_base_or_amount_past_what_the_column_holds_is_refused_naming_the_periods_own_most(
        client, managed_by_thu_duc, sms_outbox, typed, errors):
    """The form's own limit, the column's, named 9.223.372.036.854.775.807 đ: no period's ceiling."""
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    url = CHANGE.format(managed_by_thu_duc.pk)
    response = client.post(url, {**admin_form(client, url, "period_form"), **typed})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == errors
    managed_by_thu_duc.refresh_from_db()
    assert managed_by_thu_duc.base == 9_876_543 and not Message.objects.exists() and not sms_outbox()


def test_the_list_shows_months_as_mm_yyyy_and_the_base_in_dong(client, managed_by_thu_duc):
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    html = client.get("/quan-tri/participation/period/").content.decode()
    assert '<td class="field-first_month">01/2012</td>' in html and '<td class="field-last_month">12/2012</td>' in html
    assert '<td class="field-base_vnd">9.876.543 đ</td>' in html
    assert "01/01/2012" not in html and "9876543" not in html
    assert "?o=3" in html  # the month columns still sort


def test_the_save_service_keeps_an_officer_to_their_agencies(managed_by_thu_duc):
    """The scope is the service's rule, as for benefits and visits: neither another agency's
    period nor one of one's own moved to another agency is saved."""
    own, other = officer("canbo07901", "07901", DISTRICT), officer("canbo07903", "07903", DISTRICT)
    managed_by_thu_duc.base, managed_by_thu_duc.amount = 1_000_000, 250_000
    with pytest.raises(PermissionDenied):
        period_save(period=managed_by_thu_duc, actor=own)
    managed_by_thu_duc.agency = Agency.objects.get(code="07901")
    with pytest.raises(PermissionDenied):
        period_save(period=managed_by_thu_duc, actor=other)  # moved out of 07903's hands: the new agency is 07901
    with pytest.raises(PermissionDenied):
        period_save(period=managed_by_thu_duc, actor=own)  # taken into 07901's hands from 07903
    assert Period.objects.get(pk=managed_by_thu_duc.pk).base == 9_876_543
    managed_by_thu_duc.agency = Agency.objects.get(code="07903")
    assert period_save(period=managed_by_thu_duc, actor=other) is True
    assert Period.objects.get(pk=managed_by_thu_duc.pk).base == 1_000_000


def test_a_period_starting_before_the_persons_month_of_birth_is_refused_beside_its_first_month(
        client, managed_by_thu_duc, sms_outbox):
    """Hoàng Thị Thu Trang was born on 15/03/1988: a period of 1950 typed for her was saved and told
    to her."""
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    url = CHANGE.format(managed_by_thu_duc.pk)
    response = client.post(url, {**admin_form(client, url, form_id="period_form"), "from_month": "01/01/1950"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_from_month_error"' in html
    assert "Tháng bắt đầu không thể trước tháng sinh của người tham gia (03/1988)." in html
    managed_by_thu_duc.refresh_from_db()
    assert managed_by_thu_duc.from_month.year == 2012 and not Message.objects.exists() and not sms_outbox()
    data = admin_form(client, url, form_id="period_form")
    assert client.post(url, {**data, "from_month": "01/03/1988"}).status_code == 302  # the month of birth itself


def test_an_officer_not_yet_attached_to_an_agency_is_offered_no_period_to_add(client, managed_by_thu_duc):
    """Without an agency there is no agency to choose, nor person: the add page was offered with
    empty choices, and every period typed there was refused."""
    client.force_login(officer("canbo_moi", None, DISTRICT))
    assert client.get(ADD).status_code == 403
    assert client.get(ADD.replace("add/", "nhap-csv/")).status_code == 403
    assert 'href="/quan-tri/participation/period/add/"' not in client.get(ADD.replace("add/", "")).content.decode()
    client.force_login(officer("canbo07903", "07903", DISTRICT))  # the positive control
    assert client.get(ADD).status_code == 200


def test_the_statement_admin_names_every_column_and_field_in_vietnamese(client, managed_by_thu_duc):
    from participation.models import Statement

    owner = get_user_model().objects.get(username="7903111111")
    statement = Statement.objects.create(code="ABCD2345", person=owner.person, requested_by=owner)
    client.force_login(get_user_model().objects.create_superuser("quantri", password="x-Pass-2026!"))
    listed = client.get("/quan-tri/participation/statement/").content.decode()
    shown = client.get(f"/quan-tri/participation/statement/{statement.pk}/change/").content.decode()
    heads = {column: re.sub(r"<[^>]+>|\s+", " ", text).strip() for column, text in
             re.findall(r'<th scope="col" class="[^"]*column-(\w+)[^"]*">(.*?)</th>', listed, re.S)}
    assert (heads["person"], heads["status"], heads["created_at"], heads["issued_at"]) == (
        "Người tham gia", "Trạng thái", "Tạo lúc", "Cấp lúc")
    for label in ("Người tham gia:", "Người yêu cầu:", "Trạng thái:", "Tạo lúc:", "Cấp lúc:"):
        assert f"<label>{label}</label>" in shown
    for english in ("Person", "Requested by", "Status", "Created at", "Issued at"):
        assert english not in listed and english not in shown


def test_the_months_owed_field_is_explained_by_payer_not_as_the_employers_alone(client, managed_by_thu_duc):
    client.force_login(officer("canbo07903", "07903", DISTRICT))
    html = client.get(CHANGE.format(managed_by_thu_duc.pk)).content.decode()
    assert "mà đơn vị chưa đóng" not in html
    assert "Số tháng cuối của giai đoạn mà người đóng (đơn vị, người tham gia, hộ gia đình" in html
