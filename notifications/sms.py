"""SMS backends. `SMS_BACKEND` names one; each raises SmsDeliveryError on a failure worth retrying
and SmsRejected when the gateway refuses the message itself."""

import http.client
import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsDeliveryError(Exception):
    """The message did not reach the gateway; the delivery task retries it."""


class SmsRejected(SmsDeliveryError):
    """The gateway refused the message itself (a number it cannot reach, a text it cannot send):
    sending it again cannot succeed, so the delivery gives up at once."""


# Answers about the message itself. Others (401/403 a wrong token, 404 a wrong URL, 408/429, 5xx)
# are about the portal's set-up or the gateway's state and are worth retrying.
REJECTING_STATUSES = frozenset({400, 413, 422})


class ConsoleSmsBackend:
    """Writes each SMS to the log (development)."""

    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        logger.info("SMS to %s [%s]: %s", to, idempotency_key, text)


class FileSmsBackend:
    """Appends each SMS as one JSON line to `SMS_FILE_PATH/sms.jsonl` (tests and the dev inbox)."""

    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"to": to, "text": text, "id": idempotency_key}, ensure_ascii=False)
        with open(folder / "sms.jsonl", "a", encoding="utf-8") as handle:
            handle.write(line + "\n")


class _RedirectRefused(urllib.request.HTTPRedirectHandler):
    """A 3xx from the gateway's address is an answer of its own (HTTPError), not followed: urllib
    would follow a POST's redirect with a GET and take whatever page answers 200 for the SMS sent."""

    def redirect_request(self, *args, **kwargs):
        return None


class HttpGatewaySmsBackend:
    """POSTs JSON `{"to", "text", "id"}` to `SMS_GATEWAY_URL` with a bearer token.

    The idempotency key travels as the `Idempotency-Key` header too, so a gateway that honours
    it drops a duplicate if a worker dies between the send and the commit.
    """

    def send(self, *, to: str, text: str, idempotency_key: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsDeliveryError("SMS_GATEWAY_URL is not set")
        request = urllib.request.Request(
            settings.SMS_GATEWAY_URL,
            data=json.dumps({"to": to, "text": text, "id": idempotency_key}).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
                "Idempotency-Key": idempotency_key,
            },
        )
        try:
            opener = urllib.request.build_opener(_RedirectRefused)
            with opener.open(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            error = SmsRejected if exc.code in REJECTING_STATUSES else SmsDeliveryError
            raise error(f"gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsDeliveryError(f"gateway unreachable: {exc}") from exc
        except http.client.HTTPException as exc:  # an answer that is not HTTP (a broken gateway or proxy)
            raise SmsDeliveryError(f"gateway answer unreadable: {exc!r}") from exc
        if not 200 <= status < 300:
            raise SmsDeliveryError(f"gateway answered HTTP {status}")


# The GSM 03.38 alphabet, basic and extension tables (a character of the extension counting two): a text
# written only in it travels in 7 bits, 160 characters in one part (153 in each of several); any other
# character makes the whole text UCS-2, 70 characters in one part (67 in each of several).
GSM7_BASIC = frozenset("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
                       "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
GSM7_ALPHABET = GSM7_BASIC | GSM7_EXTENSION


def sms_text(text: str) -> str:
    """The text of an SMS as it is sent: its en dashes (a break in a sentence, a range of months) as
    hyphens when they are all that keeps it out of the GSM 7-bit alphabet (an English SMS), so that
    they do not make it UCS-2, of less than half as many characters a part; a text that is UCS-2
    anyway (Vietnamese with its diacritics, a name with them) keeps them, at no cost."""
    if "–" in text and all(char in GSM7_ALPHABET for char in text.replace("–", "-")):
        return text.replace("–", "-")
    return text


def get_sms_backend():
    return import_string(settings.SMS_BACKEND)()
