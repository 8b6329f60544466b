"""The public BHXH-code lookup: its rate-limit keys and its audit trail. Its challenge is the
portal's own (accounts.services.challenge), made for ChallengePurpose.CODE_LOOKUP."""

import ipaddress

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac

from vssid_portal.ratelimit import client_address, client_ip

from ..models import CodeLookupAudit, Person

AUDIT_SALT = "accounts.code_lookup.audit"


def client_network(group, request) -> str:
    """The client's /24 (IPv4) or /64 (IPv6) network: a rate-limit key against spread-out lookups.

    client_ip gives an IPv4 client in its IPv4 form even when it arrives IPv4-mapped
    (accounts.adapter), so its network is its /24, not the ::/64 that all such clients share."""
    ip = client_ip(group, request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _hash(value: str) -> str:
    """An address's hash in the audit, keyed with CODE_LOOKUP_AUDIT_KEY, not SECRET_KEY: a rotation of
    SECRET_KEY would hash one address otherwise and split the lookups from one place (production does not start
    without it)."""
    return salted_hmac(AUDIT_SALT, value, secret=settings.CODE_LOOKUP_AUDIT_KEY).hexdigest()


@transaction.atomic
def code_lookup_audit(*, person: Person, request) -> CodeLookupAudit:
    """Record one answered lookup: who (hashed address, login if any), when, which person."""
    audit = CodeLookupAudit(
        person=person,
        ip_hash=_hash(client_address(request)),
        network_hash=_hash(client_network(None, request)),
        user=request.user if request.user.is_authenticated else None,
        user_agent=request.headers.get("User-Agent", "")[:200],
    )
    audit.full_clean()
    audit.save()
    return audit
