"""/api/v1/campaigns: create with limits (422 naming the field), read, list, states (409), results, paging."""

from __future__ import annotations

from tests.engine.http.api_env import ApiEnv


def _create(api: ApiEnv, **changes: object) -> dict:
    body = {"name": "Spring sale", "body": "Hi {{first_name}}!", "buttons": [{"title": "See sizes"}]}
    body.update(changes)
    return api.call("POST", "/campaigns", json=body).json()


def test_a_fourth_button_is_422_naming_the_field_and_limit(api: ApiEnv) -> None:
    got = api.call(
        "POST",
        "/campaigns",
        json={"name": "x", "body": "hi", "buttons": [{"title": f"b{i}"} for i in range(4)]},
    )
    assert got.status_code == 422
    assert got.json()["error"]["message"] == "buttons[3]: a WhatsApp message can have at most 3 buttons"
    long_title = api.call(
        "POST", "/campaigns", json={"name": "x", "body": "hi", "buttons": [{"title": "t" * 21}]}
    )
    assert (
        "buttons[0].title" in long_title.json()["error"]["message"]
        and "20" in long_title.json()["error"]["message"]
    )


def test_create_read_list_and_refuse_to_send_before_approval(api: ApiEnv) -> None:
    created = _create(api)
    assert created["status"] == "draft" and created["template_status"] == "none"
    got = api.call("GET", f"/campaigns/{created['id']}").json()
    assert got["counts"]["total"] == 0 and got["buttons"][0]["id"] == "c_1_see_sizes"
    listed = api.call("GET", "/campaigns").json()
    assert [c["id"] for c in listed["items"]] == [created["id"]]
    refused = api.call("POST", f"/campaigns/{created['id']}/send", json={"send_at": None})
    assert refused.status_code == 409 and "approved" in refused.json()["error"]["message"]
    assert api.call("POST", f"/campaigns/{created['id']}/pause").status_code == 409
    assert api.call("POST", f"/campaigns/{created['id']}/cancel").json()["status"] == "cancelled"
    results = api.call("GET", f"/campaigns/{created['id']}/results").json()
    assert results["sent"] == 0 and results["per_button"] == []
    page = api.call("GET", f"/campaigns/{created['id']}/recipients").json()
    assert page == {"items": [], "next_cursor": None}


def test_scope_and_tenant(api: ApiEnv) -> None:
    created = _create(api)
    assert api.call("GET", f"/campaigns/{created['id']}", token="all_b").status_code == 404
    assert api.call("GET", "/campaigns", token="analytics:view").status_code == 403
    counted = api.call("POST", "/campaigns/audience/count", json={"audience": {}}).json()
    assert set(counted) == {"count", "matched", "exclusions"}
