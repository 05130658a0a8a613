"""Durability across processes: the issue's must-show (write, close, reopen
in a new process, read everything back unchanged), checkpoints, and a
read-only reader process beside a writer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import nendb
from conftest import run_python

WRITER = """
import json, sys
import numpy as np
import nendb

path = sys.argv[1]
rng = np.random.default_rng(42)
emb = rng.standard_normal((100, 8)).astype(np.float32)
with nendb.open(path) as db:
    with db.write() as tx:
        tx.define_label("Paper", {
            "title": nendb.Property("string", required=True),
            "year": "int64",
            "score": "float64",
            "open": "bool",
            "embedding": "vector[8]",
        })
        alice = tx.add_node(["Person", "Author"], key="alice",
                            props={"age": 30, "height": 1.68, "vip": True,
                                   "bio": "likes graphs \u2013 and \u65e5\u672c"})
    papers = db.add_nodes("Paper", keys=np.arange(100), props={
        "title": [f"paper {i}" for i in range(100)],
        "year": np.arange(1950, 2050),
        "score": np.linspace(0, 1, 100),
        "open": np.arange(100) % 2 == 0,
        "embedding": emb,
    })
    cites = db.add_edges(papers[1:], papers[:-1], "CITES", weight=np.arange(1, 100) / 10,
                         props={"context": ["intro"] * 99})
    with db.write() as tx:
        wrote = [tx.add_edge(alice, int(p), "WROTE", props={"order": i})
                 for i, p in enumerate(papers[:3])]
        tx.delete_node(int(papers[99]), detach=True)
expected = {"alice": alice, "papers": papers.tolist(), "cites": cites.tolist(), "wrote": wrote}
print(json.dumps(expected))
"""


def dump(db):
    """Everything in the database, as plain Python values."""
    out = {"labels": sorted(db.labels()), "types": sorted(db.edge_types()),
           "num_nodes": db.num_nodes, "num_edges": db.num_edges, "nodes": {}, "edges": {},
           "schema": {l: db.label_info(l) for l in db.labels()}}
    for label in db.labels():
        for n in db.nodes(label).tolist():
            d = db.node(n)
            d["properties"] = {k: (v.tolist() if isinstance(v, np.ndarray) else v)
                               for k, v in d["properties"].items()}
            out["nodes"][n] = d
    e = db.edges()
    for i in e["id"].tolist():
        out["edges"][i] = db.edge(i)
    return out


def test_write_close_reopen_in_a_new_process(tmp_path):
    path = str(tmp_path / "papers.nendb")
    ids = json.loads(run_python(WRITER, path).stdout)
    rng = np.random.default_rng(42)
    emb = rng.standard_normal((100, 8)).astype(np.float32)

    reader = textwrap.dedent("""
        import json, sys
        import numpy as np
        import nendb
        sys.path.insert(0, sys.argv[2])
        from test_persistence import dump
        with nendb.open(sys.argv[1], read_only=True) as db:
            print(json.dumps(dump(db)))
    """)
    proc = subprocess.run([sys.executable, "-c", reader, path, os.path.dirname(__file__)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)

    # And once more in this process: the same answers.
    with nendb.open(path) as db:
        here = json.loads(json.dumps(dump(db)))
        assert here == got
        alice = db.find("Author", "alice")
        assert alice == ids["alice"] and db.find("Person", "alice") == alice
        node = db.node(alice)
        assert node["labels"] == ["Person", "Author"] and node["key"] == "alice"
        assert node["properties"] == {"age": 30, "height": 1.68, "vip": True,
                                      "bio": "likes graphs \u2013 and \u65e5\u672c"}
        assert db.num_nodes == 100 and db.num_edges == 98 + 3
        papers = ids["papers"]
        for i in (0, 42, 98):
            p = db.node(papers[i])
            assert p["key"] == i
            assert p["properties"]["title"] == f"paper {i}"
            assert p["properties"]["year"] == 1950 + i
            assert p["properties"]["score"] == pytest.approx(np.linspace(0, 1, 100)[i], abs=0)
            assert p["properties"]["open"] == (i % 2 == 0)
            emb_i = p["properties"]["embedding"]
            assert emb_i.dtype == np.float32
            np.testing.assert_array_equal(emb_i, emb[i])
            assert db.find("Paper", i) == papers[i]
        assert db.find("Paper", 99) is None  # deleted before closing
        cols = {c["name"]: c for c in db.label_info("Paper")["columns"]}
        assert cols["title"]["required"] and cols["embedding"]["type"] == "vector[8]"
        e = db.edge(ids["cites"][5])
        assert e == {"id": ids["cites"][5], "source": papers[6], "target": papers[5],
                     "type": "CITES", "weight": 0.6, "properties": {"context": "intro"}}
        assert db.edge(ids["wrote"][2])["properties"] == {"order": 2}
        assert db.neighbors(alice, edge_type="WROTE").tolist() == papers[:3]
        assert db.check().startswith("ok")
        # The schema still holds after the reopen.
        with pytest.raises(nendb.ConstraintError):
            with db.write() as tx:
                tx.add_node("Paper", key=1000, props={"year": 1})


def test_checkpoint_and_reopen(path):
    db = nendb.open(path, sync="normal")
    db.add_nodes("N", keys=np.arange(5))
    db.checkpoint()
    gen = db.stats()["snapshot_generation"]
    assert gen >= 1 and db.stats()["snapshot_file_bytes"] > 0
    db.add_nodes("N", keys=np.arange(5, 10))
    db.close()
    with nendb.open(path) as db:
        assert db.num_nodes == 10 and db.find("N", 9) is not None
        # Close synced the small log rather than rewriting the snapshot; the
        # second batch came back from the log.
        st = db.stats()
        assert st["snapshot_generation"] == gen and st["log_bytes"] > 64
        db.checkpoint()
        st = db.stats()
        assert st["snapshot_generation"] == gen + 1 and st["log_bytes"] == 64
    with nendb.open(path) as db:
        assert db.num_nodes == 10 and db.stats()["snapshot_generation"] == gen + 1


def test_reader_process_beside_a_writer(path):
    db = nendb.open(path)
    db.add_nodes("N", keys=np.arange(3))
    db.checkpoint()
    code = """
        import sys, nendb
        with nendb.open(sys.argv[1], read_only=True) as r:
            print(r.num_nodes, r.find("N", 2))
            try:
                r.write()
            except nendb.ReadOnlyError:
                print("read-only")
    """
    out = run_python(code, path).stdout.split("\n")
    assert out[0] == "3 2" and out[1] == "read-only"
    db.close()


def test_busy_writer_in_another_process(path):
    db = nendb.open(path)
    tx = db.write()  # holds the write lock of every process until it ends
    tx.add_node("N", key=1)
    code = """
        import sys, nendb
        db = nendb.open(sys.argv[1], busy_timeout=0.2)  # opening is fine
        try:
            db.write()
        except nendb.BusyError as e:
            print("busy:", e)
    """
    out = run_python(code, path).stdout
    tx.commit()
    db.close()
    assert out.startswith("busy:") and f"pid {os.getpid()}" in out, out


def test_unclosed_database_is_closed_at_exit(path):
    code = """
        import sys, nendb
        db = nendb.open(sys.argv[1])
        db.add_nodes("N", keys=[1, 2, 3])
        # no close(): the atexit hook closes (and checkpoints) it
    """
    run_python(code, path)
    with nendb.open(path) as db:
        assert db.num_nodes == 3


def test_full_sync_commit_survives_kill_9(path):
    code = """
        import os, sys, nendb
        db = nendb.open(sys.argv[1], sync="full")
        with db.write() as tx:
            tx.add_node("X", key=1)
        os.kill(os.getpid(), 9)
    """
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code), path],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9
    with nendb.open(path) as db:
        assert db.find("X", 1) is not None


def test_reader_sees_commits_of_a_writer_process(path):
    with nendb.open(path) as db:
        db.add_nodes("N", count=1)
    reader = nendb.open(path, read_only=True)
    try:
        assert reader.num_nodes == 1
        run_python("""
            import sys, nendb
            with nendb.open(sys.argv[1]) as db:
                db.add_nodes("N", count=2)
        """, path)
        assert reader.num_nodes == 3
    finally:
        reader.close()


def test_exit_with_an_uncommitted_write_transaction(path):
    code = """
        import sys, nendb
        db = nendb.open(sys.argv[1])
        db.add_nodes("N", count=2)
        tx = db.write()
        tx.add_node("Lost")
        # exit without commit: rolled back, the database still closes promptly
    """
    import time

    start = time.monotonic()
    proc = run_python(code, path)
    assert time.monotonic() - start < 4.5, "exit waited for the busy timeout"
    assert "failed" not in proc.stderr
    with nendb.open(path) as db:
        assert db.num_nodes == 2 and "Lost" not in db.labels()
