"""Browser tests: a real `reflex run --env prod` on a free port, driven by headless Chromium.

Run on their own (`pytest tests/e2e`): pytest-playwright keeps an event loop on the main thread that clashes
with the async unit tests. The server gets a throwaway SQLite database, migrated with Alembic and seeded by
`tests/e2e/seed.py`; screenshots land in tests/e2e/artifacts/ with the server log.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("PARLEY_E2E_CHROMIUM", "/usr/bin/chromium")
START_TIMEOUT_S = float(os.environ.get("PARLEY_E2E_START_TIMEOUT", "900"))


@dataclass(frozen=True)
class Server:
    """The running console: its base URL, the log to read when something fails, and its SQLite database (for a
    test that must change data behind the console's back)."""

    url: str
    log: Path
    database: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(database_url: str, tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("TEST_DATABASE_URL", "TEST_REDIS_URL", "REDIS_URL", "PYTEST_CURRENT_TEST", "PYTEST_ADDOPTS"):
        env.pop(key, None)
    tools = ROOT / ".tools" / "node_modules" / ".bin"
    env["PATH"] = os.pathsep.join([str(tools), str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("REFLEX_USE_SYSTEM_BUN", "1")
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    if not env.get("NPM_CONFIG_REGISTRY") and shutil.which("npm"):
        registry = subprocess.run(
            ["npm", "config", "get", "registry"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if registry:
            env["NPM_CONFIG_REGISTRY"] = registry
    env.update(
        # The tests sign their webhooks with the server's own address (Server.url), as Twilio signs the URL it
        # calls: a PUBLIC_BASE_URL from the shell or a .env file would make the server check another URL and
        # answer every webhook 403. Blank (not absent) so it also overrides a .env file.
        PUBLIC_BASE_URL="",
        DATABASE_URL=database_url,
        PARLEY_SECRET_KEYS=Fernet.generate_key().decode(),
        LANCEDB_URI=str(tmp / "lancedb"),
        DATA_DIR=str(tmp / "data"),
        ALEMBIC_CONFIG=str(ROOT / "alembic.ini"),
        WEBHOOKS_ALLOW_PRIVATE_URLS="true",  # test_integrations_page's receiver listens on 127.0.0.1
        PYTHONUNBUFFERED="1",
    )
    return env


# Prints the database's revision and the scripts' heads: the seed must start from the newest schema.
_AT_HEAD = """
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from engine.db import get_engine
from engine.migrations import alembic_config
with get_engine().connect() as conn:
    current = set(MigrationContext.configure(conn).get_current_heads())
heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
print(sorted(current), sorted(heads))
raise SystemExit(0 if current == heads else 1)
"""


def _prepare_database(env: dict[str, str]) -> None:
    """A new, empty database every session (never one left by an earlier run), migrated to head with Alembic
    (`python -m engine migrate`) and checked to be there, then seeded. A model whose migration is missing
    fails here, not as a 500 in the middle of a browser test."""
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    assert not database.exists(), f"{database} is left from an earlier run"
    subprocess.run([sys.executable, "-m", "engine", "migrate"], cwd=ROOT, env=env, check=True)
    check = subprocess.run(
        [sys.executable, "-c", _AT_HEAD], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    problem = f"the e2e database is not at the newest migration: {check.stdout}{check.stderr}"
    assert check.returncode == 0, problem[-2000:]
    subprocess.run([sys.executable, "-m", "tests.e2e.seed"], cwd=ROOT, env=env, check=True)


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own localhost server
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path_factory.mktemp("e2e")
    database = tmp / "parley-e2e.db"
    env = _server_env(f"sqlite:///{database}", tmp)
    _prepare_database(env)

    port = _free_port()
    log = ARTIFACTS / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reflex",
                "run",
                "--env",
                "prod",
                "--frontend-port",
                str(port),
                "--backend-port",
                str(port),
                "--loglevel",
                "info",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (_ready(f"{url}/healthz") and _ready(f"{url}/login")):
            if process.poll() is not None:
                pytest.fail(f"reflex exited with {process.returncode}:\n{_tail(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"reflex did not serve {url} within {START_TIMEOUT_S:.0f}s:\n{_tail(log)}")
            time.sleep(2)
        yield Server(url=url, log=log, database=database)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[Any]) -> None:
    """Stop the server and everything it started (bun, workers): they share its process group."""
    if process.poll() is not None:
        return
    pgid = os.getpgid(process.pid)
    os.killpg(pgid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """The system Chromium (no browser download on these machines), sandbox off for containers."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}, "locale": "en-US"}
