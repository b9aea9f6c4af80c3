"""A trained stance model behind one method: ``support_probability(pairs)``.

A cross-encoder fine-tuned from the packaged all-MiniLM-L6-v2 on the Perspectrum claim-stance data
(training/stance/, data card in the model folder). It reads (claim, passage) and gives the probability
that the passage supports the claim as worded, so a negated claim flips it. Loaded once per process,
on ONNX Runtime (the default: knowledge/onnx_models.py) or on PyTorch (CLAIMCHECK_RUNTIME=torch); the
sentence-transformers type stays inside this module.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol, Sequence

from ..errors import ConfigError
from ..settings import offline_environment


class StanceModel(Protocol):
    name: str

    def support_probability(self, pairs: Sequence[tuple[str, str]]) -> list[float]: ...


class OnnxStance:
    """The same cross-encoder exported to ONNX: the same probabilities within 1e-4 (tests/test_onnx.py), no torch."""

    def __init__(self, path: Path) -> None:
        from ..knowledge.onnx_models import OnnxCrossEncoder

        self.name = path.name
        self._model = OnnxCrossEncoder(path)

    def support_probability(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        return self._model.scores(pairs)


class CrossEncoderStance:
    def __init__(self, path: Path) -> None:
        offline_environment()
        from sentence_transformers import CrossEncoder

        self.name = path.name
        self._model = CrossEncoder(str(path), device="cpu", local_files_only=True)
        self._lock = threading.Lock()

    def support_probability(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        if not pairs:
            return []
        with self._lock:
            scores = self._model.predict([list(p) for p in pairs], batch_size=32, show_progress_bar=False)
        return [float(s) for s in scores]


_CACHE: dict[tuple[str, str], StanceModel] = {}
_LOCK = threading.Lock()


def get_stance_model(path: Path | None, runtime: str = "onnx") -> StanceModel | None:
    """The model in ``path`` on ``runtime`` ('onnx' or 'torch'; loaded once per process); None when there
    is none to load."""
    if path is None:
        return None
    if not (path / "config.json").exists():
        raise ConfigError(f"{path} holds no stance model (config.json missing); rebuild it with "
                          f"`.venv/bin/python training/stance/train.py` or set CLAIMCHECK_STANCE_MODEL=none")
    key = (str(path.resolve()), runtime)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = OnnxStance(path) if runtime == "onnx" else CrossEncoderStance(path)
        return _CACHE[key]
