"""Context managers, own-writes visibility, snapshot isolation, finished
transactions, the single writer and threads."""

from __future__ import annotations

import threading
import time

import pytest

import nendb
from nendb import errors


def test_write_commits_on_exit(mem):
    with mem.write() as tx:
        a = tx.add_node("X", key="a")
        assert not tx.closed
    assert tx.closed
    assert mem.find("X", "a") == a
    assert mem.sequence == 1


def test_write_rolls_back_on_exception(mem):
    with mem.write() as tx:
        tx.add_node("X", key="kept")
    with pytest.raises(RuntimeError, match="boom"):
        with mem.write() as tx:
            tx.add_node("X", key="lost")
            tx.set_property(0, "p", 1)
            raise RuntimeError("boom")
    assert tx.closed
    assert mem.find("X", "lost") is None
    assert mem.node(0)["properties"] == {}
    assert mem.num_nodes == 1
    # The writer slot was released: a new write transaction starts at once.
    with mem.write() as tx:
        tx.add_node("X", key="next")
    assert mem.num_nodes == 2


def test_nendb_error_inside_block_rolls_back(mem):
    with pytest.raises(errors.ConstraintError):
        with mem.write() as tx:
            tx.add_node("X", key="a")
            tx.add_node("X", key="a")
    assert mem.num_nodes == 0


def test_explicit_commit_and_rollback(mem):
    tx = mem.write()
    a = tx.add_node("X")
    tx.commit()
    assert tx.closed and mem.has_node(a)
    with pytest.raises(errors.ClosedError, match="closed"):
        tx.add_node("X")
    with pytest.raises(errors.ClosedError):
        tx.commit()
    tx.rollback()  # idempotent on a finished transaction

    tx = mem.write()
    b = tx.add_node("X")
    tx.rollback()
    assert not mem.has_node(b) and mem.num_nodes == 1
    with pytest.raises(errors.ClosedError):
        tx.node(a)

    tx = mem.write()
    tx.add_node("X")
    tx.close()  # close without commit rolls back
    assert mem.num_nodes == 1


def test_commit_inside_block_is_fine(mem):
    with mem.write() as tx:
        tx.add_node("X")
        tx.commit()
    assert mem.num_nodes == 1


def test_write_sees_its_own_writes(mem):
    with mem.write() as tx:
        a = tx.add_node("P", key="a", props={"v": 1})
        b = tx.add_node("P", key="b")
        e = tx.add_edge(a, b, "R", weight=3.0)
        assert tx.num_nodes == 2 and tx.num_edges == 1
        assert tx.find("P", "b") == b
        assert tx.node(a)["properties"] == {"v": 1}
        assert tx.edge(e)["weight"] == 3.0
        assert tx.neighbors(a).tolist() == [b]
        assert tx.nodes("P").tolist() == [a, b]
        assert tx.edges()["id"].tolist() == [e]
        assert tx.labels() == ["P"] and tx.edge_types() == ["R"]
        assert tx.label_info("P")["num_nodes"] == 2
        # ... while the database still shows the last commit.
        assert mem.num_nodes == 0 and mem.find("P", "a") is None
    assert mem.num_nodes == 2


def test_read_snapshot_isolation(mem):
    with mem.write() as tx:
        a = tx.add_node("P", key="a", props={"v": 1})
    with mem.read() as r:
        seq = r.sequence
        with mem.write() as tx:
            b = tx.add_node("P", key="b")
            tx.set_property(a, "v", 2)
            tx.add_edge(a, b, "R")
        # The commit is visible to new reads but not to the open snapshot.
        assert mem.num_nodes == 2 and mem.property(a, "v") == 2
        assert r.sequence == seq
        assert r.num_nodes == 1 and r.num_edges == 0
        assert r.find("P", "b") is None
        assert r.property(a, "v") == 1
        assert r.neighbors(a).tolist() == []
        assert not r.has_node(b)
    assert r.closed
    with pytest.raises(errors.ClosedError):
        r.num_nodes
    with mem.read() as r2:
        assert r2.num_nodes == 2 and r2.sequence == seq + 1


def test_read_outlives_database_close(path):
    db = nendb.open(path)
    with db.write() as tx:
        tx.add_node("X")
    r = db.read()
    db.close()
    assert r.num_nodes == 1  # the snapshot stays readable
    r.close()
    with pytest.raises(errors.ClosedError):
        db.read()


def test_one_writer_at_a_time(mem):
    db = nendb.open(":memory:", busy_timeout=0.2)
    try:
        tx = db.write()
        start = time.monotonic()
        with pytest.raises(errors.BusyError, match="busy_timeout|busy timeout"):
            db.write()
        assert time.monotonic() - start >= 0.15
        tx.rollback()
        with db.write() as tx2:  # free again
            tx2.add_node("X")
    finally:
        db.close()


def test_second_writer_waits_for_the_first(mem):
    tx = mem.write()
    order = []

    def second():
        with mem.write() as t2:  # waits with the GIL released
            order.append("second")
            t2.add_node("Y")

    th = threading.Thread(target=second)
    th.start()
    time.sleep(0.2)
    order.append("first")
    tx.add_node("X")
    tx.commit()
    th.join(10)
    assert order == ["first", "second"]
    assert mem.num_nodes == 2


def test_threads_share_a_read_transaction(mem):
    import numpy as np

    ids = mem.add_nodes("N", count=2000)
    mem.add_edges(ids[:-1], ids[1:], "NEXT")
    errors_seen = []
    with mem.read() as r:
        def reader():
            try:
                for i in range(0, 1999, 50):
                    assert r.neighbors(int(ids[i])).tolist() == [ids[i + 1]]
                    assert r.degree(int(ids[i + 1]), "in") == 1
            except Exception as e:  # pragma: no cover - reported below
                errors_seen.append(e)

        threads = [threading.Thread(target=reader) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors_seen == []
    assert isinstance(ids, np.ndarray)


def test_write_transaction_used_from_threads_does_not_crash(mem):
    """A write transaction is for one thread; misuse from several is
    serialized by the binding instead of corrupting memory."""
    tx = mem.write()

    def writer(k):
        for i in range(200):
            tx.add_node("T", key=f"{k}-{i}")

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tx.commit()
    assert mem.num_nodes == 800


def test_database_close_with_open_write_transaction(path):
    db = nendb.open(path, busy_timeout=0.1)
    tx = db.write()
    tx.add_node("X")
    with pytest.raises(errors.BusyError):
        db.close()  # the writer still holds the database
    tx.commit()
    db.close()
    with nendb.open(path) as again:
        assert again.num_nodes == 1
