"""How well the stance function ``ask`` uses reads text nobody here labelled.

Two sets: the Perspectrum test split (claims from debate sites, perspectives that support or undermine
them; ../shared/data/perspectrum) and the team-documents set (corpus/eval/team_stance.jsonl, team-style
memos written for evaluation). Both go through ``StanceClassifier.on_claim`` (the team set, for catalogue
claims, through ``classify``, labelled neighbours first), exactly as answers do.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..knowledge.embedding import cosine
from .sets import read_jsonl

STANCES = ("supports", "contradicts", "qualifies", "neutral")


def external_stance(assistant: Any, folder: Path, split: str = "test") -> dict:
    """Perspectrum: the model's forced choice (support iff p >= 0.5), and what the answer path decides."""
    stance = assistant.answerer.knowledge.gatherer.stance
    pairs = read_jsonl(folder / f"{split}.jsonl", ("claim", "perspective", "stance"))
    gold = ["supports" if p["stance"] == "support" else "contradicts" for p in pairs]
    texts = sorted({p["claim"] for p in pairs} | {p["perspective"] for p in pairs})
    vectors = dict(zip(texts, assistant.embedder.embed_batch(texts)))
    decided = [stance.on_claim(p["claim"], p["perspective"], cosine(vectors[p["claim"]], vectors[p["perspective"]]))[0]
               for p in pairs]
    out: dict[str, Any] = {"pairs": len(pairs), "model": getattr(stance.model, "name", None)}
    if stance.model is not None:
        probabilities = stance.model.support_probability([(p["claim"], p["perspective"]) for p in pairs])
        out["forced_choice_accuracy"] = round(
            sum((pr >= 0.5) == (g == "supports") for pr, g in zip(probabilities, gold)) / len(pairs), 3)
    made = [(d, g) for d, g in zip(decided, gold) if d in ("supports", "contradicts")]
    out["decided_share"] = round(len(made) / len(pairs), 3)
    out["right_when_decided"] = round(sum(d == g for d, g in made) / len(made), 3) if made else None
    return out


def team_stance(assistant: Any, path: Path) -> dict:
    """The team-documents set: precision and recall per stance, and how often it abstains (neutral)."""
    knowledge = assistant.answerer.knowledge
    rows = read_jsonl(path, ("claim_id", "claim", "passage", "stance"))
    texts = sorted({r["passage"] for r in rows} | {r["claim"] for r in rows})
    vectors = dict(zip(texts, assistant.embedder.embed_batch(texts)))
    predicted = []
    for r in rows:
        if not r.get("negated") and knowledge.catalogue.claim(r["claim_id"]) is not None:
            predicted.append(knowledge.gatherer.stance.classify(r["passage"], vectors[r["passage"]], r["claim_id"])[0])
        else:
            on_topic = cosine(vectors[r["passage"]], vectors[r["claim"]])
            predicted.append(knowledge.gatherer.stance.on_claim(r["claim"], r["passage"], on_topic)[0])
    gold = [r["stance"] for r in rows]
    per: dict[str, dict] = {}
    for s in STANCES:
        tp = sum(p == g == s for p, g in zip(predicted, gold))
        said, truth = predicted.count(s), gold.count(s)
        per[s] = {"precision": round(tp / said, 3) if said else None, "recall": round(tp / truth, 3) if truth else None,
                  "predicted": said, "gold": truth}
    return {"pairs": len(rows), "per_stance": per, "accuracy": round(sum(p == g for p, g in zip(predicted, gold))
                                                                      / len(rows), 3),
            "abstained": round(predicted.count("neutral") / len(rows), 3)}
