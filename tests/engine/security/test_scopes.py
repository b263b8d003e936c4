import pytest

from engine.security.scopes import API_SCOPES, Role, pages_for, parse_api_scopes, role_has, role_scopes


def test_the_four_api_scopes_exist() -> None:
    assert {
        "integrations:manage",
        "analytics:view",
        "campaigns:manage",
        "conversations:reply",
        "customers:manage",
    } == API_SCOPES


def test_roles_form_a_ladder_of_powers() -> None:
    owner, admin, manager, agent, viewer = (role_scopes(r) for r in Role)
    assert viewer < owner and agent < owner and manager < admin < owner
    assert role_has("owner", "team:manage") and not role_has("admin", "team:manage")
    assert not role_has("viewer", "conversations:reply")
    assert role_has("agent", "conversations:reply")


def test_pages_follow_the_role() -> None:
    assert "settings" in pages_for("owner") and "team" in pages_for("owner")
    assert pages_for("viewer") == ["overview", "campaigns", "analytics"]
    assert pages_for("agent") == ["overview", "conversations"]


def test_api_scopes_are_validated_and_normalised() -> None:
    assert parse_api_scopes("analytics:view, campaigns:manage,analytics:view") == [
        "analytics:view",
        "campaigns:manage",
    ]
    with pytest.raises(ValueError, match="unknown scope 'team:manage'"):
        parse_api_scopes(["team:manage"])
    with pytest.raises(ValueError, match="at least one"):
        parse_api_scopes("")
