"""The portal's authentication backend: allauth's (Django's ModelBackend plus allauth's login
rules), with the user of each request read through the cache instead of a query per page."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from .selectors import user_for_session


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        user = user_for_session(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
