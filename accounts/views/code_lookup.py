"""The public BHXH-code lookup (menu "Tra cứu", no login).

Every POST spends one challenge. A search — a valid form with the challenge passed — counts
against two limits (the client, an IPv4 address or an IPv6 /64, and its /24 or /64 network)
before it runs; a caller with no search left, or no challenge left to fail (CHALLENGE_FAILURE_RATE,
counted with the password reset's), is refused before anything else, and a typo or a failed
challenge costs no search.
The answer is the code and the masked name of the one
person who matches every field; anything else — no such person, one field wrong, several
people alike — gets the same message from the same code path. Labels and messages are lazy
translations: they are shown on the page only (the audit keeps no text). While the cache is
unreachable (Redis down) no challenge can be spent and no search counted: the page says the lookup
is briefly unavailable (503, Retry-After) instead of blaming the answer or the number of searches.
"""


from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from lookup.models import Province
from vssid_portal.forms import CodeField, DateOrYearField, NameField
from vssid_portal.ratelimit import LimitRefusal, client_ip, minutes_left, usages_refusal
from vssid_portal.text import mask_name, with_hotline

from ..forms_challenge import ChallengeForm
from ..selectors import person_for_code_lookup
from ..services.challenge import ChallengePurpose, ChallengeUnavailable, challenge_issue
from ..services.code_lookup import client_network, code_lookup_audit
from ..validators import IdType, validate_id_document

NOT_FOUND = with_hotline(_(
    "Không tìm thấy mã số BHXH khớp với các thông tin đã nhập. Hãy kiểm tra họ tên, ngày sinh, tỉnh/thành phố và số giấy tờ "
    "(hoặc họ tên cha/mẹ), hoặc gọi tổng đài %(hotline)s."
))
# Said when the wait is not known (the count the cache kept has no window).
LIMITED_FOR_A_WHILE = _("Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau một giờ.")


def lookups_limited(wait: float | None) -> str:
    """The refusal by the lookup's limits, with the minutes left of the window that refused (as
    Retry-After says them), not a fixed hour, which neither a refusal near the window's end nor a
    limit configured per minute (CODE_LOOKUP_RATES) waits."""
    minutes = minutes_left(wait)
    if minutes is None:
        return str(LIMITED_FOR_A_WHILE)
    return ngettext("Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau %(minutes)s phút.",
                    "Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau %(minutes)s phút.", minutes) % {"minutes": minutes}
UNAVAILABLE = _("Tra cứu mã số BHXH đang tạm gián đoạn. Hãy thử lại sau vài phút.")
DEFAULT_RATES = {"ip": "10/h", "network": "50/h"}


def _rate(kind):
    return lambda group, request: {**DEFAULT_RATES, **getattr(settings, "CODE_LOOKUP_RATES", {})}[kind]


LIMITS = [("code_lookup_ip", client_ip, _rate("ip")), ("code_lookup_net", client_network, _rate("network"))]


def _usages(request, *, count: bool) -> list[dict | None]:
    """django-ratelimit's count of each limit, the request counted by each when `count`."""
    return [get_usage(request, group=group, key=key, rate=rate, method="POST", increment=count)
            for group, key, rate in LIMITS]


def _no_search_left(request) -> LimitRefusal | None:
    """The refusal when either limit is used up already (a search would go over it), saying the
    wait of the one used up; counts nothing. A cache that cannot answer says 0 of 0 left: refused."""
    used_up = [usage and {**usage, "should_limit": usage["count"] >= usage["limit"]}
               for usage in _usages(request, count=False)]
    return usages_refusal(used_up, lookups_limited, UNAVAILABLE)


def _count_search(request) -> LimitRefusal | None:
    """Counts one search against both limits (both move); the refusal when either is now over, as
    when another request took the last search in the meantime, saying the wait of the one over."""
    return usages_refusal(_usages(request, count=True), lookups_limited, UNAVAILABLE)


class CodeLookupForm(ChallengeForm):
    field_order = ["full_name", "birth_date", "province", "id_number", "parent_name"]

    full_name = NameField(
        label=_("Họ và tên"), help_text=_("Như trên giấy tờ; có dấu hay không dấu đều được."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}), error_messages={"required": _("Nhập họ và tên.")},
    )
    birth_date = DateOrYearField(
        label=_("Ngày sinh"),
        help_text=_("Dạng ngày/tháng/năm, ví dụ 25/12/1990. Nếu sổ BHXH chỉ ghi năm sinh, nhập năm, ví dụ 1990."),
        widget=forms.TextInput(attrs={"autocomplete": "bday", "inputmode": "numeric"}),
        error_messages={"required": _("Nhập ngày sinh."),
                        "invalid": _("Nhập ngày sinh dạng ngày/tháng/năm, ví dụ 25/12/1990, "
                                     "hoặc chỉ năm sinh nếu sổ BHXH chỉ ghi năm, ví dụ 1990.")},
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố nơi cư trú"), queryset=Province.objects.all(), empty_label=_("– Chọn tỉnh/thành phố –"),
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
        error_messages={"required": _("Chọn tỉnh/thành phố."),
                        "invalid_choice": _("Chọn tỉnh/thành phố trong danh sách.")},
    )
    id_number = CodeField(
        label=_("Số giấy tờ"), max_length=12, required=False, upper=True,
        help_text=_("CCCD, CMND hoặc hộ chiếu. Người chưa có giấy tờ: để trống và nhập họ tên cha hoặc mẹ."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),  # a passport number has a letter
    )
    parent_name = NameField(
        label=_("Họ tên cha hoặc mẹ"), required=False,
        help_text=_("Chỉ cần khi không có số giấy tờ."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("id_number")
        if not number and not cleaned.get("parent_name"):
            self.add_error("id_number", _("Nhập số giấy tờ (CCCD, CMND hoặc hộ chiếu), hoặc họ tên cha hoặc mẹ nếu chưa có."))
        elif number:
            try:  # told as at registration, before any search is counted: no one holds a number of another shape,
                # nor a CCCD whose digits 4 to 6 say another birth year or century (the sex is not asked here)
                validate_id_document(id_type_of(number), number, birth_date=cleaned.get("birth_date"), sex=None)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


def id_type_of(number: str) -> str:
    """The kind of ID document a number typed without its kind would be, by its shape: a letter then
    digits a passport's (IdType.PASSPORT), 9 characters an old CMND's, anything else a CCCD's, whose
    message (12 digits) is the one to read for a number that fits none."""
    if number[:1].isalpha() and number[1:].isdigit():
        return IdType.PASSPORT
    return IdType.CMND if len(number) == 9 else IdType.CCCD


def _render(request, form, *, result=None, limited=None, status=200):
    form.ask(challenge_issue(purpose=ChallengePurpose.CODE_LOOKUP))  # a fresh challenge each time: the old one is spent
    context = {"form": form, "result": result, "limited_message": limited}
    return render(request, "accounts/code_lookup.html", context, status=status)


def _refused(request, form, refusal: LimitRefusal):
    """The refusal: the form as typed, without error marks (nothing in it is wrong), and its notice:
    too many searches (429), or the lookup unavailable for a while (503) when the limit could not be
    counted because the cache is unreachable, no fault of the visitor's."""
    form.is_valid()
    form.errors.clear()
    return refusal.answer(_render(request, form, limited=refusal.message))


@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("full_name", "birth_date", "id_number", "parent_name")
@sensitive_variables("cleaned")
def code_lookup(request):
    if request.method != "POST":
        return _render(request, CodeLookupForm())
    form = CodeLookupForm(request.POST)
    refusal = _no_search_left(request) or form.failures_refusal(request, unavailable=UNAVAILABLE)
    if refusal is not None:
        return _refused(request, form, refusal)
    try:
        passed = form.challenge_passed(ChallengePurpose.CODE_LOOKUP, request=request)
    except ChallengeUnavailable:  # the cache that records spent challenges is unreachable
        return _refused(request, form, LimitRefusal(503, UNAVAILABLE))
    if not form.is_valid() or not passed:
        return _render(request, form, status=400)
    refusal = _count_search(request)
    if refusal is not None:
        return _refused(request, form, refusal)
    cleaned = form.cleaned_data
    person = person_for_code_lookup(
        full_name=cleaned["full_name"], birth_date=cleaned["birth_date"], province=cleaned["province"],
        id_number=cleaned["id_number"], parent_name=cleaned["parent_name"],
    )
    if person is None:
        form.add_error(None, NOT_FOUND)
        return _render(request, form)
    code_lookup_audit(person=person, request=request)
    return _render(request, CodeLookupForm(), result={"bhxh_code": person.bhxh_code, "masked_name": mask_name(person.full_name)})
