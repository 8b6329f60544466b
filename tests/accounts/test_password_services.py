"""A new password is stored by the accounts services, each in one transaction: a change that fails
half way leaves the old password (and a temporary one still to replace). The account a reset by
SMS is for is read once, with the person whose phone gets the code."""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.cached_db import SessionStore

from accounts.selectors import user_for_reset
from accounts.services import security
from tests.accounts import test_otp
from tests.accounts.test_otp import PASSWORD, PHONE, make_citizen

pytestmark = pytest.mark.django_db

fresh_cache = test_otp.fresh_cache


def test_a_reset_is_for_an_active_login_read_with_its_person(django_assert_num_queries):
    user = make_citizen()
    with django_assert_num_queries(1):
        found = user_for_reset(bhxh_code=user.username)
        assert found == user and found.person.phone.as_e164 == PHONE
    assert user_for_reset(bhxh_code="7909999999") is None
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert user_for_reset(bhxh_code=user.username) is None


@pytest.mark.parametrize("service, finalize", [("user_password_change", "finalize_password_change"),
                                               ("user_password_reset", "finalize_password_reset")])
def test_a_new_password_that_fails_half_way_keeps_the_old_one(service, finalize, monkeypatch, rf):
    user = make_citizen(must_change_password=True)

    def fail(request, user):
        raise RuntimeError("allauth could not end the change")

    monkeypatch.setattr(security, finalize, fail)
    request = rf.post("/")
    request.session = SessionStore()
    with pytest.raises(RuntimeError):
        getattr(security, service)(request=request, user=user, password_hash=make_password("một câu dài dễ nhớ"))
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.must_change_password
