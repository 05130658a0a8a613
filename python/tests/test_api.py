"""The data calls of the SPEC 5 API: writes, reads, lookups, listings."""

from __future__ import annotations

import numpy as np
import pytest

import nendb
from nendb import errors


def make_small(db):
    with db.write() as tx:
        a = tx.add_node("Person", key="alice", props={"age": 30, "score": 1.5})
        b = tx.add_node(["Person", "Admin"], key="bob", props={"active": True})
        c = tx.add_node("City", key=7, props={"name": "Paris", "pos": [1.0, 2.0, 3.0]})
        e1 = tx.add_edge(a, b, "KNOWS", weight=2.0, props={"since": 2020})
        e2 = tx.add_edge(a, c, "LIVES_IN")
        e3 = tx.add_edge(b, a, "KNOWS", weight=0.5)
    return a, b, c, e1, e2, e3


def test_add_and_read_nodes(mem):
    a, b, c, *_ = make_small(mem)
    assert mem.num_nodes == 3
    assert mem.node(a) == {"id": a, "labels": ["Person"], "key": "alice",
                           "properties": {"age": 30, "score": 1.5}}
    nb = mem.node(b)
    assert nb["labels"] == ["Person", "Admin"]
    assert nb["properties"] == {"active": True}
    assert isinstance(nb["properties"]["active"], bool)
    nc = mem.node(c)
    assert nc["key"] == 7
    assert nc["properties"]["name"] == "Paris"
    pos = nc["properties"]["pos"]
    assert isinstance(pos, np.ndarray) and pos.dtype == np.float32
    np.testing.assert_array_equal(pos, [1.0, 2.0, 3.0])
    assert mem.property(a, "age") == 30
    assert mem.property(a, "missing") is None


def test_add_and_read_edges(mem):
    a, b, c, e1, e2, e3 = make_small(mem)
    assert mem.num_edges == 3
    assert mem.edge(e1) == {"id": e1, "source": a, "target": b, "type": "KNOWS", "weight": 2.0,
                            "properties": {"since": 2020}}
    assert mem.edge(e2)["weight"] == 1.0
    assert mem.edge_property(e1, "since") == 2020
    assert mem.edge_property(e2, "since") is None
    assert mem.has_edge(e1) and not mem.has_edge(12345)
    assert mem.has_node(a) and not mem.has_node(999) and not mem.has_node(-1)


def test_find(mem):
    a, b, c, *_ = make_small(mem)
    assert mem.find("Person", "alice") == a
    assert mem.find("Admin", "bob") == b  # keys are unique per label, every label
    assert mem.find("City", 7) == c
    assert mem.find("City", np.int64(7)) == c
    assert mem.find("Person", "zed") is None
    assert mem.find("NoSuchLabel", "alice") is None
    assert mem.find("City", "7") is None  # int and str keys differ


def test_neighbors_and_degree(mem):
    a, b, c, e1, e2, e3 = make_small(mem)
    out = mem.neighbors(a)
    assert isinstance(out, np.ndarray) and out.dtype == np.uint64
    assert sorted(out.tolist()) == sorted([b, c])
    assert mem.neighbors(a, direction="in").tolist() == [b]
    assert sorted(mem.neighbors(a, "both").tolist()) == sorted([b, c, b])
    assert mem.neighbors(a, edge_type="KNOWS").tolist() == [b]
    assert mem.neighbors(a, edge_type="NOPE").tolist() == []
    nodes, edges = mem.neighbors(a, "out", "KNOWS", return_edges=True)
    assert nodes.tolist() == [b] and edges.tolist() == [e1]
    assert mem.degree(a) == 2
    assert mem.degree(a, "in") == 1
    assert mem.degree(a, "both") == 3
    assert mem.degree(a, "out", "LIVES_IN") == 1
    with pytest.raises(errors.InvalidArgumentError, match="direction"):
        mem.neighbors(a, "sideways")


def test_listings(mem):
    a, b, c, e1, e2, e3 = make_small(mem)
    persons = mem.nodes("Person")
    assert persons.dtype == np.uint64 and persons.tolist() == [a, b]
    assert mem.nodes("Admin").tolist() == [b]
    assert sorted(mem.labels()) == ["Admin", "City", "Person"]
    assert sorted(mem.edge_types()) == ["KNOWS", "LIVES_IN"]
    edges = mem.edges()
    assert set(edges) == {"id", "source", "target", "weight"}
    assert edges["id"].dtype == np.uint64 and edges["weight"].dtype == np.float64
    assert edges["id"].tolist() == [e1, e2, e3]
    assert edges["source"].tolist() == [a, a, b]
    assert edges["target"].tolist() == [b, c, a]
    assert edges["weight"].tolist() == [2.0, 1.0, 0.5]
    knows = mem.edges("KNOWS")
    assert knows["id"].tolist() == [e1, e3]
    with pytest.raises(errors.NotFoundError, match="no label"):
        mem.nodes("Nope")


def test_label_info_and_stats(mem):
    make_small(mem)
    info = mem.label_info("City")
    assert info["name"] == "City" and info["num_nodes"] == 1 and info["strict"] is False
    cols = {c["name"]: c for c in info["columns"]}
    assert cols["name"]["type"] == "string"
    assert cols["pos"]["type"] == "vector[3]" and cols["pos"]["dim"] == 3
    assert cols["pos"]["declared"] is False
    st = mem.stats()
    assert st["num_nodes"] == 3 and st["num_edges"] == 3
    assert st["num_labels"] == 3 and st["num_edge_types"] == 2
    assert st["path"] == ":memory:" and st["sequence"] == 1
    assert st["resident_bytes"] >= st["heap_bytes"] > 0
    assert st["bytes_per_node"] > 0 and st["bytes_per_edge"] > 0


def test_updates(mem):
    a, b, c, e1, e2, e3 = make_small(mem)
    with mem.write() as tx:
        tx.set_property(a, "age", 31)
        tx.set_property(a, "score", None)  # None removes
        tx.set_property(a, "nick", "al")
        tx.set_edge_property(e1, "since", 2021)
        tx.set_edge_property(e1, "note", "old friends")
        tx.set_weight(e2, 4.5)
        tx.add_label(c, "Capital")
        tx.remove_label(b, "Admin")
    assert mem.node(a)["properties"] == {"age": 31, "nick": "al"}
    assert mem.edge(e1)["properties"] == {"since": 2021, "note": "old friends"}
    assert mem.edge(e2)["weight"] == 4.5
    assert mem.node(c)["labels"] == ["City", "Capital"]
    assert mem.node(b)["labels"] == ["Person"]
    assert mem.nodes("Admin").tolist() == []
    assert mem.find("Capital", 7) == c


def test_deletes(mem):
    a, b, c, e1, e2, e3 = make_small(mem)
    with mem.write() as tx:
        tx.delete_edge(e2)
        with pytest.raises(errors.InvalidArgumentError, match="detach"):
            tx.delete_node(a)
        tx.delete_node(c)
    assert not mem.has_edge(e2) and not mem.has_node(c)
    with pytest.raises(errors.NotFoundError):
        mem.edge(e2)
    with pytest.raises(errors.NotFoundError, match="deleted"):
        mem.node(c)
    with mem.write() as tx:
        tx.delete_node(a, detach=True)
    assert mem.num_nodes == 1 and mem.num_edges == 0
    assert mem.find("Person", "alice") is None
    with pytest.raises(errors.NotFoundError):
        mem.neighbors(a)
    with pytest.raises(errors.NotFoundError):
        with mem.write() as tx:
            tx.delete_edge(e1)  # deleted with its node


def test_spec_example(mem):
    """The SPEC 5 example, line by line."""
    with mem.write() as tx:
        a = tx.add_node("Person", key="alice", props={"age": 30})
        b = tx.add_node("Person", key="bob")
        e = tx.add_edge(a, b, "KNOWS", weight=2.0, props={"since": 2020})
        tx.set_property(a, "age", 31)
        tx.delete_edge(e)
    ages = np.arange(1000, dtype=np.int64) % 90
    ids = mem.add_nodes("Person", keys=np.arange(1000), props={"age": ages})
    assert len(ids) == 1000
    src, dst = ids[:-1], ids[1:]
    w = np.linspace(0.0, 1.0, len(src))
    eids = mem.add_edges(src, dst, "KNOWS", weight=w)
    assert len(eids) == 999
    assert mem.find("Person", "alice") == a
    assert mem.node(a)["properties"]["age"] == 31
    assert mem.neighbors(ids[0]).tolist() == [ids[1]]
    assert mem.num_nodes == 1002 and mem.num_edges == 999
    assert "Person" in mem.labels() and mem.edge_types() == ["KNOWS"]
    assert mem.stats()["num_nodes"] == 1002


def test_open_memory_and_context_manager():
    with nendb.open(":memory:") as db:
        assert db.path == ":memory:" and not db.read_only and not db.closed
        with db.write() as tx:
            tx.add_node("X")
        db.checkpoint()  # a no-op in memory
        assert db.num_nodes == 1
    assert db.closed
    with pytest.raises(errors.ClosedError):
        db.num_nodes
    db.close()  # idempotent
    assert "closed" in repr(db)


def test_memory_databases_are_private():
    with nendb.open(":memory:") as one, nendb.open(":memory:") as two:
        with one.write() as tx:
            tx.add_node("X")
        assert one.num_nodes == 1 and two.num_nodes == 0


def test_estimate_memory():
    small = nendb.estimate_memory(1000, 10_000)
    assert set(small) == {"node_bytes", "edge_bytes", "adjacency_bytes", "property_bytes",
                          "index_bytes", "string_bytes", "total_bytes"}
    assert small["total_bytes"] == sum(v for k, v in small.items() if k != "total_bytes")
    big = nendb.estimate_memory(1000, 10_000, embedding_dim=128)
    assert big["property_bytes"] >= small["property_bytes"] + 1000 * 128 * 4
    more = nendb.estimate_memory(2_000_000, 20_000_000)
    assert more["edge_bytes"] > small["edge_bytes"] and more["adjacency_bytes"] > 0
    with pytest.raises(errors.InvalidArgumentError):
        nendb.estimate_memory(-1, 0)


def test_version_and_exports():
    assert nendb.__version__.count(".") == 2
    for n in nendb.__all__:
        assert hasattr(nendb, n), n
        obj = getattr(nendb, n)
        if callable(obj):
            assert obj.__doc__, f"{n} has no docstring"


def test_numpy_scalars_and_sequences_as_values(mem):
    with mem.write() as tx:
        a = tx.add_node("T", key=np.int32(5), props={
            "i": np.int32(-3), "u": np.uint64(7), "f": np.float32(0.5), "b": np.bool_(True),
            "s": np.str_("txt"), "v": np.array([1, 2, 3], dtype=np.float64), "t": (0.5, 1.5),
        })
    p = mem.node(a)["properties"]
    assert p["i"] == -3 and type(p["i"]) is int
    assert p["u"] == 7 and p["f"] == 0.5 and p["b"] is True and p["s"] == "txt"
    assert p["v"].tolist() == [1.0, 2.0, 3.0] and p["t"].tolist() == [0.5, 1.5]
    assert mem.find("T", 5) == a
    ids = mem.add_nodes("T", count=2)
    # ids straight from a numpy array work everywhere an id does
    assert mem.node(ids[1])["id"] == int(ids[1])
    assert mem.has_node(ids[0]) and mem.degree(ids[0]) == 0


def test_open_accepts_path_like(tmp_path):
    p = tmp_path / "db"
    with nendb.open(p) as db:
        db.add_nodes("X", count=1)
    with nendb.open(str(p).encode()) as db:
        assert db.num_nodes == 1 and db.path == str(p)


def test_find_many_and_edge_type_info(mem):
    ids = mem.add_nodes("K", keys=np.arange(100, 110))
    found = mem.find_many("K", [105, 100, 999, 109])
    assert found.dtype == np.uint64
    assert found.tolist() == [ids[5], ids[0], nendb.NO_NODE, ids[9]]
    sids = mem.add_nodes("S", keys=["a", "b"])
    assert mem.find_many("S", np.array(["b", "zz", "a"])).tolist() == \
        [sids[1], nendb.NO_NODE, sids[0]]
    assert mem.find_many("Nope", [1, 2]).tolist() == [nendb.NO_NODE] * 2
    assert len(mem.find_many("K", [])) == 0
    with pytest.raises(TypeError):
        mem.find_many("K", None)
    with pytest.raises(TypeError):
        mem.find_many("K", [1.5])
    mem.add_edges(ids[:3], ids[1:4], "R", props={"w": np.arange(3)})
    info = mem.edge_type_info("R")
    assert info["name"] == "R" and info["num_edges"] == 3
    assert info["columns"][0]["name"] == "w" and info["columns"][0]["type"] == "int64"
    with pytest.raises(nendb.NotFoundError):
        mem.edge_type_info("NOPE")
