"""The insured person (the registry) and the portal login that may be attached to one."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from lookup.models import Agency, MedicalFacility, Province, Ward
from vssid_portal.templatetags.vn_format import vn_datetime
from vssid_portal.text import PERSON_NAME_ERROR, fold, is_person_name, normalize_name

from .validators import IdType, bhxh_code_validator, validate_id_document, validate_vn_mobile


class Person(models.Model):
    """One insured person, identified for life by a 10-digit BHXH code."""

    class Sex(models.IntegerChoices):
        MALE = 1, _("Nam")
        FEMALE = 2, _("Nữ")

    bhxh_code = models.CharField(_("mã số BHXH"), max_length=10, unique=True, validators=[bhxh_code_validator])
    full_name = models.CharField(_("họ và tên"), max_length=100)
    name_key = models.CharField(_("khóa tìm kiếm"), max_length=100, editable=False, db_index=True)
    birth_date = models.DateField(_("ngày sinh"))
    birth_year_only = models.BooleanField(
        _("chỉ có năm sinh"), default=False, help_text=_("Sổ gốc chỉ ghi năm sinh; ngày sinh lưu là 01/01 của năm đó.")
    )
    sex = models.PositiveSmallIntegerField(_("giới tính"), choices=Sex.choices)
    id_type = models.CharField(_("loại giấy tờ"), max_length=10, choices=IdType.CHOICES, default=IdType.CCCD)
    id_number = models.CharField(_("số giấy tờ"), max_length=12, db_index=True)
    phone = PhoneNumberField(_("số điện thoại"), blank=True, validators=[validate_vn_mobile])
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("tỉnh/thành phố"))
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("phường/xã"))
    street = models.CharField(_("số nhà, đường"), max_length=200, blank=True)
    # Asked by the public BHXH-code lookup of people who have no ID number.
    mother_name = models.CharField(_("họ tên mẹ"), max_length=100, null=True, blank=True)
    father_name = models.CharField(_("họ tên cha"), max_length=100, null=True, blank=True)
    # Their folded keys (fold, as name_key), so the lookup compares a parent's name in its query.
    mother_key = models.CharField(_("khóa tên mẹ"), max_length=100, editable=False, default="")
    father_key = models.CharField(_("khóa tên cha"), max_length=100, editable=False, default="")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="persons",
        verbose_name=_("cơ quan BHXH quản lý"),
        help_text=_("Cơ quan BHXH quản lý hồ sơ của người này. Duyệt đăng ký giao dịch điện tử không đổi cơ quan này; "
                    "người chưa có cơ quan quản lý thì lấy cơ quan tiếp nhận đăng ký làm cơ quan quản lý."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Moved by database triggers on every write to what the person's pages show (content_version.py).
    content_version = models.PositiveBigIntegerField(db_default=0, editable=False)

    class Meta:
        ordering = ["bhxh_code"]
        verbose_name = _("người tham gia")
        verbose_name_plural = pgettext_lazy("số nhiều", "người tham gia")
        # Officers log a citizen out everywhere (a lost phone, a login that was not theirs) without
        # the right to change accounts, which is not scoped to their agency.
        permissions = [("end_sessions_person", _("Được đăng xuất người tham gia khỏi mọi thiết bị"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(sex__in=[1, 2]), name="person_sex_valid"),
        ]
        # The BHXH-code lookup asks name and birth date together: one index keeps it exact at any size.
        indexes = [models.Index(fields=["name_key", "birth_date"], name="person_name_birth_idx")]

    def __str__(self):
        return f"{self.bhxh_code} – {self.full_name}"

    def clean(self):
        self.full_name = normalize_name(self.full_name)
        # A new or changed name (its folded key differs from the stored one) must read as a
        # person's; one stored before this rule does not hold up a correction of something else.
        if fold(self.full_name) != self.name_key and not is_person_name(self.full_name):
            raise ValidationError({"full_name": PERSON_NAME_ERROR})
        validate_id_document(self.id_type, self.id_number, birth_date=self.birth_date, sex=self.sex)

    # Each name and the accent-folded key kept with it.
    FOLDED_NAMES = {"full_name": "name_key", "mother_name": "mother_key", "father_name": "father_key"}

    def normalize(self):
        """Store the name in NFC and the accent-folded keys of the person's and their parents' names;
        kept with the names whatever writes them."""
        self.full_name = normalize_name(self.full_name)
        self.name_key = fold(self.full_name)
        self.mother_key = fold(self.mother_name or "")
        self.father_key = fold(self.father_name or "")

    def save(self, *args, **kwargs):
        self.normalize()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:  # a name saved alone takes its key along
            kwargs["update_fields"] = {*update_fields, *(key for name, key in self.FOLDED_NAMES.items()
                                                         if name in update_fields)}
        super().save(*args, **kwargs)

    @property
    def address(self):
        return ", ".join(part for part in (self.street, self.ward and self.ward.name, self.province and self.province.name) if part)


class User(AbstractUser):
    """A portal login. Citizens log in with their BHXH code as username; officers and clinic
    staff are staff users attached to one agency or one KCB facility."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="user", verbose_name=_("người tham gia")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="officers", verbose_name=_("cơ quan BHXH")
    )
    facility = models.ForeignKey(
        MedicalFacility, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("cơ sở KCB")
    )
    # An officer's own record in the registry, which their staff login does not log in as when the
    # person has a citizen login of their own (`person` is one login's): what makes a filing or a
    # registration the officer's own case, whichever of their logins filed it (accounts.selectors.holder_logins).
    officer_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="officer_logins",
        verbose_name=_("hồ sơ BHXH của cán bộ"),
    )
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu"), default=False, help_text=_("Mật khẩu tạm (vừa duyệt hoặc vừa cấp lại): đổi ở lần đăng nhập tới.")
    )
    # The language its holder chose on the portal (accounts.services.language): SMS, e-mails and
    # in-portal notices to this login are written in it (notifications.services.send_message).
    language = models.CharField(
        _("ngôn ngữ nhận thông báo"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        help_text=_("Ngôn ngữ người dùng chọn trên cổng; tin nhắn, email và thông báo gửi tài khoản này viết bằng ngôn ngữ đó."),
    )

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = pgettext_lazy("số nhiều", "tài khoản")
        constraints = [
            # One record is one officer's (accounts.selectors.staff_login_of_record, which the admin's
            # form asks first, naming the other account): held here too, against two saves at once.
            models.UniqueConstraint(
                fields=["officer_person"], condition=models.Q(is_staff=True, is_active=True),
                name="user_officer_person_one_active_staff",
                violation_error_message="Hồ sơ BHXH này đã là hồ sơ của một tài khoản cán bộ khác đang hoạt động.",
            ),
        ]

    def get_full_name(self):
        """In Vietnamese order, "Phạm Thu Hà": the family and middle names (`last_name`) before the
        given name (`first_name`); Django's own puts the given name first ("Hà Phạm Thu")."""
        return f"{self.last_name} {self.first_name}".strip()

    def has_session_auth_hash(self, value: str) -> bool:
        """Whether `value`, a `get_session_auth_hash()` kept earlier (the password a step was let
        through by), still names the current password: made with SECRET_KEY, or with one of
        SECRET_KEY_FALLBACKS before the key was rotated, as Django's own check of a session accepts."""
        return bool(value) and any(constant_time_compare(value, current) for current in
                                   [self.get_session_auth_hash(), *self.get_session_auth_fallback_hash()])


def new_file_folder() -> str:
    return secrets.token_hex(16)


def registration_upload_path(instance, filename):
    """A registration's photos and declaration, under its own random folder in private storage: the
    reference would open the public status page to whoever reads a file's name wherever it shows
    (the admin, a log, a link sealed with a key since leaked), and the portrait is shown to others
    than the registrant (a clinic checking the card, the other parent)."""
    return f"registrations/{instance.file_folder}/{filename}"


class RegistrationQuerySet(models.QuerySet):
    def declaration_missing(self):
        """Registrations whose declaration PDF is still to be built (a replaced one never is, nor one
        whose files were swept: registrations_delete_stale_photos)."""
        return self.filter(declaration_pdf="", photos_deleted_at__isnull=True).exclude(status=Registration.Status.REPLACED)

    def declaration_given_up(self):
        """Those whose declaration could not be built in `JOB_MAX_ATTEMPTS` attempts (vssid_portal/jobs.py)."""
        return self.declaration_missing().filter(pdf_attempts__gt=settings.JOB_MAX_ATTEMPTS)


class Registration(models.Model):
    """A citizen's request to use electronic transactions (Decree 166/2016), reviewed by an officer."""

    objects = RegistrationQuerySet.as_manager()

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Bị từ chối")
        REPLACED = "replaced", _("Đã thay bằng đăng ký mới")

    class Relationship(models.TextChoices):
        FATHER = "cha", _("Cha")
        MOTHER = "me", _("Mẹ")
        GUARDIAN = "giam_ho", _("Người giám hộ")

    reference = models.CharField(_("số tham chiếu"), max_length=20, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("người tham gia"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    # Declared data, kept as typed so officers can compare it with the registry.
    bhxh_code = models.CharField(_("mã số BHXH"), max_length=10, validators=[bhxh_code_validator])
    full_name = models.CharField(_("họ và tên"), max_length=100)
    id_type = models.CharField(_("loại giấy tờ"), max_length=10, choices=IdType.CHOICES, blank=True)
    id_number = models.CharField(_("số giấy tờ"), max_length=12, blank=True, help_text=_("Trống khi đăng ký cho trẻ chưa có CCCD."))
    birth_date = models.DateField(_("ngày sinh"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name=_("tỉnh/thành phố"))
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, verbose_name=_("phường/xã"))
    street = models.CharField(_("số nhà, đường"), max_length=200)
    phone = PhoneNumberField(_("số điện thoại di động"), validators=[validate_vn_mobile])
    email = models.EmailField("email", blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("cơ quan BHXH tiếp nhận"))
    portrait = models.FileField(_("ảnh chân dung"), upload_to=registration_upload_path, blank=True)
    id_front = models.FileField(_("ảnh mặt trước giấy tờ"), upload_to=registration_upload_path, blank=True)
    id_back = models.FileField(_("ảnh mặt sau giấy tờ"), upload_to=registration_upload_path, blank=True)
    declaration_pdf = models.FileField(_("tờ khai (PDF)"), upload_to=registration_upload_path, blank=True)
    file_folder = models.CharField(_("thư mục tệp"), max_length=32, default=new_file_folder, editable=False)
    pdf_attempts = models.PositiveSmallIntegerField(_("số lần tạo tờ khai"), default=0)  # vssid_portal/jobs.py
    # A child's account, registered by a parent who already has one.
    parent = models.ForeignKey(
        "User", on_delete=models.PROTECT, null=True, blank=True, related_name="child_registrations", verbose_name=_("người đăng ký thay")
    )
    relationship = models.CharField(_("quan hệ với trẻ"), max_length=10, choices=Relationship.choices, blank=True)
    birth_certificate_number = models.CharField(_("số giấy khai sinh"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cán bộ xử lý")
    )
    reject_reason = models.TextField(_("lý do từ chối"), blank=True)
    photos_deleted_at = models.DateTimeField(_("xóa ảnh lúc"), null=True, blank=True)
    # The one-time key of the form that sent it: the same form posted twice (double click, back
    # button, a retry) is this registration again, never a second one.
    submission_key = models.CharField(_("khóa chống gửi trùng"), max_length=32, blank=True, default="", editable=False)
    # The language of the pages it was sent from (registration_submit): the registrant's own request,
    # so its answers and the login it opens are in that language, never the deciding officer's.
    language = models.CharField(
        _("ngôn ngữ đăng ký"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE, editable=False,
        help_text=_("Ngôn ngữ của trang người đăng ký dùng để gửi đăng ký; kết quả và tài khoản được duyệt dùng ngôn ngữ này."),
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("đăng ký giao dịch điện tử")
        verbose_name_plural = pgettext_lazy("số nhiều", "đăng ký giao dịch điện tử")
        constraints = [
            # One open registration per submitter: the citizen's own, and each parent's for a child
            # (two constraints, as NULL parents never collide in a unique key).
            models.UniqueConstraint(
                fields=["bhxh_code"], condition=models.Q(status="pending", parent__isnull=True),
                name="registration_one_open_per_code",
            ),
            models.UniqueConstraint(
                fields=["bhxh_code", "parent"], condition=models.Q(status="pending", parent__isnull=False),
                name="registration_one_open_per_parent",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reject_reason=""), name="registration_reject_has_reason"
            ),
            models.UniqueConstraint(
                fields=["submission_key"], condition=~models.Q(submission_key=""), name="registration_submission_key_unique"
            ),
        ]
        permissions = [("decide_registration", _("Duyệt hoặc từ chối đăng ký"))]

    def __str__(self):
        return f"{self.reference} – {self.bhxh_code} {self.full_name}"

    @property
    def is_child(self):
        return self.parent_id is not None

    @property
    def id_number_label(self) -> str:
        """The label of the identity paper's number on the declaration, as the filings' declarations
        print it (the choices' "(12 số)" is a hint for typing it on a screen)."""
        return IdType.NUMBER_ON_PAPER[self.id_type]

    # The street of a child's registration whose parent has none in the registry (the field is required).
    NO_STREET = "-"

    @property
    def declared_street(self):
        """The house number and street declared, "" for the placeholder of a parent without one."""
        return "" if self.street == self.NO_STREET else self.street

    @property
    def address(self):
        """The contact address as a declaration prints it: the placeholder street is left out."""
        return ", ".join(part for part in (self.declared_street, self.ward.name, self.province.name) if part)

    @property
    def declaration_given_up(self):
        """As `RegistrationQuerySet.declaration_given_up`, for one registration."""
        return (not self.declaration_pdf and self.pdf_attempts > settings.JOB_MAX_ATTEMPTS
                and self.status != self.Status.REPLACED and self.photos_deleted_at is None)


class RegistrationEvent(models.Model):
    """Audit trail of a registration: who did what, when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Nộp đăng ký")
        REPLACED = "replaced", _("Thay bằng đăng ký mới")
        APPROVED = "approved", _("Duyệt")
        REJECTED = "rejected", _("Từ chối")
        PHOTOS_DELETED = "photos_deleted", _("Xóa ảnh")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("hành động"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey("User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người thực hiện"))
    note = models.TextField(_("ghi chú"), blank=True)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("nhật ký xử lý")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhật ký xử lý")


class Guardianship(models.Model):
    """A parent's right to view a child's records, created when the child's registration is approved."""

    parent = models.ForeignKey("User", on_delete=models.CASCADE, related_name="guardianships")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardians")
    relationship = models.CharField(max_length=10, choices=Registration.Relationship.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quan hệ giám hộ")
        verbose_name_plural = pgettext_lazy("số nhiều", "quan hệ giám hộ")
        constraints = [models.UniqueConstraint(fields=["parent", "child"], name="guardianship_unique")]


class CodeLookupAudit(models.Model):
    """One answered public BHXH-code lookup: which person's code was shown, when, to whom.

    The client address is kept only as a keyed hash (with its /24 or /64 network), enough to
    link repeated lookups from one place without storing the address itself.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="code_lookups", verbose_name=_("người tham gia"))
    ip_hash = models.CharField(_("mã băm địa chỉ IP"), max_length=64, db_index=True)
    network_hash = models.CharField(_("mã băm dải mạng"), max_length=64, db_index=True)
    user = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tài khoản tra cứu")
    )
    user_agent = models.CharField(_("trình duyệt"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("tra cứu lúc"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-answered_at"]
        verbose_name = _("lượt tra cứu mã số BHXH")
        verbose_name_plural = pgettext_lazy("số nhiều", "lượt tra cứu mã số BHXH")

    def __str__(self):
        return f"{self.person.bhxh_code} – {vn_datetime(self.answered_at)}"
