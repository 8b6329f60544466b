"""django-allauth adapter: the portal's rules for accounts.

Self-service sign-up is closed: citizen accounts are created when an officer approves a
registration (`/dang-ky/`), never through allauth's sign-up form.
"""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False
