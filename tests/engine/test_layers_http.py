"""HTTP stays in engine/http (DESIGN §2): no domain package imports fastapi or starlette, or maps statuses.

Request parsing, bodies and error mapping live beside the routes; a domain package that grew its own
status codes would be a second place to change when the API's error shape changes.
"""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"
HTTP_PACKAGES = ("fastapi", "starlette")
HTTP_NAMES = {"status_code", "HTTPException", "JSONResponse", "error_response", "http_status"}


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _imported(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_only_engine_http_imports_fastapi_or_starlette() -> None:
    offenders = [
        f"{path.relative_to(ENGINE.parent)}: {name}"
        for path in _modules(ENGINE)
        if ENGINE / "http" not in path.parents
        for name in _imported(ast.parse(path.read_text(encoding="utf-8")))
        if name.split(".")[0] in HTTP_PACKAGES
    ]
    assert offenders == []


def _http_words(tree: ast.AST) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):
        name = (
            node.id
            if isinstance(node, ast.Name)
            else node.attr
            if isinstance(node, ast.Attribute)
            else node.name
            if isinstance(node, ast.FunctionDef | ast.ClassDef)
            else node.arg
            if isinstance(node, ast.keyword | ast.arg)
            else None
        )
        if name in HTTP_NAMES:
            found.append(f"line {node.lineno}: {name}")  # type: ignore[attr-defined]
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                is_status = isinstance(key, ast.Constant) and key.value == "status"
                if is_status and isinstance(value, ast.Constant) and value.value in range(400, 600):
                    found.append(f"line {node.lineno}: status {value.value}")
    return found


def test_the_catalog_maps_no_error_to_an_http_status() -> None:
    offenders = {
        str(path.relative_to(ENGINE.parent)): words
        for path in _modules(ENGINE / "catalog")
        if (words := _http_words(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_the_checks_see_what_they_look_for() -> None:
    """The walkers find an import and a status when there is one (a silent walker would pass anything)."""
    sample = ast.parse(
        "from fastapi import APIRouter\nimport starlette.responses\n"
        "def error_response(exc):\n    return {'status': 404}, exc.status_code\n"
    )
    assert _imported(sample) == ["fastapi", "starlette.responses"]
    assert len(_http_words(sample)) == 3
