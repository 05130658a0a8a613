"""nendb.errors: the hierarchy, each class raised where expected with a
useful message, and bad input that never crashes the interpreter."""

from __future__ import annotations

import glob
import math
import os

import numpy as np
import pytest

import nendb
from nendb import errors


def test_hierarchy():
    E = errors
    for cls in (E.NotFoundError, E.InvalidArgumentError, E.ConstraintError, E.CorruptionError,
                E.BusyError, E.ReadOnlyError, E.IOError, E.ClosedError, E.CapacityError,
                E.CancelledError, E.InternalError):
        assert issubclass(cls, E.NendbError)
        assert cls.__doc__
    assert issubclass(E.NotFoundError, KeyError)
    assert issubclass(E.InvalidArgumentError, ValueError)
    assert issubclass(E.ConstraintError, E.InvalidArgumentError)
    assert issubclass(E.IOError, OSError)
    assert nendb.NotFoundError is E.NotFoundError
    # KeyError's repr-quoting does not apply: str() is the plain message.
    assert str(E.NotFoundError("node 5 does not exist")) == "node 5 does not exist"


def test_not_found(mem):
    with pytest.raises(errors.NotFoundError, match=r"node 42 does not exist") as info:
        mem.node(42)
    assert isinstance(info.value, KeyError)
    with pytest.raises(errors.NotFoundError, match="edge"):
        mem.edge(7)
    with pytest.raises(errors.NotFoundError, match="label"):
        mem.label_info("Ghost")
    with pytest.raises(errors.NotFoundError):
        mem.degree(0)
    with pytest.raises(errors.NotFoundError, match="does not exist"):
        nendb.open(os.path.join(os.path.dirname(__file__), "no-such-db"), read_only=True)


def test_invalid_argument(mem):
    with mem.write() as tx:
        a = tx.add_node("P")
        for call, word in [
            (lambda: tx.add_node(""), "empty"),
            (lambda: tx.add_node("x" * 256), "255"),
            (lambda: tx.add_node([]), "label"),
            (lambda: tx.add_node("P", key=""), "empty"),
            (lambda: tx.add_node("P", key="k" * 5000), "4096"),
            (lambda: tx.add_node("P", key=2**63), "64-bit"),
            (lambda: tx.add_node("P", props={"n": 2**64}), "64-bit"),
            (lambda: tx.add_node("P", props={"": 1}), "empty"),
            (lambda: tx.add_node("P", props={"v": []}), "1 to 65536"),
            (lambda: tx.add_node("P", props={"v": [math.nan]}), "non-finite"),
            (lambda: tx.add_node("P", props={"s": "\udc80"}), "UTF-8"),
            (lambda: tx.add_edge(a, a, "R", weight=math.nan), "finite"),
            (lambda: tx.add_edge(a, a, "R", weight=math.inf), "finite"),
            (lambda: tx.add_edge(a, -1, "R"), "out of range"),
            (lambda: tx.add_edge(2**64, a, "R"), "out of range"),
            (lambda: tx.set_weight(0, -math.inf), "finite"),
            (lambda: tx.neighbors(a, "up"), "direction"),
            (lambda: tx.remove_label(a, "P"), "at least one label"),
        ]:
            with pytest.raises(errors.InvalidArgumentError, match=word):
                call()
    assert mem.num_nodes == 1 and mem.num_edges == 0


def test_analytics_argument_checks_raise_invalid_argument(mem):
    """The checks nendb makes in Python before calling the core raise
    InvalidArgumentError (a ValueError), as the core's own checks do."""
    ids = mem.add_nodes("P", props={"v": np.eye(3)})
    mem.add_edges(ids[:-1], ids[1:], "R")
    with mem.write() as tx:
        for call, word in [
            (lambda: mem.bfs(0, max_depth=-1), "max_depth"),
            (lambda: mem.bfs(np.array([-1])), "non-negative"),
            (lambda: mem.k_hop(0, -1), "k must be >= 0"),
            (lambda: mem.pagerank(threads=0), "threads"),
            (lambda: mem.pagerank(dangling="keep"), "dangling"),
            (lambda: mem.pagerank(personalization={99: 1.0}), "node 99"),
            (lambda: mem.personalized_pagerank({}), "at least one source"),
            (lambda: mem.sssp(0, delta=-1.0), "delta"),
            (lambda: mem.louvain(resolution=-1.0), "resolution"),
            (lambda: mem.betweenness(k=0), "k must be >= 1"),
            (lambda: mem.knn([1.0, 0, 0], k=0, property="v"), "positive int"),
            (lambda: mem.knn([], property="v"), "non-empty"),
            (lambda: mem.knn([1.0, 0, 0], k=1, property="v", ef=0), "ef"),
            (lambda: mem.knn([1.0, 0, 0], k=1, property="v", where={"v": (1, 2, 3)}), "op"),
            (lambda: mem.knn([1.0, 0, 0], k=1, property="v", where=[("v", "==")]), "op"),
            (lambda: tx.set_property_column("x", np.zeros((2, 2))), "1-D"),
            (lambda: tx.set_property_column("x", np.zeros(3, np.uint64), skip=0), "skip"),
        ]:
            with pytest.raises(errors.InvalidArgumentError, match=word) as info:
                call()
            assert isinstance(info.value, ValueError)
        for call in [
            lambda: mem.k_hop(0, "2"),
            lambda: mem.bfs(0, max_depth=1.5),
            lambda: mem.betweenness(k="3"),
        ]:
            with pytest.raises(TypeError):
                call()


def test_constraint(mem):
    with mem.write() as tx:
        tx.add_node("P", key="k")
    with pytest.raises(errors.ConstraintError, match="already exists") as info:
        with mem.write() as tx:
            tx.add_node("P", key="k")
    assert isinstance(info.value, ValueError)
    with pytest.raises(errors.ConstraintError, match="twice"):
        mem.add_nodes("P", keys=[1, 1])


def test_wrong_python_types_raise_type_error(mem):
    with mem.write() as tx:
        a = tx.add_node("P")
        for call in [
            lambda: tx.add_node(5),
            lambda: tx.add_node("P", key=1.5),
            lambda: tx.add_node("P", key=True),
            lambda: tx.add_node("P", props=[("a", 1)]),
            lambda: tx.add_node("P", props={1: 1}),
            lambda: tx.add_node("P", props={"b": b"bytes"}),
            lambda: tx.add_node("P", props={"o": object()}),
            lambda: tx.add_node("P", props={"v": ["a", "b"]}),
            lambda: tx.add_edge(a, 1.0, "R"),
            lambda: tx.add_edge(a, a, 5),
            lambda: tx.add_edge(a, a, "R", weight="heavy"),
            lambda: tx.add_edge(a, a, "R", weight=None),
            lambda: tx.node("0"),
            lambda: tx.node(None),
            lambda: tx.node(True),
            lambda: tx.set_property(a, None, 1),
            lambda: tx.find(None, "k"),
            lambda: tx.add_nodes("P", props={"x": 5}),
            lambda: tx.add_nodes("P", props={"x": np.array([1 + 2j])}),
            lambda: tx.add_nodes("P", props={"x": [1, "a"]}),
            lambda: tx.add_nodes("P", keys=np.array([1.5])),
            lambda: tx.add_nodes("P", props=[1, 2]),
            lambda: tx.add_edges(np.array([0.5]), [0], "R"),
            lambda: tx.add_edges([0], [0], "R", weight=["x"]),
        ]:
            with pytest.raises(TypeError):
                call()


def test_read_only(path):
    with nendb.open(path) as db:
        with db.write() as tx:
            tx.add_node("X", key=1)
    with nendb.open(path, read_only=True) as ro:
        assert ro.read_only and ro.find("X", 1) == 0
        with pytest.raises(errors.ReadOnlyError, match="read-only"):
            ro.write()
        with pytest.raises(errors.ReadOnlyError):
            ro.add_nodes("X", count=1)
        ro.checkpoint()  # a no-op, not an error
        assert ro.num_nodes == 1


def test_closed(mem):
    db = nendb.open(":memory:")
    tx = db.write()
    tx.rollback()
    with pytest.raises(errors.ClosedError, match="begin a new one"):
        tx.add_node("X")
    r = db.read()
    r.close()
    with pytest.raises(errors.ClosedError):
        r.labels()
    db.close()
    for call in (db.read, db.write, db.labels, lambda: db.node(0), db.stats, db.check):
        with pytest.raises(errors.ClosedError, match="closed"):
            call()


def test_busy_between_handles(path):
    db = nendb.open(path)
    other = nendb.open(path, busy_timeout=0.1)  # two handles may be open at once
    try:
        tx = db.write()
        tx.add_node("N", key=1)
        with pytest.raises(errors.BusyError, match="write lock"):
            other.write()  # but only one writes at a time
        tx.commit()
        with other.write() as tx2:  # after the commit it writes, and sees it
            assert tx2.find("N", 1) is not None
            tx2.add_node("N", key=2)
        assert db.find("N", 2) is not None
    finally:
        other.close()
        db.close()


def test_io_errors(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(errors.IOError, match="Not a directory") as info:
        nendb.open(str(blocker / "db"))
    assert isinstance(info.value, OSError)


def test_path_that_is_a_file(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("hello")
    with pytest.raises(errors.InvalidArgumentError, match="is a file"):
        nendb.open(str(f))
    assert f.read_text() == "hello"


def test_foreign_directory_is_refused(tmp_path):
    d = tmp_path / "photos"
    d.mkdir()
    (d / "cat.jpg").write_text("meow")
    with pytest.raises(errors.InvalidArgumentError, match="not a nendb database"):
        nendb.open(str(d))
    assert (d / "cat.jpg").read_text() == "meow"


def test_foreign_directory_is_left_untouched(tmp_path):
    d = tmp_path / "photos"
    d.mkdir()
    (d / "cat.jpg").write_text("meow")
    with pytest.raises(errors.InvalidArgumentError):
        nendb.open(str(d))
    assert sorted(os.listdir(d)) == ["cat.jpg"]


def test_bad_open_arguments(path):
    with pytest.raises(errors.InvalidArgumentError, match="sync"):
        nendb.open(path, sync="sometimes")
    with pytest.raises(errors.InvalidArgumentError, match="busy_timeout"):
        nendb.open(path, busy_timeout=-1)
    with pytest.raises(errors.InvalidArgumentError, match="empty"):
        nendb.open("")
    with pytest.raises(TypeError):
        nendb.open(None)
    with pytest.raises(TypeError):
        nendb.open(path, busy_timeout="5")
    with pytest.raises(errors.NotFoundError):
        nendb.open(path, create=False)
    nendb.open(path, busy_timeout=None).close()  # None: wait forever for a writer
    nendb.open(path, busy_timeout=float("inf"), sync="normal").close()


def test_capacity(mem):
    with pytest.raises(errors.CapacityError, match="limit"):
        mem.add_nodes("X", count=2**33)


def corrupt_snapshot(path):
    with nendb.open(path) as db:
        ids = db.add_nodes("P", keys=np.arange(2000), props={"x": np.arange(2000.0)})
        db.add_edges(ids[:-1], ids[1:], "R")
    files = glob.glob(os.path.join(path, "snapshot-*.nds"))
    assert len(files) == 1
    data = bytearray(open(files[0], "rb").read())
    for i in range(len(data) // 3, len(data) // 3 + 64):
        data[i] ^= 0x5A
    with open(files[0], "wb") as f:
        f.write(data)
    return files[0]


def test_corruption_on_verified_open(path):
    damaged = corrupt_snapshot(path)
    with pytest.raises(errors.CorruptionError) as info:
        nendb.open(path, verify=True, read_only=True)
    e = info.value
    assert e.file == damaged
    assert isinstance(e.offset, int) and 0 <= e.offset < os.path.getsize(damaged)
    assert damaged in str(e) and "backup" in str(e)


def test_check_reports_corruption(path):
    damaged = corrupt_snapshot(path)
    db = nendb.open(path, read_only=True)
    try:
        with pytest.raises(errors.CorruptionError) as info:
            db.check()
        assert info.value.file == damaged and info.value.offset is not None
        assert damaged in info.value.report
    finally:
        db.close()


def test_check_ok(disk):
    disk.add_nodes("P", keys=np.arange(10))
    report = disk.check()
    assert isinstance(report, str) and "ok" in report


def test_bad_input_never_crashes(mem):
    """A sweep of hostile arguments over every call: each raises TypeError or
    a nendb error, and the database stays usable."""
    mem.add_nodes("P", keys=np.arange(3))
    mem.add_edges([0, 1], [1, 2], "R")
    weird = [None, -1, 2**64, 2**64 + 5, -(2**70), 1.5, math.nan, "", "x" * 300, "\ud800",
             b"\xff", [], [None], [[1, 2], [3]], np.array([]), np.zeros((2, 2, 2)),
             np.array(["a"], dtype=object), np.array([1 + 1j]), {"a": 1}, object(),
             np.float64(math.nan), np.uint64(2**64 - 1), np.int8(-1), True]
    tx = mem.write()
    calls = [
        lambda x: tx.add_node(x), lambda x: tx.add_node("P", key=x),
        lambda x: tx.add_node("P", props={"p": x}), lambda x: tx.add_node("P", props=x),
        lambda x: tx.add_edge(x, 0, "R"), lambda x: tx.add_edge(0, 1, x),
        lambda x: tx.add_edge(0, 1, "R", weight=x), lambda x: tx.set_property(x, "p", 1),
        lambda x: tx.set_property(0, x, 1), lambda x: tx.set_edge_property(x, "p", x),
        lambda x: tx.set_weight(0, x), lambda x: tx.add_label(0, x),
        lambda x: tx.remove_label(x, "P"), lambda x: tx.delete_node(x),
        lambda x: tx.delete_edge(x), lambda x: tx.define_label("Q", {"p": x}),
        lambda x: tx.add_nodes("P", keys=x), lambda x: tx.add_nodes("P", props={"p": x}),
        lambda x: tx.add_nodes("P", count=x), lambda x: tx.add_edges(x, x, "R"),
        lambda x: tx.add_edges([0], [1], "R", weight=x),
        lambda x: tx.add_edges([0], [1], "R", props={"w": x}),
        lambda x: tx.node(x), lambda x: tx.edge(x), lambda x: tx.find("P", x),
        lambda x: tx.find(x, 1), lambda x: tx.neighbors(x), lambda x: tx.neighbors(0, x),
        lambda x: tx.neighbors(0, "out", x), lambda x: tx.degree(x), lambda x: tx.nodes(x),
        lambda x: tx.edges(x), lambda x: tx.label_info(x), lambda x: tx.property(0, x),
    ]
    for call in calls:
        for x in weird:
            try:
                call(x)
            except (TypeError, errors.NendbError) as e:
                assert str(e)
    tx.rollback()
    assert mem.num_nodes == 3 and mem.num_edges == 2
    assert mem.check().startswith("ok")
