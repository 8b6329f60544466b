"""Names for allauth's authenticators and user sessions, whose models and fields name themselves
only by their Python names ("Authenticators", "Created at", "User agent"), which no catalogue reaches.
Set on the models' options and fields, not in their declarations, so no migration changes."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MODELS = {
    ("mfa", "authenticator"): (_("phương thức xác thực hai bước"), pgettext_lazy("số nhiều", "phương thức xác thực hai bước"), {
        "user": _("tài khoản"), "type": _("loại"), "data": _("dữ liệu"), "created_at": _("tạo lúc"),
        "last_used_at": _("dùng lần cuối lúc"),
    }),
    ("usersessions", "usersession"): (_("phiên đăng nhập"), pgettext_lazy("số nhiều", "phiên đăng nhập"), {
        "user": _("tài khoản"), "created_at": _("tạo lúc"), "ip": _("địa chỉ IP"),
        "last_seen_at": _("hoạt động lần cuối lúc"), "user_agent": _("trình duyệt"), "data": _("dữ liệu"),
    }),
}


def name_allauth_models(apps) -> None:
    for (app_label, model_name), (singular, plural, fields) in MODELS.items():
        options = apps.get_model(app_label, model_name)._meta
        options.verbose_name, options.verbose_name_plural = singular, plural
        for name, verbose_name in fields.items():
            options.get_field(name).verbose_name = verbose_name
