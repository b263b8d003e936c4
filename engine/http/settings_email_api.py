"""REST: /api/v1/settings/email — the workspace's SMTP server, a test email, and "no email at all".

Scope `integrations:manage`. Through engine.accounts.mailer, as the console's Email tab: the same checks in
the same words (422 per field), the password stored encrypted and shown only as `{"set", "ends_with"}`.

The test email answers 200 with `sent` and the outcome in words whether or not the mail server took it, as
the console's button does: the test ran, what it found is the answer. A workspace without SMTP settings
sends nothing ("Email is not set up…") and opens no connection — which keeps the property-based API test
(tests/engine/http/test_api_fuzz.py, a fresh tenant per operation) from ever sending mail.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from engine.accounts import mailer
from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.token_roles import token_holder
from engine.http.api_docs import errors
from engine.http.deps import db_session
from engine.http.settings_common import API_ACTOR, SecretState, manage, refused, secret_state
from engine.security import rate_limits

router = APIRouter(prefix="/settings/email", tags=["settings"])
TEST_RATE = "10/minute"  # per tenant: a test email goes to any address the caller names
TLS_NOTE = " · ".join(f"{mode}: {text}" for mode, text in mailer.TLS_MODES.items())


class EmailSettings(BaseModel):
    configured: bool = Field(description="false: this workspace sends no email (invitations say so)")
    host: str
    port: int
    tls: str = Field(description=TLS_NOTE)
    sender: str = Field(description="the From address, e.g. Green Leaf <hello@greenleaf.example>")
    username: str
    password: SecretState


class EmailUpdate(BaseModel):
    """Any subset; the others keep their stored values. A password left out or blank keeps the stored one."""

    model_config = ConfigDict(extra="forbid")

    host: str | None = Field(default=None, max_length=253, description="e.g. smtp.example.com")
    port: int | None = Field(default=None, description="1 to 65535; usually 587 (starttls) or 465 (ssl)")
    tls: str | None = Field(default=None, max_length=16, description=TLS_NOTE)
    sender: str | None = Field(default=None, max_length=320)
    username: str | None = Field(default=None, max_length=320, description="'' when the server needs none")
    password: str | None = Field(default=None, max_length=512, description="write-only")


class EmailTestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="who receives it")


class EmailTestResult(BaseModel):
    sent: bool
    message: str = Field(description="what happened, in words (e.g. the server refused the password)")


def _body(settings: mailer.MailSettings) -> EmailSettings:
    return EmailSettings(
        configured=settings.configured,
        host=settings.host,
        port=settings.port,
        tls=settings.tls,
        sender=settings.sender,
        username=settings.username,
        password=secret_state(settings.password_masked),
    )


@router.get("")
def get_email(
    principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> EmailSettings:
    """The SMTP server the workspace sends from (the password masked); `configured: false` when none."""
    return _body(mailer.mail_settings(session, principal.tenant_id))


@router.put("", responses=errors(422))
def put_email(
    body: EmailUpdate, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> EmailSettings:
    """Change the fields given (the others stay); 422 names every refused field and nothing is saved.
    Audited, without the user name or password."""
    current = mailer.mail_settings(session, principal.tenant_id)
    given = body.model_dump(exclude_unset=True, exclude_none=True)
    form = mailer.MailForm(
        host=given.get("host", current.host),
        port=given.get("port", current.port),
        tls=given.get("tls", current.tls),
        sender=given.get("sender", current.sender),
        username=given.get("username", current.username),
        password=given.get("password", ""),
    )
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    try:
        saved = mailer.save_mail_settings(
            session, principal.tenant_id, form, actor_user_id=holder.user_id, actor_label=API_ACTOR
        )
    except mailer.MailSettingsRefused as exc:
        raise refused(422, [(p.field, p.message) for p in exc.problems]) from exc
    return _body(saved)


@router.delete("")
def delete_email(
    principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> EmailSettings:
    """No email for this workspace: the settings and the password are forgotten (audited)."""
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    mailer.clear_mail_settings(
        session, principal.tenant_id, actor_user_id=holder.user_id, actor_label=API_ACTOR
    )
    return _body(mailer.mail_settings(session, principal.tenant_id))


@router.post("/test", responses=errors(422))
def send_test_email(
    body: EmailTestRequest, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> EmailTestResult:
    """Send a short test email through the stored server and say how it went. At most 10 a minute per
    workspace (429 past that)."""
    limited = rate_limits.hit(f"settings-test:email:{principal.tenant_id}", TEST_RATE)
    if limited is not None:
        raise HTTPException(
            429, detail=f"at most {TEST_RATE} test emails", headers={"Retry-After": limited.header}
        )
    result = mailer.send_test_email(session, principal.tenant_id, to=body.to)
    return EmailTestResult(sent=result.sent, message=result.message)


__all__ = ["router"]
