"""How many parts an SMS takes, counted as the gateway counts them: the tests hold the portal's SMS
to a number of parts (a filing's step, an officer's words quoted on top of it); the portal itself
sends each text whole and counts nothing."""

import math

from notifications.sms import GSM7_BASIC, GSM7_EXTENSION  # the alphabet in 7 bits, as the portal knows it


def sms_parts(text: str) -> int:
    """How many parts an SMS of `text` takes: in GSM 7-bit when every character is of its alphabet
    (160 in one part, 153 in each of several), else in UCS-2 (70, then 67; a character outside the
    Basic Multilingual Plane takes two units)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        units, one, each = len(text) + sum(char in GSM7_EXTENSION for char in text), 160, 153
    else:
        units, one, each = len(text) + sum(ord(char) > 0xFFFF for char in text), 70, 67
    return 1 if units <= one else math.ceil(units / each)
