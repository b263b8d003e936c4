"""`python -m engine`: clear one-line errors with exit 2, and nothing half-created."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlmodel import select

from engine.accounts import api_tokens
from engine.cli import main
from engine.config import PROJECT_ROOT
from engine.db import session_scope
from engine.models import Tenant, User


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_create_tenant_prints_it_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "create-tenant",
        "--name",
        "Bloom Salon",
        "--slug",
        "bloom",
        "--whatsapp-from",
        "whatsapp:+447700900123",
    )
    assert code == 0
    tenant = json.loads(out)
    assert tenant["slug"] == "bloom" and tenant["whatsapp_senders"] == ["whatsapp:+447700900123"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            [
                "create-tenant",
                "--name",
                "X",
                "--slug",
                "Bad Slug!",
                "--whatsapp-from",
                "whatsapp:+447700900123",
            ],
            "slug must be",
        ),
        (
            ["create-tenant", "--name", "X", "--slug", "x", "--whatsapp-from", "+447700900123"],
            "must look like whatsapp:+",
        ),
        (["create-tenant", "--name", "X", "--slug", "x"], "required: --whatsapp-from"),
        (
            [
                "create-tenant",
                "--name",
                "X",
                "--slug",
                "x",
                "--whatsapp-from",
                "whatsapp:+447700900123",
                "--twilio-account-sid",
                "AC123",
            ],
            "account SID must be",
        ),
        (
            [
                "create-user",
                "--email",
                "a@b.example",
                "--password",
                "correct horse battery",
                "--tenant",
                "nope",
                "--role",
                "owner",
            ],
            "no tenant with slug",
        ),
        (["create-api-token", "--tenant", "nope", "--scopes", "analytics:view"], "no tenant"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err


def test_a_failing_command_leaves_nothing_behind(capsys: pytest.CaptureFixture[str]) -> None:
    run(
        capsys,
        "create-tenant",
        "--name",
        "Bloom",
        "--slug",
        "bloom",
        "--whatsapp-from",
        "whatsapp:+447700900123",
    )
    code, _, err = run(
        capsys,
        "create-user",
        "--email",
        "a@b.example",
        "--password",
        "correct horse battery",
        "--tenant",
        "bloom",
        "--role",
        "emperor",
    )
    assert code == 2 and "unknown role" in err
    code, _, err = run(
        capsys,
        "create-tenant",
        "--name",
        "Other",
        "--slug",
        "other",
        "--whatsapp-from",
        "whatsapp:+447700900123",
    )
    assert code == 2 and "already connected" in err
    with session_scope() as session:
        assert session.exec(select(User)).all() == []
        assert [t.slug for t in session.exec(select(Tenant)).all()] == ["bloom"]


def test_create_user_and_api_token(capsys: pytest.CaptureFixture[str]) -> None:
    run(
        capsys,
        "create-tenant",
        "--name",
        "Bloom",
        "--slug",
        "bloom",
        "--whatsapp-from",
        "whatsapp:+447700900123",
    )
    code, out, _ = run(
        capsys,
        "create-user",
        "--email",
        "Owner@Bloom.example",
        "--password",
        "correct horse battery",
        "--tenant",
        "bloom",
        "--role",
        "owner",
    )
    assert code == 0 and json.loads(out)["email"] == "owner@bloom.example"
    code, out, err = run(
        capsys, "create-api-token", "--tenant", "bloom", "--scopes", "analytics:view,campaigns:manage"
    )
    token = out.strip()
    assert code == 0 and token.startswith("prl_") and "not shown again" in err
    with session_scope() as session:
        assert api_tokens.authenticate(session, token).scopes == {"analytics:view", "campaigns:manage"}


def test_the_module_entry_point_runs(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "engine", "--help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for command in (
        "migrate",
        "seed-demo",
        "serve",
        "worker",
        "rotate-keys",
        "create-tenant",
        "create-user",
        "create-api-token",
    ):
        assert command in result.stdout
