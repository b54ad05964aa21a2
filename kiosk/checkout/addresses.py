"""E-mail address syntax: what the client form and the outbox accept.

Deliberately stricter than RFC 5322 (no quoted local parts, no comments, no IP literals) and
as strict as what mail servers take in practice, so a typo is caught at the kiosk, in front of
the client, rather than days later as a bounce. International domains are accepted and sent in
their ASCII (IDNA) form; local parts must be ASCII, as SMTPUTF8 is rarely offered.
"""

from __future__ import annotations

import re

from kiosk.core.errors import BadAddress

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def check_address(text: str) -> str:
    """The address, trimmed and with its domain in ASCII; BadAddress saying what is wrong."""
    address = text.strip()
    if not address:
        raise BadAddress(text, "it is empty.")
    if any(c in address for c in '\r\n\t <>,;"()') or any(ord(c) < 32 for c in address):
        raise BadAddress(text, "it contains spaces or characters an address cannot have.")
    if address.count("@") != 1:
        raise BadAddress(text, "it needs exactly one @, as in name@example.com.")
    local, domain = address.split("@")
    if not local:
        raise BadAddress(text, "the part before the @ is missing.")
    if len(local) > 64 or not _LOCAL.match(local):
        raise BadAddress(text, "the part before the @ has a character or dot out of place.")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise BadAddress(text, f'"{domain}" is not a valid domain name.') from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise BadAddress(text, f'"{domain}" is not a domain name like example.com.')
    if not re.match(r"^([a-z]{2,63}|xn--[a-z0-9-]+)$", labels[-1]):
        raise BadAddress(text, f'"{domain}" does not end in a real top-level domain.')
    checked = f"{local}@{ascii_domain}"
    if len(checked) > 254:
        raise BadAddress(text, "it is longer than 254 characters.")
    return checked
