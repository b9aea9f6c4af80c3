"""The ``claimcheck`` command. Errors become one line and exit code 1."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from typing import Callable

from .errors import ClaimcheckError
from .settings import PACKAGE_ROOT, Settings


def _quiet() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _assistant(args: argparse.Namespace):
    from .facade import Assistant

    return Assistant(Settings.from_env(workspace=getattr(args, "workspace", None)))


def _bar(desc: str) -> Callable[[int, int, str], None]:
    from tqdm import tqdm

    state: dict[str, object] = {}

    def progress(done: int, total: int, what: str) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = tqdm(total=total, desc=desc, unit="passage", file=sys.stderr,
                                      disable=not sys.stderr.isatty() or total == 0)
        bar.update(done - bar.n)  # type: ignore[attr-defined]
        if done >= total:
            bar.close()  # type: ignore[attr-defined]

    return progress


def cmd_ingest(args: argparse.Namespace) -> int:
    a = _assistant(args)
    a.ensure_ready(_bar("essays"))
    report = a.ingest(args.paths, progress=_bar("ingesting"))
    for f in report.files:
        if f.status == "failed":
            print(f"failed     {f.error}", file=sys.stderr)
        else:
            print(f"{f.status:<10} {f.path}  ({f.passages} passages, {f.embedded} embedded)")
    print(f"{len(report.files) - len(report.failed)} of {len(report.files)} files in workspace "
          f"{a.settings.workspace!r}, {report.seconds:.1f}s")
    return 1 if report.failed else 0


def cmd_remove(args: argparse.Namespace) -> int:
    a = _assistant(args)
    for source_id in args.source_ids:
        n = a.remove_document(source_id)
        print(f"removed {source_id} ({n} passages) from workspace {a.settings.workspace!r}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    hits = _assistant(args).search(args.query, k=args.k)
    rows = [
        {"text": h.passage.text, "source": h.passage.source, "source_id": h.passage.source_id,
         "author": h.passage.author, "kind": h.passage.kind, "start": h.passage.start, "end": h.passage.end,
         "score": round(h.score, 6)}
        for h in hits
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No passages found.")
    for n, r in enumerate(rows, 1):
        who = f" — {r['author']}" if r["author"] else ""
        print(f"[{n}] {r['source']}{who} ({r['kind']}, chars {r['start']}-{r['end']}, score {r['score']:.4f})")
        print(f"    {r['text']}\n")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    info = _assistant(args).status()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"store:     {info['store']}")
    print(f"workspace: {info['workspace']}  (all: {', '.join(info['workspaces'])})")
    print(f"passages:  {info['passages']}")
    for d in info["documents"]:
        scope = "shared" if d["shared"] else "team  "
        print(f"  {scope} {d['kind']:<8} {d['passages']:>4} passages  {d['source_id']}  — {d['title']}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    app = PACKAGE_ROOT / "ui" / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
           "--server.address", args.address, "--server.headless", "true",
           "--browser.gatherUsageStats", "false"]
    print(f"Claimcheck on http://{args.address}:{args.port}", flush=True)
    return subprocess.call(cmd)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="claimcheck", description="Check marketing claims against weighed evidence.")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, fn: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.set_defaults(fn=fn)
        sp.add_argument("--workspace", "-w", help="team workspace (default: CLAIMCHECK_WORKSPACE or 'default')")
        return sp

    sp = add("ingest", cmd_ingest, "Add documents (Markdown, text, PDF, DOCX, HTML; files or folders).")
    sp.add_argument("paths", nargs="+")
    sp = add("remove", cmd_remove, "Remove documents a team added (by the id `claimcheck status` shows).")
    sp.add_argument("source_ids", nargs="+", metavar="SOURCE_ID")
    sp = add("search", cmd_search, "Print the passages that best match a query.")
    sp.add_argument("query")
    sp.add_argument("--k", type=int, default=5, help="how many passages (default 5)")
    sp.add_argument("--json", action="store_true", help="print a JSON list")
    sp = add("status", cmd_status, "Show what is in the knowledge base.")
    sp.add_argument("--json", action="store_true")
    sp = add("serve", cmd_serve, "Start the Streamlit app.")
    sp.add_argument("--port", type=int, default=8501)
    sp.add_argument("--address", default="127.0.0.1")
    for extend in EXTENSIONS:
        extend(sub, add)
    return p


EXTENSIONS: list[Callable] = []  # later command groups register here (ask, eval, data)


def main(argv: list[str] | None = None) -> int:
    _quiet()
    from . import commands  # noqa: F401  registers ask, eval and data

    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args) or 0)
    except ClaimcheckError as exc:
        print(f"claimcheck: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
