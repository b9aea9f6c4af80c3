"""The ``claimcheck`` command: one parser, one function per command, all calling ``Assistant``.

Errors become one line on stderr and exit code 1.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable

from .errors import BadInput, BadMapping, ClaimcheckError
from .settings import PACKAGE_ROOT, Settings, offline_environment


def _assistant(args: argparse.Namespace, **overrides: object):
    from .facade import Assistant

    return Assistant(Settings.from_env(workspace=getattr(args, "workspace", None), **overrides))


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


def _print_json(value: object, indent: int | None = 2) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=indent))


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a half-written CSV is worse than none)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BadInput(f"could not write {path}: {exc.strerror or exc}; check the folder exists and is writable")


def parse_mapping(pairs: list[str] | None) -> dict[str, str] | None:
    """--map 'COLUMN=ROLE' or 'COLUMN=ROLE:CHANNEL' flags as {column: "role" or "role:channel"}."""
    if not pairs:
        return None
    out = {}
    for pair in pairs:
        column, sep, role = pair.rpartition("=")
        if not sep or not column or not role:
            raise BadMapping(f"--map {pair!r} must look like column=role or column=role:channel, "
                             "e.g. --map 'FB Likes=engagements' or --map 'line1=spend:tv'")
        out[column] = role
    return out


# --- the knowledge base ----------------------------------------------------------------

def cmd_ingest(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    assistant.ensure_ready(_bar("essays"))
    report = assistant.ingest(args.paths, progress=_bar("ingesting"))
    for f in report.files:
        if f.status == "failed":
            print(f"failed     {f.error}", file=sys.stderr)
        else:
            print(f"{f.status:<10} {f.path}  ({f.passages} passages, {f.embedded} embedded)")
    print(f"{len(report.files) - len(report.failed)} of {len(report.files)} files in workspace "
          f"{assistant.settings.workspace!r}, {report.seconds:.1f}s")
    return 1 if report.failed else 0


def cmd_remove(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    for source_id in args.source_ids:
        n = assistant.remove_document(source_id)
        print(f"removed {source_id} ({n} passages) from workspace {assistant.settings.workspace!r}")
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
        _print_json(rows)
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
        _print_json(info)
        return 0
    print(f"store:     {info['store']}")
    print(f"workspace: {info['workspace']}  (all: {', '.join(info['workspaces'])})")
    print(f"passages:  {info['passages']}")
    for d in info["documents"]:
        scope = "shared" if d["shared"] else "team  "
        print(f"  {scope} {d['kind']:<8} {d['passages']:>4} passages  {d['source_id']}  — {d['title']}")
    return 0


class _StopServer(Exception):
    """SIGTERM, SIGINT or SIGHUP reached `claimcheck serve`: its server is to stop too."""


def _stop_server(proc: subprocess.Popen, sig: int, grace: float = 15.0) -> None:
    """Pass ``sig`` to the server's whole process group; SIGKILL what is left after ``grace`` seconds."""
    try:
        os.killpg(proc.pid, sig)
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        proc.wait()


def cmd_serve(args: argparse.Namespace) -> int:
    """Run Streamlit in a process group of its own and take it down with us, so no server keeps the port."""
    settings = Settings.from_env()
    app = PACKAGE_ROOT / "ui" / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
           "--server.address", args.address, "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.maxUploadSize", str(settings.max_upload_mb)]
    stops = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)

    def stop(signum: int, frame: object) -> None:
        for s in stops:  # one stop at a time: a second signal waits for the first to finish
            signal.signal(s, signal.SIG_IGN)
        raise _StopServer(signum)

    previous = {s: signal.signal(s, stop) for s in stops}
    proc: subprocess.Popen | None = None
    try:
        print(f"Claimcheck on http://{args.address}:{args.port}", flush=True)
        proc = subprocess.Popen(cmd, start_new_session=True)
        code = proc.wait()
        return code if code >= 0 else 128 - code
    except _StopServer as requested:
        if proc is not None:
            _stop_server(proc, requested.args[0])
        return 0
    finally:
        if proc is not None and proc.poll() is None:
            _stop_server(proc, signal.SIGTERM)
        for s, handler in previous.items():
            signal.signal(s, handler)


# --- asking ----------------------------------------------------------------------------

def _print_answer(answer) -> None:
    print(answer.answer)
    if answer.evidence:
        print("\nEvidence:")
        for e in answer.evidence:
            where = f" chars {e.start}-{e.end}" if e.start is not None else ""
            print(f"  [{e.id}] {e.stance:<11} weight {e.weight:.2f}  {e.kind}: {e.source}{where}")


def cmd_ask(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    if args.batch:
        return _batch(assistant, Path(args.batch))
    if not args.question:
        raise BadInput("give a question, or --batch FILE with one JSON question per line")
    for path in args.data or []:
        assistant.add_data(path, mapping=parse_mapping(args.map))
    answer = assistant.ask(args.question)
    if args.json:
        _print_json(answer.to_dict(), indent=None)
    else:
        _print_answer(answer)
    return 0


def _batch(assistant, path: Path) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the batch file ({exc.strerror})") from exc
    failed = 0
    conversations: dict[str, object] = {}
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
            workspace = item.get("workspace")
            for data_path in item.get("data") or []:
                assistant.add_data(data_path, workspace=workspace)
            conversation = (conversations.setdefault(str(item["conversation"]), assistant.new_conversation())
                            if item.get("conversation") else None)
            out = {"id": item_id, **assistant.ask(item["question"], workspace=workspace,
                                                  conversation=conversation).to_dict()}
        except ClaimcheckError as exc:
            failed += 1
            out = {"id": item_id, "error": str(exc) if str(exc).startswith(str(path)) else f"{path}:{number}: {exc}"}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation.evaluate import default_data_questions, default_split, format_report

    path = Path(args.file)
    split = Path(args.split) if args.split else default_split(path)
    if args.choose_bands or args.choose_thresholds:
        flag = "--choose-bands" if args.choose_bands else "--choose-thresholds"
        if split is None:
            raise BadInput(f"{flag} needs a split file (--split, or split.json beside FILE)")
        assistant = _assistant(args)
        _print_json((assistant.choose_bands if args.choose_bands else assistant.choose_thresholds)(path, split))
        return 0
    data_questions = Path(args.data_questions) if args.data_questions else default_data_questions(path)
    bundled = path.resolve().parent == (PACKAGE_ROOT / "corpus" / "eval").resolve()
    external = (Path(args.stance_set) if args.stance_set else
                PACKAGE_ROOT.parent / "shared" / "data" / "perspectrum" if bundled else None)
    team, team_questions = path.with_name("team_stance.jsonl"), path.with_name("team_questions.jsonl")
    triples = path.with_name("paraphrase_triples.jsonl")
    assistant = _assistant(args, catalogue="off" if args.no_catalogue else None)
    report = assistant.evaluate(path, baseline=not args.no_baseline, split=split,
                                data_questions=data_questions,
                                external_stance_set=external if external and (external / "test.jsonl").exists() else None,
                                team_stance_set=team if team.exists() else None,
                                team_questions=team_questions if team_questions.exists() else None,
                                paraphrases=triples if triples.exists() else None)
    if args.json:
        _print_json(report)
    else:
        print(format_report(report))
    return 0


# --- a team's data ---------------------------------------------------------------------

def _print_report(report) -> None:
    print(f"## {report.file}\n{report.description}")
    for f in report.findings:
        print(f"- {f.sentence}\n  method: {f.method}; n = {f.n}; rows {f.rows}\n  caveat: {f.caveat}")


def cmd_data(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    workspace = assistant.settings.workspace
    if args.action in ("add", "remove", "export") and not args.file:
        raise BadInput(f"data {args.action} needs a FILE" + (" (the name `claimcheck data list` shows)"
                                                              if args.action == "remove" else ""))
    if args.action == "export":
        table = assistant.model_input(args.file, args.format, mapping=parse_mapping(args.map))
        text = table.to_csv(index=False, lineterminator="\n")
        if args.output:
            write_atomically(Path(args.output), text)
            print(f"wrote {len(table)} rows for {args.format} to {args.output}")
        else:
            sys.stdout.write(text)
        return 0
    if args.action == "add":
        report = assistant.add_data(args.file, mapping=parse_mapping(args.map))
        if args.json:
            _print_json(report.to_dict())
            return 0
        if report.file != Path(args.file).name:  # the same content is already stored under another name
            print(report.notes[0])
            return 0
        print(report.description)
        for note in report.notes:
            if note not in report.description:
                print(note)
        for p in report.problems:
            print(f"  problem: row {p['row']}, column {p['column']!r}: {p['message']}")
        for f in report.findings:
            print(f"  finding: {f.sentence}")
        print(f"{len(report.findings)} findings stored in workspace {workspace!r}")
    elif args.action == "list":
        files = assistant.data_files()
        if args.json:
            _print_json([d.to_dict() for d in files])
            return 0
        for d in files:
            print(f"{d.file}  {d.layout}/{d.period}  rows {d.rows_used}/{d.rows_read}  {len(d.findings)} findings")
    elif args.action == "show":
        reports = [assistant.data_file(args.file)] if args.file else assistant.data_files()
        if args.json:
            _print_json(reports[0].to_dict() if args.file else [d.to_dict() for d in reports])
            return 0
        for report in reports:
            _print_report(report)
    elif args.action == "remove":
        n = assistant.remove_data(args.file)
        print(f"removed {args.file} and its {n} findings")
    return 0


# --- workspace members (the administrator's tool: it checks no membership) --------------

def cmd_access(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    if args.action == "grant":
        member = assistant.grant(args.workspace_name, args.member, args.role)
        print(f"{member.member} is now {member.role} of {args.workspace_name}")
    elif args.action == "revoke":
        removed = assistant.revoke(args.workspace_name, args.member)
        print(f"{args.member} removed from {args.workspace_name}" if removed
              else f"{args.member} was not a member of {args.workspace_name}; nothing changed")
    else:
        members = assistant.members(args.workspace_name)
        if args.json:
            _print_json([{"member": m.member, "role": m.role} for m in members])
        elif not members:
            print(f"{args.workspace_name} has no members yet: only this command line can open it "
                  f"(claimcheck access grant {args.workspace_name} EMAIL --role owner)")
        else:
            for m in members:
                print(f"{m.role:<7} {m.member}")
    return 0


# --- the parser ------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimcheck", description="Check marketing claims against weighed evidence.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, fn: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help, description=help)
        command.set_defaults(fn=fn)
        command.add_argument("--workspace", "-w", help="team workspace (default: CLAIMCHECK_WORKSPACE or 'default')")
        return command

    command = add("ingest", cmd_ingest, "Add documents (Markdown, text, PDF, DOCX, HTML; files or folders).")
    command.add_argument("paths", nargs="+")
    command = add("remove", cmd_remove, "Remove documents a team added (by the id `claimcheck status` shows).")
    command.add_argument("source_ids", nargs="+", metavar="SOURCE_ID")
    command = add("search", cmd_search, "Print the passages that best match a query.")
    command.add_argument("query")
    command.add_argument("--k", type=int, default=5, help="how many passages (default 5)")
    command.add_argument("--json", action="store_true", help="print a JSON list")
    command = add("status", cmd_status, "Show what is in the knowledge base.")
    command.add_argument("--json", action="store_true")
    command = add("serve", cmd_serve, "Start the Streamlit app.")
    command.add_argument("--port", type=int, default=8501)
    command.add_argument("--address", default="127.0.0.1")
    command = add("ask", cmd_ask, "Ask about a marketing claim: a verdict, cited evidence and advice.")
    command.add_argument("question", nargs="?")
    command.add_argument("--json", action="store_true", help="print one JSON object (the documented contract)")
    command.add_argument("--batch", metavar="FILE", help="JSON Lines of {id, question, workspace?, data?}")
    command.add_argument("--data", nargs="*", metavar="FILE", help="metrics exports to add to the workspace first")
    command.add_argument("--map", action="append", metavar="COLUMN=ROLE[:CHANNEL]",
                         help="override a guessed column role, and the channel it measures (e.g. 'line1=spend:tv')")
    command = add("eval", cmd_eval, "Score a question set: citations, verdicts, verbatim quotes, latency.")
    command.add_argument("file")
    command.add_argument("--json", action="store_true")
    command.add_argument("--no-baseline", action="store_true", help="skip the LangChain-tutorial baseline")
    command.add_argument("--no-catalogue", action="store_true",
                         help="the ablation: answer without the curated claims (CLAIMCHECK_CATALOGUE=off)")
    command.add_argument("--split", metavar="SPLIT_JSON",
                         help="report the development and held-out halves too (default: split.json beside FILE)")
    command.add_argument("--data-questions", metavar="FILE",
                         help="questions about sample exports (default: data_questions.jsonl beside FILE)")
    command.add_argument("--stance-set", metavar="DIR",
                         help="Perspectrum folder for the external stance test (default, for the bundled set: "
                              "../shared/data/perspectrum)")
    command.add_argument("--choose-bands", action="store_true",
                         help="pick the verdict bands on the development half (held-out printed, never used)")
    command.add_argument("--choose-thresholds", action="store_true",
                         help="answer every set under each candidate cut-off (match, neighbours, passages; 25 "
                              "runs) and pick on the development sets (held-out printed, never used)")
    command = add("data", cmd_data, "A team's metrics exports: add, list, show, remove; export one as a media-mix "
                                    "tool's input.")
    command.add_argument("action", choices=["add", "list", "show", "remove", "export"])
    command.add_argument("file", nargs="?")
    command.add_argument("--format", choices=["pymc-marketing", "meridian"], default="pymc-marketing",
                         help="export: the tool whose input table to write (default pymc-marketing)")
    command.add_argument("--output", metavar="CSV", help="export: write here instead of to standard output")
    command.add_argument("--map", action="append", metavar="COLUMN=ROLE[:CHANNEL]",
                         help="override a guessed column role, and the channel it measures (e.g. 'line1=spend:tv')")
    command.add_argument("--json", action="store_true", help="print JSON (add, list and show)")
    access = sub.add_parser("access", help="Workspace members: grant, revoke, list (no sign-in needed here).",
                            description="Who may open a workspace in the app when sign-in is configured. Members are "
                                        "e-mail addresses or group:NAME (the sign-in provider's group claim); roles: "
                                        "viewer (ask, read), editor (also add and remove), owner (also members).")
    actions = access.add_subparsers(dest="action", required=True)
    for action, help in (("grant", "Add a member or change their role."), ("revoke", "Remove a member."),
                         ("list", "List a workspace's members.")):
        command = actions.add_parser(action, help=help, description=help)
        command.set_defaults(fn=cmd_access)
        command.add_argument("workspace_name", metavar="WORKSPACE")
        if action != "list":
            command.add_argument("member", metavar="MEMBER", help="alice@example.com or group:marketing")
        if action == "grant":
            command.add_argument("--role", required=True, choices=["viewer", "editor", "owner"])
        if action == "list":
            command.add_argument("--json", action="store_true", help='print a JSON list of {"member", "role"}')
    return parser


def main(argv: list[str] | None = None) -> int:
    offline_environment()
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
