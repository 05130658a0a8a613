"""The example notebooks (examples/notebooks/*.ipynb) run end to end in a
Jupyter kernel, so that they never rot, and show what they claim: the tables
they print are checked against nendb (or pandas) computing the same thing here.

The notebooks are stored without outputs; a test checks that too.
"""
from __future__ import annotations

import pathlib

import numpy as np
import pytest

import nendb

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pd = pytest.importorskip("pandas")
# What the notebooks import besides nendb and pandas.
pytest.importorskip("matplotlib")
pytest.importorskip("networkx")
pytest.importorskip("scipy")
pytest.importorskip("pyarrow")
pytest.importorskip("ipykernel")

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "examples" / "notebooks"
DATA = ROOT / "examples" / "data"
NAMES = ["quickstart", "knowledge_graph"]


def _ensure_kernelspec() -> None:
    """nbclient starts the kernelspec named python3; create it if this
    environment has none (jupyter_client usually provides one for the
    running interpreter)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        import ipykernel.kernelspec

        ipykernel.kernelspec.install(user=True)


def _execute(name: str, monkeypatch: pytest.MonkeyPatch) -> "nbformat.NotebookNode":
    """Runs the notebook with its directory as the kernel's working directory
    (where it finds ../data); raises CellExecutionError on a cell error."""
    _ensure_kernelspec()
    monkeypatch.setenv("MPLBACKEND", "Agg")  # the kernel inherits the environment
    before = sorted(p.name for p in NOTEBOOKS.iterdir())
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code)
    # Each notebook works in a temporary directory and removes it.
    assert sorted(p.name for p in NOTEBOOKS.iterdir()) == before
    return nb


def _output(nb: "nbformat.NotebookNode", tag: str) -> str:
    """The text the cell tagged ``tag`` printed and displayed."""
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    parts = []
    for out in cells[0].outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def _table_rows(text: str) -> list[list[str]]:
    """The rows of a DataFrame's plain-text form, split into cells (the
    first row being the header)."""
    return [line.split() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("name", NAMES)
def test_stored_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name}.ipynb cell {cell.get('id')} has outputs; clear them before committing")


def test_quickstart(monkeypatch):
    nb = _execute("quickstart", monkeypatch)

    # The same import and PageRank as the notebook's, here.
    db = nendb.open(":memory:")
    try:
        db.import_df(pd.read_csv(DATA / "karate_members.csv"), label="Member", key="id")
        db.import_edges_df(pd.read_csv(DATA / "karate_edges.csv"), "source", "target", "KNOWS",
                           weight="weight", label="Member")
        rank = db.pagerank(directed=False, weight="weight")
        top = int(np.argmax(rank))
        top_key = db.node(top)["key"]
    finally:
        db.close()

    rows = _table_rows(_output(nb, "pagerank-table"))
    header, first = rows[0], rows[1]
    assert "pagerank" in header and "_key" in header, rows
    # The first row is the member with the highest PageRank, with its value.
    # (A data row starts with the index, which the header row does not have.)
    assert first[1 + header.index("_id")] == str(top), rows
    assert first[1 + header.index("_key")] == str(top_key), rows
    assert f"{rank[top]:.6f}" in first, rows  # (a club name holds a space)
    assert len(rows) == 6  # nlargest(5)


def test_knowledge_graph(monkeypatch):
    nb = _execute("knowledge_graph", monkeypatch)

    triples = pd.read_csv(DATA / "science_triples.csv")
    db = nendb.open(":memory:")
    try:
        result = db.import_triples(DATA / "science_triples.csv")
        assert result["edges_added"] == len(triples)
        rank = db.pagerank(directed=False)
        top = int(np.argmax(rank))
        top_name = db.node(top)["key"]
        path = db.shortest_path(db.find("Entity", "Ada Lovelace"),
                                db.find("Entity", "Linus Torvalds"), directed=False)
        path_names = [db.node(i)["key"] for i in path]
    finally:
        db.close()

    # Predicate counts, most frequent first, as pandas counts them in the CSV.
    counts = triples["predicate"].value_counts()
    rows = _table_rows(_output(nb, "edge-types"))
    data = [r for r in rows if len(r) == 2 and r[1].isdigit()]
    assert data[0] == [counts.index[0], str(counts.iloc[0])], rows
    assert {p: int(n) for p, n in data} == {p: int(counts[p]) for p, _ in data}

    # The entity with the highest PageRank (a name may hold spaces).
    text = _output(nb, "pagerank-table")
    first = text.splitlines()[1]
    assert f" {top_name} " in first and f"{rank[top]:.6f}" in first, text

    # The path from Ada Lovelace to Linus Torvalds, named entity by entity.
    text = _output(nb, "shortest-paths")
    line = next(ln for ln in text.splitlines() if ln.startswith("Ada Lovelace"))
    assert len(path_names) > 2 and path_names[-1] == "Linus Torvalds"
    pos = 0
    for entity in path_names:
        found = line.find(entity, pos)
        assert found >= 0, f"{entity!r} missing from, or out of order in: {line}"
        pos = found + len(entity)
    assert line.endswith("Linus Torvalds")
    assert "no path from Grace Hopper to Alan Turing" in text
