"""Run several `claimcheck` command lines in one real process: ``python -m tests.cli_batch`` reads a JSON
list of argument lists on stdin and prints a JSON list of {"returncode", "stdout", "stderr"}.

Each command goes through the same ``main`` a user's `claimcheck` runs, with its own captured output and
exit code; an exception that escapes ``main`` is recorded as the traceback a user would have seen. One
process instead of one per command saves loading the embedding stack a dozen times.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback

from assistant.cli import main


def run(argv: list[str]) -> dict:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001 - a traceback is exactly what the test must see
            traceback.print_exc()
            code = 1
    return {"returncode": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


if __name__ == "__main__":
    print(json.dumps([run(argv) for argv in json.load(sys.stdin)]))
