"""Console state tests: real states, real engine services, the test database from tests/conftest.py.

States are instantiated the way Reflex does for one browser tab (a root `State` with every substate), with
the router data a websocket handshake would carry: the `Cookie` header holding the session token, the page
path and its query string. No browser, no server: handlers are called directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from reflex.istate.data import RouterData
from reflex.state import BaseState, State

import console.console  # noqa: F401 - registers every page and state, as the app does
from engine.accounts import sessions, tenants, users
from engine.accounts.sessions import SESSION_COOKIE
from engine.db import session_scope

S = TypeVar("S", bound=BaseState)

PASSWORD = "correct horse battery staple"


@dataclass
class Person:
    """A seeded user and their signed-in cookie token."""

    user_id: int
    email: str
    token: str


@dataclass
class Workspace:
    """One tenant with one member per role (owner, admin, manager, agent, viewer)."""

    tenant_id: int
    name: str
    people: dict[str, Person]


def add_person(tenant_id: int, email: str, role: str, full_name: str = "") -> int:
    with session_scope() as db:
        user = users.get_user_by_email(db, email)
        if user is None:
            user = users.create_user(db, email=email, password=PASSWORD, full_name=full_name or None)
        assert user.id is not None
        users.add_membership(db, tenant_id, user.id, role)
        return user.id


def sign_in(email: str) -> str:
    with session_scope() as db:
        return sessions.login(db, email, PASSWORD)


def make_tenant(name: str, slug: str) -> int:
    with session_scope() as db:
        return tenants.create_tenant(db, name=name, slug=slug).id


@pytest.fixture
def workspace() -> Workspace:
    tenant_id = make_tenant("Green Leaf Bakery", "green-leaf")
    people: dict[str, Person] = {}
    for role in ("owner", "admin", "manager", "agent", "viewer"):
        email = f"{role}@greenleaf.test"
        user_id = add_person(tenant_id, email, role, full_name=f"{role.title()} Person")
        people[role] = Person(user_id=user_id, email=email, token=sign_in(email))
    return Workspace(tenant_id=tenant_id, name="Green Leaf Bakery", people=people)


def router_for(token: str | None, path: str = "/") -> RouterData:
    headers: dict[str, str] = {"origin": "http://localhost:3000"}
    if token is not None:
        headers["cookie"] = f"theme=light; {SESSION_COOKIE}={token}"
    return RouterData.from_router_data({"headers": headers, "asPath": path, "pathname": path.split("?")[0]})


@pytest.fixture
def open_tab() -> Iterator[Callable[..., Any]]:
    """`open_tab(StateClass, token, path)`: that state inside a fresh browser-tab state tree."""

    def _open(state_cls: type[S], token: str | None, path: str = "/") -> S:
        root = State()
        root.router = router_for(token, path)
        return root.get_substate(state_cls.get_full_name().split(".")[1:])

    yield _open


def redirect_path(event: Any) -> str | None:
    """The target of an `rx.redirect(...)` event, or None when `event` is something else."""
    if event is None or getattr(getattr(event, "handler", None), "fn", None) is None:
        return None
    if event.handler.fn.__qualname__ != "_redirect":
        return None
    return dict((str(k), v._var_value) for k, v in event.args)["path"]


def toast_text(event: Any) -> str:
    """The JavaScript of an `rx.toast.*` event (kind and message are in it), '' for anything else."""
    if event is None or getattr(getattr(event, "handler", None), "fn", None) is None:
        return ""
    return " ".join(str(v) for _, v in event.args) if "__toast" in str(event.args) else ""
