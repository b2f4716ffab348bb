"""The desk's protections, as one ASGI middleware: a token for every request, CSRF on every POST, a bound on every
body, and headers that keep the page to its own assets.

- **Token**: a random token is made at start (or the user's own, required to listen beyond loopback). The first
  visit carries it as ``?token=``; the desk answers with an HttpOnly, SameSite=Strict cookie and a redirect to the
  same address without it, so the token leaves the address bar and the history. ``Authorization: Bearer`` works too
  (scripts). Anything else is 403.
- **CSRF**: the cookie is SameSite=Strict already; every state-changing request is a POST that must also carry a
  token derived from the session token (``csrf`` form field or ``X-CSRF-Token`` header), compared in constant time.
  ``Origin``, when the browser sends it, must be the desk's own.
- **Bodies**: a request body past ``max_body`` bytes is refused with 413, by its ``Content-Length`` before it is read
  or, without one, as soon as that many bytes have come.
- **Headers**: a Content-Security-Policy that allows scripts, styles and connections only from the desk itself
  (every asset ships in the package), no framing, no referrer.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

COOKIE = "ml_intern_desk"
MIN_TOKEN_CHARS = 16
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# run reports and bench pages are ml-intern's own static HTML (inline styles, embedded PNGs): no script at all
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'"
SAFE_METHODS = {"GET", "HEAD"}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(token: str) -> str:
    """The CSRF token of a session: derived from the session token, so it needs no server state."""
    return hmac.new(token.encode(), b"ml-intern desk csrf", hashlib.sha256).hexdigest()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Guard:
    """ASGI middleware: token, CSRF, body size, security headers (see the module's docstring)."""

    def __init__(self, app, token: str, max_body: int, loopback_only: bool):
        self.app = app
        self.token = token
        self.csrf = csrf_token(token)
        self.max_body = max_body
        self.loopback_only = loopback_only

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        refusal = self._refuse(request)
        if refusal is not None:
            return await self._send(refusal, scope, receive, send)
        given = request.query_params.get("token")
        if given is not None:  # the first visit: set the cookie, drop the token from the address
            query = urlencode([(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode()) if k != "token"])
            target = URL(scope=scope).replace(query=query)
            response = RedirectResponse(target.path + (f"?{query}" if query else ""), status_code=303)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
            return await self._send(response, scope, receive, send)
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await self._send(PlainTextResponse(f"request body over {self.max_body} bytes", 413), scope,
                                    receive, send)
        seen = 0

        async def bounded_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:  # (the app's error handler answers 413)
                    raise HTTPException(413, f"request body over {self.max_body} bytes")
            return message

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"SAMEORIGIN"), (b"cache-control", b"no-store")]
                message = {**message, "headers": headers}
            await send(message)

        scope.setdefault("state", {})["csrf"] = self.csrf
        await self.app(scope, bounded_receive, with_headers)

    def _refuse(self, request: Request) -> Response | None:
        """403 without the token (query, cookie or bearer); 403 for a cross-origin or CSRF-less POST; 400 for a Host
        that is not the loopback address the desk listens on (DNS rebinding)."""
        host = (request.headers.get("host") or "").rsplit(":", 1)[0]
        if self.loopback_only and not is_loopback(host):
            return PlainTextResponse("the desk answers only to a loopback host name", 400)
        given = request.query_params.get("token") or request.cookies.get(COOKIE) or _bearer(request)
        if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
            return PlainTextResponse("forbidden: open the address with the token printed when `ml-intern ui` "
                                     "started", 403)
        if request.method not in SAFE_METHODS:
            if request.method != "POST":
                return PlainTextResponse("method not allowed", 405)
            origin = request.headers.get("origin")
            if origin and origin != "null" and URL(origin).netloc != request.headers.get("host"):
                return PlainTextResponse("forbidden: cross-origin request", 403)
            header = request.headers.get("x-csrf-token")
            if header is not None and not hmac.compare_digest(header.encode(), self.csrf.encode()):
                return PlainTextResponse("forbidden: bad CSRF token", 403)
        return None

    async def _send(self, response: Response, scope, receive, send):
        response.headers.setdefault("content-security-policy", CSP)
        response.headers["cache-control"] = "no-store"
        await response(scope, receive, send)


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization") or ""
    return auth[7:] if auth.lower().startswith("bearer ") else None


def check_csrf(request: Request, form) -> bool:
    """A POST's CSRF token (form field or header) is the session's."""
    given = request.headers.get("x-csrf-token") or form.get("csrf") or ""
    return isinstance(given, str) and hmac.compare_digest(given.encode(), request.scope["state"]["csrf"].encode())


__all__ = ["CSP", "COOKIE", "Guard", "REPORT_CSP", "check_csrf", "csrf_token", "is_loopback", "new_token"]
