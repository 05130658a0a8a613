"""The API reference: the pages `make docs` renders with pdoc hold the public
API with its docstrings, and every public function and method has an
example in its docstring."""
from __future__ import annotations

import html
import inspect
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Callable, Dict, List

import pytest

import nendb
import nendb.plot

ROOT = Path(__file__).resolve().parents[2]
CLASSES = (nendb.Database, nendb.ReadTransaction, nendb.WriteTransaction)

# What a reader looks up first: (page, owner, names), each name on the page
# with its docstring.
MAIN = [
    ("nendb", nendb, ["open", "from_networkx", "estimate_memory", "Database", "ReadTransaction",
                      "WriteTransaction", "Property"]),
    ("nendb", nendb.Database, ["read", "write", "add_nodes", "add_edges", "import_df",
                               "import_csv", "import_parquet", "create_vector_index",
                               "checkpoint", "check", "stats", "close"]),
    ("nendb", nendb.WriteTransaction, ["add_node", "add_edge", "set_property", "delete_node",
                                       "define_label", "commit", "rollback"]),
    ("nendb", nendb.ReadTransaction, ["close"]),
    ("nendb.errors", nendb.errors, ["NendbError", "NotFoundError", "InvalidArgumentError",
                                    "ConstraintError", "CorruptionError", "BusyError",
                                    "ReadOnlyError", "ClosedError"]),
    ("nendb.plot", nendb.plot, ["degree_distribution", "top_k", "communities"]),
]
# The read API and the analytics the three classes share (defined in private
# base classes of nendb._transaction, nendb._analytics and nendb._frames).
SHARED = ["find", "find_many", "node", "edge", "neighbors", "degree", "nodes", "edges", "labels",
          "bfs", "k_hop", "sssp", "shortest_path", "pagerank", "personalized_pagerank", "wcc",
          "scc", "louvain", "leiden", "modularity", "betweenness", "k_core", "triangles",
          "knn", "vector_indexes", "nodes_df", "edges_df", "nodes_arrow", "to_networkx",
          "to_scipy_sparse", "knn_df"]


def pdoc_command(out: Path) -> List[str]:
    """The pdoc command of the Makefile's docs target, writing to ``out``, so
    that these tests check the pages `make docs` writes."""
    recipe = re.search(r"^docs:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "the Makefile has no docs target"
    line = next((x for x in recipe.group(1).splitlines() if "-m pdoc" in x), None)
    assert line, "the docs target does not run pdoc"
    args = shlex.split(line.strip())
    args[0] = sys.executable if args[0] == "$(PYTHON)" else args[0]
    out_at = args.index("-o") + 1
    args[out_at] = str(out)
    unresolved = [a for a in args if "$(" in a]
    assert not unresolved, f"make variables this test does not know: {unresolved}"
    return args


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Dict[str, str]:
    """The pages `make docs` writes: module name -> HTML."""
    pytest.importorskip("pdoc")
    out = tmp_path_factory.mktemp("api")
    proc = subprocess.run(pdoc_command(out), cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, f"pdoc failed:\n{proc.stdout}\n{proc.stderr}"
    assert "Warn" not in proc.stderr, proc.stderr
    found = {}
    for name, file in (("nendb", "nendb.html"), ("nendb.errors", "nendb/errors.html"),
                       ("nendb.plot", "nendb/plot.html")):
        path = out / file
        assert path.is_file(), f"pdoc wrote no page {file}; it wrote {sorted(out.rglob('*'))}"
        found[name] = path.read_text()
    assert (out / "index.html").is_file()
    return found


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def phrase(doc: str) -> str:
    """A run of plain words from the first paragraph of a docstring, which
    any rendering keeps as it is (markup such as ``code`` and :meth:`x` is
    rewritten, so it ends a run)."""
    first = doc.strip().split("\n\n")[0]
    runs = re.split(r"``[^`]*``|:\w+:`[^`]*`|`[^`]*`|\*\*?|[:()\[\]{}\"]", first)
    best = max((" ".join(r.split()).strip(" ,.;") for r in runs), key=lambda r: len(r.split()))
    assert len(best.split()) >= 3, f"no plain phrase in {first!r}"
    return best


def check_documented(page: str, anchor: str, obj: object) -> List[str]:
    """Problems with one member on a page: no section, or no docstring text."""
    doc = inspect.getdoc(obj)
    if not doc:
        return [f"{anchor}: no docstring"]
    problems = []
    if f'id="{anchor}"' not in page:
        problems.append(f"{anchor}: no section")
    elif phrase(doc) not in text_of(page):
        problems.append(f"{anchor}: the page lacks its docstring ({phrase(doc)!r})")
    return problems


def test_pages_hold_the_main_api(pages):
    assert "an embedded graph database" in text_of(pages["nendb"])
    problems = []
    for page, owner, names in MAIN:
        prefix = f"{owner.__name__}." if inspect.isclass(owner) else ""
        for name in names:
            problems += check_documented(pages[page], prefix + name, getattr(owner, name))
    assert not problems, "the API reference lacks:\n" + "\n".join(problems)


def test_pages_hold_the_shared_read_api(pages):
    """The methods the three classes inherit from nendb's private modules
    must be on each class's page (pdoc's default template leaves out members
    inherited from modules it does not document)."""
    problems = []
    for cls in CLASSES:
        for name in SHARED:
            problems += check_documented(pages["nendb"], f"{cls.__name__}.{name}",
                                         getattr(cls, name))
    assert not problems, (f"the API reference lacks {len(problems)} inherited methods:\n"
                          + "\n".join(problems))


# ---- examples in the docstrings ----------------------------------------------


def has_example(doc: str) -> bool:
    """An "Example" line, a doctest (>>>) or a code block (a paragraph ending
    in "::", or a ``` fence)."""
    return bool(re.search(r"\bExamples?\b", doc) or re.search(r"^\s*>>>", doc, re.M)
                or re.search(r"::\s*$", doc, re.M) or "```" in doc)


def public_callables() -> Dict[str, Callable]:
    """Qualified public name -> function, for the methods of the three classes
    (inherited ones included, properties not) and the functions of nendb and
    nendb.plot."""
    out: Dict[str, Callable] = {}
    for cls in CLASSES:
        for name in dir(cls):
            if name.startswith("_"):
                continue
            attr = inspect.getattr_static(cls, name)
            if isinstance(attr, (staticmethod, classmethod)):
                attr = attr.__func__
            if inspect.isfunction(attr):  # not a property
                out[f"nendb.{cls.__name__}.{name}"] = attr
    for module in (nendb, nendb.plot):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                out[f"{module.__name__}.{name}"] = obj
    return out


def test_public_callables_are_found():
    found = public_callables()
    for name in ("nendb.open", "nendb.from_networkx", "nendb.Database.pagerank",
                 "nendb.WriteTransaction.add_node", "nendb.ReadTransaction.close",
                 "nendb.plot.top_k"):
        assert name in found
    assert "nendb.Database.num_nodes" not in found  # a property


def test_every_public_callable_has_an_example():
    # One line per function to edit, with the public names it appears under.
    missing: Dict[str, List[str]] = {}
    for public, fn in public_callables().items():
        if not has_example(inspect.getdoc(fn) or ""):
            where = f"{Path(inspect.getsourcefile(fn) or '?').name}: {fn.__qualname__}"
            missing.setdefault(where, []).append(public)
    lines = [f"{where} ({', '.join(names)})" for where, names in sorted(missing.items())]
    assert not missing, (f"{len(missing)} functions have no example in their docstring "
                         "(a line with \"Example\", a >>> doctest or a :: code block):\n"
                         + "\n".join(lines))
