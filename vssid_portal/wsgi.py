"""WSGI entry point (gunicorn vssid_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vssid_portal.settings")
application = get_wsgi_application()
