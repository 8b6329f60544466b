"""The portal's own log lines: their set-up (`configure`, settings.LOGGING_CONFIG), their format
(`formatter`: settings.LOGGING's, and gunicorn's for its own lines, vssid_portal/gunicorn_conf.py) and the
date at their head. No Django import here: gunicorn's master loads no settings.

A `datefmt` writes the offset but drops the milliseconds Python's default date carries (time.strftime
has no field for them), and several lines of one incident fall within one second: this keeps both,
"2026-12-05 21:31:39,045 +0700", in the process's local time, the portal's (TIME_ZONE), as gunicorn's
lines beside them are (vssid_portal/gunicorn_conf.py).
"""

import logging
import logging.config
import time


def formatter() -> dict:
    """The portal's line format, as a dictConfig formatter (a new dict each time: dictConfig rewrites it)."""
    return {"()": "vssid_portal.log_format.PortalFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}


def configure(config: dict) -> None:
    """settings.LOGGING_CONFIG: Django's dictConfig, then Python's warnings sent to the `py.warnings` logger,
    so that a warning is dated and written as the portal's other lines instead of printed to stderr bare."""
    logging.config.dictConfig(config)
    logging.captureWarnings(True)


class PortalFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        offset = time.strftime("%z", self.converter(record.created))
        return f"{super().formatTime(record, datefmt)} {offset}"
