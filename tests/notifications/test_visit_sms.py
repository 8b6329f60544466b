"""A visit's SMS says only that the medical-visit history changed: the facility (a cancer or a
psychiatric hospital), the dates and the amounts are health data, not for a lock screen or an
outbox kept for a year. The in-portal notice, behind the login, keeps them. Both name the history as its page
does, Lịch sử khám chữa bệnh, not a "Sổ khám chữa bệnh" that the portal has no page of."""

import datetime

import pytest

from health_card.services import visit_save
from notifications.models import Message
from tests.benefits.helpers import child_of, citizen
from tests.health_card.test_visits import standard_lines, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def bodies(user, template: str) -> dict[str, str]:
    return dict(Message.objects.filter(user=user, template=template).values_list("channel", "body"))


def test_the_sms_of_a_new_and_a_changed_visit_names_neither_the_facility_nor_the_amounts(
        django_capture_on_commit_callbacks):
    user = citizen()
    new = visit(user.person, save=False)
    with django_capture_on_commit_callbacks(execute=True):
        visit_save(visit=new, lines=standard_lines())
    facility = new.facility.name
    added = bodies(user, "visit_added")
    assert added["sms"] == "BHXH: Lịch sử khám chữa bệnh của bạn có lượt khám mới. Xem chi tiết trên Cổng BHXH số."
    assert facility in added["inbox"] and "tổng chi phí 103.300 đ" in added["inbox"] and "04/03/2025" in added["inbox"]

    stored = type(new).objects.get(pk=new.pk)
    lines = list(stored.lines.all())
    lines[2].quantity, lines[2].amount, lines[2].bhyt_amount = 20, 10_000, 8_000  # one more box of pills
    stored.total_cost = stored.bhyt_paid = stored.patient_paid = None
    with django_capture_on_commit_callbacks(execute=True):
        visit_save(visit=stored, lines=lines)
    updated = bodies(user, "visit_updated")
    assert updated["sms"] == ("BHXH: Một lượt khám trong Lịch sử khám chữa bệnh của bạn vừa được cập nhật. Xem chi tiết "
                              "trên Cổng BHXH số.")
    assert facility in updated["inbox"] and "04/03/2025" in updated["inbox"]


def test_a_childs_visit_sms_names_the_child_only(django_capture_on_commit_callbacks):
    parent = citizen()
    child = child_of(parent)
    with django_capture_on_commit_callbacks(execute=True):
        visit_save(visit=visit(child, save=False, admitted=datetime.date(child.birth_date.year + 15, 3, 4)),
                   lines=standard_lines())  # after the birth, whenever the tests run
    sms = bodies(parent, "visit_added")["sms"]
    assert sms == "BHXH: Lịch sử khám chữa bệnh của Nguyễn Gia Bảo có lượt khám mới. Xem chi tiết trên Cổng BHXH số."
