"""The officers' admin pages name the portal's icon, as its own pages do (templates/base.html), so that
a browser does not ask for /favicon.ico, a 404 logged as a warning on every page an officer opens."""

import pytest
from django.test import Client

from tests.accounts.helpers import officer
from tests.public_services.helpers import DISTRICT

pytestmark = pytest.mark.django_db

ICON = '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">'


def test_the_admin_pages_name_the_portals_icon():
    client = Client()
    client.force_login(officer("canbo07901", "07901", DISTRICT))
    for path in ("/quan-tri/", "/quan-tri/public_services/filing/", "/quan-tri/accounts/registration/"):
        response = client.get(path)
        assert response.status_code == 200
        assert ICON in response.content.decode(), path

