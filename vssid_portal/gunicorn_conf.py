"""gunicorn's settings beyond its command line (`--config python:vssid_portal.gunicorn_conf`).

The access log names each request by its path, without its query string, and leaves out the page it
came from: the admin's search (`?q=`) carries the ID numbers, phone numbers and names officers look
citizens up by, and a Referer repeats the query of the page before. The portal's own links put no
secret in a query string, and the tokens in its paths are sealed, bound to a user or a session, or
expire (vssid_portal/files.py, the registration's status link).

No control socket: from gunicorn 25.1 the master opens one for `gunicornc` in $XDG_RUNTIME_DIR or
$HOME/.gunicorn, and the image's `portal` user, whose home is /app, owned by root, cannot create it, so
every start logged an error. The portal is stopped and reloaded through Docker's signals, never through
`gunicornc`. (An older gunicorn ignores the setting.)

The master dates its lines in the portal's time zone, as its workers do once Django has set TZ from
TIME_ZONE (vssid_portal/settings.py), so that every line of the web container reads in one zone, its
offset written: the master loads no settings, and dated its own lines in the container's UTC between
the workers' +0700 ones. Both read the zone from vssid_portal/time_zone.py, which imports no Django.

gunicorn's own lines (its error log: "Booting worker", "Listening at") are written in the portal's format
(vssid_portal/log_format.py), to the millisecond, as the workers' Django lines beside them, instead of
gunicorn's "[2026-12-05 21:31:39 +0700] [7] [INFO]". gunicorn merges `logconfig_dict` key by key into its
own defaults (gunicorn.glogging.CONFIG_DEFAULTS): its formatter is replaced, its `gunicorn.error` logger
no longer also passes each line to the root logger (a second copy once Django's LOGGING gives the root a
handler in the workers), and the root logger is left without a handler until Django's LOGGING gives it one,
as it was without `logconfig_dict`. The access log keeps its own line, dated by `%(t)s`; the level stays
--log-level's.
"""

import os
import time

from vssid_portal import log_format, time_zone

os.environ["TZ"] = time_zone.TIME_ZONE  # settings.TIME_ZONE, without loading the settings
time.tzset()

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'
control_socket_disable = True
logconfig_dict = {
    "formatters": {"generic": log_format.formatter()},
    "loggers": {"gunicorn.error": {"handlers": ["error_console"], "propagate": False}},
    "root": {"handlers": []},
}
