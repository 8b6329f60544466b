"""The Celery application: Redis broker in production, eager in the embedded default."""

import logging
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vssid_portal.settings")

app = Celery("vssid_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def keep_the_portals_logging(loglevel=None, **kwargs):
    """The worker, its pool's processes and beat write the portal's lines (settings.LOGGING, which Django's
    set-up applied as the worker loaded the apps, before Celery sets up its logging), dated as the web
    container's beside them. With a receiver on this signal Celery leaves logging alone instead of
    replacing the root logger's handler with its own "[2026-12-05 21:31:39,045: INFO/MainProcess]" format;
    only the level given on its command line (--loglevel) is taken from it."""
    if loglevel:
        logging.getLogger().setLevel(loglevel)
