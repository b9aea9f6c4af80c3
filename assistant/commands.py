"""Command groups beyond the knowledge base: ask, eval and data."""
from __future__ import annotations

import argparse
import json

from pathlib import Path
from typing import Callable

from . import cli
from .errors import BadInput, BadMapping, ClaimcheckError


def parse_mapping(pairs: list[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    out = {}
    for pair in pairs:
        column, sep, role = pair.rpartition("=")
        if not sep or not column or not role:
            raise BadMapping(f"--map {pair!r} must look like column=role, e.g. --map 'FB Likes=engagements'")
        out[column] = role
    return out


def _print_answer(answer) -> None:
    print(answer.answer)
    if answer.evidence:
        print("\nEvidence:")
        for e in answer.evidence:
            where = f" chars {e.start}-{e.end}" if e.start is not None else ""
            print(f"  [{e.id}] {e.stance:<11} weight {e.weight:.2f}  {e.kind}: {e.source}{where}")


def cmd_ask(args: argparse.Namespace) -> int:
    a = cli._assistant(args)
    if args.batch:
        return _batch(a, Path(args.batch))
    if not args.question:
        raise BadInput("give a question, or --batch FILE with one JSON question per line")
    for path in args.data or []:
        a.add_data(path, mapping=parse_mapping(args.map))
    answer = a.ask(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        _print_answer(answer)
    return 0


def _batch(a, path: Path) -> int:
    from .answering.catalogue import Conversation

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the batch file ({exc.strerror})") from exc
    failed = 0
    conversations: dict[str, Conversation] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item_id = None
        try:
            try:
                item = json.loads(line)
            except ValueError as exc:
                raise BadInput(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
            if not isinstance(item, dict):
                raise BadInput(f"{path}:{number}: each line must be a JSON object")
            item_id = item.get("id")
            if not isinstance(item.get("question"), str):
                raise BadInput(f"{path}:{number}: each line needs a \"question\" string")
            ws = item.get("workspace")
            for data_path in item.get("data") or []:
                a.add_data(data_path, workspace=ws)
            conv = conversations.setdefault(str(item["conversation"]), Conversation()) if item.get("conversation") else None
            out = {"id": item_id, **a.ask(item["question"], workspace=ws, conversation=conv).to_dict()}
        except ClaimcheckError as exc:
            failed += 1
            out = {"id": item_id, "error": str(exc) if str(exc).startswith(str(path)) else f"{path}:{number}: {exc}"}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation.evaluate import format_report, run_eval

    report = run_eval(cli._assistant(args), Path(args.file), baseline=not args.no_baseline)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    a = cli._assistant(args)
    if args.action == "add":
        if not args.file:
            raise BadInput("data add needs a FILE")
        report = a.add_data(args.file, mapping=parse_mapping(args.map))
        print(report.description)
        for p in report.problems:
            print(f"  problem: row {p['row']}, column {p['column']!r}: {p['message']}")
        for f in report.findings:
            print(f"  finding: {f.sentence}")
        print(f"{len(report.findings)} findings stored in workspace {a.settings.workspace!r}")
    elif args.action == "list":
        for d in a.data_files():
            print(f"{d.file}  {d.layout}/{d.period}  rows {d.rows_used}/{d.rows_read}  {len(d.findings)} findings")
    elif args.action == "show":
        for d in a.data_files():
            if args.file and d.file != Path(args.file).name and d.file != args.file:
                continue
            print(f"## {d.file}\n{d.description}")
            for f in d.findings:
                print(f"- {f.sentence}\n  method: {f.method}; n = {f.n}; rows {f.rows}\n  caveat: {f.caveat}")
    elif args.action == "remove":
        if not args.file:
            raise BadInput("data remove needs a FILE (the name `claimcheck data list` shows)")
        n = a.remove_data(args.file)
        print(f"removed {args.file} and its {n} findings")
    return 0


def register(sub: argparse._SubParsersAction, add: Callable[..., argparse.ArgumentParser]) -> None:
    sp = add("ask", cmd_ask, "Ask about a marketing claim: a verdict, cited evidence and advice.")
    sp.add_argument("question", nargs="?")
    sp.add_argument("--json", action="store_true", help="print one JSON object (the documented contract)")
    sp.add_argument("--batch", metavar="FILE", help="JSON Lines of {id, question, workspace?, data?}")
    sp.add_argument("--data", nargs="*", metavar="FILE", help="metrics exports to add to the workspace first")
    sp.add_argument("--map", action="append", metavar="COLUMN=ROLE", help="override a guessed column role")
    sp = add("eval", cmd_eval, "Score a question set: citations, verdicts, verbatim quotes, latency.")
    sp.add_argument("file")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--no-baseline", action="store_true", help="skip the LangChain-tutorial baseline")
    sp = add("data", cmd_data, "A team's metrics exports: add, list, show, remove.")
    sp.add_argument("action", choices=["add", "list", "show", "remove"])
    sp.add_argument("file", nargs="?")
    sp.add_argument("--map", action="append", metavar="COLUMN=ROLE", help="override a guessed column role")


cli.EXTENSIONS.append(register)

