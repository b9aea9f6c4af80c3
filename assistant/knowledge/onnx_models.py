"""The embedder and the cross-encoder on ONNX Runtime: the same models as the torch path, without torch.

Importing torch and sentence-transformers is most of a cold start (several seconds here); ONNX Runtime and
the ``tokenizers`` library import in under a tenth of that. The graphs are exported from the same models
(onnx_export.py says where they live and when they are made).
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from .onnx_export import ensure_onnx

MAX_BATCH = 64  # texts per model call: padding stays short once texts are sorted by length


class OnnxModel:
    """One exported graph and its tokenizer; ``run`` takes texts (or text pairs), returns the output rows."""

    def __init__(self, folder: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        options = ort.SessionOptions()
        options.log_severity_level = 3  # errors only: no notes about unused initialisers on the console
        # Idle threads sleep instead of spinning: the app does other work between model calls on 2 shared cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
        self._inputs = [i.name for i in self._session.get_inputs()]
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._pad_id = int((self._tokenizer.padding or {}).get("pad_id", 0))
        self._tokenizer.no_padding()  # padded per batch in ``run``, after sorting by length

    def encode(self, inputs: Sequence[str] | Sequence[tuple[str, str]]) -> list:
        """Token encodings, truncated to the model's limit, unpadded."""
        return self._tokenizer.encode_batch(list(inputs))

    def run(self, inputs: Sequence[str] | Sequence[tuple[str, str]], batch_size: int = MAX_BATCH) -> np.ndarray:
        """The model's output for each input, in order; batches of like length, so they pad little."""
        encoded = self.encode(inputs)
        order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i].ids))
        rows: list[np.ndarray] = [np.empty(0)] * len(encoded)
        for start in range(0, len(order), batch_size):
            batch = [encoded[i] for i in order[start:start + batch_size]]
            width = max(len(e.ids) for e in batch)
            feed = {name: np.full((len(batch), width), self._pad_id if name == "input_ids" else 0, dtype=np.int64)
                    for name in self._inputs}
            for row, e in enumerate(batch):
                n = len(e.ids)
                feed["input_ids"][row, :n] = e.ids
                feed["attention_mask"][row, :n] = 1
                if "token_type_ids" in feed:
                    feed["token_type_ids"][row, :n] = e.type_ids
            out = self._session.run(None, feed)[0]
            for row, i in enumerate(order[start:start + batch_size]):
                rows[i] = out[row]
        return np.asarray(rows, dtype=np.float32)


class OnnxEmbedder:
    """all-MiniLM-L6-v2 (or another exported sentence-transformers folder) on ONNX Runtime."""

    def __init__(self, path: str, root: Path | None = None) -> None:
        self.name = os.path.basename(path.rstrip("/")) or path  # as the torch embedder: cached vectors are shared
        self._path = Path(path)
        self._root = root
        self._loaded: OnnxModel | None = None
        self._lock = threading.Lock()

    @property
    def _model(self) -> OnnxModel:
        """Loaded on the first text to embed, not before (as the torch embedder)."""
        with self._lock:
            if self._loaded is None:
                self._loaded = OnnxModel(ensure_onnx(self._path, "embedder", self._root))
            return self._loaded

    @property
    def dim(self) -> int:
        return int(self._model.meta["dim"])

    def embed_batch(self, texts: list[str], batch_size: int = MAX_BATCH) -> list[list[float]]:
        if not texts:
            return []
        return self._model.run(texts, batch_size).tolist()

    def lengths(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        return [len(e.ids) for e in self._model.encode(texts)]


class OnnxCrossEncoder:
    """A one-score cross-encoder on ONNX Runtime: a score per (first, second) text pair."""

    def __init__(self, path: Path, root: Path | None = None) -> None:
        self.name = path.name
        self._model = OnnxModel(ensure_onnx(path, "cross-encoder", root))

    def scores(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32) -> list[float]:
        if not pairs:
            return []
        return [float(s) for s in self._model.run([(a, b) for a, b in pairs], batch_size)]
