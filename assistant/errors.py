"""Every error Claimcheck raises on purpose, each saying how to fix it.

Only the CLI and the app turn these into output a person reads.
"""
from __future__ import annotations


class ClaimcheckError(Exception):
    """Base class: the message is one line a user can act on."""


class ConfigError(ClaimcheckError):
    """A setting (environment variable or flag) has a value we cannot use."""


class StoreUnavailable(ClaimcheckError):
    """The Chroma server at CLAIMCHECK_CHROMA_URL is down, hung or failing; nothing can be read or written."""

    def __init__(self, url: str, reason: str, *, message: str | None = None) -> None:
        self.url, self.reason = url, reason
        super().__init__(message or (
            f"cannot reach the Chroma server at {url} ({reason}); start it with "
            f"`chroma run --path DIR --port N` or unset CLAIMCHECK_CHROMA_URL to use the local store, then try again"
        ))

    @classmethod
    def timed_out(cls, url: str, seconds: float) -> "StoreUnavailable":
        return cls(url, f"no answer within {seconds:g} s", message=(
            f"the Chroma server at {url} did not answer within {seconds:g} s; check that it is running and not "
            f"overloaded (or allow longer with CLAIMCHECK_CHROMA_TIMEOUT), then try again"
        ))

    @classmethod
    def failed(cls, url: str, reason: str) -> "StoreUnavailable":
        return cls(url, reason, message=(
            f"the Chroma server at {url} failed ({reason}); check its log and restart it if needed, then try again"
        ))


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


class AccessDenied(ClaimcheckError):
    """A signed-in user asked for something their role in the workspace does not allow."""


class UploadTooLarge(BadInput):
    """An uploaded file over the size limit; nothing of it was stored."""

    MB = 1024 * 1024  # Streamlit's megabyte, as in server.maxUploadSize

    def __init__(self, name: str, size: int, limit_mb: int) -> None:
        self.name, self.size, self.limit_mb = name, size, limit_mb
        tenths = -(-size * 10 // self.MB)  # rounded up, so a file just over the limit never reads as at it
        super().__init__(
            f"{name} is {tenths / 10:.1f} MB; the upload limit is {limit_mb} MB: split the file, or raise "
            f"CLAIMCHECK_MAX_UPLOAD_MB (and server.maxUploadSize in .streamlit/config.toml when Streamlit is run "
            f"directly)"
        )
