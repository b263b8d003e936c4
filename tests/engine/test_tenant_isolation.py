"""Tenant A's scope can neither read nor change tenant B's rows, for every tenant-scoped table."""

from __future__ import annotations

import pytest
from sqlalchemy import ForeignKeyConstraint
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from engine.db import NotFound, TenantMismatch, TenantScope, get_engine, session_scope
from engine.models import TENANT_MODELS
from tests.factories import BUILDERS, make_row, new_tenant


def test_every_tenant_model_has_a_factory() -> None:
    assert set(TENANT_MODELS) == set(BUILDERS)


def test_every_table_but_tenant_and_user_tables_is_tenant_scoped() -> None:
    unscoped = {t.name for t in SQLModel.metadata.sorted_tables if "tenant_id" not in t.c}
    assert unscoped == {"tenant", "user", "user_session"}


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m.__tablename__)
def test_a_scope_never_sees_or_changes_another_tenants_rows(model: type[SQLModel]) -> None:
    with session_scope() as session:
        tenant_a, tenant_b = new_tenant(session), new_tenant(session)
        row_b = make_row(session, tenant_b, model)
        row_id = row_b.id

    with session_scope() as session:
        scope_a = TenantScope(session, tenant_a)
        assert scope_a.get(model, row_id) is None
        assert all(r.tenant_id == tenant_a for r in scope_a.all(model))
        assert row_id not in {r.id for r in scope_a.all(model)}
        with pytest.raises(NotFound):
            scope_a.require(model, row_id)
        foreign = session.get(model, row_id)
        with pytest.raises(TenantMismatch):
            scope_a.delete(foreign)
        with pytest.raises(TenantMismatch):
            scope_a.add(foreign)

    with session_scope() as session:
        assert TenantScope(session, tenant_b).get(model, row_id) is not None


COMPOSITE_CHILDREN = [
    model
    for model in TENANT_MODELS
    if any(
        isinstance(c, ForeignKeyConstraint) and "tenant_id" in c.column_keys and len(c.column_keys) > 1
        for c in model.__table__.constraints  # type: ignore[attr-defined]
    )
]


@pytest.mark.parametrize("model", COMPOSITE_CHILDREN, ids=lambda m: m.__tablename__)
def test_the_database_refuses_a_row_pointing_at_another_tenants_parent(model: type[SQLModel]) -> None:
    with session_scope() as session:
        tenant_a, tenant_b = new_tenant(session), new_tenant(session)
        row_b = make_row(session, tenant_b, model)
        row_id = row_b.id

    session = Session(get_engine())
    try:
        row = session.get(model, row_id)
        row.tenant_id = tenant_a  # re-home the child only: its parent stays with tenant B
        session.add(row)
        with pytest.raises(IntegrityError):
            session.commit()
    finally:
        session.rollback()
        session.close()
