from django.conf import settings

from .text import PORTAL_NAME


def portal(request):
    return {"PORTAL_NAME": PORTAL_NAME, "PORTAL_HOTLINE": settings.PORTAL_HOTLINE,
            "PORTAL_EMAIL": settings.PORTAL_EMAIL,
            "SESSION_IDLE_TIMEOUT": settings.SESSION_IDLE_TIMEOUT, "SESSION_COOKIE_AGE": settings.SESSION_COOKIE_AGE}
