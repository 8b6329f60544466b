"""The officers' messages about a step already taken say when as the citizens' notices do,
"lúc HH:MM ngày dd/mm/yyyy" in the portal's time zone (vn_time_date), not "lúc dd/mm/yyyy HH:MM"."""

import datetime

import pytest
from django.utils import translation

from accounts.models import User
from public_services.models import Feedback, FilingEvent
from public_services.services import FeedbackAlreadyAnswered, FilingAlreadyInStatus, FilingChangedMeanwhile

from .helpers import owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 11, 21, 18, 30, tzinfo=datetime.UTC)  # 01:30 on the 22nd in Hồ Chí Minh City


def test_a_feedback_answered_already_says_the_time_then_the_date():
    feedback = Feedback(tracking_number="PA2611ABCDEFGH", answered_by=User(username="canbo07901"), answered_at=MOMENT)
    assert FeedbackAlreadyAnswered(feedback).message == (
        "Phản ánh PA2611ABCDEFGH đã được trả lời bởi canbo07901 lúc 01:30 ngày 22/11/2026.")


def test_a_filing_step_taken_already_or_meanwhile_says_the_time_then_the_date(owner):
    filing = submit(owner)
    FilingEvent.objects.filter(filing=filing).update(at=MOMENT)
    already, meanwhile = FilingAlreadyInStatus(filing).message, FilingChangedMeanwhile(filing).message
    assert f"({owner}, lúc 01:30 ngày 22/11/2026); không cần thực hiện lại." in already, already
    assert f"({owner}, lúc 01:30 ngày 22/11/2026) sau khi trang này được mở" in meanwhile, meanwhile


def test_the_messages_of_a_step_taken_already_or_meanwhile_are_english_in_an_english_admin(owner):
    """Whole sentences of the catalogue: an English admin (settings.LANGUAGE_CODE "en") read a
    Vietnamese sentence around the English time ("lúc 01:30 on 22/11/2026") and status."""
    filing = submit(owner)
    FilingEvent.objects.filter(filing=filing).update(at=MOMENT)
    feedback = Feedback(tracking_number="PA2611ABCDEFGH", answered_by=User(username="canbo07901"), answered_at=MOMENT)
    with translation.override("en"):
        already, meanwhile = FilingAlreadyInStatus(filing).message, FilingChangedMeanwhile(filing).message
        resubmitted = FilingChangedMeanwhile(filing, resubmitted=True).message
        answered = FeedbackAlreadyAnswered(feedback).message
    assert already == (f"Application {filing.tracking_number} is already “Submitted” ({owner}, at 01:30 on "
                       "22/11/2026); there is nothing more to do.")
    assert meanwhile == (f"Application {filing.tracking_number} moved to “Submitted” ({owner}, at 01:30 on 22/11/2026) "
                         "after this page was opened; nothing was done. Look at the application again, then decide.")
    assert resubmitted == meanwhile  # its last step is not a resubmission: said as a move
    assert answered == "Feedback PA2611ABCDEFGH was answered by canbo07901 at 01:30 on 22/11/2026."
