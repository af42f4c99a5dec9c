"""Outgoing mail: SMTP when MAIL_SERVER is set, otherwise files under instance/mail/."""
from __future__ import annotations

import smtplib
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from .extensions import db
from .models import Notification


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text email, or write it to instance/mail/ when no SMTP server is configured."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="directory.local")
    msg.set_content(body)
    if cfg.get("MAIL_SERVER"):
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            smtp.send_message(msg)
        return
    folder = Path(cfg["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    (folder / f"{stamp}-{msg['Message-ID'].strip('<>').split('@')[0]}.eml").write_bytes(bytes(msg))


def sent_mail(to: str | None = None) -> list[EmailMessage]:
    """Mail written to the mail folder (newest last), for tests and local use."""
    from email import message_from_bytes, policy

    folder = Path(current_app.config["MAIL_DIR"])
    if not folder.exists():
        return []
    messages = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(folder.glob("*.eml"))]
    return [m for m in messages if to is None or m["To"] == to]


def notify(user, message: str, url: str = "", *, email_subject: str | None = None) -> None:
    """Add an in-app notice for a user (committed with the caller's transaction), and email it if asked."""
    db.session.add(Notification(user_id=user.id, message=message[:500], url=url))
    if email_subject:
        body = message + (f"\n\n{url}" if url else "")
        send_mail(user.email, email_subject, body)
