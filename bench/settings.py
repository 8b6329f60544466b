"""The portal's own settings, unchanged, plus one URL for the benchmarks: the bare view.

`make bench` runs gunicorn with DJANGO_SETTINGS_MODULE=bench.settings and DJANGO_ENV=production,
so every page is measured on the production configuration; the only difference is the URLconf
(bench/urls.py), which adds `/__bench__/bare/` and serves nothing else that the portal does not.
"""

from vssid_portal.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
