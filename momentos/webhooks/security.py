"""Where a webhook may point: https (unless allowed otherwise) on a public address.

Checked when an endpoint is saved and again before each delivery, whose connection then goes to the
address that was checked (a host that resolves elsewhere a second later is not followed).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from momentos.core.errors import DomainError


class UnsafeUrl(DomainError):
    code = "unsafe_url"


def http_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "WEBHOOKS_ALLOW_HTTP", False))


def private_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False))


def _refused(message: str) -> UnsafeUrl:
    return UnsafeUrl(message, field="url")


def check_form(url: str) -> SplitResult:
    """The parsed URL if its scheme and shape are acceptable; UnsafeUrl (field ``url``) otherwise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise _refused(_("Enter a valid URL.")) from exc
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise _refused(_("Enter a valid URL that starts with https://."))
    if parts.scheme == "http" and not http_allowed():
        raise _refused(_("The URL must start with https://: webhooks carry your customers' answers."))
    if parts.username or parts.password:
        raise _refused(_("The URL must not contain a user name or password."))
    if port == 0:
        raise _refused(_("Enter a valid URL."))
    return parts


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def resolve(parts: SplitResult) -> list[str]:
    """The addresses the URL's host resolves to, all checked; UnsafeUrl when one may not be reached."""
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise _refused(_("The host %(host)s cannot be found.") % {"host": host}) from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise _refused(_("The host %(host)s cannot be found.") % {"host": host})
    if not private_allowed() and not all(_is_public(a) for a in addresses):
        raise _refused(
            _(
                "The host %(host)s is a private, loopback or reserved address; "
                "webhooks go to public addresses only."
            )
            % {"host": host}
        )
    return addresses


def check_url(url: str) -> list[str]:
    """Refuse a URL a webhook may not point to; returns the checked addresses."""
    return resolve(check_form(url))
