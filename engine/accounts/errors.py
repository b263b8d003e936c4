"""Errors the accounts services raise; their messages are safe to show to the person who caused them."""


class AccountError(ValueError):
    """Input was refused; the message says why."""


class AuthenticationFailed(PermissionError):
    """Wrong credentials, or an expired/revoked session or token."""


class SignInThrottled(AuthenticationFailed):
    """Too many wrong guesses lately: this attempt was not checked; `retry_after` seconds until the next."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Forbidden(PermissionError):
    """Authenticated, but not allowed to do this."""
