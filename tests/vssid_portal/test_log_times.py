"""Every line the web container writes (gunicorn's master, its workers, their access log, the portal's
own logging) is dated in one time zone, the portal's (TIME_ZONE), with its offset written, so that the
lines of one incident read in order. The master loads no settings: its lines were in the container's UTC,
between the workers' +0700 ones, and the portal's own lines had no offset at all."""

import http.client
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from .test_access_log import image_gunicorn

# A time of day and the offset after it: gunicorn's "[2026-12-05 21:31:39 +0700]", its access log's
# "[05/Dec/2026:21:31:39 +0700]", and the portal's own lines.
DATED = re.compile(r"\d\d:\d\d:\d\d(?:[.,]\d+)? ?([+-]\d\d:?\d\d)\b")


def test_every_line_of_the_web_container_is_dated_in_the_portals_time_zone_with_its_offset(tmp_path):
    offset = datetime.now(ZoneInfo(settings.TIME_ZONE)).strftime("%z")
    static = tmp_path / "static"  # collected, as in the image
    static.mkdir()
    with image_gunicorn(tmp_path, DJANGO_DEBUG="false", STATIC_ROOT=str(static)) as (port, log):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/khong-co-trang-nay/")  # a 404: the portal logs it, as gunicorn does
        assert connection.getresponse().status == 404
        connection.close()
        deadline = time.monotonic() + 10
        while "/khong-co-trang-nay/ HTTP/1.1" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    lines = log.read_text().splitlines()
    assert any("django.request" in line for line in lines), lines
    assert any("Shutting down: Master" in line for line in lines), lines
    for line in lines:
        dated = DATED.search(line)
        assert dated and dated.group(1).replace(":", "") == offset, (line, lines)
