"""The language a citizen reads the portal in, remembered on their login so that the SMS, e-mails
and in-portal notices sent to it later, by an officer's step or a periodic task, are written in it
too (notifications.services.send_message renders them in `User.language`)."""

from django.conf import settings

from ..models import User


def user_language_set(*, user: User, language: str) -> bool:
    """Remember `language` (one of settings.LANGUAGES) as the language of `user`'s notices: chosen
    with the language switch while logged in, or the one chosen before logging in. Returns whether
    it changed; a language the portal does not offer changes nothing."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return False
    user.language = language
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=["language"])  # one column: the rest of a login saved meanwhile is kept
    return True
