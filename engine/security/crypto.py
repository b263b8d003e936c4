"""Encryption at rest for every column that can hold customer words or replies (MultiFernet key ring).

`PARLEY_SECRET_KEYS` lists Fernet keys newest first: the newest encrypts, every key decrypts, so keys can be
rotated without downtime (add a key in front, run `rotate-keys`, then drop the old key).

Two column types do it transparently, so reading and writing code never changes: `EncryptedText` for text and
`EncryptedJSON` for JSON documents (the whole document is one token: a key inside it cannot be queried in SQL,
which is the point). docs/security.md lists which columns use them and which stay plain, and why.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from engine.config import get_settings

_lock = threading.Lock()
_keyring: MultiFernet | None = None


class DecryptionError(RuntimeError):
    """A stored value cannot be read with any configured key (a key was dropped before rotation)."""


def _dev_key_file() -> Path:
    return get_settings().data_dir / "secret.keys"


def configured_keys() -> list[str]:
    """The key list, newest first. Without configuration a dev key is generated once into data/."""
    raw = get_settings().parley_secret_keys
    if raw:
        keys = [k.strip() for k in raw.split(",") if k.strip()]
        if not keys:
            raise ValueError("PARLEY_SECRET_KEYS is set but holds no key")
        return keys
    path = _dev_key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Fernet.generate_key().decode() + "\n")
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def keyring() -> MultiFernet:
    global _keyring
    with _lock:
        if _keyring is None:
            try:
                _keyring = MultiFernet([Fernet(key.encode()) for key in configured_keys()])
            except (ValueError, TypeError) as exc:
                raise ValueError(f"PARLEY_SECRET_KEYS holds an invalid Fernet key: {exc}") from exc
        return _keyring


def reset_keyring() -> None:
    """Forget the cached key ring, so the next call reads the keys again (tests, rotation)."""
    global _keyring
    with _lock:
        _keyring = None


def encrypt(plaintext: str) -> str:
    return keyring().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return keyring().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError("stored value cannot be decrypted with any configured key") from exc


def rotate_token(token: str) -> str:
    """Re-encrypt one stored value under the newest key."""
    try:
        return keyring().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError("stored value cannot be decrypted with any configured key") from exc


class EncryptedText(TypeDecorator[str]):
    """A text column stored as a Fernet token; the application only ever sees plaintext."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return decrypt(value)


class EncryptedJSON(EncryptedText):
    """A JSON document (dict, list, scalar) stored as one Fernet token of its JSON text.

    A subclass of EncryptedText on purpose: key rotation and the at-rest checks find every encrypted column
    by that one type. SQL NULL stays NULL; a JSON `null` is never written (None means NULL here).
    """

    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        return json.loads(decrypt(value))
