"""Library benchmark: a team workspace of 10,000 and 100,000 passages, each figure beside its floor.

For each size, in a fresh CLAIMCHECK_HOME with the essays ingested as usual, a library of generated
team documents (``assistant/evaluation/synthetic_library.py``: memos, agency summaries, survey write-ups,
campaign reports, quoting the essays, naming a few invented products) of exactly that many passages is:

1. ingested into one workspace through ``Assistant.ingest`` (what ``claimcheck ingest`` calls, on the
   runtime it uses: CLAIMCHECK_RUNTIME), in a process of its own; beside it, raw
   ``SentenceTransformer.encode`` of the same model on a random sample of the same passage texts
   (``--sample``, 5,000), timed just before and just after the ingestion in that process, the two rates
   averaged (ingestion is timed once: at 100,000 passages it takes minutes); rates count distinct texts;
2. searched, then 3. asked: in a fresh serving process (model, essays and catalogue loaded, one search
   and one answer as warm-up), ``--questions`` varied questions (claims the essays argue, the team's
   channels and metrics, bare keywords, the invented names), each preceded by the floor: one query
   embedding plus one Chroma query for retrieval's CANDIDATES passages on the workspace's collection
   (whose recall against exact search is reported too);
4. answered from a cold start: ``claimcheck ask --json`` run as a new process on the built home, timed
   from launch to its answer on stdout, alternating with a floor process that loads the model, embeds
   the question and queries Chroma once (median of ``--starts``);
5. measured for memory: the serving process's peak RSS after its searches and answers, beside the
   floor process's, and the store's size on disk; stated per 100,000 passages.

Goals (at 100,000 passages; reported without goals at smaller sizes): search p50 within 3x the floor and
under 50 ms, answer p50 within 4x the floor, ingestion at least 0.9 of raw encode. Exits 1 if one is missed.

Run: .venv/bin/python bench/bench_library.py [--sizes 10000 100000] [--json PATH] [--home DIR]
     (--home keeps each size's home and documents in DIR/nSIZE and reuses them once built, ingestion's
     figures then being those measured at the build; delete DIR/nSIZE to build again. At 100,000
     passages it runs for many minutes, most of them ingestion.)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from assistant.settings import offline_environment  # noqa: E402

offline_environment()

WORKSPACE = "bench"
GOAL_SIZE = 100_000  # goals apply from this size up
GOALS = {"ingestion": 0.9, "search": 3.0, "search_ms": 50.0, "answer": 4.0}
FIRST_QUESTION = "Does social engagement build customer loyalty?"
WARM_UP = ("What do the essays say about brand loyalty?", "Is social media worth it for our brand?")
RESULT = "BENCH-RESULT "
MIB = 1024 * 1024

# The floor of a cold start: a process that loads the embedding model (on the runtime Claimcheck uses, from
# the same files), embeds one question and queries Chroma once. argv: home, collection, question, k, model.
FLOOR_START = {"torch": """
import json, sys
home, name, question, k, model_path = sys.argv[1:6]
import chromadb
from chromadb.config import Settings
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
vector = model.encode([question], normalize_embeddings=True)[0].tolist()
""", "onnx": """
import json, sys
home, name, question, k, model_path = sys.argv[1:6]
import chromadb
import numpy as np
import onnxruntime as ort
from chromadb.config import Settings
from tokenizers import Tokenizer
session = ort.InferenceSession(model_path + "/model.onnx", providers=["CPUExecutionProvider"])
e = Tokenizer.from_file(model_path + "/tokenizer.json").encode(question)
feed = {"input_ids": np.array([e.ids]), "attention_mask": np.array([e.attention_mask]),
        "token_type_ids": np.array([e.type_ids])}
out = session.run(None, {i.name: feed[i.name] for i in session.get_inputs()})[0][0]
out = out.mean(axis=0) if out.ndim == 2 else out
vector = (out / np.linalg.norm(out)).tolist()
"""}
FLOOR_QUERY = """
client = chromadb.PersistentClient(path=home + "/chroma", settings=Settings(anonymized_telemetry=False))
found = client.get_collection(name).query(query_embeddings=[vector], n_results=int(k),
                                          include=["documents", "metadatas", "distances"])
print(json.dumps({"hits": len(found["ids"][0])}), flush=True)
"""


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def disk_mib(folder: Path) -> float:
    """Space the folder's files take on disk (allocated blocks, not apparent sizes)."""
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file()) / MIB


def runtime() -> str:
    """What runs the models in Claimcheck (CLAIMCHECK_RUNTIME; torch before there was a choice)."""
    from assistant.settings import Settings

    return str(getattr(Settings.from_env(), "runtime", "torch"))


def model_path() -> str:
    from assistant.knowledge.embedding import default_model_path
    from assistant.settings import Settings

    return Settings.from_env().model_path or default_model_path()


def floor_model(runtime: str) -> str:
    """The files the floor process loads: the embedder Claimcheck loads, on its runtime."""
    if runtime == "onnx":
        from assistant.knowledge.onnx_models import ensure_onnx

        return str(ensure_onnx(Path(model_path()), "embedder"))
    return model_path()


def candidates() -> int:
    try:
        from assistant.knowledge.rules import CANDIDATES
    except ImportError:  # pragma: no cover - renamed
        return 40
    return int(CANDIDATES)


# -- the child processes ----------------------------------------------------------------------------

def child_ingest(spec: dict) -> dict:
    """Ingest the documents through the facade, with raw encode timed just before and just after."""
    from assistant import Assistant, Settings

    a = Assistant(Settings(home=Path(spec["home"]), workspace=WORKSPACE))
    t = time.perf_counter()
    a.ensure_ready()
    essays_s = time.perf_counter() - t
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path(), device="cpu", local_files_only=True)  # the same model, raw
    sample = json.loads(Path(spec["sample"]).read_text(encoding="utf-8"))

    def raw() -> float:
        t = time.perf_counter()
        model.encode(sample, batch_size=a.settings.batch_size, normalize_embeddings=True, show_progress_bar=False)
        return time.perf_counter() - t

    model.encode(sample[:64], batch_size=64, normalize_embeddings=True, show_progress_bar=False)  # warm
    before = raw()
    log(f"raw encode {len(sample) / before:.1f} passages/s; ingesting {spec['passages']:,} passages")
    t = time.perf_counter()
    report = a.ingest([spec["docs"]], workspace=WORKSPACE)
    ingest_s = time.perf_counter() - t
    log(f"ingested in {ingest_s:.1f} s")
    after = raw()
    from assistant.knowledge.workspaces import collection

    return {"essays_s": essays_s, "ingest_s": ingest_s, "raw_s": [before, after], "sample": len(sample),
            "files": len(report.files), "failed": [f.error for f in report.failed][:5],
            "embedded": report.embedded, "passages": sum(f.passages for f in report.files),
            "stored": a.store.count(collection(WORKSPACE, "passages")), "peak_rss_mib": peak_rss_mib()}


def child_serve(spec: dict) -> dict:
    """A fresh serving process: warm up, then floor / search / floor / answer for every question."""
    started = time.perf_counter()
    from assistant import Assistant, Settings
    from assistant.knowledge.workspaces import collection

    a = Assistant(Settings(home=Path(spec["home"]), workspace=WORKSPACE))
    a.warm_up()
    warm_s = time.perf_counter() - started
    t = time.perf_counter()
    a.search(WARM_UP[0], workspace=WORKSPACE)
    first_search_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    a.ask(WARM_UP[1], workspace=WORKSPACE)
    first_answer_ms = (time.perf_counter() - t) * 1000
    log(f"serving process warm in {warm_s:.1f} s; first search {first_search_ms:.0f} ms, "
        f"first answer {first_answer_ms:.0f} ms")
    col, k = collection(WORKSPACE, "passages"), candidates()
    floor, search, answer, parts = [], [], [], []
    kinds: dict[str, int] = {}
    rare_found, rare_missed = 0, []

    approximate: dict[str, tuple[list[float], list[str]]] = {}  # question -> its vector, the index's top k

    def timed_floor(q: str) -> None:
        t = time.perf_counter()
        vector = a.embedder.embed_batch([q])[0]
        found = a.store.query(col, vector, k)
        floor.append((time.perf_counter() - t) * 1000)
        approximate.setdefault(q, (vector, [r.id for r, _ in found]))

    for _ in range(spec["rounds"]):
        for q, rare in spec["questions"]:
            timed_floor(q)
            t = time.perf_counter()
            hits = a.search(q, workspace=WORKSPACE)
            search.append((time.perf_counter() - t) * 1000)
            if rare and any(rare.lower() in h.passage.text.lower() for h in hits):
                rare_found += 1
            elif rare:
                rare_missed.append(q)
            timed_floor(q)
            t = time.perf_counter()
            got = a.ask(q, workspace=WORKSPACE)
            answer.append((time.perf_counter() - t) * 1000)
            parts.append(got.timings_ms or {})
            kinds[got.verdict or "info/none"] = kinds.get(got.verdict or "info/none", 0) + 1
    breakdown = {key: statistics.median(p.get(key, 0.0) for p in parts) for key in (parts[0] if parts else {})}
    peak, now = peak_rss_mib(), rss_mib()
    recall = dense_recall(a.store, col, k, approximate)  # after the memory is read: it loads every vector
    return {"warm_s": warm_s, "first_search_ms": first_search_ms, "first_answer_ms": first_answer_ms,
            "dense_recall": recall, "floor_ms": floor, "search_ms": search, "answer_ms": answer, "answer_parts_ms": breakdown,
            "verdicts": kinds, "rare_found": rare_found, "rare_missed": rare_missed,
            "peak_rss_mib": peak, "rss_mib": now}


def dense_recall(store, col: str, k: int, approximate: dict[str, tuple[list[float], list[str]]]) -> list[float]:
    """For each question, the share of the exact k nearest passages (brute force over every stored vector)
    that the Chroma index's query returned: what the floor and dense retrieval may miss."""
    import numpy as np

    ids = [r.id for r in store.get(col)]
    vectors = []
    for i in range(0, len(ids), 5000):
        got = {r.id: r.embedding for r in store.get(col, ids=ids[i:i + 5000], embeddings=True)}
        vectors.append(np.asarray([got[x] for x in ids[i:i + 5000]], dtype=np.float32))
    matrix = np.concatenate(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
    out = []
    for vector, found in approximate.values():
        sims = matrix @ np.asarray(vector, dtype=np.float32)
        exact = {ids[j] for j in np.argsort(-sims)[:k]}
        out.append(len(exact & set(found)) / max(1, len(exact)))
    return out


def run_child(kind: str, spec: dict, folder: Path) -> dict:
    path = folder / f"{kind}-spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", kind, "--spec", str(path)],
                         stdout=subprocess.PIPE, text=True, cwd=ROOT)
    lines = [line for line in out.stdout.splitlines() if line.startswith(RESULT)]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"the {kind} process failed (exit {out.returncode}):\n{out.stdout[-2000:]}")
    return json.loads(lines[-1][len(RESULT):])


def timed_start(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Seconds from launch to the first line on stdout, the process's peak RSS (MiB), and that line."""
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT, text=True)
        line = proc.stdout.readline()  # type: ignore[union-attr]
        seconds = time.perf_counter() - t
        proc.stdout.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0 or not line.strip():
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd[:3])} ... failed (exit {proc.returncode}):\n"
                             f"{err.read().decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, line


def first_answers(home: Path, starts: int) -> dict:
    """`claimcheck ask --json` from launch to answer, alternating with the floor process; medians."""
    from assistant.knowledge.workspaces import collection

    env = {**os.environ, "CLAIMCHECK_HOME": str(home), "CLAIMCHECK_WORKSPACE": WORKSPACE}
    script = Path(sys.executable).with_name("claimcheck")
    ask = ([str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]) + [
        "ask", "--json", FIRST_QUESTION]
    rt = runtime()
    floor = [sys.executable, "-c", FLOOR_START[rt] + FLOOR_QUERY, str(home), collection(WORKSPACE, "passages"),
             FIRST_QUESTION, str(candidates()), floor_model(rt)]
    runs: dict[str, list[tuple[float, float]]] = {"floor": [], "claimcheck": []}
    for n in range(starts):
        for name, cmd in (("floor", floor), ("claimcheck", ask)):
            seconds, rss, line = timed_start(cmd, env)
            if name == "claimcheck":
                assert json.loads(line).get("answer"), line[:200]
            runs[name].append((seconds, rss))
        log(f"start {n + 1}/{starts}: floor {runs['floor'][-1][0]:.1f} s, claimcheck {runs['claimcheck'][-1][0]:.1f} s")
    out: dict = {name: {"seconds": [s for s, _ in r], "peak_rss_mib": [m for _, m in r]} for name, r in runs.items()}
    return {**out, "runtime": rt}


# -- one size -----------------------------------------------------------------------------------------

def build(size: int, base: Path, args: argparse.Namespace) -> dict:
    """Generate the library and ingest it in a fresh home; what was built and how fast."""
    from assistant.evaluation.synthetic_library import generate_library

    for stale in (base / "docs", base / "home"):  # a build cut short: start again from nothing
        shutil.rmtree(stale, ignore_errors=True)
    t = time.perf_counter()
    # The bundled essays only (../shared/seeds holds the same essays as first scraped, with page chrome).
    library = generate_library(base / "docs", size, seed=args.seed, essays=[ROOT / "corpus" / "essays"])
    generate_s = time.perf_counter() - t
    unique = list(dict.fromkeys(library.texts))
    sample = random.Random(args.seed).sample(unique, min(args.sample, len(unique)))
    (base / "sample.json").write_text(json.dumps(sample), encoding="utf-8")
    log(f"{size:,} passages in {len(library.paths):,} documents generated in {generate_s:.1f} s")
    ingest = run_child("ingest", {"home": str(base / "home"), "docs": str(base / "docs"),
                                  "sample": str(base / "sample.json"), "passages": size}, base)
    if ingest["failed"] or ingest["stored"] != size:
        raise SystemExit(f"ingestion stored {ingest['stored']} of {size} passages; failures: {ingest['failed']}")
    built = {"size": size, "seed": args.seed, "built_at": time.strftime("%Y-%m-%d %H:%M"),
             "library": {"documents": len(library.paths), "unique_passages": len(unique), "kinds": library.kinds,
                         "rare_words": library.rare_words, "sentence_words": library.sentence_words,
                         "passage_chars": library.passage_chars, "generate_s": generate_s},
             "ingest": ingest}
    (base / "built.json").write_text(json.dumps(built, indent=1), encoding="utf-8")
    return built


def measure(size: int, base: Path, args: argparse.Namespace) -> dict:
    from assistant.evaluation.synthetic_library import questions

    base.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    reused = (base / "built.json").exists()
    built = json.loads((base / "built.json").read_text(encoding="utf-8")) if reused else build(size, base, args)
    if reused:
        log(f"reusing the home built {built['built_at']} in {base}")
    asked = questions(built["library"]["rare_words"], args.questions, seed=args.seed)
    serve = run_child("serve", {"home": str(base / "home"), "questions": asked, "rounds": args.rounds}, base)
    starts = first_answers(base / "home", args.starts)
    return {**built, "reused": reused, "serve": serve, "starts": starts, "load": [load, os.getloadavg()[0]],
            "store_disk_mib": disk_mib(base / "home" / "chroma"), "home_disk_mib": disk_mib(base / "home")}


# -- the report -----------------------------------------------------------------------------------------

def summary(r: dict) -> dict:
    """The headline figures of one size, as numbers."""
    ing, srv, st = r["ingest"], r["serve"], r["starts"]
    raw_rate = statistics.mean(ing["sample"] / s for s in ing["raw_s"])
    ingest_rate = r["library"]["unique_passages"] / ing["ingest_s"]  # distinct texts, as raw encode counts them
    f50, f95 = pct(srv["floor_ms"], .5), pct(srv["floor_ms"], .95)
    return {
        "passages": r["size"], "ingest_rate": ingest_rate, "raw_rate": raw_rate, "ingest_ratio": ingest_rate / raw_rate,
        "search_p50": pct(srv["search_ms"], .5), "search_p95": pct(srv["search_ms"], .95),
        "answer_p50": pct(srv["answer_ms"], .5), "answer_p95": pct(srv["answer_ms"], .95),
        "floor_p50": f50, "floor_p95": f95,
        "start_s": statistics.median(st["claimcheck"]["seconds"]), "floor_start_s": statistics.median(st["floor"]["seconds"]),
        "serve_rss": srv["peak_rss_mib"], "floor_rss": statistics.median(st["floor"]["peak_rss_mib"]),
        "ask_rss": statistics.median(st["claimcheck"]["peak_rss_mib"]), "disk": r["store_disk_mib"],
    }


def goals(s: dict) -> dict[str, bool] | None:
    if s["passages"] < GOAL_SIZE:
        return None
    return {"ingestion": s["ingest_ratio"] >= GOALS["ingestion"],
            "search": s["search_p50"] <= GOALS["search"] * s["floor_p50"] and s["search_p50"] < GOALS["search_ms"],
            "answer": s["answer_p50"] <= GOALS["answer"] * s["floor_p50"]}


def table(r: dict, s: dict) -> str:
    g = goals(s)
    ing, srv, lib = r["ingest"], r["serve"], r["library"]
    per100k = 100_000 / s["passages"]

    def verdict(key: str, text: str) -> str:
        return "—" if g is None else f"{text}: {'met' if g[key] else '**missed**'}"

    def stated(mib: float) -> str:
        return "—" if g is None else f"stated: {mib * per100k:.0f} MiB per 100,000 passages"

    n = len(srv["search_ms"])
    when = f" (measured when built, {r['built_at']})" if r["reused"] else ""
    raw_rates = ", ".join(f"{ing['sample'] / x:.1f}" for x in ing["raw_s"])
    rows = [
        "| measure | value | baseline (same run) | ratio | goal at 100,000 |",
        "| --- | --- | --- | --- | --- |",
        f"| ingestion through `Assistant.ingest`, {s['passages']:,} passages ({lib['unique_passages']:,} distinct texts, "
        f"{ing['files']:,} files){when} | {s['ingest_rate']:.1f} passages/s ({ing['ingest_s']:.0f} s) "
        f"| raw `SentenceTransformer.encode` {s['raw_rate']:.1f} passages/s (a {ing['sample']:,}-passage sample, "
        f"before and after: {raw_rates}) | {s['ingest_ratio']:.2f} | {verdict('ingestion', '≥ 0.90')} |",
        f"| search p50 ({n} queries) | {s['search_p50']:.1f} ms | floor p50 {s['floor_p50']:.1f} ms "
        f"| {s['search_p50'] / s['floor_p50']:.2f} | {verdict('search', '≤ 3× and < 50 ms')} |",
        f"| search p95 | {s['search_p95']:.1f} ms | floor p95 {s['floor_p95']:.1f} ms "
        f"| {s['search_p95'] / s['floor_p95']:.2f} | |",
        f"| answer p50 (warm) | {s['answer_p50']:.1f} ms | floor p50 {s['floor_p50']:.1f} ms "
        f"| {s['answer_p50'] / s['floor_p50']:.2f} | {verdict('answer', '≤ 4×')} |",
        f"| answer p95 (warm) | {s['answer_p95']:.1f} ms | floor p95 {s['floor_p95']:.1f} ms "
        f"| {s['answer_p95'] / s['floor_p95']:.2f} | |",
        f"| process start to first answer (`claimcheck ask --json`, median of {len(r['starts']['floor']['seconds'])}) "
        f"| {s['start_s']:.1f} s | load the model, embed the question, one Chroma query {s['floor_start_s']:.1f} s "
        f"| {s['start_s'] / s['floor_start_s']:.2f} | |",
        f"| serving process peak RSS, after {n} searches and {n} answers | {s['serve_rss']:.0f} MiB "
        f"| the floor process {s['floor_rss']:.0f} MiB | {s['serve_rss'] / s['floor_rss']:.2f} | {stated(s['serve_rss'])} |",
        f"| store on disk (Chroma) | {s['disk']:.0f} MiB | | | {stated(s['disk'])} |",
    ]
    parts = ", ".join(f"{k} {v:.0f} ms" for k, v in srv["answer_parts_ms"].items())
    missed = f" (not: {'; '.join(srv['rare_missed'])})" if srv["rare_missed"] else ""
    notes = (
        f"Library: {lib['documents']:,} documents ({', '.join(f'{v} {k}' for k, v in sorted(lib['kinds'].items()))}), "
        f"{lib['sentence_words']:.1f} words per sentence, {lib['passage_chars']:.0f} characters per passage, "
        f"generated in {lib['generate_s']:.1f} s. Essays ingested in {ing['essays_s']:.1f} s; ingestion process peak RSS "
        f"{ing['peak_rss_mib']:.0f} MiB. Serving process: warm in {srv['warm_s']:.1f} s, first search "
        f"{srv['first_search_ms']:.0f} ms and first answer {srv['first_answer_ms']:.0f} ms (the first search in a "
        f"process pays for the lexical index), RSS at the end {srv['rss_mib']:.0f} MiB; `claimcheck ask` peak RSS {s['ask_rss']:.0f} MiB. "
        f"Answer stages (median): {parts}. Invented names found in the top 8 by search: {srv['rare_found']} of "
        f"{srv['rare_found'] + len(srv['rare_missed'])}{missed}. "
        f"Dense recall@{candidates()} of Chroma's index against exact search, over the questions: mean "
        f"{statistics.mean(srv['dense_recall']):.2f}, lowest {min(srv['dense_recall']):.2f}. "
        f"Verdicts: {', '.join(f'{k} {v}' for k, v in sorted(srv['verdicts'].items()))}. Models on "
        f"{r['starts']['runtime']}; load average {r['load'][0]:.1f} when this size began, {r['load'][1]:.1f} when it ended "
        f"({os.cpu_count()} cores)."
    )
    return "\n".join(rows) + "\n\n" + notes


def growth(summaries: list[dict]) -> str:
    """How each figure grows from the smallest size to the largest: the factor, and per 100,000 passages added."""
    a, b = summaries[0], summaries[-1]
    per = 100_000 / (b["passages"] - a["passages"])
    rows = [f"| measure | {a['passages']:,} passages | {b['passages']:,} passages | × | change per 100,000 passages added |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for key, label, unit, fmt in (
        ("ingest_rate", "ingestion", " passages/s", ".1f"), ("raw_rate", "raw encode", " passages/s", ".1f"),
        ("search_p50", "search p50", " ms", ".1f"), ("floor_p50", "floor p50", " ms", ".1f"),
        ("answer_p50", "answer p50", " ms", ".1f"), ("start_s", "start to first answer", " s", ".1f"),
        ("floor_start_s", "floor start", " s", ".1f"), ("serve_rss", "serving process peak RSS", " MiB", ".0f"),
        ("floor_rss", "floor process peak RSS", " MiB", ".0f"), ("disk", "store on disk", " MiB", ".0f"),
    ):
        change = "—" if key.endswith("_rate") else f"{(b[key] - a[key]) * per:+{fmt}}{unit}"
        rows.append(f"| {label} | {a[key]:{fmt}}{unit} | {b[key]:{fmt}}{unit} | {b[key] / a[key]:.2f} | {change} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="workspace sizes in passages")
    ap.add_argument("--json", metavar="PATH", help="also write every figure here")
    ap.add_argument("--home", metavar="DIR", help="keep each size's home in DIR/nSIZE and reuse it when built")
    ap.add_argument("--questions", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=1, help="times each question is searched and asked")
    ap.add_argument("--starts", type=int, default=3, help="cold starts of each process, alternating")
    ap.add_argument("--sample", type=int, default=5000, help="passages raw encode is timed on")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--child", choices=["ingest", "serve"], help=argparse.SUPPRESS)
    ap.add_argument("--spec", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        spec = json.loads(Path(args.spec).read_text(encoding="utf-8"))
        result = (child_ingest if args.child == "ingest" else child_serve)(spec)
        print(RESULT + json.dumps(result), flush=True)
        return
    results, summaries, missed = [], [], []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-library-") as tmp:
        for size in sorted(args.sizes):
            t = time.perf_counter()
            base = Path(args.home or tmp) / f"n{size}"
            r = measure(size, base, args)
            s = summary(r)
            r["summary"], r["goals"], r["seconds"] = s, goals(s), time.perf_counter() - t
            results.append(r)
            summaries.append(s)
            missed += [f"{k} at {size:,}" for k, ok in (goals(s) or {}).items() if not ok]
            log(f"{size:,} passages measured in {r['seconds'] / 60:.1f} min")
            print(f"\n### {s['passages']:,} passages in the workspace ({r['seconds'] / 60:.1f} min)\n", flush=True)
            print(table(r, s), flush=True)  # each size as soon as it is measured: the largest takes long
            if args.json:
                Path(args.json).write_text(json.dumps({"results": results, "missed": missed}, indent=1),
                                           encoding="utf-8")
    if len(summaries) > 1:
        print("\n### Growth\n")
        print(growth(summaries))
    print(f"\n(total {(time.perf_counter() - started) / 60:.1f} min; goals apply from {GOAL_SIZE:,} passages: "
          f"{'missed: ' + ', '.join(missed) if missed else 'all met' if any(goals(s) for s in summaries) else 'none measured'})")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
