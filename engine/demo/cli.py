"""`python -m engine.demo` (and the `seed-demo` command): seed the demo tenant and print its logins once."""

from __future__ import annotations

import argparse
import sys

from engine.accounts.errors import AccountError
from engine.db import session_scope
from engine.demo.seed import DemoSeedResult, seed_demo


def format_result(result: DemoSeedResult) -> str:
    """What the command prints: the logins (passwords only when just created) and what the tenant holds."""
    lines = [
        f"Demo tenant {result.slug!r} (id {result.tenant_id}) "
        + ("created." if result.created else "already existed."),
    ]
    if result.added:
        lines.append("Added: " + ", ".join(f"{n} {kind}" for kind, n in result.added.items()))
    else:
        lines.append("Nothing to add: the demo data is complete.")
    lines.append("Holds: " + ", ".join(f"{n} {kind}" for kind, n in result.counts.items()))
    lines.append(f"WhatsApp sender: {result.whatsapp_sender or 'none (the sandbox number is taken)'}")
    for role, email, password in (
        ("owner", result.owner_email, result.owner_password),
        ("agent", result.agent_email, result.agent_password),
    ):
        if password:
            lines.append(f"Login ({role}): {email}  password: {password}")
        else:
            lines.append(f"Login ({role}): {email}  (existing account: password unchanged)")
    if result.owner_password or result.agent_password:
        lines.append("These passwords are shown only this once: store them now.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m engine.demo",
        description="Create the 'Stride & Co.' demo tenant (idempotent: a re-run adds only missing rows).",
    )
    parser.add_argument("--database-url", help="defaults to DATABASE_URL from the settings")
    args = parser.parse_args(argv)
    try:
        with session_scope(args.database_url) as session:
            result = seed_demo(session)
    except AccountError as exc:
        print(f"seed-demo: {exc}", file=sys.stderr)
        return 1
    print(format_result(result))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
