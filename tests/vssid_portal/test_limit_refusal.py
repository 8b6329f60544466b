"""A request checked against several django-ratelimit limits at once is refused when any of them is
over, and its 429 says in Retry-After the wait of the limit that refused: of several, the longest,
since the visitor is let through only once every one of them is."""

from django.http import HttpResponse


def usage(count: int, limit: int, time_left: int) -> dict:
    """django-ratelimit's get_usage answer, the request counted."""
    return {"count": count, "limit": limit, "should_limit": count > limit, "time_left": time_left}


def test_the_wait_is_the_refusing_limits_own():
    from vssid_portal.ratelimit import usages_refusal

    refusal = usages_refusal([usage(3, 20, 3000), usage(9, 8, 100)], "Quá nhiều lần", "Tạm gián đoạn")
    assert refusal.status == 429 and refusal.message == "Quá nhiều lần" and refusal.wait == 100
    assert usages_refusal([usage(21, 20, 3000), usage(1, 8, 100)], "Quá nhiều lần", "Tạm gián đoạn").wait == 3000


def test_of_several_refusing_limits_the_longest_wait_is_said():
    from vssid_portal.ratelimit import usages_refusal

    refusal = usages_refusal([usage(21, 20, 300), usage(9, 8, 2000), usage(11, 10, 40)], "Quá nhiều lần", "")
    response = refusal.answer(HttpResponse("Quá nhiều lần"))
    assert response.status_code == 429 and response["Retry-After"] == "2000"


def test_a_limit_this_request_has_just_filled_counts_in_the_wait():
    """The address's 20th check of 20 an hour, refused by the BHXH code's 9th of 8: the next try,
    counted by both, would meet the address's limit after the code's 100 s."""
    from vssid_portal.ratelimit import usages_refusal

    assert usages_refusal([usage(20, 20, 3000), usage(9, 8, 100)], "Quá nhiều lần", "").wait == 3000


def test_a_limit_that_cannot_tell_its_wait_leaves_retry_after_unsaid():
    """A count the cache failed to keep has no window: the longest wait is then unknown."""
    from vssid_portal.ratelimit import usages_refusal

    refusal = usages_refusal([usage(21, 20, 300), {"count": 0, "limit": 0, "should_limit": True, "time_left": -1}],
                             "Quá nhiều lần", "")
    assert not refusal.answer(HttpResponse()).has_header("Retry-After")


def test_limits_that_let_the_request_through_refuse_nothing():
    from vssid_portal.ratelimit import usages_refusal

    assert usages_refusal([usage(20, 20, 300), None], "Quá nhiều lần", "Tạm gián đoạn") is None
    assert usages_refusal([], "Quá nhiều lần", "Tạm gián đoạn") is None


def test_a_count_kept_as_its_window_ends_is_refused_not_let_through(monkeypatch):
    """get_usage answers time_left -1 for a count kept in the second its window ends, as it does for one
    the cache failed to keep: only the count (at least this request's when kept) tells them apart."""
    from vssid_portal import ratelimit

    answers = {"kept": usage(61, 60, -1), "lost": {"count": 0, "limit": 0, "should_limit": True, "time_left": -1}}
    for case, answer in answers.items():
        monkeypatch.setattr(ratelimit, "get_usage", lambda *args, answer=answer, **kwargs: answer)
        refusal = ratelimit.counted_or_let_through(None, group="g", key="ip", rate="60/m", too_many="Quá nhiều lần")
        if case == "kept":
            assert refusal is not None and refusal.status == 429
        else:
            assert refusal is None


def test_retry_after_never_says_less_than_the_wait_left():
    """Retry-After is whole seconds: a part of a second left rounds up, so a client that waits what
    it is told is let through, never refused again for coming a moment early; at least 1."""
    from vssid_portal.ratelimit import LimitRefusal

    assert LimitRefusal(429, "Quá nhiều lần", 59.2).answer(HttpResponse())["Retry-After"] == "60"
    assert LimitRefusal(429, "Quá nhiều lần", 0.3).answer(HttpResponse())["Retry-After"] == "1"
    assert "Retry-After" not in LimitRefusal(429, "Quá nhiều lần", None).answer(HttpResponse())
