"""Real servers on loopback for tests: SMTP (aiosmtpd) and a Slack incoming-webhook receiver."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class SmtpRecorder:
    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted"


def self_signed(tmp: Path) -> tuple[Path, Path]:
    """A certificate for localhost / 127.0.0.1, made fresh for the test."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _authenticator(user: str, password: str):  # type: ignore[no-untyped-def]
    def check(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)  # unhandled: aiosmtpd answers 535 itself

    return check


@contextmanager
def smtp_server(
    *, tls: str = "none", cert: tuple[Path, Path] | None = None, user: str | None = None, password: str | None = None
) -> Iterator[tuple[SmtpRecorder, int]]:
    """An SMTP server on 127.0.0.1: tls is "none", "starttls" or "ssl"; with a user, AUTH is required."""
    recorder = SmtpRecorder()
    port = free_port()
    kwargs: dict[str, Any] = {}
    if tls != "none":
        assert cert is not None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        kwargs["ssl_context" if tls == "ssl" else "tls_context"] = context
        if tls == "starttls":
            kwargs["require_starttls"] = True
    if user:
        # Implicit TLS is invisible to aiosmtpd's own check, which knows only STARTTLS. PLAIN only:
        # smtplib falls back to LOGIN after a refusal, which aiosmtpd then leaves hanging.
        kwargs.update(
            authenticator=_authenticator(user, password or ""),
            auth_required=True,
            auth_require_tls=tls == "starttls",
            auth_exclude_mechanism=["LOGIN"],
        )
    controller = Controller(recorder, hostname="127.0.0.1", port=port, server_hostname="localhost", **kwargs)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


@dataclass
class WebhookReceiver:
    """Records every POST; answers with the scripted statuses first, then 200 "ok"."""

    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def webhook_server(secret_path: str = "/services/T000/B000/s3cr3tT0ken") -> Iterator[WebhookReceiver]:
    receiver: WebhookReceiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with receiver.lock:
                status, headers = receiver.script.pop(0) if receiver.script else (200, {})
                if self.path == secret_path and status == 200:
                    receiver.posts.append(json.loads(body))
            text = b"ok" if status == 200 else b"rate_limited" if status == 429 else b"internal_error"
            if self.path != secret_path:
                status, text = 404, b"no_service"
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = WebhookReceiver(url=f"http://127.0.0.1:{server.server_address[1]}{secret_path}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


# --- a web server for feeds and pages ------------------------------------------------------------

WEB_FIXTURES = Path(__file__).parent / "fixtures" / "web"
LAST_MODIFIED = "Fri, 13 Mar 2026 11:00:00 GMT"


@dataclass
class Route:
    """What one path answers. Static bodies get an ETag and Last-Modified and answer 304 to them."""

    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True
    delay_s: float = 0.0
    stream_bytes: int = 0  # answer with this many bytes, streamed without a length
    redirect_to: str | None = None
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # answered first, in order


@dataclass
class WebServer:
    base: str
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fixture(self, name: str) -> bytes:
        return (WEB_FIXTURES / name).read_text(encoding="utf-8").replace("{base}", self.base).encode("utf-8")

    def serve(self, path: str, fixture: str, content_type: str = "application/rss+xml; charset=utf-8") -> None:
        self.routes[path] = Route(self.fixture(fixture), content_type)

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@contextmanager
def web_server() -> Iterator[WebServer]:
    import hashlib
    import time as _time

    server_ref: WebServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?")[0].split("#")[0]
            with server_ref.lock:
                server_ref.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
                route = server_ref.routes.get(path)
                scripted = route.script.pop(0) if route and route.script else None
            if route is None:
                return self._answer(404, b"not found", "text/plain")
            if scripted is not None:
                return self._answer(scripted[0], b"scripted", "text/plain", scripted[1])
            if route.delay_s:
                _time.sleep(route.delay_s)
            if route.redirect_to:
                return self._answer(
                    route.status if route.status in (301, 302, 307, 308) else 301,
                    b"",
                    "text/plain",
                    {"Location": route.redirect_to},
                )
            if route.stream_bytes:
                return self._stream(route)
            headers = dict(route.headers)
            if route.validators and route.status == 200:
                etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
                headers.update({"ETag": etag, "Last-Modified": LAST_MODIFIED})
                if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                    return self._answer(304, b"", route.content_type, headers)
            return self._answer(route.status, route.body, route.content_type, headers)

        def _answer(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(0 if status == 304 else len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def _stream(self, route: Route) -> None:
            self.send_response(200)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<item>" + b"x" * 65_530 + b"</item>"
            sent = 0
            try:
                while sent < route.stream_bytes:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading at its cap, as it should
            self.close_connection = True

        def log_message(self, *args: Any) -> None:
            pass

    class QuietServer(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            import sys

            if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                super().handle_error(request, client_address)  # a client that gave up on purpose is no error

    server = QuietServer(("127.0.0.1", 0), Handler)
    server_ref = WebServer(base=f"http://127.0.0.1:{server.server_address[1]}", routes={})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_ref
    finally:
        server.shutdown()
        server.server_close()
