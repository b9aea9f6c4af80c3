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
from ..knowledge.remembered import Remembered
from ..settings import offline_environment
from .rules import STANCE_MEMORY


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


class RememberingStance:
    """A stance model that reads each (claim, passage) pair once and remembers the last ``limit`` answers:
    the same claim meets the same passages question after question."""

    def __init__(self, inner: StanceModel, limit: int) -> None:
        self.inner, self.name = inner, inner.name
        self._read: Remembered[tuple[str, str], float] = Remembered(inner.support_probability, limit)

    def support_probability(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        return self._read(pairs)[0]


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
            model = OnnxStance(path) if runtime == "onnx" else CrossEncoderStance(path)
            _CACHE[key] = RememberingStance(model, STANCE_MEMORY)
        return _CACHE[key]
