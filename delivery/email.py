"""Email digests: a multipart message (plain text and HTML), sent over SMTP."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from delivery.channels import DeliveryError
from delivery.render import email_subject, render_html, render_text
from parsers.digest import Digest


def build_message(digest: Digest, *, sender: str, recipients: list[str]) -> EmailMessage:
    """The email for a digest (pure). Its Message-ID comes from the digest id, so a copy sent
    twice after a crash is recognisable as the same message."""
    message = EmailMessage()
    message["Subject"] = email_subject(digest)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(digest.created_at)
    message["Message-ID"] = f"<{digest.digest_id}@tradewatch>"
    message.set_content(render_text(digest))
    message.add_alternative(render_html(digest), subtype="html")
    return message


def _context(ca_file: Path | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)


def send_email(
    message: EmailMessage,
    *,
    host: str,
    port: int,
    security: str,
    username: str | None = None,
    password: str | None = None,
    timeout_s: float = 30.0,
    ca_file: Path | None = None,
) -> None:
    """Send over SMTP with STARTTLS, implicit TLS ("ssl") or none, logging in if a user is given."""
    try:
        if security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout_s, context=_context(ca_file))
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout_s)
        with smtp:
            if security == "starttls":
                smtp.starttls(context=_context(ca_file))
            if username:
                smtp.login(username, password or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"SMTP login refused ({exc.smtp_code})", permanent=True) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"every recipient refused: {', '.join(exc.recipients)}", permanent=True) from None
    except smtplib.SMTPResponseException as exc:
        permanent = 500 <= exc.smtp_code < 600
        raise DeliveryError(f"SMTP error {exc.smtp_code}", permanent=permanent) from None
    except (TimeoutError, smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise DeliveryError(f"SMTP {host}:{port} unreachable: {type(exc).__name__}: {exc}") from None
    if refused:
        raise DeliveryError(f"some recipients refused: {', '.join(sorted(refused))}", permanent=True)
