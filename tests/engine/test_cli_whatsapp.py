"""`set-twilio`, `add-sender`, `remove-sender`: the console's WhatsApp operations from a shell."""

from __future__ import annotations

import pytest
from sqlmodel import select

from engine.accounts.secrets import get_secret
from engine.channels.whatsapp.connection import senders
from engine.cli import main
from engine.db import session_scope
from engine.models import Tenant

SID, TOKEN = "AC" + "a" * 32, "b" * 32


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tenant(capsys: pytest.CaptureFixture[str]) -> int:
    assert (
        run(
            capsys, "create-tenant", "--name", "Bloom", "--slug", "bloom", "--whatsapp-from", "+447700900123"
        )[0]
        == 2
    )
    assert (
        run(
            capsys,
            "create-tenant",
            "--name",
            "Bloom",
            "--slug",
            "bloom",
            "--whatsapp-from",
            "whatsapp:+447700900123",
        )[0]
        == 0
    )
    with session_scope() as s:
        return int(s.exec(select(Tenant.id).where(Tenant.slug == "bloom")).one())


def test_set_twilio_then_rotate_the_token(capsys: pytest.CaptureFixture[str], tenant: int) -> None:
    code, out, _ = run(capsys, "set-twilio", "--tenant", "bloom", "--account-sid", SID, "--auth-token", TOKEN)
    assert code == 0 and out.strip() == f"Twilio account {SID} saved for 'bloom'"
    code, out, _ = run(
        capsys, "set-twilio", "--tenant", "bloom", "--account-sid", SID, "--auth-token", "c" * 32
    )
    assert code == 0 and "previous token still works" in out
    with session_scope() as s:
        assert get_secret(s, tenant, "twilio_auth_token") == "c" * 32
        assert get_secret(s, tenant, "twilio_auth_token_previous") == TOKEN


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["set-twilio", "--tenant", "bloom", "--account-sid", "AC1", "--auth-token", TOKEN],
            "account SID is AC",
        ),
        (
            ["set-twilio", "--tenant", "nope", "--account-sid", SID, "--auth-token", TOKEN],
            "no tenant with slug",
        ),
        (["add-sender", "--tenant", "bloom", "--number", "07700 900123"], "E.164"),
        (["add-sender", "--tenant", "bloom", "--number", "whatsapp:+447700900123"], "already connected"),
        (["remove-sender", "--tenant", "bloom", "--number", "+15550000000"], "is not one of"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, tenant: int, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_add_and_remove_senders(capsys: pytest.CaptureFixture[str], tenant: int) -> None:
    assert run(capsys, "add-sender", "--tenant", "bloom", "--number", "+44 7700 900124", "--default")[0] == 0
    with session_scope() as s:
        assert [(x.address, x.is_default) for x in senders(s, tenant)] == [
            ("whatsapp:+447700900124", True),
            ("whatsapp:+447700900123", False),
        ]
    assert run(capsys, "remove-sender", "--tenant", "bloom", "--number", "whatsapp:+447700900124")[0] == 0
    with session_scope() as s:
        assert [(x.address, x.is_default) for x in senders(s, tenant)] == [("whatsapp:+447700900123", True)]
