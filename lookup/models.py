"""Reference data: administrative units, BHXH agencies, KCB facilities, employers, collection points.

Loaded by `manage.py load_reference_data` from the package `vietnam-provinces` and the files in
`lookup/data/`; rows whose codes are invented for the demo carry `is_demo=True`.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from vssid_portal.text import fold, normalize_name, sort_key

# Office hours of BHXH agencies unless the data says otherwise (Monday to Friday, lunch break).
DEFAULT_WORKING_HOURS = "Thứ Hai – Thứ Sáu: 7:30–11:30, 13:00–16:30"
SORT_KEY_LENGTH = 301  # the sort key of a 100-character name: two digits and one tone a character, and "!"


class Searchable(models.Model):
    """A row found by accent-insensitive search: `search_key` is the folded `search_text()`."""

    SEARCH_KEY_LENGTH = 400

    search_key = models.CharField(max_length=SEARCH_KEY_LENGTH, editable=False, db_index=True)

    class Meta:
        abstract = True

    def search_text(self) -> str:
        raise NotImplementedError

    def refresh_search_key(self):
        # Cut to the column: a long name plus a long address must not fail the save.
        self.search_key = fold(self.search_text())[: self.SEARCH_KEY_LENGTH]

    def save(self, *args, **kwargs):
        self.refresh_search_key()
        super().save(*args, **kwargs)


class Named(models.Model):
    """A place listed by name in Vietnamese dictionary order (vssid_portal.text.sort_key): the
    database compares the key byte by byte, whatever its collation."""

    name = models.CharField(_("tên"), max_length=100)
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, editable=False)

    class Meta:
        abstract = True
        ordering = ["sort_key"]

    def __str__(self):
        return self.name

    @staticmethod
    def sort_key_for(name: str) -> str:
        return sort_key(name)

    def save(self, *args, **kwargs):
        self.sort_key = self.sort_key_for(self.name)
        super().save(*args, **kwargs)


# The administrative type some province names begin with ("Thành phố Hà Nội"; the others are
# stored as "Cao Bằng"), left out of their order: Hà Nội among the H's, not every city under T.
PROVINCE_TYPE_PREFIX = re.compile(r"^(?:thành phố|tỉnh) ", re.IGNORECASE)


def province_sort_key(name: str) -> str:
    """The key that lists a province by its proper name, its type left out."""
    return sort_key(PROVINCE_TYPE_PREFIX.sub("", normalize_name(name)))


class Province(Named):
    code = models.CharField(_("mã"), max_length=2, unique=True)
    division_type = models.CharField(_("loại"), max_length=40)

    sort_key_for = staticmethod(province_sort_key)

    class Meta(Named.Meta):
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = pgettext_lazy("số nhiều", "tỉnh/thành phố")


class Ward(Named):
    code = models.CharField(_("mã"), max_length=5, unique=True)
    division_type = models.CharField(_("loại"), max_length=40)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="wards", verbose_name=_("tỉnh/thành phố"))

    class Meta(Named.Meta):
        verbose_name = _("phường/xã")
        verbose_name_plural = pgettext_lazy("số nhiều", "phường/xã")


class Agency(Searchable):
    """A BHXH agency; `parent` makes the tree (province 079 → district 07901, or any depth)."""

    code = models.CharField(_("mã"), max_length=10, unique=True, validators=[RegexValidator(r"^[0-9]{3,7}$")])
    name = models.CharField(_("tên"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("cơ quan cấp trên")
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("tỉnh/thành phố"))
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    working_hours = models.CharField(_("giờ làm việc"), max_length=200, blank=True, default=DEFAULT_WORKING_HOURS)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("cơ quan BHXH")
        verbose_name_plural = pgettext_lazy("số nhiều", "cơ quan BHXH")

    def __str__(self):
        return f"[{self.code}] {self.name}"

    def search_text(self):
        return f"{self.code} {self.name} {self.address}"

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": gettext(
                    "Cơ quan cấp trên không được là chính cơ quan này hoặc cơ quan cấp dưới của nó.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class MedicalFacility(Searchable):
    class Level(models.TextChoices):
        CENTRAL = "trung_uong", _("Tuyến trung ương")
        PROVINCIAL = "tinh", _("Tuyến tỉnh")
        GRASSROOTS = "co_so", _("Tuyến cơ sở")

    code = models.CharField(
        _("mã KCB"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{2}[0-9A-Z]{3}$", "Mã cơ sở KCB gồm 2 chữ số tỉnh và 3 ký tự.")],
    )
    name = models.CharField(_("tên"), max_length=200)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("tỉnh/thành phố"))
    level = models.CharField(_("tuyến"), max_length=12, choices=Level.choices, default=Level.GRASSROOTS)
    bhyt_contract = models.BooleanField(_("có hợp đồng KCB BHYT"), default=True)
    issues_sick_leave = models.BooleanField(_("cấp giấy nghỉ ốm"), default=False)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("cơ sở KCB")
        verbose_name_plural = pgettext_lazy("số nhiều", "cơ sở KCB")

    def __str__(self):
        return f"{self.display_code} {self.name}"

    @property
    def display_code(self):
        """`79032` as written on cards and in the QR: `79 - 032`."""
        return f"{self.code[:2]} - {self.code[2:]}"

    def search_text(self):
        return f"{self.code} {self.name} {self.address}"


class Employer(Searchable):
    code = models.CharField(_("mã đơn vị"), max_length=10, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, unique=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="employers", verbose_name=_("tỉnh/thành phố"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="employers", verbose_name=_("cơ quan BHXH quản lý"))
    in_arrears = models.BooleanField(_("đang nợ đóng BHXH"), default=False)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị sử dụng lao động")
        verbose_name_plural = pgettext_lazy("số nhiều", "đơn vị sử dụng lao động")

    def __str__(self):
        return f"{self.code} – {self.name}"

    def search_text(self):
        return f"{self.code} {self.tax_code} {self.name}"


class CollectionPoint(Searchable):
    class Kind(models.TextChoices):
        POST_OFFICE = "buu_dien", _("Bưu điện")
        COMMUNE = "ubnd", _("UBND phường/xã")
        AGENT = "dai_ly", _("Đại lý thu")

    code = models.CharField(_("mã"), max_length=12, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="collection_points", verbose_name=_("tỉnh/thành phố"))
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="collection_points", verbose_name=_("phường/xã"))
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="collection_points", verbose_name=_("cơ quan BHXH"))
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("điểm thu BHXH, BHYT")
        verbose_name_plural = pgettext_lazy("số nhiều", "điểm thu BHXH, BHYT")

    def __str__(self):
        return f"{self.code} – {self.name}"

    def search_text(self):
        # The kind as the page shows it ("Loại: Bưu điện"), in Vietnamese whatever the page language:
        # the key is one for every visitor.
        with translation.override("vi"):
            kind = str(self.get_kind_display())
        return f"{self.code} {self.name} {kind} {self.address}"


# FAQ and news (the "Hỗ trợ" menu) live in their own module.
from .models_support import *  # noqa: E402,F401,F403
