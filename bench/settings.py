"""The portal's own settings, plus one URL for the benchmarks, the bare view, and no limit on the public lookups.

`make bench` runs gunicorn with DJANGO_SETTINGS_MODULE=bench.settings and DJANGO_ENV=production,
so every page is measured on the production configuration; the differences are the URLconf
(bench/urls.py), which adds `/__bench__/bare/` and serves nothing else that the portal does not, and
the public lookups' limit per client address, which wrk's connections, all from 127.0.0.1, would
meet at once (the code lookup's page, measured by GET, counts nothing).
"""

from vssid_portal.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
PUBLIC_LOOKUP_RATE = "1000000/m"
