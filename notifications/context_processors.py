from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.translation import gettext

from .selectors import unread_notice_count


def unread_badge(count: int) -> str:
    if not count:
        return ""
    return format_html(' <span class="badge">{}<span class="visually-hidden"> {}</span></span>', count, gettext("chưa đọc"))


def unread_notices(request):
    """Unread in-portal notices for the header; counted only when a template shows them. The badge
    is a value of its own so a stored page can leave it as a hole (vssid_portal.pagecache)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_badge": SimpleLazyObject(lambda: unread_badge(unread_notice_count(user=user)))}
