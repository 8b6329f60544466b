"""The language switch: Django's own (i18n/setlang), which also remembers the choice of a logged-in
citizen for the notices sent to them later (accounts.services.language)."""

from django.conf import settings
from django.views.i18n import set_language

from ..services.language import user_language_set


def language_switch(request):
    response = set_language(request)
    chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None and request.user.is_authenticated:
        user_language_set(user=request.user, language=chosen.value)
    return response
