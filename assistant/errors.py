"""Every error Claimcheck raises on purpose, each saying how to fix it.

Only the CLI and the app turn these into output a person reads.
"""
from __future__ import annotations


class ClaimcheckError(Exception):
    """Base class: the message is one line a user can act on."""


class ConfigError(ClaimcheckError):
    """A setting (environment variable or flag) has a value we cannot use."""


class StoreUnavailable(ClaimcheckError):
    """The Chroma server at CLAIMCHECK_CHROMA_URL did not answer."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"cannot reach the Chroma server at {url} ({reason}); start it with "
            f"`chroma run --path DIR --port N` or unset CLAIMCHECK_CHROMA_URL to use the local store"
        )


class UnreadableDocument(ClaimcheckError):
    """A document could not be read; nothing of it was stored."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


class UnsupportedFormat(UnreadableDocument):
    def __init__(self, path: str, suffix: str, supported: list[str]) -> None:
        super().__init__(
            path, f"cannot read '{suffix or 'no extension'}' files; use one of {', '.join(supported)}"
        )


class UnreadableData(ClaimcheckError):
    """A metrics export was rejected whole; nothing of it was stored."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


class BadMapping(ClaimcheckError):
    """A --map column=role override names a column or role that does not exist."""


class BadWorkspace(ClaimcheckError):
    """A workspace name that cannot be used, or one that does not exist."""


class ReadOnly(ClaimcheckError):
    """An attempt to change the bundled, shared essays."""


class NotFound(ClaimcheckError):
    """A document, file or finding that is not in the knowledge base."""


class BadInput(ClaimcheckError):
    """A question, batch file or evaluation file that is malformed."""
