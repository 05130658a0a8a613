"""Round trips through pandas, Arrow, Parquet, NetworkX and SciPy keep every
node, edge, key, label and typed property (nulls and vectors included), and
wrong input is refused with a message that says what to do."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import nendb

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
nx = pytest.importorskip("networkx")
sparse = pytest.importorskip("scipy.sparse")


def people_frame() -> "pd.DataFrame":
    return pd.DataFrame({
        "name": ["ann", "bob", "cid", "dee"],
        "age": pd.array([31, None, 45, 27], dtype="Int64"),
        "score": [0.5, np.nan, 2.25, -1.0],
        "vip": pd.array([True, False, None, True], dtype="boolean"),
        "city": ["Oslo", None, "Rome", "Oslo"],
        "emb": [np.array([1, 0], np.float32), None, np.array([0, 1], np.float32),
                np.array([1, 1], np.float32)],
    })


def knows_frame() -> "pd.DataFrame":
    return pd.DataFrame({"a": ["ann", "bob", "cid", "ann"], "b": ["bob", "cid", "dee", "dee"],
                         "w": [1.0, 2.0, 0.5, 3.0],
                         "since": pd.array([2020, None, 2011, 2001], dtype="Int64")})


@pytest.fixture
def people(mem):
    ids = mem.import_df(people_frame(), label="Person", key="name")
    mem.import_edges_df(knows_frame(), "a", "b", "KNOWS", weight="w", label="Person")
    return mem, ids


def assert_people(df: "pd.DataFrame") -> None:
    src = people_frame()
    assert df["_key"].tolist() == src["name"].tolist()
    assert df["age"].dtype == "Int64" and df["age"].equals(src["age"])
    np.testing.assert_array_equal(df["score"].to_numpy(), src["score"].to_numpy())
    assert df["vip"].dtype == "boolean" and df["vip"].equals(src["vip"])
    assert df["city"].isna().tolist() == [False, True, False, False]
    assert df["city"][[0, 2, 3]].tolist() == ["Oslo", "Rome", "Oslo"]
    assert df["emb"][1] is None
    for got, want in zip(df["emb"][[0, 2, 3]], src["emb"][[0, 2, 3]]):
        assert got.dtype == np.float32 and np.array_equal(got, want)


def test_dataframe_round_trip_keeps_types_and_nulls(people):
    db, ids = people
    assert ids.dtype == np.uint64 and len(set(ids.tolist())) == 4
    df = db.nodes_df("Person")
    assert df["_id"].tolist() == ids.tolist()
    assert (df["_label"] == "Person").all()
    assert_people(df)
    # Into a second database and out again: the same frame.
    with nendb.open(":memory:") as db2:
        db2.import_df(df, label_column="_label", key="_key")
        assert_people(db2.nodes_df("Person"))


def test_edges_round_trip_by_key(people):
    db, _ = people
    e = db.edges_df("KNOWS")
    want = knows_frame()
    assert e["_source_key"].tolist() == want["a"].tolist()
    assert e["_target_key"].tolist() == want["b"].tolist()
    assert e["_weight"].tolist() == want["w"].tolist()
    assert e["since"].equals(want["since"])
    assert (e["_type"] == "KNOWS").all()
    with nendb.open(":memory:") as db2:
        db2.import_df(db.nodes_df(), label_column="_label", key="_key")
        db2.import_edges_df(e, "_source_key", "_target_key", type_column="_type",
                            weight="_weight", label="Person")
        e2 = db2.edges_df()
        for col in ("_source_key", "_target_key", "_weight", "since", "_type"):
            assert e2[col].tolist() == e[col].tolist() or e2[col].equals(e[col]), col


def test_arrow_and_parquet_round_trip(people, tmp_path):
    db, _ = people
    t = db.nodes_arrow("Person")
    assert t.schema.field("emb").type == pa.list_(pa.float32(), 2)
    assert t.schema.field("city").type == pa.large_string()
    assert t.column("age").null_count == 1
    path = tmp_path / "people.parquet"
    pq.write_table(t, path)
    with nendb.open(":memory:") as db2:
        db2.import_parquet(path, label_column="_label", key="_key")
        assert_people(db2.nodes_df("Person"))
        assert db2.nodes_arrow("Person").column("vip").to_pylist() == [True, False, None, True]
    edges = db.edges_arrow()
    assert edges.column("_weight").to_pylist() == knows_frame()["w"].tolist()
    with nendb.open(":memory:") as db3:
        db3.import_arrow(t, label="Person", key="_key")
        db3.import_edges_arrow(edges, "_source_key", "_target_key", "KNOWS", weight="_weight",
                               label="Person")
        assert db3.edges_df()["_weight"].tolist() == knows_frame()["w"].tolist()


def test_labels_and_mixed_keys_survive(mem):
    with mem.write() as tx:
        tx.add_node(["City", "Place"], key=7, props={"name": "Oslo"})
        tx.add_node("City", key="rome")
        tx.add_node("Thing")
    df = mem.nodes_df()
    assert df["_labels"].tolist() == [("City", "Place"), ("City",), ("Thing",)]
    assert df["_key"].tolist() == [7, "rome", None]
    arrow_keys = mem.nodes_arrow().column("_key").to_pylist()
    assert arrow_keys == [7, "rome", None]
    with nendb.open(":memory:") as db2:
        ids = db2.import_df(df, label_column="_labels", key="_key")
        back = db2.nodes_df().set_index("_id").loc[ids]  # added label by label
        assert back["_labels"].tolist() == df["_labels"].tolist()
        assert back["_key"].tolist() == df["_key"].tolist()
        assert db2.find("Place", 7) is not None and db2.find("City", "rome") is not None


def test_networkx_round_trip(people):
    db, _ = people
    g = db.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == 4 and g.number_of_edges() == 4
    ann = db.find("Person", "ann")
    assert g.nodes[ann]["_key"] == "ann" and g.nodes[ann]["age"] == 31
    assert "age" not in g.nodes[db.find("Person", "bob")]  # nulls are left out
    assert sorted(w for _, _, w in g.edges(data="weight")) == [0.5, 1.0, 2.0, 3.0]
    db2 = nendb.from_networkx(g)
    try:
        assert_people(db2.nodes_df("Person"))
        a, b = db.edges_df(), db2.edges_df()
        for col in ("_source_key", "_target_key", "_weight", "since"):
            assert a[col].tolist() == b[col].tolist() or a[col].equals(b[col])
    finally:
        db2.close()
    simple = db.to_networkx(directed=False, multigraph=False)
    assert isinstance(simple, nx.Graph) and simple.number_of_edges() == 4


def test_from_a_plain_networkx_graph(tmp_path):
    g = nx.karate_club_graph()
    with nendb.from_networkx(g, str(tmp_path / "karate.nendb"), label="Member") as db:
        assert db.num_nodes == 34 and db.num_edges == 78
        df = db.nodes_df("Member")
        assert df["_key"].tolist() == list(range(34))
        assert df["club"].tolist() == [g.nodes[i]["club"] for i in range(34)]
        assert db.edges_df()["_weight"].sum() == sum(w for _, _, w in g.edges(data="weight"))
    grid = nx.grid_2d_graph(2, 2)
    with nendb.from_networkx(grid) as db:
        assert sorted(db.nodes_df()["_key"]) == sorted(str(n) for n in grid.nodes)


def test_scipy_adjacency_matches_the_edges(people):
    db, _ = people
    a, ids = db.to_scipy_sparse("Person", weight="weight")
    e = db.edges_df()
    pos = {int(i): k for k, i in enumerate(ids)}
    dense = np.zeros((4, 4))
    for s, t, w in zip(e["_source"], e["_target"], e["_weight"]):
        dense[pos[s], pos[t]] += w
    np.testing.assert_array_equal(a.toarray(), dense)
    und, _ = db.to_scipy_sparse(directed=False)
    np.testing.assert_array_equal(und.toarray(), (dense > 0) + (dense > 0).T)
    since, _ = db.to_scipy_sparse(weight="since")
    assert since.sum() == 2020 + 2011 + 2001  # the null counts 0


def test_results_and_knn_as_frames(people):
    db, ids = people
    pr = db.pagerank()
    df = db.nodes_df("Person", properties=False, results={"pagerank": pr})
    assert list(df.columns) == ["_id", "_label", "_key", "pagerank"]
    np.testing.assert_array_equal(df["pagerank"].to_numpy(), pr[ids.astype(np.intp)])
    k = db.knn_df(np.array([1, 0], np.float32), k=2, property="emb", exact=True)
    assert k["_key"].tolist()[0] == "ann" and k["rank"].tolist() == [0, 1]
    assert k["distance"].is_monotonic_increasing
    batch = db.knn_df(np.eye(2, dtype=np.float32), k=1, property="emb", exact=True)
    assert batch["_query"].tolist() == [0, 1] and batch["_key"].tolist() == ["ann", "cid"]


def test_progress_counts_rows_by_label(mem):
    n = 5500
    df = pd.DataFrame({"k": np.arange(n), "v": np.arange(n) * 0.5,
                       "l": np.where(np.arange(n) % 2 == 0, "Even", "Odd")})
    seen = []
    ids = mem.import_df(df, key="k", label_column="l",
                        progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n // 2, n), (n, n)]
    edges = pd.DataFrame({"s": ids[:-1], "t": ids[1:]})
    mem.import_edges_df(edges, "s", "t", "NEXT")
    out = mem.nodes_df().set_index("_id").loc[ids]
    assert out["_key"].tolist() == list(range(n)) and out["v"].tolist() == df["v"].tolist()
    assert out["_label"].tolist() == df["l"].tolist()
    assert mem.num_edges == n - 1


def test_wrong_input_is_refused_clearly(people):
    db, _ = people
    with pytest.raises(nendb.InvalidArgumentError, match='no column "nope"'):
        db.import_df(people_frame(), label="P", key="nope")
    when = pd.DataFrame({"t": pd.to_datetime(["2020-01-01"])})
    with pytest.raises(TypeError, match="astype"):
        db.import_df(when, label="Event")
    with pytest.raises(nendb.InvalidArgumentError, match="label column has missing values"):
        db.import_df(pd.DataFrame({"l": ["A", None]}), label_column="l")
    keyless = db.import_df(pd.DataFrame({"k": ["a", None]}), label="P", key="k")
    assert db.node(keyless[0])["key"] == "a" and db.node(keyless[1])["key"] is None
    with pytest.raises(nendb.InvalidArgumentError, match="not both or neither"):
        db.import_df(people_frame(), key="name")
    with pytest.raises(nendb.NotFoundError, match="'zed'"):
        db.import_edges_df(pd.DataFrame({"a": ["ann", "zed"], "b": ["bob", "bob"]}), "a", "b",
                           "KNOWS", label="Person")
    with pytest.raises(TypeError, match="DataFrame"):
        db.import_df({"a": [1]}, label="P")
    with pytest.raises(nendb.NotFoundError):
        db.nodes_df("NoSuchLabel")
    before = db.num_nodes, db.num_edges
    with pytest.raises(nendb.ConstraintError):  # a duplicate key: nothing of the frame lands
        db.import_df(people_frame(), label="Person", key="name")
    assert (db.num_nodes, db.num_edges) == before


def test_missing_extra_names_it(people, monkeypatch):
    db, _ = people
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(nendb.MissingDependencyError, match=r"nendb\[pandas\]"):
        db.nodes_df()
    with pytest.raises(ImportError):  # also an ImportError
        db.edges_df()
    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(nendb.MissingDependencyError, match=r"nendb\[networkx\]"):
        db.to_networkx()
