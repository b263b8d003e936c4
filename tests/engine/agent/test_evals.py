"""Playground test cases (engine/agent/evals.py): each check type, a case that fails on a wrong reply and
passes on a right one (through the real preview and a scripted model), the last-run comparison, tenants kept
apart, and `python -m engine eval` exiting non-zero on a failure."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from engine.agent import evals
from engine.agent.evals import Check, EvalError, Outcome, create_case, evaluate, run_cases, validate_check
from engine.cli import main
from engine.db import session_scope
from engine.models import Tenant
from tests.engine.agent.conftest import Shop, turn
from tests.fakes.openai_server import FakeOpenAIServer, ok

CATALOG = {"cloudstep 90 running shoe": ["Cloudstep 90 Running Shoe", "cloudstep", "cs90"]}


def _names(name: str) -> list[str] | None:
    return CATALOG.get(name.lower()) or next((v for v in CATALOG.values() if name.lower() in v), None)


def _check(kind: str, value: str, outcome: Outcome) -> tuple[bool, str]:
    (result,) = evaluate([validate_check(kind, value)], outcome, _names)
    return result.passed, result.detail


def test_must_mention_and_must_not_mention_read_words_not_letters() -> None:
    reply = Outcome("You can return shoes within 30 days for a full refund.")
    assert _check("mention", "30 DAYS", reply) == (True, "")
    assert _check("mention", "full  refund", reply)[0]
    assert _check("mention", "60 days", reply) == (False, "the reply does not say “60 days”")
    assert not _check("mention", "fund", reply)[0]  # "refund" is not "fund"
    assert _check("not_mention", "store credit", reply) == (True, "")
    assert _check("not_mention", "refund", reply) == (False, "the reply says “refund”")
    assert _check("mention", "Envío", Outcome("El envio tarda 3 dias"))[0]  # accents aside


def test_must_name_a_product_by_name_or_alias_in_text_or_rich_rows() -> None:
    assert _check("product", "Cloudstep 90 Running Shoe", Outcome("The CS90 is £95."))[0]
    assert _check("product", "cloudstep", Outcome("Pick one:", shown=["Cloudstep 90 Running Shoe"]))[0]
    assert _check("product", "Cloudstep 90 Running Shoe", Outcome("We have boots.")) == (
        False,
        "the reply does not name Cloudstep 90 Running Shoe",
    )
    assert _check("product", "Moon Boot", Outcome("Moon Boot!")) == (
        False,
        "“Moon Boot” is not in the catalogue",
    )


def test_handoff_both_ways() -> None:
    handed = Outcome("A colleague will reply.", handoff_reason="asked for a person")
    kept = Outcome("Here you go.")
    assert _check("handoff", "yes", handed)[0] and _check("handoff", "no", kept)[0]
    assert _check("handoff", "yes", kept) == (False, "the agent kept the chat")
    assert _check("handoff", "no", handed) == (False, "handed off: asked for a person")


def test_language_and_max_length() -> None:
    spanish = Outcome("Hola, el envío estándar tarda de 3 a 5 días laborables y cuesta 3,95 libras.")
    assert _check("language", "es", spanish)[0]
    assert _check("language", "en", spanish) == (False, "answered in Spanish")
    assert _check("max_length", "200", spanish)[0]
    assert _check("max_length", "20", spanish) == (False, f"{len(spanish.reply)} characters")


def test_bad_checks_are_refused_in_words() -> None:
    for kind, value, words in [
        ("mention", " ", "write the words"),
        ("handoff", "maybe", "yes or no"),
        ("language", "spanish", "two-letter code"),
        ("max_length", "0", "between 1 and 4096"),
        ("guess", "x", "Unknown check"),
    ]:
        with pytest.raises(EvalError, match=words):
            validate_check(kind, value)
    assert Check("handoff", "no").label == "Does not hand off"
    assert Check("language", "es").label == "Answers in Spanish"
    assert Check("mention", "30 days").label == "Must mention “30 days”"


def _preview(reply: str, handoff: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(
        reply=reply, message={"kind": "text", "body": reply}, handoff_reason=handoff, trace=[]
    )


def test_a_saved_case_fails_on_a_wrong_reply_then_passes_on_a_right_one(shop: Shop) -> None:
    with session_scope() as s:
        case = create_case(
            s,
            shop.tenant_id,
            "How long do I have to return shoes?",
            [Check("mention", "30 days"), Check("not_mention", "no returns"), Check("handoff", "no")],
        )
    (wrong,) = run_cases(shop.tenant_id, lambda _: _preview("Sorry, sale items have no returns."))
    assert wrong.status == "fail" and wrong.changed == "First run"
    assert [(r.check, r.passed) for r in wrong.results] == [
        ("Must mention “30 days”", False),
        ("Must not mention “no returns”", False),
        ("Does not hand off", True),
    ]
    (right,) = run_cases(shop.tenant_id, lambda _: _preview("You have 30 days to return unworn shoes."))
    assert right.passed and right.changed == "Now passing"
    (again,) = run_cases(shop.tenant_id, lambda _: _preview("You have 30 days to return unworn shoes."))
    assert again.changed == "Same reply"
    with session_scope() as s:
        (saved,) = evals.list_cases(s, shop.tenant_id)
    assert saved.id == case.id and saved.last_run["status"] == "pass" and saved.last_run_at is not None


def test_through_the_real_preview_and_a_scripted_model(shop: Shop, scripted_llm: FakeOpenAIServer) -> None:
    with session_scope() as s:
        create_case(s, shop.tenant_id, "Do you have running shoes?", [Check("product", "cloudstep")])
    scripted_llm.script(ok(turn("We have lovely boots in stock.")))
    (wrong,) = run_cases(shop.tenant_id)
    assert wrong.status == "fail", wrong
    scripted_llm.script(ok(turn("Yes: the Cloudstep 90 Running Shoe, £95, in stock.")))
    (right,) = run_cases(shop.tenant_id)
    assert right.status == "pass" and right.changed == "Now passing", right


def test_an_answer_that_breaks_is_an_error_and_the_others_still_run(shop: Shop) -> None:
    with session_scope() as s:
        create_case(s, shop.tenant_id, "first", [Check("mention", "x")])
        create_case(s, shop.tenant_id, "second", [Check("mention", "ok")])

    def answer(message: str) -> SimpleNamespace:
        if message == "first":
            raise RuntimeError("model down")
        return _preview("ok")

    first, second = run_cases(shop.tenant_id, answer)
    assert (first.status, first.error, second.status) == ("error", "model down", "pass")


def test_cases_belong_to_their_tenant(shop: Shop) -> None:
    from engine.accounts.tenants import create_tenant

    with session_scope() as s:
        create_case(s, shop.tenant_id, "hello", [])
        other = create_tenant(s, name="Other", slug="other-shop").id
        assert evals.list_cases(s, other) == []
        assert not evals.delete_case(s, other, evals.list_cases(s, shop.tenant_id)[0].id)
        with pytest.raises(EvalError, match="customer's message"):
            create_case(s, shop.tenant_id, "   ", [])


def test_cli_eval_exits_non_zero_when_a_case_fails(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    with session_scope() as s:
        slug = s.get(Tenant, shop.tenant_id).slug
        create_case(s, shop.tenant_id, "What are your opening hours?", [Check("max_length", "4096")])
    assert main(["eval", "--tenant", slug]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out
    with session_scope() as s:
        create_case(s, shop.tenant_id, "Hi", [Check("mention", "zebra crossing")])
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", "--tenant", slug])
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "FAIL  Hi" in out and "NO  Must mention “zebra crossing”" in out and "1 passed, 1 failed" in out
    assert main(["eval", "--tenant", "nobody"]) == 2
