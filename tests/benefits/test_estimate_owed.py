"""The estimator's notes on months still owed do not say an employer owes them: voluntary BHXH is
paid by the person themself (each period's row names its payer)."""

import pytest
from django.urls import reverse

from participation.models import Period
from tests.participation.helpers import period

from .helpers import citizen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_voluntary_months_owed_are_not_said_to_be_owed_by_an_employer(client):
    user = citizen()
    period(user.person, "01/2022", "12/2024", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, unpaid=2)
    client.force_login(user)
    html = client.get(reverse("benefits:estimate")).content.decode()
    assert "(còn nợ 2 tháng: không tính)" in html
    assert "đơn vị còn nợ" not in html
    assert "Một tháng có nhiều giai đoạn cùng đóng chỉ được tính một lần; tháng còn nợ chưa được tính." in html


def test_a_history_only_owed_says_how_many_months_without_naming_an_employer(client):
    user = citizen()
    period(user.person, "01/2024", "02/2024", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF, unpaid=2)
    client.force_login(user)
    html = client.get(reverse("benefits:estimate")).content.decode()
    assert "Chưa có quá trình đóng BHXH nào để ước tính. Có 2 tháng còn nợ: tháng chưa đóng không được tính." in html
