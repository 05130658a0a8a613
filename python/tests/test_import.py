"""CSV imports (nodes, edges, triples) and their progress reporting."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from nendb import errors


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_import_nodes(mem, tmp_path):
    f = write(tmp_path, "people.csv",
              "name,age,height,member,city\n"
              "alice,30,1.68,true,Paris\n"
              "bob,,1.80,false,\n"
              "carol,41,1.5,true,Oslo\n")
    r = mem.import_csv(f, "Person", key="name")
    assert r["rows"] == 3 and r["nodes_added"] == 3 and r["edges_added"] == 0
    assert r["rows_skipped"] == 0 and r["skipped"] == []
    a = mem.node(mem.find("Person", "alice"))
    assert a["properties"] == {"age": 30, "height": 1.68, "member": True, "city": "Paris"}
    b = mem.node(mem.find("Person", "bob"))
    assert b["properties"] == {"height": 1.8, "member": False}  # empty cells are null
    types = {c["name"]: c["type"] for c in mem.label_info("Person")["columns"]}
    assert types == {"age": "int64", "height": "float64", "member": "bool", "city": "string"}


def test_import_nodes_declared_types_and_delimiter(mem, tmp_path):
    f = write(tmp_path, "t.tsv", "id\tzip\tscore\n1\t01234\t5\n2\t99999\t6\n")
    mem.import_csv(f, "Place", key="id", delimiter="\t", types={"zip": "string", "score": float})
    p = mem.node(mem.find("Place", 1))
    assert p["properties"] == {"zip": "01234", "score": 5.0}


def test_import_edges(mem, tmp_path):
    nodes = write(tmp_path, "n.csv", "id\na\nb\nc\n")
    edges = write(tmp_path, "e.csv",
                  "from,to,kind,w,since\n"
                  "a,b,FRIEND,2.5,2001\n"
                  "b,c,FRIEND,,2005\n"
                  "a,c,COLLEAGUE,0.5,\n")
    mem.import_csv(nodes, "P", key="id")
    r = mem.import_csv(edges, "P", type_column="kind", source="from", target="to", weight="w")
    assert r["edges_added"] == 3 and r["nodes_added"] == 0
    assert sorted(mem.edge_types()) == ["COLLEAGUE", "FRIEND"]
    friend = mem.edges("FRIEND")
    assert friend["weight"].tolist() == [2.5, 1.0]
    e = mem.edge(int(friend["id"][1]))
    assert e["source"] == mem.find("P", "b") and e["target"] == mem.find("P", "c")
    assert e["properties"] == {"since": 2005}
    fixed = write(tmp_path, "f.csv", "source,target\nc,a\n")
    mem.import_csv(fixed, edge_type="BACK", source_label="P", target_label="P")
    assert mem.neighbors(mem.find("P", "c"), edge_type="BACK").tolist() == [mem.find("P", "a")]


def test_import_triples(mem, tmp_path):
    f = write(tmp_path, "t.csv",
              "subject,predicate,object\n"
              "Ada Lovelace,worked_with,Charles Babbage\n"
              "Ada Lovelace,born_in,London\n"
              "Charles Babbage,born_in,London\n")
    r = mem.import_triples(f)
    assert r["rows"] == 3 and r["nodes_added"] == 3 and r["edges_added"] == 3
    ada = mem.find("Entity", "Ada Lovelace")
    london = mem.find("Entity", "London")
    assert mem.neighbors(ada, edge_type="born_in").tolist() == [london]
    assert mem.degree(london, "in") == 2
    assert sorted(mem.edge_types()) == ["born_in", "worked_with"]
    # Names are shared across calls and labels can differ.
    g = write(tmp_path, "g.csv", "London,capital_of,England\n")
    r2 = mem.import_triples(g)
    assert r2["nodes_added"] == 1
    mem.import_triples(g, label="Place")
    assert mem.find("Place", "London") is not None


@pytest.mark.skipif(not (EXAMPLES / "karate_edges.csv").exists(), reason="no example data")
def test_import_example_karate(mem):
    with mem.write() as tx:
        tx.import_csv(EXAMPLES / "karate_members.csv", "Member", key="id")
        r = tx.import_csv(EXAMPLES / "karate_edges.csv", "Member", edge_type="KNOWS",
                          weight="weight")
    assert mem.num_nodes == 34 and r["edges_added"] == 78 and mem.num_edges == 78
    assert mem.degree(mem.find("Member", 33), "both") == 17


def test_bad_rows_fail_or_are_skipped(mem, tmp_path):
    f = write(tmp_path, "bad.csv", "id,x\n1,5\n2,6,7\n3,8\n")
    with pytest.raises(errors.InvalidArgumentError, match=r"bad\.csv:3"):
        mem.import_csv(f, "N", key="id")
    assert mem.num_nodes == 0  # all or nothing
    r = mem.import_csv(f, "N", key="id", skip_bad_rows=True)
    assert r["rows_skipped"] == 1 and r["nodes_added"] == 2
    assert "bad.csv:3" in r["skipped"][0]
    assert mem.find("N", 3) is not None and mem.find("N", 2) is None


def test_import_errors(mem, tmp_path):
    with pytest.raises(errors.NotFoundError):
        mem.import_csv(tmp_path / "missing.csv", "N")
    f = write(tmp_path, "n.csv", "id\n1\n")
    with pytest.raises(errors.InvalidArgumentError, match="label="):
        mem.import_csv(f)
    with pytest.raises(errors.InvalidArgumentError, match="delimiter"):
        mem.import_csv(f, "N", delimiter=";;")
    with pytest.raises(errors.InvalidArgumentError, match="key="):
        mem.import_csv(f, "N", key="id", edge_type="E")
    with pytest.raises(errors.InvalidArgumentError, match="edge files"):
        mem.import_csv(f, "N", weight="w")
    with pytest.raises(errors.InvalidArgumentError, match="vector"):
        mem.import_csv(f, "N", types={"id": "vector[3]"})
    with pytest.raises(errors.NendbError):
        mem.import_csv(f, "N", key="nope")
    e = write(tmp_path, "e.csv", "source,target\n1,2\n")
    with pytest.raises(errors.NendbError, match="e.csv"):
        mem.import_csv(e, "N", edge_type="E")  # no such nodes
    assert mem.num_nodes == 0 and mem.num_edges == 0


def test_import_in_a_transaction_rolls_back(mem, tmp_path):
    f = write(tmp_path, "n.csv", "id\n1\n2\n")
    with pytest.raises(RuntimeError):
        with mem.write() as tx:
            tx.import_csv(f, "N", key="id")
            assert tx.num_nodes == 2
            raise RuntimeError("undo")
    assert mem.num_nodes == 0


@pytest.fixture
def big_csv(tmp_path):
    rows = 160_000
    ids = np.arange(rows)
    text = "id,text\n" + "".join(f"{i},some text here\n" for i in ids)
    return write(tmp_path, "big.csv", text)


def test_progress_callback_and_cancel(mem, big_csv):
    calls = []
    r = mem.import_csv(big_csv, "Big", key="id",
                       progress=lambda done, total: calls.append((done, total)))
    assert r["nodes_added"] == 160_000
    size = os.path.getsize(big_csv)
    assert len(calls) >= 2
    assert all(t == size for _, t in calls) and calls[-1][0] == size
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    with pytest.raises(errors.CancelledError):
        mem.import_csv(big_csv, "Other", key="id", progress=lambda d, t: False)
    assert "Other" not in mem.labels() or mem.label_info("Other")["num_nodes"] == 0

    def explode(done, total):
        raise ZeroDivisionError("from the callback")

    with pytest.raises(ZeroDivisionError, match="from the callback"):
        mem.import_csv(big_csv, "Third", key="id", progress=explode)
    assert mem.num_nodes == 160_000


def test_progress_bar(mem, big_csv, capsys):
    pytest.importorskip("tqdm")
    mem.import_csv(big_csv, "Big", key="id", progress=True)
    err = capsys.readouterr().err
    assert "big.csv" in err
    mem.import_csv(big_csv, "Quiet", key="id", progress=False)
    mem.import_csv(big_csv, "Auto", key="id")  # not interactive under pytest: quiet
    assert capsys.readouterr().err == ""


def test_progress_callback_cannot_deadlock_on_its_transaction(mem, big_csv):
    seen = []
    with mem.write() as tx:
        def peek(done, total):
            assert not tx.closed
            seen.append(mem.num_nodes)  # another transaction: fine
            tx.num_nodes  # the importing transaction: refused, not a hang

        with pytest.raises(errors.InvalidArgumentError, match="progress callback"):
            tx.import_csv(big_csv, "Big", key="id", progress=peek)
        assert tx.num_nodes == 0  # the failed import left the transaction as it was
        tx.add_node("After")
    assert seen == [0] and mem.num_nodes == 1
