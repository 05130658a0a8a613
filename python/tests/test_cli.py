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


def run_json(*args):
    """Runs the CLI with --json; its stdout must be exactly one JSON object."""
    proc = run(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert isinstance(out, dict)
    return out


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


def test_cli_json_agrees_with_the_python_api(cli, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("id,age\n" + "".join(f"{i},{20 + i}\n" for i in range(6)))
    knows = tmp_path / "knows.csv"
    knows.write_text("source,target\n0,1\n1,2\n2,0\n3,4\n")
    path = str(tmp_path / "db")
    imported = run_json(cli, "import", path, "--label", "Person", "--nodes", str(people),
                        "--key", "id", "--edges", str(knows), "--type", "KNOWS")
    assert (imported["nodes_added"], imported["edges_added"]) == (6, 4)
    assert [f["rows"] for f in imported["files"]] == [6, 4]
    with nendb.open(path) as db:
        E = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.5, 0.5], [-1, 0], [0.7, 0.3]], np.float32)
        with db.write() as tx:
            for i in range(6):
                tx.set_property(db.find("Person", i), "embedding", E[i])
        rank = db.pagerank()
        wcc = db.wcc()
        ids, dists = db.knn(np.array([1, 0], np.float32), k=3, metric="l2")
        sequence = db.stats()["sequence"]

    info = run_json(cli, "info", path)
    assert (info["nodes"], info["edges"], info["edge_types"]) == (6, 4, ["KNOWS"])
    assert info["stats"]["sequence"] == sequence
    columns = {c["name"]: c for c in info["labels"][0]["columns"]}
    assert columns["age"]["type"] == "int64"
    assert (columns["embedding"]["type"], columns["embedding"]["dim"]) == ("vector", 2)

    check = run_json(cli, "check", path)
    assert check["ok"] is True and check["problems"] == []

    top = run_json(cli, "algo", path, "pagerank", "--top", "6")["top"]
    assert sorted(t["node"] for t in top) == list(range(6))
    assert [t["score"] for t in top] == pytest.approx([rank[t["node"]] for t in top])
    assert [t["score"] for t in top] == sorted((t["score"] for t in top), reverse=True)
    groups = run_json(cli, "algo", path, "wcc")
    assert groups["groups"] == len(set(wcc)) == 3
    assert [g["nodes"] for g in groups["largest"]] == [3, 2, 1]

    hits = run_json(cli, "knn", path, "--vector", "1,0", "-k", "3", "--metric", "l2")["hits"]
    assert [h["node"] for h in hits] == list(ids)
    assert [h["distance"] for h in hits] == pytest.approx(list(dists))
    assert hits[0]["name"] == "Person:0"


def test_cli_json_failure_leaves_stdout_empty(cli, tmp_path):
    missing = str(tmp_path / "missing")
    for args in (["info", missing], ["check", missing], ["algo", missing, "wcc"],
                 ["knn", missing, "--vector", "1,0"],
                 ["import", missing, "--nodes", str(tmp_path / "none.csv"), "--label", "X"]):
        proc = run(cli, *args, "--json")
        assert proc.returncode == 2, args
        assert proc.stdout == "", args
        assert proc.stderr.startswith("nendb: "), args


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
