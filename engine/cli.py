"""`python -m engine` / `parley`: operate Parley from a shell.

Bad arguments print one line and exit 2; every command runs in one transaction, so nothing is half-created.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import NoReturn

from engine.accounts.errors import AccountError

EXIT_USAGE = 2


class UsageError(Exception):
    """Refused input: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage dump
        raise UsageError(message)


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, default=str))


def cmd_migrate(_: argparse.Namespace) -> None:
    from engine.migrations import upgrade

    upgrade("head")
    print("database is at the latest migration")


def cmd_seed_demo(_: argparse.Namespace) -> None:
    from engine.db import session_scope
    from engine.demo import seed_demo
    from engine.demo.cli import format_result
    from engine.knowledge.index import rebuild

    with session_scope() as session:
        result = seed_demo(session)
    if result.added:
        rebuild(result.tenant_id)  # search works from the first question, not after a repair
    print(format_result(result))


def cmd_reindex(args: argparse.Namespace) -> None:
    from engine.accounts.tenants import require_by_slug
    from engine.db import session_scope
    from engine.knowledge.index import reindex

    tenant_id = None
    if args.tenant:
        with session_scope() as session:
            tenant_id = require_by_slug(session, args.tenant).id
    _print_json([status.to_dict() for status in reindex(tenant_id)])


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from engine.http.app import create_app

    # uvicorn's own lines go through the engine's handler (LOG_FORMAT), and its access log is left out: every
    # request is already one `http.request` / `webhook` event with its request id (engine/http/observe.py).
    uvicorn.run(create_app(), host=args.host, port=args.port, log_config=None, access_log=False)


def cmd_worker(_: argparse.Namespace) -> None:
    from engine.jobs.scheduler import run_worker
    from engine.observability import logs, tracing

    logs.configure()  # LOG_FORMAT=json|text (docs/operations.md)
    tracing.configure()
    run_worker()


def cmd_rotate_keys(_: argparse.Namespace) -> None:
    from engine.db import get_engine
    from engine.jobs.key_rotation import rotate_all

    report = rotate_all(get_engine())
    print(f"re-encrypted {report.values} values under the newest key ({len(report.columns)} columns)")


def cmd_create_tenant(args: argparse.Namespace) -> None:
    from engine.accounts.tenants import create_tenant
    from engine.db import session_scope

    with session_scope() as session:
        info = create_tenant(
            session,
            name=args.name,
            slug=args.slug,
            whatsapp_from=args.whatsapp_from,
            twilio_account_sid=args.twilio_account_sid,
            twilio_auth_token=args.twilio_auth_token,
            llm_provider=args.llm_provider,
            llm_model=args.llm_model,
        )
    _print_json(asdict(info))


def cmd_set_twilio(args: argparse.Namespace) -> None:
    from engine.accounts.tenants import require_by_slug
    from engine.channels.whatsapp.connection import save_credentials
    from engine.db import session_scope

    with session_scope() as session:
        tenant = require_by_slug(session, args.tenant)
        assert tenant.id is not None
        connection = save_credentials(
            session,
            tenant.id,
            account_sid=args.account_sid or "",
            auth_token=args.auth_token or "",
            api_key_sid=args.api_key_sid or "",
            api_key_secret=args.api_key_secret or "",
            actor_label="cli",
        )
    pending = " (the previous token still works until Twilio signs with the new one)"
    print(
        f"Twilio account {connection.account_sid} saved for '{tenant.slug}'"
        + (pending if connection.previous_token_pending else "")
    )


def cmd_add_sender(args: argparse.Namespace) -> None:
    from engine.accounts.tenants import require_by_slug
    from engine.channels.whatsapp.connection import add_sender, set_default_sender
    from engine.db import session_scope

    with session_scope() as session:
        tenant = require_by_slug(session, args.tenant)
        assert tenant.id is not None
        sender = add_sender(session, tenant.id, args.number, label=args.label or "", actor_label="cli")
        if args.default and not sender.is_default:
            set_default_sender(session, tenant.id, sender.address)
    print(f"{sender.address} added to '{tenant.slug}'" + (" as the default" if args.default else ""))


def cmd_remove_sender(args: argparse.Namespace) -> None:
    from engine.accounts.tenants import require_by_slug
    from engine.channels.whatsapp.connection import remove_sender
    from engine.db import session_scope

    with session_scope() as session:
        tenant = require_by_slug(session, args.tenant)
        assert tenant.id is not None
        remove_sender(session, tenant.id, args.number, actor_label="cli")
    print(f"{args.number} removed from '{tenant.slug}'")


def cmd_create_user(args: argparse.Namespace) -> None:
    from engine.accounts.tenants import require_by_slug
    from engine.accounts.users import add_membership, create_user
    from engine.db import session_scope

    with session_scope() as session:
        tenant = require_by_slug(session, args.tenant)
        assert tenant.id is not None
        user = create_user(session, email=args.email, password=args.password)
        assert user.id is not None
        membership = add_membership(session, tenant.id, user.id, args.role)
    _print_json({"user_id": user.id, "email": user.email, "tenant": tenant.slug, "role": membership.role})


def cmd_create_api_token(args: argparse.Namespace) -> None:
    from engine.accounts.api_tokens import create_token
    from engine.accounts.tenants import require_by_slug
    from engine.db import session_scope

    with session_scope() as session:
        tenant = require_by_slug(session, args.tenant)
        assert tenant.id is not None
        issued = create_token(session, tenant.id, name=args.name, scopes=args.scopes)
    print(issued.token)
    print(
        f"# token {issued.info.prefix}… for '{tenant.slug}', scopes {','.join(issued.info.scopes)}: "
        "store it now, it is not shown again",
        file=sys.stderr,
    )


def cmd_chat(args: argparse.Namespace) -> None:
    from engine.agent.chat_cli import run_chat

    run_chat(args.tenant, customer_name=args.name, show_trace=not args.no_trace)


def cmd_eval(args: argparse.Namespace) -> None:
    """Runs the tenant's Playground test cases; exit status 1 when one fails (gate persona changes on it)."""
    from engine.accounts.tenants import require_by_slug
    from engine.agent.evals import run_cases
    from engine.db import session_scope

    with session_scope() as session:
        tenant_id = require_by_slug(session, args.tenant).id
    runs = run_cases(tenant_id)
    for run in runs:
        print(f"{run.status.upper():5} {run.message}  ({run.changed})")
        for result in run.results:
            why = f": {result.detail}" if result.detail else ""
            print(f"      {'ok' if result.passed else 'NO'}  {result.check}{why}")
        if run.error:
            print(f"      error: {run.error}")
    failed = sum(not run.passed for run in runs)
    print(f"{len(runs) - failed} passed, {failed} failed" if runs else "no test cases saved")
    if failed:
        raise SystemExit(1)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="parley", description="Operate Parley: database, tenants, users, workers.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, handler: Callable[[argparse.Namespace], None], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(handler=handler)
        return p

    add("migrate", cmd_migrate, "apply database migrations (Alembic) up to the latest")
    add("seed-demo", cmd_seed_demo, "create the demo shoe shop tenant (idempotent)")
    serve = add("serve", cmd_serve, "serve the engine HTTP app alone (webhooks, API, health)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    add("worker", cmd_worker, "run the job scheduler (queues, schedules)")
    reindex = add("reindex", cmd_reindex, "rebuild knowledge search indexes exactly from SQL")
    reindex.add_argument("--tenant", help="tenant slug (default: every tenant)")
    add("rotate-keys", cmd_rotate_keys, "re-encrypt every secret under the newest PARLEY_SECRET_KEYS key")

    tenant = add("create-tenant", cmd_create_tenant, "create a tenant and print it as JSON")
    tenant.add_argument("--name", required=True)
    tenant.add_argument("--slug", required=True)
    tenant.add_argument("--whatsapp-from", required=True, help="whatsapp:+E164 sender")
    tenant.add_argument("--twilio-account-sid")
    tenant.add_argument("--twilio-auth-token")
    tenant.add_argument(
        "--llm-provider", help="offline, openai, together or openai_compatible (default: operator default)"
    )
    tenant.add_argument("--llm-model", help="the model the agent starts on (default: the provider's)")

    twilio = add("set-twilio", cmd_set_twilio, "connect a tenant's Twilio account (or change its auth token)")
    twilio.add_argument("--tenant", required=True, help="tenant slug")
    twilio.add_argument("--account-sid", required=True, help="AC followed by 32 hex characters")
    twilio.add_argument("--auth-token", help="the account's auth token (signs every webhook)")
    twilio.add_argument("--api-key-sid", help="optional API key SID (SK…) for API calls")
    twilio.add_argument("--api-key-secret", help="that API key's secret")

    sender = add("add-sender", cmd_add_sender, "add a WhatsApp sender number to a tenant")
    sender.add_argument("--tenant", required=True, help="tenant slug")
    sender.add_argument("--number", required=True, help="whatsapp:+E164 (or +E164)")
    sender.add_argument("--label", help="a name for the number, e.g. Main shop")
    sender.add_argument("--default", action="store_true", help="send from this number first")

    unsender = add("remove-sender", cmd_remove_sender, "remove a WhatsApp sender number from a tenant")
    unsender.add_argument("--tenant", required=True, help="tenant slug")
    unsender.add_argument("--number", required=True, help="whatsapp:+E164 (or +E164)")

    user = add("create-user", cmd_create_user, "create a staff user in a tenant")
    user.add_argument("--email", required=True)
    user.add_argument("--password", required=True)
    user.add_argument("--tenant", required=True, help="tenant slug")
    user.add_argument("--role", required=True, help="owner, admin, manager, agent or viewer")

    chat = add("chat", cmd_chat, "chat with a tenant's agent in the terminal (the Playground) with traces")
    chat.add_argument("--tenant", required=True, help="tenant slug")
    chat.add_argument("--name", default=None, help="the customer name the agent sees (default: none)")
    chat.add_argument("--no-trace", action="store_true", help="replies only")

    evals = add("eval", cmd_eval, "run a tenant's Playground test cases; exit 1 when one fails")
    evals.add_argument("--tenant", required=True, help="tenant slug")

    token = add("create-api-token", cmd_create_api_token, "create an API token (printed once)")
    token.add_argument("--tenant", required=True, help="tenant slug")
    token.add_argument("--scopes", required=True, help="comma list, e.g. analytics:view,campaigns:manage")
    token.add_argument("--name", default="cli")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        args.handler(args)
    except (UsageError, AccountError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    sys.exit(main())
