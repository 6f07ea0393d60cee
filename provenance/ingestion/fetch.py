"""Fetch a web page an editor named, without letting the URL reach what it must not.

A URL typed into the import page is a request the server makes on the editor's behalf
(server-side request forgery): without care it reaches the database, a cloud metadata
endpoint (169.254.169.254) or an intranet admin page, and a redirect from a harmless host
can point there too. So every hop is checked the same way: the host is resolved here,
every address it resolves to must be public (not private, loopback, link-local, shared,
reserved or multicast), and the connection goes to the address that was checked, never
to a second lookup an attacker's DNS could answer differently. Redirects are followed by
hand, at most MAX_REDIRECTS, each re-checked. PROVENANCE_FETCH_ALLOW_PRIVATE turns the
address check off (the tests serve pages from 127.0.0.1).

Also bounded: the whole fetch (PROVENANCE_FETCH_TIMEOUT seconds), the size of the page
after decompression (PROVENANCE_FETCH_MAX_BYTES, so a compressed bomb is cut off), and
the content type (a web page, not an image or a PDF). Every refusal is an InputError
whose message names the problem in words an editor can act on.
"""

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit, urlunsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from .parsers import InputError

MAX_REDIRECTS = 5
MAX_URL_LENGTH = 2000
HTML_TYPES = {"text/html", "application/xhtml+xml"}
USER_AGENT = "Provenance/1.0 (article import)"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    body: bytes
    charset: str | None  # what the Content-Type header said, if anything


def clean_url(url: str) -> str:
    """`url` as it will be fetched, or an InputError saying why it cannot be."""
    raw = url
    url = (url or "").strip()
    if not url:
        raise InputError("(blank)", "is not a URL", code="invalid_url")
    if len(url) > MAX_URL_LENGTH:
        raise InputError(url[:80] + "…", f"is longer than {MAX_URL_LENGTH} characters",
                         code="invalid_url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading it raises ValueError for a port that is no number)
    except ValueError:
        raise InputError(raw, "is not a valid URL", code="invalid_url") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(url, "is not an http:// or https:// URL", code="invalid_url")
    if not parts.hostname:
        raise InputError(url, "has no host name", code="invalid_url")
    if parts.username or parts.password:
        raise InputError(url, "carries a user name or password; remove it",
                         code="invalid_url")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise InputError(url, "contains spaces or control characters", code="invalid_url")
    # The fragment is the browser's business; without it, one page is one URL.
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, ""))


def fetch(url: str, *, max_bytes: int, timeout: float, allow_private: bool) -> Page:
    """The page at `url` (already passed through clean_url), or an InputError."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        pool, response = _request(url, deadline=deadline, timeout=timeout,
                                  allow_private=allow_private)
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise InputError(url, f"redirects ({response.status}) to nowhere",
                                     code="bad_redirect")
                url = clean_url(urljoin(url, location))
                continue
            return _page(url, response, max_bytes=max_bytes, deadline=deadline,
                         timeout=timeout)
        finally:
            response.release_conn()
            pool.close()  # one pool per hop: its socket is not left for the collector
    raise InputError(url, f"redirects more than {MAX_REDIRECTS} times",
                     code="too_many_redirects")


def _addresses(host: str, port: int, url: str, *, allow_private: bool) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise InputError(url, f"cannot be reached: the host {host} was not found",
                         code="unreachable") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
                ip = ip.ipv4_mapped
            if not ip.is_global or ip.is_multicast:
                raise InputError(
                    url,
                    f"points to a private or local address ({ip}); only public web "
                    "pages are imported",
                    code="forbidden_address",
                )
    return addresses


def _request(url, *, deadline, timeout, allow_private):
    parts = urlsplit(url)
    host = parts.hostname
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = _addresses(host, port, url, allow_private=allow_private)[0]
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise InputError(url, f"did not answer within {timeout:g} seconds", code="timeout")
    pool_options = {
        "port": port, "maxsize": 1, "retries": False,
        "timeout": urllib3.Timeout(connect=min(remaining, 10), read=remaining),
    }
    if https:
        # Connect to the checked address, but verify the certificate (and send SNI) for
        # the host name, as a browser would.
        pool = urllib3.HTTPSConnectionPool(
            address, server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED",
            **pool_options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, **pool_options)
    default_port = port == (443 if https else 80)
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    try:
        try:
            return pool, pool.urlopen(
                "GET", target, redirect=False, preload_content=False, decode_content=True,
                headers={
                    "Host": host if default_port else f"{host}:{port}",
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
                    "Accept-Encoding": "gzip, deflate",
                },
            )
        except BaseException:
            pool.close()
            raise
    except NewConnectionError as exc:  # first: urllib3 makes it a ConnectTimeoutError too
        reason = str(exc.__cause__ or exc).rsplit(":", 1)[-1]
        reason = re.sub(r"\[Errno -?\d+\]", "", reason).strip().lower() or "refused"
        raise InputError(url, f"cannot be reached: {host} did not accept the connection "
                         f"({reason})", code="unreachable") from None
    except (ConnectTimeoutError, ReadTimeoutError):
        raise InputError(url, f"did not answer within {timeout:g} seconds",
                         code="timeout") from None
    except SSLError:
        raise InputError(url, f"cannot be reached safely: {host}'s certificate is not valid",
                         code="unreachable") from None
    except HTTPError as exc:
        raise InputError(url, f"cannot be reached ({type(exc).__name__})",
                         code="unreachable") from None


def _page(url, response, *, max_bytes, deadline, timeout) -> Page:
    if response.status >= 400:
        raise InputError(url, f"answered {response.status} {response.reason or ''}".strip()
                         + " instead of a page", code="http_error")
    header = Message()
    header["Content-Type"] = response.headers.get("Content-Type", "")
    content_type = header.get_content_type() if response.headers.get("Content-Type") else ""
    if content_type and content_type not in HTML_TYPES:
        raise InputError(url, f"is not a web page (it is {content_type})", code="not_html")
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise InputError(url, f"is {int(length):,} bytes, larger than the limit of "
                         f"{max_bytes:,} bytes", code="too_large")
    body = bytearray()
    try:
        for chunk in response.stream(_CHUNK, decode_content=True):
            body += chunk
            if len(body) > max_bytes:
                raise InputError(url, f"is larger than the limit of {max_bytes:,} bytes",
                                 code="too_large")
            if time.monotonic() > deadline:
                raise InputError(url, f"did not finish within {timeout:g} seconds",
                                 code="timeout")
    except ReadTimeoutError:
        raise InputError(url, f"did not finish within {timeout:g} seconds",
                         code="timeout") from None
    except HTTPError as exc:
        raise InputError(url, f"broke off while sending the page ({type(exc).__name__})",
                         code="unreachable") from None
    body = bytes(body)
    if not content_type and not body.lstrip()[:1] == b"<":
        raise InputError(url, "is not a web page (no content type, and no markup)",
                         code="not_html")
    return Page(url=url, body=body, charset=header.get_param("charset") or None)
