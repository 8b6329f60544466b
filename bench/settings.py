"""The portal's own settings, plus one URL for the benchmarks, the bare view, and two limits raised.

`make bench` runs gunicorn with DJANGO_SETTINGS_MODULE=bench.settings and DJANGO_ENV=production,
so every page is measured on the production configuration; the differences are the URLconf
(bench/urls.py), which adds `/__bench__/bare/` and serves nothing else that the portal does not, and
two thresholds that wrk, sending thousands of requests a minute, would meet at once: the public
lookups' limit per client address (wrk's connections all come from 127.0.0.1; the code lookup's page,
measured by GET, counts nothing) and the verify page's checks per clinic login (one login posts all of
the verify form's requests). Both are still counted in Redis on every request, as deployed; only the
number past which a request is refused is raised.
"""

from vssid_portal.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
PUBLIC_LOOKUP_RATE = "1000000/m"
HEALTH_CARD_CLINIC_CHECK_RATE = "1000000/m"
