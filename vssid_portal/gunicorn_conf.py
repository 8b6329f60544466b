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
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'
control_socket_disable = True
