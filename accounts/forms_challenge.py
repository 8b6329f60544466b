"""The fields of the portal's challenge (accounts.services.challenge) on a public form, and the
question they ask: the BHXH-code lookup and the password reset request take them from here."""

import dataclasses

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from vssid_portal.ratelimit import LimitRefusal, minutes_left, usage_refusal

from .services.challenge import (
    Challenge,
    ChallengePurpose,
    ChallengeSpent,
    challenge_failure_count,
    challenge_spend,
)

CHALLENGE_FAILED = _("Câu trả lời kiểm tra chưa đúng hoặc đã hết hạn. Hãy trả lời câu hỏi mới bên dưới.")
ANSWER_HINT = _("Nhập kết quả bằng chữ số. Trình duyệt có JavaScript sẽ tự xác minh, không cần trả lời.")
# After a failed check everyone is asked the new question (code-lookup-pow.js leaves it in sight
# while its error is shown): its hint no longer says that a browser may skip it.
ASKED_AGAIN_HINT = _("Nhập kết quả bằng chữ số.")
FAILURES_LIMITED_SOON = _("Câu hỏi kiểm tra đã bị trả lời sai quá nhiều lần từ mạng bạn đang dùng. Hãy thử lại sau ít "
                          "phút.")


def failures_limited(wait: float | None) -> str:
    """What a client refused for its failed challenges reads: the minutes left of its window when known."""
    minutes = minutes_left(wait)
    if minutes is None:
        return str(FAILURES_LIMITED_SOON)
    return ngettext(
        "Câu hỏi kiểm tra đã bị trả lời sai quá nhiều lần từ mạng bạn đang dùng. Hãy thử lại sau %(minutes)s phút.",
        "Câu hỏi kiểm tra đã bị trả lời sai quá nhiều lần từ mạng bạn đang dùng. Hãy thử lại sau %(minutes)s phút.",
        minutes,
    ) % {"minutes": minutes}


class ChallengeForm(forms.Form):
    """A form that carries a challenge: its token, the browser's proof of work, the typed answer.
    `ask` puts a new challenge on it before it is shown (the one posted is spent); `asked` is that
    challenge, whose token and bits the page gives code-lookup-pow.js."""

    challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    work = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)
    answer = forms.CharField(
        label=_("Câu hỏi kiểm tra"), max_length=4, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    asked: Challenge | None = None

    def challenge_passed(self, purpose: ChallengePurpose, *, request) -> bool:
        """Spend the challenge posted (each serves once, whatever the outcome) and say whether it was
        passed; when not, the answer's error says so, and a wrong answer or wrong work on a challenge
        still good counts against the client's CHALLENGE_FAILURE_RATE (a spent or expired one, a
        double click's or a page left open's, does not). Raises ChallengeUnavailable when it cannot be
        spent (the cache that records spent challenges is unreachable)."""
        spent = challenge_spend(purpose=purpose, token=self.data.get("challenge", ""),
                                work=self.data.get("work", ""), answer=self.data.get("answer", ""))
        if not spent:
            if spent is ChallengeSpent.WRONG:
                challenge_failure_count(request=request, count=True)
            self.challenge_failed()
        return bool(spent)

    @staticmethod
    def failures_refusal(request, *, unavailable) -> LimitRefusal | None:
        """The refusal of a try from a client that has failed as many challenges as CHALLENGE_FAILURE_RATE
        allows, on either form: 429 saying the minutes left, as Retry-After does, or 503 saying
        `unavailable` when they cannot be counted (Redis down); None while it has tries left. Asked
        before the challenge is spent: it counts and spends nothing."""
        refusal = usage_refusal(challenge_failure_count(request=request, count=False), FAILURES_LIMITED_SOON,
                                unavailable)
        if refusal is None or refusal.status != 429:
            return refusal
        return dataclasses.replace(refusal, message=failures_limited(refusal.wait))

    def challenge_failed(self) -> None:
        """Say beside the answer that the challenge posted was not passed."""
        self.add_error("answer", CHALLENGE_FAILED)

    def ask(self, challenge: Challenge) -> None:
        """Show `challenge`: its question as the answer's label, its token in place of the one posted,
        and neither the work nor the answer posted with that one."""
        answer = self["answer"]  # the bound field the page renders: a validated form has built it already
        answer.label = gettext("Câu hỏi kiểm tra: %(question)s") % {"question": challenge.question}
        answer.help_text = ASKED_AGAIN_HINT if self.errors.get("answer") else ANSWER_HINT
        if self.is_bound:
            data = self.data.copy()
            data.update({"challenge": challenge.token, "work": "", "answer": ""})
            self.data = data
        else:
            self.initial = {**self.initial, "challenge": challenge.token}
        self.asked = challenge
