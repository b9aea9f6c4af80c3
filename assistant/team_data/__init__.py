"""A team's own metrics: exports in, findings out.

In scope: reading an export's bytes, recognising its columns, tidying it into
one frame, the findings computed from it, and storing files and findings per
workspace. Out of scope: which claim a finding bears on (``answering``).
"""

from .datasets import (
           DataReport,
           add_data,
           get_data,
           list_data,
           load_findings,
           remove_data,
)
from .findings import analyse
from .table import Column, Table, read_table

__all__ = ["Column", "DataReport", "Table", "add_data", "analyse", "get_data", "list_data", "load_findings",
           "read_table", "remove_data"]
