"""The console's import arrows point down (DESIGN.md §2), read statically from the source with `ast`.

Inside console/: pages → components → state. A state never imports a component or a page (display data a
state builds, such as WhatsApp bubbles, lives in console/state, e.g. `state/whatsapp_view.py`); a component
never imports a page.

From console/ into engine/: the console calls engine *services* and reads their DTOs, nothing below them.

Allowed (ENGINE_ALLOWED): the service facades and what they hand back —
  accounts (sessions, users, tenants, api_tokens, setup_progress, errors);
  agent (labels, persona, preview, playground, types); catalog (the package facade, csv_io columns, schemas);
  conversations (inbox, lifecycle, display: a number as people read it); knowledge (service, preview,
  importing, documents, records' field rules, types); llm (service, model_chain); analytics (overview,
  periods, report, gaps, campaigns); money; security (scopes, password length);
  db (session_scope, NotFound); imports (the importers' shared file helpers); config and the WhatsApp
  media URL check the bubbles need.
  console/console.py alone wires the app (engine.http.app, engine.jobs.scheduler).

Forbidden (ENGINE_FORBIDDEN), whatever the allow-list says — the low-level modules whose rules belong to a
service: the ORM tables (engine.models: no Tenant or other row reads in the console), the LanceDB index,
embeddings and search internals, the LLM providers, offline templates, pricing, factory, fallback, ledger and
budget (engine.llm.model_chain and engine.llm.service answer for them), and raw SQL (sqlmodel, sqlalchemy).

A new engine import in the console fails here until it is added to the allow-list on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = ROOT / "console"

ENGINE_ALLOWED: frozenset[str] = frozenset(
    {
        "engine.accounts.api_tokens",
        "engine.accounts.errors",
        "engine.accounts.invitations",
        "engine.accounts.mailer",
        "engine.accounts.sessions",
        "engine.accounts.setup_progress",
        "engine.accounts.tenants",
        "engine.accounts.users",
        "engine.accounts.workspace",
        "engine.agent.evals",
        "engine.agent.flags",
        "engine.agent.labels",
        "engine.agent.persona",
        "engine.agent.playground",
        "engine.agent.preview",
        "engine.agent.types",
        "engine.analytics",
        "engine.analytics.campaigns",
        "engine.analytics.gaps",
        "engine.analytics.overview",
        "engine.analytics.periods",
        "engine.analytics.report",
        "engine.campaigns",
        "engine.campaigns.audience",
        "engine.campaigns.errors",
        "engine.campaigns.estimate",
        "engine.campaigns.export",
        "engine.campaigns.media",
        "engine.campaigns.sample_send",
        "engine.campaigns.service",
        "engine.campaigns.templates",
        "engine.campaigns.variables",
        "engine.catalog",
        "engine.catalog.csv_io",
        "engine.catalog.schemas",
        "engine.channels.whatsapp.connection",
        "engine.channels.whatsapp.errors",
        "engine.channels.whatsapp.media",
        "engine.config",
        "engine.conversations.display",
        "engine.conversations.inbox",
        "engine.conversations.rating_prompts",
        "engine.conversations.ratings",
        "engine.conversations.lifecycle",
        "engine.db",
        "engine.imports",
        "engine.integrations.catalog",
        "engine.integrations.delivery",
        "engine.integrations.endpoints",
        "engine.integrations.log",
        "engine.knowledge.documents",
        "engine.knowledge.importing",
        "engine.knowledge.preview",
        "engine.knowledge.records",
        "engine.observability.alerts",
        "engine.knowledge.service",
        "engine.knowledge.types",
        "engine.llm.model_chain",
        "engine.llm.service",
        "engine.money",
        "engine.security.passwords",
        "engine.security.scopes",
    }
)
APP_WIRING: dict[str, frozenset[str]] = {
    "console.py": frozenset({"engine.http.app", "engine.jobs.scheduler"}),
}
ENGINE_FORBIDDEN: tuple[str, ...] = (
    "engine.models",
    "engine.knowledge.index",
    "engine.knowledge.embeddings",
    "engine.knowledge.search",
    "engine.llm.offline",
    "engine.llm.pricing",
    "engine.llm.factory",
    "engine.llm.fallback",
    "engine.llm.ledger",
    "engine.llm.budget",
    "engine.llm.router",
    "engine.llm.openai_provider",
    "engine.llm.together_provider",
    "engine.llm.openai_compatible",
    "sqlmodel",
    "sqlalchemy",
)


def _modules(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, absolute; `from pkg import name` also counts as `pkg.name` (it may be a
    module: `from engine.knowledge import index`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _engine_modules(imported: set[str]) -> set[str]:
    """The engine modules among `imported` (a `pkg.name` entry naming a function or class is dropped)."""
    return {m for m in imported if _within(m, "engine") and _is_module(m)}


@pytest.mark.parametrize("path", _modules(CONSOLE / "state"), ids=lambda p: p.name)
def test_state_imports_no_component_or_page(path: Path) -> None:
    upward = sorted(
        m for m in _imports(path) if _within(m, "console.components") or _within(m, "console.pages")
    )
    assert upward == [], f"console/state/{path.name} imports {upward}: state must not import UI"


@pytest.mark.parametrize("path", _modules(CONSOLE / "components"), ids=lambda p: p.name)
def test_components_import_no_page(path: Path) -> None:
    upward = sorted(m for m in _imports(path) if _within(m, "console.pages"))
    assert upward == [], f"console/components/{path.name} imports {upward}"


@pytest.mark.parametrize("path", _modules(CONSOLE), ids=lambda p: str(p.relative_to(CONSOLE)))
def test_console_imports_engine_services_only(path: Path) -> None:
    imported = _imports(path)
    forbidden = sorted(m for m in imported for low in ENGINE_FORBIDDEN if _within(m, low))
    assert forbidden == [], f"{path.relative_to(CONSOLE)} reaches below the services: {forbidden}"
    allowed = ENGINE_ALLOWED | APP_WIRING.get(str(path.relative_to(CONSOLE)), frozenset())
    unknown = sorted(
        m for m in _engine_modules(imported) if not any(_within(m, ok) or _within(ok, m) for ok in allowed)
    )
    assert unknown == [], f"{path.relative_to(CONSOLE)} imports {unknown}: not on the console's allow-list"
