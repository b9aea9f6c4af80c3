"""Export a sentence-transformers model to ONNX, so the app can run it without importing torch.

Where exports live: the virtual environment's share/claimcheck/onnx/ (the user's cache folder where that is
not writable), one folder per model kind and content fingerprint. ``make setup`` exports the configured models
there (onnx_setup.py), so a fresh clone builds its own and ``make clean`` removes them; a model that changes
(a retrained stance model) gets a new folder. A missing export is made on first use instead, once, and
written whole or not at all (a temporary folder renamed into place).

Only this module imports torch, transformers and sentence-transformers, and only inside ``export``. It reads
the model through sentence-transformers itself, so the graph has the same weights, pooling, activation and
token limit as the torch path (tests/test_onnx.py compares the two). An embedder's graph ends in its sentence
vector (pooling and normalisation inside); a cross-encoder's in its score after the activation. The fast
tokenizer is saved beside it, set to truncate as the torch path does.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import threading
import warnings
from pathlib import Path
from typing import Literal

from ..errors import ConfigError
from ..settings import offline_environment

OPSET = 17  # ONNX Runtime 1.20+ runs it; the legacy exporter's best-tested opset for BERT
POOLINGS = ("mean", "cls")  # the sentence-transformers poolings the graph reproduces
ACTIVATIONS = ("Sigmoid", "Identity")  # the cross-encoder activations the graph reproduces
Kind = Literal["embedder", "cross-encoder"]
EXPORT_FORMAT = 1  # raise when this module writes something different, so old exports are not read
SMALL_FILE = 1 << 20  # files up to 1 MiB (configs, tokenizer) are fingerprinted by content, weights by size and time

_LOCK = threading.Lock()  # one export at a time in this process


def fingerprint(source: Path) -> str:
    """What the export depends on: the model folder's files (weights by size and modification time, so
    a start costs a few stat calls, not a read of 90 MB) and the export format."""
    digest = hashlib.sha256(f"format={EXPORT_FORMAT}".encode())
    for path in sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith(".")):
        info = path.stat()
        digest.update(str(path.relative_to(source)).encode("utf-8"))
        if info.st_size <= SMALL_FILE:
            digest.update(path.read_bytes())
        else:
            digest.update(f"{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def onnx_root() -> Path:
    """Where exports live: the virtual environment's share/ folder (made by `make setup`, gone with
    `make clean`), or the user's cache folder when that is not writable (a system-wide install)."""
    venv = Path(sys.prefix) / "share" / "claimcheck" / "onnx"
    existing = next(p for p in (venv, *venv.parents) if p.exists())
    if os.access(existing, os.W_OK):
        return venv
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("claimcheck", appauthor=False)) / "onnx"


def onnx_folder(source: Path, kind: Kind, root: Path | None = None) -> Path:
    """The export of the model in ``source`` (which may not exist yet)."""
    return (root or onnx_root()) / f"{kind}-{source.name}-{fingerprint(source)[:16]}"


def ensure_onnx(source: Path, kind: Kind, root: Path | None = None) -> Path:
    """The current export of ``source``, exporting it now when it is missing (torch: about half a minute, once)."""
    folder = onnx_folder(source, kind, root)
    if (folder / "meta.json").exists():
        return folder
    with _LOCK:
        if not (folder / "meta.json").exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            export(source, kind, folder)
    return folder


def export(source: Path, kind: Kind, dest: Path) -> Path:
    """Export the model in ``source`` into the folder ``dest`` (written whole, or not at all)."""
    offline_environment()
    import torch

    model, config = _load(source, kind)
    tmp = dest.parent / f".{dest.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        names = ["input_ids", "attention_mask"] + (["token_type_ids"] if config["token_type_ids"] else [])
        example = _example(source, config)
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer notes on shape checks the dynamic axes make general
            torch.onnx.export(
                model, tuple(example[n] for n in names), str(tmp / "model.onnx"), input_names=names,
                output_names=["output"], opset_version=OPSET, dynamo=False,
                dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "output": {0: "batch"}},
            )
        _tokenizer(source, config["max_length"]).save(str(tmp / "tokenizer.json"))
        meta = {"format": EXPORT_FORMAT, "kind": kind, "source": str(source), "fingerprint": fingerprint(source),
                **config}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        try:
            os.rename(tmp, dest)
        except OSError:  # another process finished the same export first: keep theirs
            if not (dest / "meta.json").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _load(source: Path, kind: Kind):  # noqa: ANN202 - a torch module and its settings
    """The model as one torch module from token ids to the output, and what the runtime needs to know."""
    import inspect

    import torch
    from sentence_transformers import CrossEncoder, SentenceTransformer

    Pooled, Scored = _heads()
    if kind == "embedder":
        st = SentenceTransformer(str(source), device="cpu", local_files_only=True)
        modules = list(st)
        pooling = next((m for m in modules if type(m).__name__ == "Pooling"), None)
        mode = pooling.get_config_dict().get("pooling_mode") if pooling is not None else None
        extra = [type(m).__name__ for m in modules[1:] if type(m).__name__ not in ("Pooling", "Normalize")]
        if mode not in POOLINGS or extra:
            raise ConfigError(f"{source}: only mean or CLS pooling can be exported to ONNX (found {mode}, {extra}); "
                              f"set CLAIMCHECK_RUNTIME=torch")
        hf = modules[0].auto_model.eval()
        normalize = any(type(m).__name__ == "Normalize" for m in modules)
        head = Pooled(hf, mode, normalize)
        config = {"max_length": int(st.max_seq_length), "dim": int(st.get_embedding_dimension()
                                                                   if hasattr(st, "get_embedding_dimension")
                                                                   else st.get_sentence_embedding_dimension()),
                  "pooling": mode, "normalize": normalize}
    else:
        ce = CrossEncoder(str(source), device="cpu", local_files_only=True)
        activation = type(ce.activation_fn).__name__
        if activation not in ACTIVATIONS or ce.num_labels != 1:
            raise ConfigError(f"{source}: only a one-score cross-encoder with a sigmoid or no activation can be "
                              f"exported to ONNX; set CLAIMCHECK_RUNTIME=torch")
        hf = ce[0].auto_model.eval()
        head = Scored(hf, activation == "Sigmoid")
        config = {"max_length": int(ce.max_seq_length), "activation": activation}
    config["token_type_ids"] = "token_type_ids" in inspect.signature(hf.forward).parameters
    return head.eval().to(torch.float32), config


def _tokenizer(source: Path, max_length: int):  # noqa: ANN202 - a tokenizers.Tokenizer
    """The model's fast tokenizer, truncating to the model's limit and padding to the longest in a batch."""
    from tokenizers import Tokenizer

    path = source / "tokenizer.json"
    if not path.exists():
        raise ConfigError(f"{source} has no tokenizer.json (a fast tokenizer) to export; set CLAIMCHECK_RUNTIME=torch")
    tok = Tokenizer.from_file(str(path))
    config = json.loads((source / "tokenizer_config.json").read_text(encoding="utf-8")) \
        if (source / "tokenizer_config.json").exists() else {}
    pad_token = config.get("pad_token") or "[PAD]"
    pad_id = tok.token_to_id(pad_token)
    tok.enable_truncation(max_length=max_length, strategy="longest_first")
    tok.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token=pad_token)
    return tok


def _example(source: Path, config: dict) -> dict:
    """A padded batch of two to trace with (padding, so the graph keeps the attention mask's path)."""
    import torch

    tok = _tokenizer(source, config["max_length"])
    texts = ["A short one.", "A longer example sentence, so that the batch is padded."]
    encoded = tok.encode_batch(texts)
    return {"input_ids": torch.tensor([e.ids for e in encoded]),
            "attention_mask": torch.tensor([e.attention_mask for e in encoded]),
            "token_type_ids": torch.tensor([e.type_ids for e in encoded])}


def _heads():  # noqa: ANN202 - torch module classes, defined only once torch is imported
    import torch

    class Pooled(torch.nn.Module):
        """Token ids to the sentence vector, as sentence-transformers pools and normalises it."""

        def __init__(self, model, pooling: str, normalize: bool) -> None:
            super().__init__()
            self.model, self.pooling, self.normalize = model, pooling, normalize

        def forward(self, input_ids, attention_mask, token_type_ids=None):  # noqa: ANN001, ANN201
            kwargs = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask, **kwargs).last_hidden_state
            if self.pooling == "cls":
                pooled = hidden[:, 0]
            else:
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1) if self.normalize else pooled

    class Scored(torch.nn.Module):
        """Token ids of a (claim, passage) pair to the cross-encoder's score after its activation."""

        def __init__(self, model, sigmoid: bool) -> None:
            super().__init__()
            self.model, self.sigmoid = model, sigmoid

        def forward(self, input_ids, attention_mask, token_type_ids=None):  # noqa: ANN001, ANN201
            kwargs = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
            logits = self.model(input_ids=input_ids, attention_mask=attention_mask, **kwargs).logits[:, 0]
            return torch.sigmoid(logits) if self.sigmoid else logits

    return Pooled, Scored
