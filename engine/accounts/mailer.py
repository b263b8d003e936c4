"""Email: each workspace's SMTP server (Settings → Email) and the one place Parley sends mail from.

Invitations use it now; alerts and password resets will. A workspace without SMTP settings sends nothing, and
callers say so ("no email was sent") rather than failing. The host, port, TLS mode, sender and user name are
plain settings on the tenant (`tenant.email_settings`); the password is a secret (engine.accounts.secrets,
encrypted, shown as its last four characters only).

Why smtplib and not a queue: one message to one person, sent while the owner waits for the dialog to answer,
with a short timeout; the result is shown in words.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, parseaddr

from sqlmodel import Session

from engine.accounts import audit
from engine.accounts.secrets import delete_secret, get_secret, masked_secrets, set_secret
from engine.models import Tenant

TLS_MODES: dict[str, str] = {
    "starttls": "STARTTLS (usually port 587)",
    "ssl": "SSL/TLS from the start (usually port 465)",
    "none": "No encryption (only for a server on your own network)",
}
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
SEND_TIMEOUT = 10.0  # seconds for the whole conversation with the SMTP server
PASSWORD_KIND = "smtp_password"
_HOST_RE = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})*$"
)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class MailSettings:
    """What Settings → Email shows; `configured` False means the workspace sends no mail."""

    host: str = ""
    port: int = 587
    tls: str = "starttls"
    sender: str = ""
    username: str = ""
    password_masked: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


@dataclass
class MailForm:
    host: str = ""
    port: int | str = 587
    tls: str = "starttls"
    sender: str = ""
    username: str = ""
    password: str = ""  # blank: keep the stored one


@dataclass(frozen=True, slots=True)
class MailProblem:
    field: str  # host · port · tls · sender · username · password
    message: str


class MailSettingsRefused(ValueError):
    def __init__(self, problems: list[MailProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


@dataclass(frozen=True, slots=True)
class SendResult:
    sent: bool
    message: str  # what to tell the person who pressed the button


# ------------------------------------------------------------------------------------------- settings


def mail_settings(session: Session, tenant_id: int) -> MailSettings:
    tenant = session.get(Tenant, tenant_id)
    stored = dict((tenant.email_settings if tenant else None) or {})
    if not stored.get("host"):
        return MailSettings()
    return MailSettings(
        host=str(stored.get("host", "")),
        port=int(stored.get("port") or 587),
        tls=str(stored.get("tls") or "starttls"),
        sender=str(stored.get("sender", "")),
        username=str(stored.get("username", "")),
        password_masked=masked_secrets(session, tenant_id).get(PASSWORD_KIND, ""),
    )


def validate_mail_form(form: MailForm) -> tuple[dict[str, object], list[MailProblem]]:
    problems: list[MailProblem] = []
    host = form.host.strip().lower()
    if not _HOST_RE.match(host):
        problems.append(MailProblem("host", "enter your mail server's name, e.g. smtp.example.com"))
    try:
        port = int(str(form.port).strip())
        if not 1 <= port <= 65535:
            raise ValueError
    except ValueError:
        port = 0
        problems.append(MailProblem("port", "a port is a number from 1 to 65535"))
    tls = form.tls.strip().lower()
    if tls not in TLS_MODES:
        problems.append(MailProblem("tls", "choose how to secure the connection"))
    name, address = parseaddr(form.sender.strip())
    sender_ok = bool(_EMAIL_RE.match(address)) and address.isascii()  # formataddr refuses non-ASCII
    if not sender_ok:
        problems.append(MailProblem("sender", "enter the address mail comes from, e.g. hello@yourshop.com"))
    username = form.username.strip()
    if len(username) > 254:
        problems.append(MailProblem("username", "at most 254 characters"))
    if form.password and not username:
        problems.append(MailProblem("username", "a password needs a user name"))
    sender = formataddr((name, address)) if name and sender_ok else address
    return {"host": host, "port": port, "tls": tls, "sender": sender, "username": username}, problems


def save_mail_settings(
    session: Session,
    tenant_id: int,
    form: MailForm,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "console",
) -> MailSettings:
    """Validate and store; the password only when one is given (blank keeps the stored one)."""
    values, problems = validate_mail_form(form)
    if problems:
        raise MailSettingsRefused(problems)
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise LookupError(f"tenant {tenant_id} not found")
    tenant.email_settings = dict(values)
    session.add(tenant)
    if form.password.strip():
        set_secret(session, tenant_id, PASSWORD_KIND, form.password.strip())
    elif not values["username"]:
        delete_secret(session, tenant_id, PASSWORD_KIND)
    session.flush()
    details = {k: v for k, v in values.items() if k != "username"}
    audit.record(
        session,
        tenant_id,
        "email.settings.saved",
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        target_type="tenant",
        target_id=tenant_id,
        details=details,
    )
    return mail_settings(session, tenant_id)


def clear_mail_settings(
    session: Session, tenant_id: int, *, actor_user_id: int | None = None, actor_label: str = "console"
) -> None:
    """No email for this workspace: settings and password forgotten."""
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise LookupError(f"tenant {tenant_id} not found")
    tenant.email_settings = {}
    session.add(tenant)
    delete_secret(session, tenant_id, PASSWORD_KIND)
    session.flush()
    audit.record(
        session,
        tenant_id,
        "email.settings.cleared",
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        target_type="tenant",
        target_id=tenant_id,
    )


# ---------------------------------------------------------------------------------------------- sending


@dataclass(frozen=True, slots=True)
class _Server:
    host: str
    port: int
    tls: str
    sender: str
    username: str
    password: str


def _server(session: Session, tenant_id: int) -> _Server | None:
    settings = mail_settings(session, tenant_id)
    if not settings.configured:
        return None
    password = get_secret(session, tenant_id, PASSWORD_KIND) or ""
    return _Server(settings.host, settings.port, settings.tls, settings.sender, settings.username, password)


def send_mail(session: Session, tenant_id: int, *, to: str, subject: str, text: str) -> SendResult:
    """Send one plain-text message through the workspace's SMTP server; the result in words."""
    server = _server(session, tenant_id)
    if server is None:
        return SendResult(False, "Email is not set up for this workspace, so no email was sent.")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = server.sender, to, subject
    message.set_content(text)
    try:
        _deliver(server, message)
    except smtplib.SMTPAuthenticationError:
        return SendResult(False, "The mail server refused the user name or password.")
    except smtplib.SMTPRecipientsRefused:
        return SendResult(False, f"The mail server would not send to {to}.")
    except smtplib.SMTPException as exc:
        return SendResult(False, f"The mail server refused the message: {str(exc)[:160]}")
    except (OSError, ssl.SSLError) as exc:
        return SendResult(False, f"Could not reach {server.host}:{server.port} ({str(exc)[:120]}).")
    return SendResult(True, f"Email sent to {to}.")


def _deliver(server: _Server, message: EmailMessage) -> None:
    if server.tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            server.host, server.port, timeout=SEND_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=SEND_TIMEOUT)
    with smtp:
        if server.tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if server.username:
            smtp.login(server.username, server.password)
        smtp.send_message(message)


def send_test_email(session: Session, tenant_id: int, *, to: str) -> SendResult:
    tenant = session.get(Tenant, tenant_id)
    name = tenant.name if tenant else "your workspace"
    return send_mail(
        session,
        tenant_id,
        to=to,
        subject=f"Test email from Parley for {name}",
        text=f"This is a test email from Parley.\n\nIf you can read it, {name} can send email: "
        "invitations to your team will arrive like this one.\n",
    )


def send_invitation(
    session: Session,
    tenant_id: int,
    *,
    to: str,
    role_label: str,
    sign_in_url: str,
    temporary_password: str | None,
) -> SendResult:
    tenant = session.get(Tenant, tenant_id)
    name = tenant.name if tenant else "a workspace"
    lines = [
        f"You have been added to {name} on Parley as {role_label}.",
        "",
        f"Sign in at {sign_in_url} with this email address ({to}).",
    ]
    if temporary_password:
        lines += ["", f"Your temporary password is: {temporary_password}"]
        lines.append("You will choose your own password when you first sign in.")
    return send_mail(
        session, tenant_id, to=to, subject=f"You're invited to {name} on Parley", text="\n".join(lines)
    )


__all__ = [
    "DEFAULT_PORTS",
    "TLS_MODES",
    "MailForm",
    "MailProblem",
    "MailSettings",
    "MailSettingsRefused",
    "SendResult",
    "clear_mail_settings",
    "mail_settings",
    "save_mail_settings",
    "send_invitation",
    "send_mail",
    "send_test_email",
    "validate_mail_form",
]
