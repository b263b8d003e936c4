"""What `python -m engine seed-demo` prints: the demo logins (passwords only when just created)."""

from __future__ import annotations

from engine.demo.seed import DemoSeedResult


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
