"""Bulk inserts from numpy: every dtype, vectors, nulls, keys, counts, edge
weights and properties; all-or-nothing on a bad row."""

from __future__ import annotations

import numpy as np
import pytest

from nendb import errors


def props_of(db, ids):
    return [db.node(int(i))["properties"] for i in ids]


def test_numeric_dtypes(mem):
    n = 4
    cols = {
        "i8": np.array([-1, 2, 3, 4], dtype=np.int8),
        "i16": np.arange(n, dtype=np.int16),
        "i32": np.arange(n, dtype=np.int32) * -7,
        "i64": np.array([2**62, -(2**62), 0, 1], dtype=np.int64),
        "u8": np.arange(n, dtype=np.uint8),
        "u32": np.arange(n, dtype=np.uint32),
        "u64": np.array([0, 1, 2, 2**63 - 1], dtype=np.uint64),
        "f16": np.array([0.5, 1.5, 2.5, 3.5], dtype=np.float16),
        "f32": np.array([0.25, 1.0, -2.0, 1e10], dtype=np.float32),
        "f64": np.array([np.pi, -0.0, 1e300, 5e-324]),
        "b": np.array([True, False, True, False]),
    }
    ids = mem.add_nodes("T", props=cols)
    assert ids.dtype == np.uint64 and len(ids) == n
    got = props_of(mem, ids)
    for name, arr in cols.items():
        values = [p[name] for p in got]
        if arr.dtype.kind in "iu":
            assert all(type(v) is int for v in values), name
            assert values == [int(x) for x in arr], name
        elif arr.dtype.kind == "f":
            assert all(type(v) is float for v in values), name
            assert values == [float(x) for x in arr], name
        else:
            assert values == [bool(x) for x in arr], name
    info = {c["name"]: c["type"] for c in mem.label_info("T")["columns"]}
    assert info["i8"] == "int64" and info["u64"] == "int64"
    assert info["f16"] == "float64" and info["f32"] == "float64" and info["b"] == "bool"


def test_strings_of_every_kind(mem):
    ids = mem.add_nodes("S", props={
        "u": np.array(["a", "héllo", "日本", ""]),
        "list": ["x", "y", None, "z"],
        "obj": np.array(["p", None, "q", "r"], dtype=object),
        "bytes": np.array([b"b1", b"b2", b"", b"b4"]),
        "emoji": ["🙂", "a\u0000b", "tab\tx", "x" * 1000],
    })
    got = props_of(mem, ids)
    assert [p["u"] for p in got] == ["a", "héllo", "日本", ""]
    assert [p.get("list") for p in got] == ["x", "y", None, "z"]
    assert [p.get("obj") for p in got] == ["p", None, "q", "r"]
    assert [p["bytes"] for p in got] == ["b1", "b2", "", "b4"]
    assert [p["emoji"] for p in got] == ["🙂", "a\u0000b", "tab\tx", "x" * 1000]


def test_non_contiguous_and_byte_swapped_inputs(mem):
    base = np.arange(20, dtype=np.int64)
    ids = mem.add_nodes("C", props={
        "strided": base[::2],
        "swapped": np.arange(10, dtype=">i8"),
        "fortran_vec": np.asfortranarray(np.arange(30, dtype=np.float32).reshape(10, 3)),
        "swapped_str": np.array(list("abcdefghij"), dtype=">U1"),
    })
    got = props_of(mem, ids)
    assert [p["strided"] for p in got] == list(range(0, 20, 2))
    assert [p["swapped"] for p in got] == list(range(10))
    assert got[3]["fortran_vec"].tolist() == [9.0, 10.0, 11.0]
    assert "".join(p["swapped_str"] for p in got) == "abcdefghij"


def test_vectors(mem):
    emb = np.random.default_rng(1).standard_normal((50, 16)).astype(np.float32)
    ids = mem.add_nodes("Doc", keys=[f"d{i}" for i in range(50)], props={"embedding": emb})
    for i in (0, 17, 49):
        v = mem.node(int(ids[i]))["properties"]["embedding"]
        assert v.dtype == np.float32 and v.shape == (16,)
        np.testing.assert_array_equal(v, emb[i])
    col = mem.label_info("Doc")["columns"][0]
    assert col["type"] == "vector[16]" and col["dim"] == 16
    # float64 2-D arrays and lists of lists are converted to float32 vectors.
    more = mem.add_nodes("Doc", props={"embedding": np.ones((2, 16))})
    np.testing.assert_array_equal(mem.property(int(more[0]), "embedding"), np.ones(16))
    rows = [[float(i)] * 16 for i in range(3)]
    more = mem.add_nodes("Doc", props={"embedding": rows})
    assert mem.property(int(more[2]), "embedding").tolist() == [2.0] * 16


def test_nulls(mem):
    masked = np.ma.masked_array([1.0, 2.0, 3.0], mask=[False, True, False])
    mvec = np.ma.masked_array(np.ones((3, 2), np.float32),
                              mask=[[False, False], [True, True], [False, False]])
    ids = mem.add_nodes("N", props={
        "m": masked,
        "ints": [1, None, 3],
        "bools": [None, True, False],
        "floats": [None, None, 0.5],
        "vec": [[1.0, 2.0], None, [3.0, 4.0]],
        "mvec": mvec,
        "masked_str": np.ma.masked_array(["a", "b", "c"], mask=[True, False, False]),
        "all_null": [None, None, None],
    })
    got = props_of(mem, ids)
    assert [p.get("m") for p in got] == [1.0, None, 3.0]
    assert [p.get("ints") for p in got] == [1, None, 3]
    assert [p.get("bools") for p in got] == [None, True, False]
    assert [p.get("floats") for p in got] == [None, None, 0.5]
    assert [None if p.get("vec") is None else p["vec"].tolist() for p in got] == \
        [[1.0, 2.0], None, [3.0, 4.0]]
    assert [p.get("mvec") is None for p in got] == [False, True, False]
    assert [p.get("masked_str") for p in got] == [None, "b", "c"]
    assert all("all_null" not in p for p in got)
    types = {c["name"]: c["type"] for c in mem.label_info("N")["columns"]}
    assert types["ints"] == "int64" and types["bools"] == "bool" and types["vec"] == "vector[2]"


def test_keys_and_count(mem):
    ids = mem.add_nodes("K", keys=np.arange(10, 20, dtype=np.int32))
    assert mem.find("K", 15) == ids[5]
    assert mem.node(int(ids[0]))["key"] == 10
    sids = mem.add_nodes("KS", keys=np.array(["a", "b", "c"]))
    assert mem.find("KS", "c") == sids[2]
    lids = mem.add_nodes("KS", keys=["d", "e"])
    assert mem.find("KS", "e") == lids[1]
    cids = mem.add_nodes(["Multi", "Label"], count=3)
    assert mem.nodes("Label").tolist() == cids.tolist()
    assert mem.node(int(cids[0]))["labels"] == ["Multi", "Label"]
    assert len(mem.add_nodes("Empty", count=0)) == 0
    assert len(mem.add_nodes("K", keys=[])) == 0


def test_bulk_is_all_or_nothing(mem):
    mem.add_nodes("P", keys=["taken"])
    before = mem.stats()["sequence"], mem.num_nodes
    bad_batches = [
        dict(keys=["a", "b", "taken"]),                      # duplicate of an existing key
        dict(keys=["a", "b", "a"]),                          # duplicate within the batch
        dict(keys=["a", "b", None]),                         # None key
        dict(keys=["a", "b", ""]),                           # empty key
        dict(keys=["a", "b", "c"], props={"x": np.arange(4)}),  # length mismatch
        dict(count=2, props={"v": np.array([[1.0], [np.nan]], np.float32)}),  # NaN in vector
        dict(count=2, props={"s": ["ok", "\ud800"]}),         # not encodable
        dict(count=2, props={"s": ["ok", 5]}),                # not a string
        dict(count=3, keys=["a", "b"]),
    ]
    for kw in bad_batches:
        with pytest.raises((errors.NendbError, TypeError)) as info:
            mem.add_nodes("P", **kw)
        assert str(info.value), kw
        assert (mem.stats()["sequence"], mem.num_nodes) == before, kw
    assert mem.find("P", "a") is None


def test_bulk_in_a_transaction_rolls_back_with_it(mem):
    with pytest.raises(errors.ConstraintError):
        with mem.write() as tx:
            ids = tx.add_nodes("P", keys=np.arange(100))
            assert tx.num_nodes == 100 and tx.find("P", 99) == ids[99]
            tx.add_nodes("P", keys=[5])
    assert mem.num_nodes == 0


def test_add_edges(mem):
    ids = mem.add_nodes("V", count=5)
    src = ids[:4]
    dst = ids[1:]
    e = mem.add_edges(src, dst, "NEXT")
    assert e.dtype == np.uint64 and len(e) == 4
    assert mem.edges("NEXT")["weight"].tolist() == [1.0] * 4
    e2 = mem.add_edges(src.astype(np.int64), dst.tolist(), "W", weight=np.array([1, 2, 3, 4]))
    assert mem.edges("W")["weight"].tolist() == [1.0, 2.0, 3.0, 4.0]
    e3 = mem.add_edges([0, 1], [1, 0], "S", weight=2.5,
                       props={"k": np.array([7, 8]), "tag": ["x", None],
                              "f": np.ma.masked_array([1.0, 2.0], mask=[True, False])})
    assert mem.edge(int(e3[0])) == {"id": int(e3[0]), "source": 0, "target": 1, "type": "S",
                                    "weight": 2.5, "properties": {"k": 7, "tag": "x"}}
    assert mem.edge(int(e3[1]))["properties"] == {"k": 8, "f": 2.0}
    assert mem.neighbors(int(ids[0]), "out", "W").tolist() == [ids[1]]
    assert mem.num_edges == 10
    assert len(mem.add_edges([], [], "NONE")) == 0
    assert len(e2) == 4


def test_add_edges_large_batch(mem):
    n = 20_000
    ids = mem.add_nodes("V", count=n)
    rng = np.random.default_rng(7)
    src = rng.integers(0, n, 5 * n).astype(np.uint64)
    dst = rng.integers(0, n, 5 * n).astype(np.uint64)
    w = rng.random(5 * n)
    e = mem.add_edges(src, dst, "R", weight=w)
    assert len(e) == 5 * n and mem.num_edges == 5 * n
    got = mem.edges("R")
    np.testing.assert_array_equal(got["source"], src)
    np.testing.assert_array_equal(got["target"], dst)
    np.testing.assert_array_equal(got["weight"], w)
    k = int(src[123])
    assert mem.degree(k) == int((src == k).sum())
    assert ids[-1] == n - 1


def test_add_edges_all_or_nothing(mem):
    ids = mem.add_nodes("V", count=3)
    mem.add_edges(ids[:1], ids[1:2], "R")
    before = mem.num_edges
    bad = [
        (dict(source=[0, 1], target=[1, 99], type="R"), errors.NotFoundError),
        (dict(source=[0, 1], target=[1, 2], type="R", weight=[1.0, np.nan]),
         errors.InvalidArgumentError),
        (dict(source=[0, 1], target=[1, 2], type="R", weight=[1.0, np.inf]),
         errors.InvalidArgumentError),
        (dict(source=[0, 1], target=[1], type="R"), errors.InvalidArgumentError),
        (dict(source=[0, 1], target=[1, 2], type="R", weight=[1.0]),
         errors.InvalidArgumentError),
        (dict(source=[-1, 1], target=[1, 2], type="R"), errors.InvalidArgumentError),
        (dict(source=[2**64, 1], target=[1, 2], type="R"), errors.InvalidArgumentError),
        (dict(source=np.array([0.0, 1.0]), target=[1, 2], type="R"), TypeError),
        (dict(source=[0, 1], target=[1, 2], type=""), errors.InvalidArgumentError),
        (dict(source=[0, 1], target=[1, 2], type="R", props={"p": [1]}),
         errors.InvalidArgumentError),
        (dict(source=[[0, 1]], target=[[1, 2]], type="R"), errors.InvalidArgumentError),
    ]
    for kw, exc in bad:
        with pytest.raises(exc) as info:
            mem.add_edges(**kw)
        assert str(info.value)
        assert mem.num_edges == before, kw
    mem.add_edges([0], [2], "R", weight=[3.0])
    with mem.write() as tx:
        tx.delete_node(2, detach=True)
    with pytest.raises(errors.NotFoundError, match="2"):
        mem.add_edges([0], [2], "R")  # deleted node
