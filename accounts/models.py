"""The insured person (the registry) and the portal login that may be attached to one."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField

from lookup.models import Agency, MedicalFacility, Province, Ward
from vssid_portal.text import fold, normalize_name

from .validators import IdType, bhxh_code_validator, validate_id_document, validate_vn_mobile


class Person(models.Model):
    """One insured person, identified for life by a 10-digit BHXH code."""

    class Sex(models.IntegerChoices):
        MALE = 1, "Nam"
        FEMALE = 2, "Nữ"

    bhxh_code = models.CharField("mã số BHXH", max_length=10, unique=True, validators=[bhxh_code_validator])
    full_name = models.CharField("họ và tên", max_length=100)
    name_key = models.CharField("khóa tìm kiếm", max_length=100, editable=False, db_index=True)
    birth_date = models.DateField("ngày sinh")
    birth_year_only = models.BooleanField(
        "chỉ có năm sinh", default=False, help_text="Sổ gốc chỉ ghi năm sinh; ngày sinh lưu là 01/01 của năm đó."
    )
    sex = models.PositiveSmallIntegerField("giới tính", choices=Sex.choices)
    id_type = models.CharField("loại giấy tờ", max_length=10, choices=IdType.CHOICES, default=IdType.CCCD)
    id_number = models.CharField("số giấy tờ", max_length=12, db_index=True)
    phone = PhoneNumberField("số điện thoại", blank=True, validators=[validate_vn_mobile])
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, verbose_name="tỉnh/thành phố")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, verbose_name="phường/xã")
    street = models.CharField("số nhà, đường", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["bhxh_code"]
        verbose_name = "người tham gia"
        verbose_name_plural = "người tham gia"
        constraints = [
            models.CheckConstraint(condition=models.Q(sex__in=[1, 2]), name="person_sex_valid"),
        ]

    def __str__(self):
        return f"{self.bhxh_code} – {self.full_name}"

    def clean(self):
        self.full_name = normalize_name(self.full_name)
        validate_id_document(self.id_type, self.id_number, birth_date=self.birth_date, sex=self.sex)

    def normalize(self):
        """Store the name in NFC and its accent-folded key; kept with the name whatever writes it."""
        self.full_name = normalize_name(self.full_name)
        self.name_key = fold(self.full_name)

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    @property
    def address(self):
        return ", ".join(part for part in (self.street, self.ward and self.ward.name, self.province and self.province.name) if part)


class User(AbstractUser):
    """A portal login. Citizens log in with their BHXH code as username; officers and clinic
    staff are staff users attached to one agency or one KCB facility."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="user", verbose_name="người tham gia"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="officers", verbose_name="cơ quan BHXH"
    )
    facility = models.ForeignKey(
        MedicalFacility, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="cơ sở KCB"
    )
    must_change_password = models.BooleanField(
        "phải đổi mật khẩu", default=False, help_text="Mật khẩu tạm (vừa duyệt hoặc vừa cấp lại): đổi ở lần đăng nhập tới."
    )

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"
