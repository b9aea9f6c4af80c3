"""Stage two: teach the Perspectrum stance model the way teams write (reported results, flat effects).

    .venv/bin/python training/stance/train.py              # stage one: Perspectrum (writes the model folder)
    .venv/bin/python training/stance/train_team_style.py   # stage two: continues from that folder, rewrites it

Why: the stage-one model reads debate-site perspectives well (Perspectrum test forced choice 70%) but team
memos at chance (49% on the sided pairs of corpus/eval/team_stance.jsonl): "Members reordered at 41%
against 27%" is not how a debate perspective argues. Stage two trains on team-style (claim, passage,
stance) pairs written for training only (team_style/pairs_*.jsonl: invented companies, none of the
evaluation documents' businesses, written without sight of corpus/), mixed with an equal number of
Perspectrum train pairs so the first skill is kept. ``neutral`` pairs are trained towards 0.5, so the
model learns to be unsure where a passage takes no side.

Selection uses development data only: the pairs of the companies in DEV_COMPANIES (held out of training)
and the Perspectrum dev split. The epoch with the best team-style dev accuracy on sided pairs is kept,
provided its Perspectrum dev accuracy is within PERSPECTRUM_SLACK of stage one's. Neither the Perspectrum
test split nor anything under corpus/eval is read. Seeded; CPU, 2 threads; a few minutes.
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from train import (  # noqa: E402
    BATCH_SIZE,
    MAX_GRAD_NORM,
    OUT,
    SEED,
    THREADS,
    WEIGHT_DECAY,
    augment,
    dev_metrics,
    encode,
    epoch_batches,
    load_split,
    probabilities,
    save,
    seed_everything,
    to_pairs,
    token_lengths,
)

HERE = Path(__file__).resolve().parent
PAIRS = sorted((HERE / "team_style").glob("pairs_*.jsonl"))
LOG = HERE / "train_team_style_log.json"
LR = 2e-5
EPOCHS = 4
PERSPECTRUM_MIX = 1.0  # Perspectrum train pairs drawn per team-style training pair
TEAM_REPEAT = 2  # each team-style training pair is seen this many times an epoch (they are few)
DEV_SHARE = 0.25  # share of the companies whose pairs are held out for selection
PERSPECTRUM_SLACK = 0.01
TARGET = {"supports": 1.0, "contradicts": 0.0, "neutral": 0.5}


def load_team_style() -> list[dict]:
    rows = []
    for path in PAIRS:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                if row.get("stance") not in TARGET:
                    raise SystemExit(f"{path}:{n}: stance must be one of {sorted(TARGET)}")
                row["file"] = path.name
                rows.append(row)
    return rows


def split_by_company(rows: list[dict]) -> tuple[list[dict], list[dict], list[str]]:
    companies = sorted({(r["file"], r["company"]) for r in rows})
    rng = random.Random(SEED)
    dev = set(rng.sample(companies, max(1, round(DEV_SHARE * len(companies)))))
    train = [r for r in rows if (r["file"], r["company"]) not in dev]
    held = [r for r in rows if (r["file"], r["company"]) in dev]
    return train, held, sorted(f"{f}:{c}" for f, c in dev)


def sided_accuracy(p: np.ndarray, rows: list[dict]) -> float:
    sided = [(pi, r) for pi, r in zip(p, rows) if r["stance"] != "neutral"]
    return float(np.mean([(pi >= 0.5) == (r["stance"] == "supports") for pi, r in sided]))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    from sentence_transformers import CrossEncoder

    torch.set_num_threads(THREADS)
    seed_everything(SEED)
    team = load_team_style()
    team_train, team_dev, dev_companies = split_by_company(team)
    rng = random.Random(SEED)
    perspectrum = augment(load_split("train"))
    mix = rng.sample(perspectrum, round(PERSPECTRUM_MIX * len(team_train)))
    pairs = [(r["claim"], r["passage"]) for r in team_train] * TEAM_REPEAT
    labels = [TARGET[r["stance"]] for r in team_train] * TEAM_REPEAT
    mix_pairs, mix_labels = to_pairs(mix)
    pairs += mix_pairs
    labels += mix_labels.tolist()
    y = torch.tensor(labels, dtype=torch.float32)
    p_dev_pairs, p_dev_labels = to_pairs(load_split("dev"))
    t_dev_pairs = [(r["claim"], r["passage"]) for r in team_dev]

    start_weights = OUT / "model.safetensors"
    started_from = sha256(start_weights)
    ce = CrossEncoder(str(OUT), device="cpu", local_files_only=True)
    hf, tok = ce.model, ce.tokenizer
    for prm in hf.base_model.embeddings.parameters():
        prm.requires_grad_(False)

    def measure() -> dict:
        p_team = probabilities(hf, tok, t_dev_pairs)
        return {"perspectrum_dev_accuracy": dev_metrics(probabilities(hf, tok, p_dev_pairs), p_dev_labels)["accuracy"],
                "team_style_dev_sided_accuracy": sided_accuracy(p_team, team_dev)}

    before = measure()
    print(f"stage one: {before}", flush=True)
    trainable = [prm for prm in hf.parameters() if prm.requires_grad]
    opt = torch.optim.AdamW(trainable, lr=LR, weight_decay=WEIGHT_DECAY, fused=True)
    steps = EPOCHS * -(-len(pairs) // BATCH_SIZE)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1 - s / steps))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    gen = torch.Generator().manual_seed(SEED)
    lengths = token_lengths(tok, pairs)
    log, best = [], {"key": None}
    t0 = time.time()
    for epoch in range(1, EPOCHS + 1):
        hf.train()
        running = 0.0
        batches = epoch_batches(lengths, gen)
        for idx in batches:
            logits = hf(**encode(tok, [pairs[i] for i in idx])).logits.view(-1)
            loss = loss_fn(logits, y[idx])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, MAX_GRAD_NORM)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            running += loss.item()
        m = {"epoch": epoch, "train_loss": running / len(batches), **measure()}
        print(json.dumps(m), flush=True)
        log.append(m)
        keeps = m["perspectrum_dev_accuracy"] >= before["perspectrum_dev_accuracy"] - PERSPECTRUM_SLACK
        key = (keeps, m["team_style_dev_sided_accuracy"], m["perspectrum_dev_accuracy"])
        if best["key"] is None or key > best["key"]:
            best = {"key": key, "metrics": m, "state": {k: v.detach().clone() for k, v in hf.state_dict().items()}}
    if not best["key"][0]:
        raise SystemExit("every epoch lost Perspectrum dev accuracy; the stage-one model is left as it was")
    hf.load_state_dict(best["state"])
    saved = save(ce, p_dev_pairs)
    record = {
        "started_from_sha256": started_from, "seed": SEED, "lr": LR, "epochs": EPOCHS, "batch_size": BATCH_SIZE,
        "team_style_files": [p.name for p in PAIRS], "team_style_pairs": len(team),
        "team_style_train": len(team_train), "team_style_dev": len(team_dev), "dev_companies": dev_companies,
        "team_repeat": TEAM_REPEAT, "perspectrum_mixed_in": len(mix), "targets": TARGET,
        "stage_one": before, "log": log, "chosen": best["metrics"],
        "selection": "best team-style dev accuracy on sided pairs among epochs whose Perspectrum dev accuracy is "
                     f"within {PERSPECTRUM_SLACK} of stage one's",
        "training_wall_seconds": round(time.time() - t0, 1), "saved": saved,
    }
    LOG.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps({k: record[k] for k in ("stage_one", "chosen", "training_wall_seconds")}, indent=2))


if __name__ == "__main__":
    main()
