"""Errors the accounts services raise; their messages are safe to show to the person who caused them."""


class AccountError(ValueError):
    """Input was refused; the message says why."""


class AuthenticationFailed(PermissionError):
    """Wrong credentials, or an expired/revoked session or token."""


class Forbidden(PermissionError):
    """Authenticated, but not allowed to do this."""
