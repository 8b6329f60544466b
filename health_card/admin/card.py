"""Officers' admin of BHYT cards (their agency and the agencies below it), the beneficiary tables,
the verification log and QR signing keys (superusers only; the private halves live in the
environment). Clinic API tokens are in tokens.py."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from accounts.admin_own_records import OwnRecordsReadOnly
from accounts.selectors import notice_channels_of_people, persons_visible_to
from lookup.admin_filters import OfficerAgencyFilter
from lookup.models import Agency, MedicalFacility
from lookup.selectors import within_officer_scope
from notifications.texts import SENT_IN_NOTICE_ONLY, sent_as_typed_to_each
from vssid_portal.admin import (
    FoldedKeySearch,
    NotFoundOutsideScope,
    PortalChangeList,
    RelationLinksOnlyWhereAllowed,
    SaysWhyNoAgencySeesNothing,
    TextareaAsTyped,
    year_filter,
)
from vssid_portal.text import sentence

from ..models import BeneficiaryGroup, BenefitLevel, Card, CardCheck, SigningKey
from ..results import OUTCOMES
from ..selectors import (
    card_dates_error,
    card_in_use,
    cards_visible_to,
    checker_name_without_login,
    checks_visible_to,
    child_card_dates_error,
)
from ..services import card_issue, card_revoke, reissue_card


def _saved_as(obj, row) -> None:
    """The admin names the object it handed to save_model in its message and its log: make that
    object the row the service wrote (number, version, status), not the unsaved form instance."""
    obj.__dict__.update(row.__dict__)


@admin.register(BenefitLevel)
class BenefitLevelAdmin(admin.ModelAdmin):
    list_display = ["level", "percent", "description"]


@admin.register(BeneficiaryGroup)
class BeneficiaryGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "payer", "level"]
    list_filter = ["payer", "level"]
    search_fields = ["code", "name"]


class CardAddForm(forms.ModelForm):
    """A new card. Its five-year date is not typed: card_issue reads it from the person's BHYT
    participation. A child's (TE) card left without an end runs to the law's last day."""

    class Meta:
        model = Card
        fields = ["person", "group", "facility", "agency", "valid_from", "valid_to", "living_area"]
        help_texts = {"valid_to": gettext_lazy("Trống: không có ngày hết hạn, có giá trị khi thẻ đang sử dụng; thẻ "
                                               "trẻ em dưới 6 tuổi (TE): đến ngày cuối luật cho.")}

    def clean(self):
        data = super().clean()
        person = data.get("person")
        if person is not None and card_in_use(person=person) is not None:
            raise ValidationError(gettext("Người này đã có thẻ BHYT đang sử dụng: hãy dùng thao tác “Cấp lại thẻ”."))
        dates = {"valid_from": data.get("valid_from"), "valid_to": data.get("valid_to")}
        if error := (card_dates_error(person=person, **dates)
                     or child_card_dates_error(person=person, group=data.get("group"), **dates)):
            raise ValidationError(error)
        return data


OTHER_REASON = "khac"
# Luật BHYT, Điều 17–18: a card is reissued when lost, and exchanged when torn or damaged or when
# what it shows is wrong. The words are kept as the card's reason and told to the holder.
REISSUE_REASONS = [
    ("mat", gettext_lazy("Cấp lại do mất thẻ")),
    ("hong", gettext_lazy("Cấp lại do thẻ hỏng")),
    ("sai_thong_tin", gettext_lazy("Cấp lại do thông tin ghi trên thẻ không đúng")),
    (OTHER_REASON, gettext_lazy("Lý do khác (ghi rõ bên dưới)")),
]
# Luật BHYT, Điều 19.1: a card is revoked for fraud in its issue, or when its holder no longer
# takes part in BHYT.
REVOKE_REASONS = [
    ("gian_lan", gettext_lazy("Gian lận trong việc cấp thẻ BHYT")),
    ("ngung_tham_gia", gettext_lazy("Người có tên trong thẻ không tiếp tục tham gia BHYT")),
    (OTHER_REASON, gettext_lazy("Lý do khác (ghi rõ bên dưới)")),
]


class CardReasonForm(forms.Form):
    """The reason an officer gives for reissuing or revoking cards, on the action's confirmation
    page: one of the usual reasons, with details, or details alone."""

    reason = forms.ChoiceField(label=gettext_lazy("Lý do"), widget=forms.RadioSelect,
                               error_messages={"required": gettext_lazy("Chọn lý do.")})
    details = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=200, widget=TextareaAsTyped(attrs={"rows": 3}))

    def __init__(self, *args, reasons, sent=SENT_IN_NOTICE_ONLY, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reasons
        # `sent`: the sentence naming the channels that carry the reason to the cards' holders (person_notify)
        self.fields["details"].help_text = format_lazy("{} {}", sent, gettext_lazy(
            "Bắt buộc khi chọn “Lý do khác”. Tối đa 200 ký tự."))

    def clean(self):
        data = super().clean()
        data["details"] = " ".join(data.get("details", "").split())
        if data.get("reason") == OTHER_REASON and not data["details"] and "details" not in self.errors:
            self.add_error("details", gettext_lazy("Ghi rõ lý do khi chọn “Lý do khác”."))
        return data

    @property
    def text(self) -> str:
        """The reason as the card keeps it and the holder reads it: in the portal's language
        (settings.LANGUAGE_CODE), as every record's own words are, whatever the page's."""
        reason, details = self.cleaned_data["reason"], self.cleaned_data["details"]
        if reason == OTHER_REASON:
            return details
        with translation.override(settings.LANGUAGE_CODE):
            label = str(dict(self.fields["reason"].choices)[reason])
        return f"{label}: {details}" if details else label


class FilteredOnce(PortalChangeList):
    """The portal's change list (a wrong date part in the address answered as a wrong filter), but an action (the reason page of a reissue or a revocation) is given the
    rows the list filtered when it was built, instead of the list's filters being built again, each
    reading its choices (the benefit levels, the officer's agencies) a second time."""

    def get_queryset(self, request, exclude_parameters=None):
        if exclude_parameters is None and "queryset" in self.__dict__:
            return self.queryset.all()
        return super().get_queryset(request, exclude_parameters)


@admin.register(Card)
class CardAdmin(OwnRecordsReadOnly, SaysWhyNoAgencySeesNothing, FoldedKeySearch, NotFoundOutsideScope, RelationLinksOnlyWhereAllowed,
                admin.ModelAdmin):
    no_agency_warning = gettext_lazy("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có thẻ BHYT nào để xem. "
                                     "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")
    list_display = ["legacy_number", "person", "version", "status", "facility", "valid_from", "valid_to", "agency"]
    list_filter = ["status", "level", ("agency", OfficerAgencyFilter)]
    # A card number (10 digits or 15 characters) or a BHXH code from its start, a name anywhere in its
    # folded key: each read from an index of the cards or of the persons, never every card.
    search_fields = ["^number", "^legacy_number", "^person__bhxh_code", "person__name_key"]
    codes_apart_from_names = True
    upper_case_codes = ("number", "legacy_number", "person__bhxh_code")
    autocomplete_fields = ["person", "facility"]
    actions = ["reissue", "revoke"]
    show_full_result_count = False  # every insured person's cards
    readonly_fields = ["person", "number", "legacy_number", "group", "level", "facility", "valid_from", "valid_to",
                       "five_year_date", "issued_on", "agency", "living_area", "status", "version", "reason",
                       "created_at", "changed_at"]

    def get_queryset(self, request):
        return cards_visible_to(request.user)

    def get_changelist(self, request, **kwargs):
        return FilteredOnce

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CardAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A card is never edited in place: changes are a reissue (a new version) or a revocation.
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else CardAddForm.Meta.fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices, and what a crafted POST may name, stay inside the officer's scope.
        if db_field.name == "agency":
            kwargs["queryset"] = within_officer_scope(Agency.objects.order_by("code"), request.user, field="pk")
        if db_field.name == "person":
            kwargs["queryset"] = persons_visible_to(request.user)
        if db_field.name == "facility":  # the initial KCB facility: one with a BHYT contract
            kwargs["queryset"] = MedicalFacility.objects.filter(bhyt_contract=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        card = card_issue(person=data["person"], group=data["group"], facility=data["facility"], agency=data["agency"],
                          valid_from=data["valid_from"], valid_to=data["valid_to"], living_area=data["living_area"],
                          officer=request.user)
        _saved_as(obj, card)

    # Both actions first show the selected active cards and ask for the reason (the holder is told
    # it by notice and SMS when a login is told of them, as the note's help then says); each card
    # done leaves a row in its admin log (who, when, what), as every officer action does.
    @admin.action(description=gettext_lazy("Cấp lại thẻ đã chọn (thẻ mới, thẻ cũ thành “đã thay”)"), permissions=["reissue"])
    def reissue(self, request, queryset):
        return self._with_reason(request, queryset, action="reissue", reasons=REISSUE_REASONS,
                                 title=gettext_lazy("Cấp lại thẻ BHYT"), button=gettext_lazy("Cấp lại thẻ"),
                                 apply=self._reissue_one)

    @admin.action(description=gettext_lazy("Thu hồi thẻ đã chọn"), permissions=["reissue"])
    def revoke(self, request, queryset):
        return self._with_reason(request, queryset, action="revoke", reasons=REVOKE_REASONS,
                                 title=gettext_lazy("Thu hồi thẻ BHYT"), button=gettext_lazy("Thu hồi thẻ"),
                                 apply=self._revoke_one)

    def _with_reason(self, request, queryset, *, action, reasons, title, button, apply):
        active = list(queryset.filter(status=Card.Status.ACTIVE))
        cards = self.own_rows_left(request, active)
        if active and not cards:  # each said why
            return None
        if not cards:
            self.message_user(request, gettext("Không có thẻ đang sử dụng nào trong các thẻ đã chọn: không có gì thay "
                                               "đổi."), messages.WARNING)
            return None
        # each holder told by a notice and an SMS to the logins told of them, by no message when nobody is:
        # the sentence says how many are told how when the selected cards' holders differ; the reason goes by
        # the notice alone (notice_channels' first, when anyone is told), the SMS, read on a lock screen,
        # quoting none (bhyt_card_reissued, bhyt_card_revoked)
        told = notice_channels_of_people({card.person_id for card in cards})
        told = {pk: channels[:1] for pk, channels in told.items()}
        form = CardReasonForm(request.POST if "confirm" in request.POST else None, reasons=reasons,
                              sent=sent_as_typed_to_each(told.values()))
        if form.is_valid():
            for card in cards:
                apply(request, card, form.text)
            return None  # back to the list, with a message per card
        context = {
            **self.admin_site.each_context(request), "title": title, "subtitle": None, "opts": self.model._meta,
            "cards": cards, "form": form, "action": action, "button": button,
            # Rendered by the admin's own field markup (admin/includes/fieldset.html): its error list, in red
            # beside the field and named by it, not the portal's, whose styles the admin does not load.
            "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/health_card/card/action_reason.html", context)

    def _reissue_one(self, request, card, reason):
        try:
            new = reissue_card(card.person, reason, replacing=card, officer=request.user)
        except ValidationError as error:  # revoked or replaced meanwhile
            self.message_user(request, f"{card.legacy_number}: {' '.join(error.messages)}", messages.ERROR)
            return
        card.refresh_from_db()  # now "replaced": the log names the card as it is
        self.log_change(request, card, f"Cấp lại thẻ: thay bằng thẻ lần {new.version}. {sentence(reason)}")
        self.log_addition(request, new, f"Cấp lại thẻ lần {new.version}, thay thẻ lần {card.version}. "
                                        f"{sentence(reason)}")
        self.message_user(request, gettext("Đã cấp lại thẻ %(number)s (lần %(version)s).")
                          % {"number": new.legacy_number, "version": new.version}, messages.SUCCESS)

    def _revoke_one(self, request, card, reason):
        try:
            card = card_revoke(card=card, reason=reason, officer=request.user)
        except ValidationError as error:  # revoked or replaced meanwhile
            self.message_user(request, f"{card.legacy_number}: {' '.join(error.messages)}", messages.ERROR)
            return
        self.log_change(request, card, f"Thu hồi thẻ. {sentence(reason)}")
        self.message_user(request, gettext("Đã thu hồi thẻ %(number)s (lần %(version)s).")
                          % {"number": card.legacy_number, "version": card.version}, messages.SUCCESS)

    def has_reissue_permission(self, request):
        return request.user.has_perm("health_card.reissue_card")


class CheckResultFilter(admin.SimpleListFilter):
    """The answers of card checks by their words (results.OUTCOMES), not their stored codes."""

    title = gettext_lazy("kết quả")
    parameter_name = "result"

    def lookups(self, request, model_admin):
        return [(kind.value, outcome.label) for kind, outcome in OUTCOMES.items()]

    def queryset(self, request, queryset):
        return queryset.filter(result=self.value()) if self.value() else queryset


CHECKS_SINCE = 2025  # the first year the list filter offers: checks are logged from the portal's start


@admin.register(CardCheck)
class CardCheckAdmin(SaysWhyNoAgencySeesNothing, NotFoundOutsideScope, RelationLinksOnlyWhereAllowed, admin.ModelAdmin):
    no_agency_warning = gettext_lazy("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có lượt xác thực thẻ nào để xem. "
                                     "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")
    list_display = ["at", "card", "channel", "result_label", "facility", "checker", "token_name"]
    # A row for every check of the country: no date hierarchy, no count of the whole table.
    list_filter = ["channel", CheckResultFilter, year_filter("at", since=CHECKS_SINCE)]
    show_full_result_count = False
    fields = ["at", "card", "person", "channel", "result_label", "facility", "checked_by", "token_name"]
    readonly_fields = [*fields, "checker"]

    def get_fields(self, request, obj=None):
        # A check without a login names who made it as the access log does, not with an empty login.
        if obj is not None and obj.checked_by_id is None:
            return [name if name != "checked_by" else "checker" for name in self.fields]
        return self.fields

    @admin.display(description=gettext_lazy("người xác thực"))
    def checker(self, obj):
        # A login by its login (linked on the page where the officer may open it); a check without one
        # (a guest's, a clinic's software, or a login deleted since) as the access log names it.
        return str(obj.checked_by) if obj.checked_by_id else checker_name_without_login(obj)

    @admin.display(description=gettext_lazy("mã API"))
    def token_name(self, obj):
        # As text: a token another agency made is outside this officer's scope (its page a 404).
        return str(obj.token) if obj.token_id else self.get_empty_value_display()

    def get_queryset(self, request):
        return checks_visible_to(request.user)

    @admin.display(description=gettext_lazy("kết quả"), ordering="result")
    def result_label(self, obj):
        return obj.result_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    """Superusers retire keys (signing stops) and set how long their QRs still verify."""

    list_display = ["key_id", "created_at", "retired_at", "verify_until", "note"]
    fields = ["key_id", "public_key", "created_at", "retired_at", "verify_until", "note"]
    readonly_fields = ["key_id", "public_key", "created_at"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False  # rows come from the configured keys (health_card/keys.py)

    def has_delete_permission(self, request, obj=None):
        return False
