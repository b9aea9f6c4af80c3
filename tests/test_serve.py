"""`claimcheck serve` takes its Streamlit server down with it (assistant/cli.py, cmd_serve).

Stopped with SIGTERM (a service manager, `kill PID`) or SIGINT (Ctrl-C), the
command stops the server it started, exits cleanly, and leaves no process
behind holding the port. Real processes throughout: `claimcheck serve` as
installed in the virtualenv, a real Streamlit server on a free loopback port.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.appdriver import ROOT, free_port

CLAIMCHECK = Path(sys.executable).with_name("claimcheck")


def answers(url: str) -> bool:
    """True when the app's health check answers."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def stat_fields(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name: state, parent pid, ...; None when there is no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := stat_fields(int(entry.name))) and fields[1] == str(pid):
            found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    """Alive, not a zombie."""
    fields = stat_fields(pid)
    return fields is not None and fields[0] != "Z"


def port_free(port: int) -> bool:
    """Whether a new server could listen on the port now (a closed connection lingering in TIME_WAIT is fine)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
        return True


def kill_group(pid: int) -> None:
    """SIGKILL a process group this test started, if any of it is left."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_claimcheck_serve_stops_its_server_and_frees_the_port(tmp_path, sig):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CLAIMCHECK_HOME": str(tmp_path / "home")}
    env.pop("CLAIMCHECK_CHROMA_URL", None)
    env.pop("CLAIMCHECK_WORKSPACE", None)
    log_path = tmp_path / "serve.log"
    servers: list[int] = []
    with open(log_path, "w") as log:
        proc = subprocess.Popen([str(CLAIMCHECK), "serve", "--port", str(port), "--address", "127.0.0.1"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while not answers(url):
                assert proc.poll() is None, f"claimcheck serve exited early: {log_path.read_text()}"
                assert time.monotonic() < deadline, "the app did not answer /_stcore/health within 120 s"
                time.sleep(0.2)
            servers = children(proc.pid)
            assert servers, "claimcheck serve runs the Streamlit server as its child"

            proc.send_signal(sig)  # to claimcheck alone, as `kill PID` or a service manager does
            try:
                code = proc.wait(60)
            except subprocess.TimeoutExpired:
                pytest.fail(f"claimcheck serve was still running 60 s after {sig.name}")
            assert code == 0, f"a requested stop is a clean exit, not {code}: {log_path.read_text()}"
            assert not [pid for pid in servers if running(pid)], "no Streamlit server is left running"
            assert not answers(url), "nothing answers on the app's address any more"
            assert port_free(port), f"port {port} is free for the next start"
        finally:
            for pid in servers:
                if running(pid):
                    kill_group(pid)
            if proc.poll() is None:
                kill_group(proc.pid)
                proc.wait(30)
