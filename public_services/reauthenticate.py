"""allauth's page asking for the password again (account_reauthenticate), at the portal's path
/tai-khoan/nhap-lai-mat-khau/ (urls_reauthenticate): here, where the procedures are known, since the
page names what the filing it is asked for changes.

Before a filing that asks it (Procedure.reauthenticate) the page says so: the filing has not been
sent yet, why the password is asked (what the filing changes), and what happens once it is given.
allauth keeps the post that asked it and, once the password is right, sends that post again
itself, so the filing is sent without pressing "Nộp hồ sơ" a second time; without that post kept
(the page opened from a link) the page it leads back to opens, and the filing is sent from there.
Other uses of the page (an officer's second factor) keep allauth's own text.
"""

import json

from allauth.account.internal.flows.reauthentication import STATE_SESSION_KEY
from allauth.account.views import ReauthenticateView
from django.urls import Resolver404, resolve

from .models import Filing
from .procedures import registry

FILING_PAGES = {"public_services:review", "public_services:edit"}  # the views that submit and resubmit


class Reauthenticate(ReauthenticateView):
    def get_template_names(self):
        return ["account/reauthenticate_filing.html"] if self._filing_page() else super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if match := self._filing_page():
            if match.view_name == "public_services:edit":  # a returned filing's correction, the user's own
                filing = Filing.objects.filter(pk=match.kwargs["pk"], submitted_by=self.request.user).first()
                context["procedure"] = filing.procedure if filing is not None else None
            else:
                context["procedure"] = registry.by_slug(match.kwargs["slug"])
            context["resubmission"] = match.view_name == "public_services:edit"
            context["sent_after"] = self._post_kept_for(match)
        return context

    def _filing_page(self):
        """The filing's page the password is asked for (its URL's match), or None."""
        next_url = self.get_next_url()
        try:
            match = resolve(next_url.split("?", 1)[0]) if next_url else None
        except Resolver404:
            return None
        return match if match is not None and match.view_name in FILING_PAGES else None

    def _post_kept_for(self, match) -> bool:
        """Whether allauth holds the post that asked the password, to send it again once it is given
        (allauth.account.internal.flows.reauthentication.resume_request)."""
        state = self.request.session.get(STATE_SESSION_KEY) or {}
        if "request" not in state:
            return False
        kept = json.loads(state["request"])
        return kept.get("method") == "POST" and kept.get("path") == self.get_next_url()


reauthenticate = Reauthenticate.as_view()
