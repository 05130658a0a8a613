"""db.knn: exact k-NN over a vector property against a numpy brute force for
every metric, one query or a batch; label and node-set filters (a k-hop
neighbourhood) and conditions on properties; updates and deletes; bad input."""
from __future__ import annotations

import numpy as np
import pytest

import nendb
from nendb import errors

DIM = 24


def brute(E, q, metric):
    if metric == "l2sq":
        return ((E - q) ** 2).sum(1)
    if metric == "l2":
        return np.sqrt(((E - q) ** 2).sum(1))
    if metric == "ip":
        return 1 - E @ q
    if metric == "cosine":
        return 1 - (E @ q) / (np.linalg.norm(E, axis=1) * np.linalg.norm(q))
    if metric == "hamming":
        return ((E > 0) != (q > 0)).sum(1).astype(np.float64)
    return np.abs(E - q).sum(1)


@pytest.fixture
def emb(mem):
    rng = np.random.default_rng(7)
    E = rng.standard_normal((800, DIM))
    with mem.write() as tx:
        ids = np.array([tx.add_node("Paper" if i % 4 == 0 else "Person", key=i,
                                    props={"embedding": E[i].astype(np.float32)})
                        for i in range(800)], dtype=np.uint64)
        tx.add_node("Person", key=-1)  # no embedding
    return mem, ids, E.astype(np.float32).astype(np.float64)


@pytest.mark.parametrize("metric", ["l2sq", "l2", "ip", "cosine", "l1", "hamming"])
def test_knn_equals_numpy(emb, metric):
    db, ids, E = emb
    rng = np.random.default_rng(8)
    Q = rng.standard_normal((5, DIM))
    got, dist = db.knn(Q, k=10, metric=metric)
    assert got.shape == (5, 10) and got.dtype == np.uint64 and dist.dtype == np.float32
    for i, q in enumerate(Q.astype(np.float32).astype(np.float64)):
        d = brute(E, q, metric)
        order = np.argsort(d, kind="stable")[:10]
        assert np.array_equal(got[i], ids[order])
        assert np.allclose(dist[i], d[order], rtol=1e-4, atol=1e-4)
    one, d1 = db.knn(Q[0], k=10, metric=metric)
    assert np.array_equal(one, got[0]) and one.shape == (10,)


def test_filters(emb):
    db, ids, E = emb
    q = E[5]
    papers, _ = db.knn(q, k=7, metric="l2", filter="Paper")
    d = brute(E, q, "l2")
    paper_rows = np.arange(0, 800, 4)
    assert np.array_equal(papers, ids[paper_rows[np.argsort(d[paper_rows])[:7]]])
    both, _ = db.knn(q, k=800, metric="l2", filter=["Paper", "Person"])
    assert len(set(both.tolist())) == 800
    some = ids[[3, 9, 27, 81, 243, 729]]
    got, _ = db.knn(q, k=6, metric="l2", filter=some)
    assert set(got.tolist()) == set(some.tolist())
    assert np.array_equal(got, some[np.argsort(d[[3, 9, 27, 81, 243, 729]])])
    with pytest.raises(ValueError, match="only 6"):
        db.knn(q, k=7, filter=some)
    # A graph neighbourhood as the candidate set.
    db.add_edges(ids[:-1], ids[1:], "NEXT")
    near = db.k_hop(int(ids[100]), 3, directed=False)
    got, _ = db.knn(q, k=4, metric="l2", filter=near)
    assert set(got.tolist()) <= set(near.tolist()) and len(got) == 4


def test_where_conditions_on_properties(mem):
    rng = np.random.default_rng(9)
    E = rng.standard_normal((300, DIM)).astype(np.float32)
    year = 2000 + np.arange(300) % 25
    with mem.write() as tx:
        ids = np.array([tx.add_node("Paper", key=i, props={
            "embedding": E[i], "year": int(year[i]), "lang": "en" if i % 2 else "fr"})
            for i in range(300)], dtype=np.uint64)
    q = E[0].astype(np.float64)
    d = brute(E.astype(np.float64), q, "l2")

    def nearest(mask, k=8):
        rows = np.flatnonzero(mask)
        return ids[rows[np.argsort(d[rows], kind="stable")[:k]]]

    got, _ = mem.knn(q, k=8, metric="l2", where={"year": (">=", 2020)})
    assert np.array_equal(got, nearest(year >= 2020))
    got, _ = mem.knn(q, k=8, metric="l2", where={"lang": "en", "year": ("<", 2010)})
    assert np.array_equal(got, nearest((np.arange(300) % 2 == 1) & (year < 2010)))
    got, _ = mem.knn(q, k=8, metric="l2", where=[("year", "==", 2003.0)])
    assert np.array_equal(got, nearest(year == 2003))
    with pytest.raises(ValueError, match="unknown comparison"):
        mem.knn(q, k=8, where={"year": ("~", 3)})
    with pytest.raises(ValueError, match="null"):
        mem.knn(q, k=8, where={"year": None})
    with pytest.raises(ValueError, match="only 0"):
        mem.knn(q, k=8, where={"lang": "de"})
    with pytest.raises(ValueError, match="property, op, value"):
        mem.knn(q, k=8, where=[("year", 3)])


def test_updates_and_deletes_show(emb):
    db, ids, E = emb
    target = np.full(DIM, 5.0, dtype=np.float32)
    with db.write() as tx:
        tx.set_property(int(ids[42]), "embedding", target)
        tx.delete_node(int(ids[43]), detach=True)
    got, dist = db.knn(target, k=3, metric="l2")
    assert got[0] == ids[42] and dist[0] == 0
    got, _ = db.knn(E[43], k=799, metric="l2")
    assert ids[43] not in got


def test_bad_input(emb):
    db, ids, E = emb
    with pytest.raises(ValueError, match="dimension"):
        db.knn(np.ones(DIM + 1), k=1)
    with pytest.raises(ValueError, match="NaN"):
        db.knn(np.full(DIM, np.nan), k=1)
    with pytest.raises(ValueError, match="zero vector"):
        db.knn(np.zeros(DIM), k=1, metric="cosine")
    db.knn(np.zeros(DIM), k=1, metric="l2")
    for k in (0, -3, 2.5, True):
        with pytest.raises(ValueError):
            db.knn(E[0], k=k)
    with pytest.raises(ValueError, match="only 800"):
        db.knn(E[0], k=801)
    with pytest.raises(ValueError, match="unknown metric"):
        db.knn(E[0], metric="hamming-ish")
    with pytest.raises(errors.NotFoundError):
        db.knn(E[0], property="nope")
    with pytest.raises(errors.NotFoundError):
        db.knn(E[0], filter="Nope")
    with pytest.raises(ValueError):
        db.knn(np.array(["a", "b"]))
    with pytest.raises(ValueError):
        db.knn(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="not vectors"):
        db.add_nodes("Thing", keys=np.arange(3), props={"embedding": np.arange(3)})
        db.knn(E[0], filter="Thing")


def clustered(n, seed, dim=16):
    rng = np.random.default_rng(seed)
    centres = 3 * np.random.default_rng(1).standard_normal((30, dim))
    return (centres[rng.integers(0, 30, n)] + rng.standard_normal((n, dim))).astype(np.float32)


@pytest.fixture
def indexed(tmp_path):
    db = nendb.open(tmp_path / "idx.nendb")
    E = clustered(12000, 2)
    ids = db.add_nodes("Doc", props={"embedding": E})
    db.create_vector_index("Doc", "embedding", metric="l2", M=16, ef_construction=200)
    yield db, ids, E
    db.close()


def recall(db, Q, k=10, **kw):
    got, _ = db.knn(Q, k=k, metric="l2", **kw)
    truth, _ = db.knn(Q, k=k, metric="l2", exact=True, **kw)
    return np.mean([len(set(a) & set(b)) / k for a, b in zip(got.tolist(), truth.tolist())])


def test_index_recall_updates_and_reopen(indexed, tmp_path):
    db, ids, E = indexed
    (info,) = db.vector_indexes()
    assert info["label"] == "Doc" and info["metric"] == "l2" and info["M"] == 16
    assert info["indexed"] == 12000 and info["pending"] == 0 and info["dim"] == 16
    Q = clustered(50, 3)
    assert recall(db, Q) >= 0.95
    # A wider search finds at least as much.
    assert recall(db, Q, ef=200) >= recall(db, Q, ef=10)
    far = np.zeros(16, dtype=np.float32)
    far[0] = 99
    with db.write() as tx:
        tx.set_property(int(ids[3]), "embedding", far)
        tx.delete_node(int(ids[4]))
    assert db.vector_indexes()[0]["pending"] == 2
    got, d = db.knn(far, k=1, metric="l2")
    assert got[0] == ids[3] and d[0] == 0
    got, _ = db.knn(E[4], k=5, metric="l2")
    assert ids[4] not in got
    db.close()
    db2 = nendb.open(tmp_path / "idx.nendb")
    assert db2.vector_indexes()[0]["indexed"] + db2.vector_indexes()[0]["pending"] >= 11999
    assert db2.knn(far, k=1, metric="l2")[0][0] == ids[3]
    assert recall(db2, Q) >= 0.95
    db2.close()


def test_int8_and_hamming_indexes(indexed, tmp_path):
    db, ids, E = indexed
    db.create_vector_index("Doc", metric="l2sq", quantization="int8")
    db.create_vector_index("Doc", metric="hamming")
    plain, int8, ham = db.vector_indexes()
    assert int8["quantization"] == "int8" and plain["quantization"] == "none"
    assert ham["metric"] == "hamming" and ham["indexed"] == 12000
    # A byte per component more than the plain graph of the same links.
    assert int8["memory_bytes"] - plain["memory_bytes"] == 12000 * 16 + 8 * 16
    Q = clustered(50, 4)
    got, d = db.knn(Q, k=10, metric="l2sq")
    truth, td = db.knn(Q, k=10, metric="l2sq", exact=True)
    hits = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got.tolist(), truth.tolist())])
    assert hits >= 0.95
    # Rescored by the float vectors: the distances are exact.
    assert np.allclose(d, ((E[np.searchsorted(ids, got)] - Q[:, None, :]) ** 2).sum(2),
                       rtol=1e-4)
    got, d = db.knn(Q, k=10, metric="hamming")
    _, td = db.knn(Q, k=10, metric="hamming", exact=True)
    assert np.mean(d <= td[:, -1:]) >= 0.95
    db.close()
    db = nendb.open(tmp_path / "idx.nendb")
    assert [i["quantization"] for i in db.vector_indexes()] == ["none", "int8", "none"]
    with pytest.raises(ValueError, match="int8"):
        db.create_vector_index("Doc", metric="hamming", quantization="int8")
    with pytest.raises(ValueError, match="quantization"):
        db.create_vector_index("Doc", metric="ip", quantization="int4")
    db.close()


def test_index_definitions_and_bad_input(indexed):
    db, ids, E = indexed
    with pytest.raises(errors.NotFoundError):
        db.create_vector_index("Nope")
    with pytest.raises(errors.ConstraintError):
        db.create_vector_index("Doc", metric="l2")
    with pytest.raises(ValueError, match="M = 1"):
        db.create_vector_index("Doc", M=1)
    with pytest.raises(ValueError, match="metric"):
        db.create_vector_index("Doc", metric="hamming?")
    with pytest.raises(ValueError, match="ef"):
        db.knn(E[0], k=3, ef=0)
    with pytest.raises(errors.NotFoundError):
        db.drop_vector_index("Doc", metric="cosine")
    db.drop_vector_index("Doc", metric="l2")
    assert db.vector_indexes() == []
