"""GET/PUT /api/v1/agent-configuration: the Persona page's validation, through a token."""

from __future__ import annotations

from tests.engine.http.api_env import ApiEnv

PATH = "/agent-configuration"


def test_read_and_change_the_persona(api: ApiEnv) -> None:
    got = api.call("GET", PATH)
    assert got.status_code == 200 and "agent_name" in got.json()
    put = api.call("PUT", PATH, json={"agent_name": "Mia", "tone": "formal", "temperature": 0.5})
    assert put.status_code == 200, put.text
    assert (put.json()["agent_name"], put.json()["tone"], put.json()["temperature"]) == ("Mia", "formal", 0.5)
    assert api.call("GET", PATH).json()["agent_name"] == "Mia"


def test_a_refused_value_is_422_naming_the_field_and_nothing_is_saved(api: ApiEnv) -> None:
    response = api.call("PUT", PATH, json={"agent_name": "Mia", "tone": "grumpy", "temperature": 7})
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"tone", "temperature"}
    assert api.call("GET", PATH).json()["agent_name"] != "Mia"


def test_bad_bodies_are_422(api: ApiEnv) -> None:
    assert api.call("PUT", PATH, json={"no_such_field": 1}).status_code == 422
    assert api.call("PUT", PATH, json={"agent_name": 12}).status_code == 422
    assert (
        api.call("PUT", PATH, content=b"{not json", headers={"content-type": "application/json"}).status_code
        == 422
    )


def test_scope_is_needed(api: ApiEnv) -> None:
    for method in ("GET", "PUT"):
        response = api.call(method, PATH, token="conversations:reply", json={})
        assert response.status_code == 403


def test_each_tenant_sees_its_own(api: ApiEnv) -> None:
    api.call("PUT", PATH, json={"agent_name": "Only A"})
    assert api.call("GET", PATH, token="all_b").json()["agent_name"] != "Only A"
