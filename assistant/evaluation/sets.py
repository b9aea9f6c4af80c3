"""Reading an evaluation set: one JSON object per line, each with the fields it must have."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import BadInput


def read_jsonl(path: Path, required: tuple[str, ...] = ()) -> list[dict]:
    """Every non-blank line's object; a bad line is one clear message naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the set ({exc.strerror})") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                item = json.loads(line)
            except ValueError as exc:
                raise BadInput(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
            missing = [key for key in required if not isinstance(item, dict) or key not in item]
            if missing:
                raise BadInput(f"{path}:{n}: each line needs " + " and ".join(f'"{k}"' for k in required))
            out.append(item)
    return out
