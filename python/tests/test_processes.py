"""Several processes on one database: multiprocessing workers that write and
read it at once, a read-only CLI beside a writing process, and handles
inherited by a forked child."""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import subprocess
import sys

import pytest

import nendb
from nendb import errors


def _writer(path: str, worker: int, txns: int) -> None:
    with nendb.open(path, busy_timeout=30) as db:
        for i in range(txns):
            with db.write() as tx:
                a = tx.add_node("Item", key=worker * 100_000 + i, props={"worker": worker})
                c = tx.add_node("Check", key=worker * 100_000 + i, props={"item": a})
                tx.add_edge(c, a, "OF")


def _reader(path: str, rounds: int, out) -> None:
    seen = []
    with nendb.open(path, read_only=True) as db:
        for _ in range(rounds):
            with db.read() as r:
                # Every transaction adds one Item and one Check together.
                items, checks = r.label_info("Item")["num_nodes"], r.label_info("Check")["num_nodes"]
                assert items == checks, (items, checks)
                seen.append(items)
    out.put(seen)


def test_multiprocessing_workers_write_and_read_one_database(tmp_path):
    path = str(tmp_path / "db")
    with nendb.open(path) as db:
        with db.write() as tx:
            a = tx.add_node("Item", key=-1)
            tx.add_edge(tx.add_node("Check", key=-1), a, "OF")
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    writers = [ctx.Process(target=_writer, args=(path, w, 60)) for w in range(2)]
    readers = [ctx.Process(target=_reader, args=(path, 200, results)) for _ in range(2)]
    for p in writers + readers:
        p.start()
    seen = [results.get(timeout=120) for _ in readers]
    for p in writers + readers:
        p.join(timeout=120)
        assert p.exitcode == 0
    for counts in seen:
        assert counts == sorted(counts)  # a reader never goes back in time
    with nendb.open(path) as db:
        assert db.stats()["num_nodes"] == 2 * (1 + 2 * 60)
        assert db.check().startswith("ok")


def test_cli_reads_while_a_process_writes(tmp_path):
    path = str(tmp_path / "db")
    code = """
import sys, time, nendb
with nendb.open(sys.argv[1]) as db:
    print("ready", flush=True)
    for i in range(400):
        with db.write() as tx:
            tx.add_node("N", key=i)
        if i % 100 == 99:
            db.checkpoint()
"""
    writer = subprocess.Popen([sys.executable, "-c", code, path], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "ready"
    counts = []
    while writer.poll() is None:
        out = subprocess.run(["nendb", "info", "--json", path], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        counts.append(json.loads(out.stdout)["nodes"])
    assert writer.wait() == 0
    assert counts and counts == sorted(counts)
    out = subprocess.run(["nendb", "check", path], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_opens_its_own_handle(tmp_path):
    path = str(tmp_path / "db")
    db = nendb.open(path)
    db.add_nodes("N", keys=[1, 2])
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            try:
                db.num_nodes
            except errors.ClosedError as e:
                if "forked" in str(e):
                    with nendb.open(path) as own:
                        code = 0 if own.num_nodes == 2 else 3
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    db.add_nodes("N", keys=[3])  # the parent's handle is untouched
    assert db.num_nodes == 3
    db.close()
