"""The `nendb` command-line program is installed on PATH by `pip install .`
and reads databases the Python package writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
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


def shell(cli, path, code, *flags):
    """Runs `nendb shell` with this interpreter (it has nendb) and code as stdin."""
    return subprocess.run([cli, "shell", path, *flags], input=code, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "NENDB_PYTHON": sys.executable})


def chain(path, n=5):
    with nendb.open(path) as db:
        ids = db.add_nodes("P", keys=np.arange(n))
        db.add_edges(ids[:-1], ids[1:], "NEXT")


def test_cli_is_on_path(cli):
    assert shutil.which("nendb") is not None, "nendb is installed but not on PATH"
    proc = run(cli, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "nendb" in proc.stdout


def test_cli_reads_what_python_wrote(cli, path):
    if "info" not in run(cli, "--help").stdout:
        pytest.skip("this build of the CLI has no info command yet")
    chain(path)
    proc = run(cli, "info", path, "--json")
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["nodes"] == 5 and info["edges"] == 4
    proc = run(cli, "check", path)
    assert proc.returncode == 0 and "ok" in proc.stdout


def test_shell_binds_db_nendb_and_np(cli, tmp_path):
    # Quotes, a backslash and shell syntax: the path must reach nendb.open as is,
    # which the banner and the counts show.
    path = str(tmp_path / "it's a \"db\" '''x''' \\n $(x).nendb")
    chain(path)
    proc = shell(cli, path,
                 "print(db.num_nodes)\nprint(db.num_edges, np.__name__, nendb.__name__)\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["5", "4 numpy nendb"]
    assert proc.stderr.splitlines()[0] == f"nendb shell: {path}: 5 nodes, 4 edges"
    assert "db is the open database" in proc.stderr


def test_shell_writes_are_kept_and_read_only_refuses_them(cli, path):
    chain(path)
    proc = shell(cli, path, "db.add_nodes('Q', keys=np.arange(3))\n")
    assert proc.returncode == 0, proc.stderr
    proc = shell(cli, path, "print(db.read_only)\ndb.add_nodes('Q', keys=np.arange(3, 6))\n",
                 "--read-only")
    assert proc.stdout.splitlines() == ["True"]
    assert "(read-only): 8 nodes, 4 edges" in proc.stderr.splitlines()[0]
    assert "ReadOnlyError" in proc.stderr
    with nendb.open(path, read_only=True) as db:
        assert db.num_nodes == 8


def test_shell_of_a_missing_database(cli, tmp_path):
    proc = shell(cli, str(tmp_path / "nope"), "print('not reached')\n")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "does not exist" in proc.stderr
    assert not (tmp_path / "nope").exists()
