"""Nothing reaches the network: ingesting and searching open no connection.

A child process runs the real CLI under an audit hook that records every
socket connect and name lookup; the test fails on any of them.
"""
from __future__ import annotations

import os
import subprocess
import sys

GUARD = r"""
import sys
seen = []
def hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        seen.append((event, repr(args)[:200]))
sys.addaudithook(hook)
from assistant.cli import main
codes = [main(["ingest", sys.argv[1]]), main(["search", "trust comes from peers", "--k", "3"])]
print("CODES", codes)
print("NETWORK", seen)
"""


def test_ingest_and_search_open_no_network_connection(tmp_path):
    doc = tmp_path / "memo.md"
    doc.write_text("Referral rewards grew our repeat orders.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMCHECK_")}
    env.update(CLAIMCHECK_HOME=str(tmp_path / "home"))
    env.pop("HF_HUB_OFFLINE", None)  # the CLI must set offline mode itself
    out = subprocess.run([sys.executable, "-c", GUARD, str(doc)], capture_output=True, text=True, env=env,
                         timeout=300)
    assert "CODES [0, 0]" in out.stdout, out.stderr[-2000:]
    assert "NETWORK []" in out.stdout
