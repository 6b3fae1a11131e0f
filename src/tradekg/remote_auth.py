"""Credentials for a SPARQL endpoint: HTTP Basic or Digest in answer to the server's challenge, or a token.

Where they come from, first found wins: ``TRADEKG_TOKEN`` (sent as ``Authorization: Bearer`` with every
request), ``TRADEKG_USER``/``TRADEKG_PASSWORD``, or ``user:password@`` in the store URL.

How a user and password are sent: only when the server answers ``401`` with a ``WWW-Authenticate``
challenge, and in the scheme that challenge names.

- **Digest** (RFC 7616; Virtuoso's ``/sparql-auth`` and ``/sparql-graph-crud-auth`` require it and refuse
  Basic): the password never crosses the wire. urllib's digest arithmetic answers the challenge, and
  later requests to that URL answer the same challenge up front (the next nonce count), so a document's
  PUT is sent once, not once to be refused and once more; when the server no longer takes that nonce,
  its new challenge is answered once. A refused answer is not repeated otherwise, so a wrong password
  costs two requests, not seven.
- **Basic**: once a host has asked for Basic, later requests to it carry the header up front, saving the
  round trip. Basic is never sent to a host that did not ask for it, so a Digest server never sees the
  password in clear.

Redirects are never followed: they would resend credentials to wherever the server points, and urllib
turns a redirected POST into a GET.
"""

from __future__ import annotations

import base64
import ipaddress
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Credentials:
    """A user and password, or a bearer token. ``repr`` never shows the secret.

    >>> Credentials(user="dba", password="s3cret")
    Credentials(user='dba', token=False)
    """

    user: str | None = None
    password: str | None = None
    token: str | None = None

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, token={self.token is not None})"


def credentials_from(env: dict[str, str], url_user: str | None, url_password: str | None) -> Credentials | None:
    """The credentials the environment or the URL give, or None.

    >>> credentials_from({"TRADEKG_USER": "dba", "TRADEKG_PASSWORD": "pw"}, "bob", "x").user
    'dba'
    >>> credentials_from({}, None, None) is None
    True
    """
    if env.get("TRADEKG_TOKEN"):
        return Credentials(token=env["TRADEKG_TOKEN"])
    if env.get("TRADEKG_USER"):
        return Credentials(user=env["TRADEKG_USER"], password=env.get("TRADEKG_PASSWORD") or "")
    if url_user:
        return Credentials(user=url_user, password=url_password or "")
    return None


def strip_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """The URL without ``user:password@``, and the user and password it carried.

    >>> strip_userinfo("http://bob:pa%40ss@h:7878/sparql")
    ('http://h:7878/sparql', 'bob', 'pa@ss')
    """
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    user = urllib.parse.unquote(parts.username or "")
    password = urllib.parse.unquote(parts.password or "")
    return clean, user, password


def is_loopback(host: str | None) -> bool:
    """True for ``localhost`` and loopback addresses (reached without a proxy).

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("example.org")
    (True, True, False)
    """
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        return None


class _ChallengeAuth(urllib.request.BaseHandler):
    """Answers a 401 challenge with Digest or Basic, once; see the module docstring."""

    handler_order = 480  # before urllib's default error handler turns the 401 into an HTTPError

    def __init__(self, user: str, password: str, origins: list[str]) -> None:
        self._passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for origin in origins:
            self._passwords.add_password(None, origin, user, password)
        # Only its RFC 7616 arithmetic (get_authorization) is used; it is not registered as a handler.
        self._digest = urllib.request.HTTPDigestAuthHandler(self._passwords)
        self._challenges: dict[str, dict[str, str]] = {}  # the last Digest challenge of each host and path
        self._basic_hosts: set[str] = set()

    def _basic(self, req: urllib.request.Request) -> str | None:
        user, password = self._passwords.find_user_password(None, req.full_url)
        if user is None:
            return None
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if req.has_header("Authorization"):
            return req
        parts = urllib.parse.urlsplit(req.full_url)
        host, space = parts.netloc, parts.netloc + parts.path
        if space in self._challenges:
            answer = self._digest.get_authorization(req, self._challenges[space])
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
                req.tk_up_front = True  # type: ignore[attr-defined]
        elif host in self._basic_hosts:
            header = self._basic(req)
            if header:
                req.add_unredirected_header("Authorization", header)
        return req

    https_request = http_request

    def http_error_401(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any) -> Any:
        sent = req.get_header("Authorization") or ""
        up_front, req.tk_up_front = getattr(req, "tk_up_front", False), False  # type: ignore[attr-defined]
        parts = urllib.parse.urlsplit(req.full_url)
        host, space = parts.netloc, parts.netloc + parts.path
        for challenge in headers.get_all("WWW-Authenticate") or []:
            scheme, _, params = challenge.strip().partition(" ")
            if scheme.lower() == "digest":
                chal = urllib.request.parse_keqv_list([p for p in urllib.request.parse_http_list(params) if p])
                fresh = up_front or str(chal.get("stale", "")).lower() == "true"
                if sent.startswith("Digest ") and not fresh:
                    return None  # these credentials were refused: report the 401, do not insist
                self._challenges[space] = chal
                answer = self._digest.get_authorization(req, chal)
                if answer:
                    req.add_unredirected_header("Authorization", f"Digest {answer}")
                    return self.parent.open(req, timeout=req.timeout)
            elif scheme.lower() == "basic":
                header = self._basic(req)
                if header is None or sent == header:
                    return None
                self._basic_hosts.add(host)
                req.add_unredirected_header("Authorization", header)
                return self.parent.open(req, timeout=req.timeout)
        return None


def build_opener(credentials: Credentials | None, origins: list[str], *, direct: bool) -> urllib.request.OpenerDirector:
    """An opener that never follows redirects, answers auth challenges, and uses proxies unless ``direct``."""
    proxy = urllib.request.ProxyHandler({}) if direct else urllib.request.ProxyHandler()
    handlers: list[urllib.request.BaseHandler] = [proxy, _NoRedirect()]
    if credentials is not None and credentials.user is not None:
        handlers.append(_ChallengeAuth(credentials.user, credentials.password or "", origins))
    return urllib.request.build_opener(*handlers)


def bearer_header(credentials: Credentials | None) -> dict[str, str]:
    """The header a token is sent in (with every request), or nothing.

    >>> bearer_header(Credentials(token="t"))
    {'Authorization': 'Bearer t'}
    """
    if credentials is not None and credentials.token:
        return {"Authorization": f"Bearer {credentials.token}"}
    return {}
