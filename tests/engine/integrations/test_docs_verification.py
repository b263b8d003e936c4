"""docs/webhooks.md's verification code, both languages, against a real signed delivery: the right secret
passes, a wrong secret, a changed body and an old timestamp fail. The Node function runs under the system's
node (skipped where there is none)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.integrations.signing import signature

DOCS = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"
SECRET = "whsec_docs-test-secret"
BODY = b'{"id":"evt_1","type":"rating.received","data":{"score":3,"note":"caf\\u00e9 \xc3\xa9"}}'


def _cases() -> list[tuple[str, str, bytes, bool]]:
    now = int(time.time())
    good = signature(SECRET, now, BODY)
    old = signature(SECRET, now - 3600, BODY)
    return [
        (SECRET, good, BODY, True),
        ("whsec_wrong", good, BODY, False),
        (SECRET, good, BODY.replace(b"3", b"1"), False),
        (SECRET, old, BODY, False),
        (SECRET, "garbage", BODY, False),
    ]


def test_the_python_code_verifies(documented_verify: Callable[[str, str, bytes], bool]) -> None:
    for secret, header, body, expected in _cases():
        assert documented_verify(secret, header, body) is expected, (secret, header, body)


@pytest.mark.skipif(shutil.which("node") is None, reason="no node on this machine")
def test_the_node_code_verifies() -> None:
    javascript = re.search(r"```javascript\n(.*?)```", DOCS.read_text(), re.S)
    assert javascript, "docs/webhooks.md shows how to verify a signature in Node"
    function = javascript.group(1).split("app.post(")[0]  # the function, without the Express example
    cases = [{"secret": s, "header": h, "body": b.hex(), "expected": e} for s, h, b, e in _cases()]
    script = function + (
        "\nconst cases = JSON.parse(process.argv[1]);\n"
        "console.log(JSON.stringify(cases.map((c) => "
        "verifyParleySignature(c.secret, c.header, Buffer.from(c.body, 'hex')))));\n"
    )
    out = subprocess.run(
        ["node", "-e", script, json.dumps(cases)], capture_output=True, text=True, check=True, timeout=30
    )
    assert json.loads(out.stdout) == [c["expected"] for c in cases]
