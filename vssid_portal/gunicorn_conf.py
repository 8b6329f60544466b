"""gunicorn's settings beyond its command line (`--config python:vssid_portal.gunicorn_conf`).

The access log names each request by its path, without its query string, and leaves out the page it
came from: the admin's search (`?q=`) carries the ID numbers, phone numbers and names officers look
citizens up by, and a Referer repeats the query of the page before. The portal's own links put no
secret in a query string, and the tokens in its paths are sealed, bound to a user or a session, or
expire (vssid_portal/files.py, the registration's status link).
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'
