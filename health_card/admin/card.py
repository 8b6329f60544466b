"""Officers' admin of BHYT cards (their agency and the agencies below it), the beneficiary tables,
the verification log, clinic API tokens (shown once, stored hashed) and QR signing keys
(superusers only; the private halves live in the environment)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from accounts.selectors import persons_visible_to
from lookup.models import Agency
from lookup.selectors import within_officer_scope
from vssid_portal.admin import DateHierarchyWithinRange, FoldedKeySearch, NotFoundOutsideScope

from ..models import BeneficiaryGroup, BenefitLevel, Card, CardCheck, FacilityApiToken, SigningKey
from ..results import OUTCOMES
from ..selectors import cards_visible_to, checks_visible_to, tokens_visible_to
from ..services import api_token_create, api_token_revoke, card_issue, card_revoke, reissue_card


@admin.register(BenefitLevel)
class BenefitLevelAdmin(admin.ModelAdmin):
    list_display = ["level", "percent", "description"]


@admin.register(BeneficiaryGroup)
class BeneficiaryGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "payer", "level"]
    list_filter = ["payer", "level"]
    search_fields = ["code", "name"]


class CardAddForm(forms.ModelForm):
    class Meta:
        model = Card
        fields = ["person", "group", "facility", "agency", "valid_from", "valid_to", "five_year_date", "living_area"]

    def clean(self):
        data = super().clean()
        person = data.get("person")
        if person is not None and Card.objects.filter(person=person, status=Card.Status.ACTIVE).exists():
            raise ValidationError("Người này đã có thẻ BHYT đang sử dụng: hãy dùng thao tác “Cấp lại thẻ”.")
        return data


@admin.register(Card)
class CardAdmin(FoldedKeySearch, NotFoundOutsideScope, admin.ModelAdmin):
    list_display = ["legacy_number", "person", "version", "status", "facility", "valid_from", "valid_to", "agency"]
    list_filter = ["status", "level", ("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["number", "legacy_number", "person__bhxh_code", "person__name_key"]
    autocomplete_fields = ["person", "facility"]
    actions = ["reissue", "revoke"]
    readonly_fields = ["person", "number", "legacy_number", "group", "level", "facility", "valid_from", "valid_to",
                       "five_year_date", "issued_on", "agency", "living_area", "status", "version", "reason",
                       "created_at", "changed_at"]

    def get_queryset(self, request):
        return cards_visible_to(request.user)

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
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        card = card_issue(person=data["person"], group=data["group"], facility=data["facility"], agency=data["agency"],
                          valid_from=data["valid_from"], valid_to=data["valid_to"],
                          five_year_date=data["five_year_date"], living_area=data["living_area"])
        obj.pk = card.pk

    # Both actions leave a row in the admin log of each card (who, when, what), as every officer
    # action does.
    @admin.action(description="Cấp lại thẻ đã chọn (thẻ mới, thẻ cũ thành “đã thay”)", permissions=["reissue"])
    def reissue(self, request, queryset):
        reason = "Cấp lại theo yêu cầu của cơ quan BHXH"
        for card in queryset.filter(status=Card.Status.ACTIVE):
            try:
                new = reissue_card(card.person, reason)
            except ValidationError as error:
                self.message_user(request, f"{card.legacy_number}: {' '.join(error.messages)}", messages.ERROR)
                continue
            self.log_change(request, card, f"Cấp lại thẻ: thay bằng thẻ lần {new.version}. {reason}.")
            self.log_addition(request, new, f"Cấp lại thẻ lần {new.version}, thay thẻ lần {card.version}. {reason}.")
            self.message_user(request, f"Đã cấp lại thẻ {new.legacy_number} (lần {new.version}).", messages.SUCCESS)

    @admin.action(description="Thu hồi thẻ đã chọn", permissions=["reissue"])
    def revoke(self, request, queryset):
        reason = "Thu hồi theo quyết định của cơ quan BHXH"
        for card in queryset.filter(status=Card.Status.ACTIVE):
            try:
                card_revoke(card=card, reason=reason)
            except ValidationError as error:  # revoked or replaced meanwhile
                self.message_user(request, f"{card.legacy_number}: {' '.join(error.messages)}", messages.ERROR)
                continue
            self.log_change(request, card, f"Thu hồi thẻ. {reason}.")
            self.message_user(request, f"Đã thu hồi thẻ {card.legacy_number}.", messages.SUCCESS)

    def has_reissue_permission(self, request):
        return request.user.has_perm("health_card.reissue_card")


class CheckResultFilter(admin.SimpleListFilter):
    """The answers of card checks by their words (results.OUTCOMES), not their stored codes."""

    title = "kết quả"
    parameter_name = "result"

    def lookups(self, request, model_admin):
        return [(kind.value, outcome.label) for kind, outcome in OUTCOMES.items()]

    def queryset(self, request, queryset):
        return queryset.filter(result=self.value()) if self.value() else queryset


@admin.register(CardCheck)
class CardCheckAdmin(NotFoundOutsideScope, DateHierarchyWithinRange, admin.ModelAdmin):
    list_display = ["at", "card", "channel", "result_label", "facility", "checked_by", "token"]
    list_filter = ["channel", CheckResultFilter]
    fields = ["at", "card", "person", "channel", "result_label", "facility", "checked_by", "token"]
    readonly_fields = fields
    date_hierarchy = "at"

    def get_queryset(self, request):
        return checks_visible_to(request.user)

    @admin.display(description="kết quả", ordering="result")
    def result_label(self, obj):
        return obj.result_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FacilityApiToken)
class FacilityApiTokenAdmin(NotFoundOutsideScope, admin.ModelAdmin):
    list_display = ["prefix", "name", "facility", "creator", "created_at", "last_used_at", "revoked_at"]
    fields = ["facility", "name"]
    autocomplete_fields = ["facility"]
    actions = ["revoke"]

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("facility", "created_by__agency")
        return tokens_visible_to(request.user, tokens)

    @admin.display(description="người tạo", ordering="created_by__username")
    def creator(self, obj):
        user = obj.created_by
        if user is None:
            return "—"
        return f"{user.username} – {user.agency}" if user.agency_id else user.username

    def get_readonly_fields(self, request, obj=None):
        return ["facility", "name"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "facility" and not request.user.is_superuser:
            # The clinics of the officer's province; a staff account without an agency gets none.
            agency = request.user.agency if request.user.agency_id else None
            field.queryset = field.queryset.filter(province_id=agency.province_id) if agency else field.queryset.none()
        return field

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, raw = api_token_create(facility=obj.facility, name=obj.name, created_by=request.user)
        obj.pk = token.pk
        messages.warning(request, format_html(
            "Mã truy cập API của {}: <code>{}</code> — hãy sao chép ngay, mã chỉ hiện một lần này.", obj.facility, raw))

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Thu hồi mã đã chọn", permissions=["change"])
    def revoke(self, request, queryset):
        tokens, revoked = list(queryset), []
        for token in tokens:
            if api_token_revoke(token=token):
                self.log_change(request, token, "Thu hồi mã truy cập API.")  # who revoked it, and when
                revoked.append(token)
        already = len(tokens) - len(revoked)
        if revoked:
            names = ", ".join(str(token) for token in revoked)
            self.message_user(request, f"Đã thu hồi {len(revoked)} mã: {names}.", messages.SUCCESS)
        if already:
            self.message_user(request, f"{already} mã đã chọn đã bị thu hồi từ trước: không thay đổi.",
                              messages.WARNING if not revoked else messages.INFO)


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
