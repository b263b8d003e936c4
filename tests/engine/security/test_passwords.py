import pytest

from engine.security.passwords import WeakPassword, hash_password, verify_password


def test_a_password_verifies_against_its_argon2id_hash_and_nothing_else() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "Correct horse battery")
    assert not verify_password("not-a-hash", "correct horse battery")


def test_short_passwords_are_refused() -> None:
    with pytest.raises(WeakPassword, match="at least 10"):
        hash_password("short")
