"""A team's own metrics: exports in, findings out.

In scope: reading an export's bytes, recognising its columns, tidying it into
one frame, the findings computed from it, and storing files and findings per
workspace. Out of scope: which claim a finding bears on (``answering``).
"""

from __future__ import annotations

import importlib
from typing import Any

# Re-exported lazily: a question is answered from stored findings without loading pandas and the readers.
_HOME = {"DataReport": "datasets", "add_data": "datasets", "get_data": "datasets", "list_data": "datasets",
         "load_findings": "datasets", "remove_data": "datasets", "analyse": "findings", "Column": "table",
         "Table": "table", "read_table": "table"}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
