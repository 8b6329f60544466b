from django.utils.functional import SimpleLazyObject

from .selectors import unread_notice_count


def unread_notices(request):
    """Unread in-portal notices for the header; counted only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": SimpleLazyObject(lambda: unread_notice_count(user=user))}
