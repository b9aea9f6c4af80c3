"""``make setup``'s step: export the configured embedder and stance model to ONNX where the app looks for them.

Silent, and under a second, when the exports are current; a first export takes about half a minute (torch).
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ConfigError
from ..settings import Settings
from .embedding import default_model_path
from .onnx_export import Kind, ensure_onnx, onnx_folder


def export_configured(settings: Settings) -> list[Path]:
    """The exports of the embedder and the stance model these settings use, made now where missing."""
    wanted: list[tuple[Path, Kind]] = [(Path(settings.model_path or default_model_path()), "embedder")]
    if settings.stance_model_path is not None:
        wanted.append((settings.stance_model_path, "cross-encoder"))
    for source, kind in wanted:
        if not (onnx_folder(source, kind) / "meta.json").exists():
            print(f"exporting {source} to ONNX in {onnx_folder(source, kind)} (once)", flush=True)
    return [ensure_onnx(source, kind) for source, kind in wanted]


if __name__ == "__main__":
    try:
        export_configured(Settings.from_env())
    except ConfigError as exc:
        sys.exit(f"claimcheck: {exc}")
