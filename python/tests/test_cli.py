"""The `nendb` command-line program is installed on PATH by `pip install .`
and reads databases the Python package writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig

import numpy as np
import pytest

import nendb


def find_cli():
    exe = os.path.join(sysconfig.get_path("scripts"), "nendb")
    return exe if os.path.exists(exe) else shutil.which("nendb")


@pytest.fixture
def cli():
    exe = find_cli()
    if exe is None:
        pytest.skip("the nendb CLI target (src/cli, nendb_cli) was not built into this install")
    return exe


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60)


def test_cli_is_on_path(cli):
    assert shutil.which("nendb") is not None, "nendb is installed but not on PATH"
    proc = run(cli, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "nendb" in proc.stdout


def test_cli_reads_what_python_wrote(cli, path):
    if "info" not in run(cli, "--help").stdout:
        pytest.skip("this build of the CLI has no info command yet")
    with nendb.open(path) as db:
        ids = db.add_nodes("P", keys=np.arange(5))
        db.add_edges(ids[:-1], ids[1:], "NEXT")
    proc = run(cli, "info", path, "--json")
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["nodes"] == 5 and info["edges"] == 4
    proc = run(cli, "check", path)
    assert proc.returncode == 0 and "ok" in proc.stdout
