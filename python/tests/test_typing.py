"""Type checking: the package passes ``mypy --strict``, the stubs match the
compiled module (mypy's stubtest, plus the parameter lists pybind11 reports,
which stubtest cannot read), and code using the public API type-checks: the
signatures are usable, and wrong calls are caught.

Every check runs on the repository's sources (python/nendb, through
MYPYPATH) against the installed compiled module, so that a stub that drifts
from the bindings fails here.
"""
from __future__ import annotations

import ast
import inspect
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import pytest

pytest.importorskip("mypy")

import nendb._nendb as core  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "python"
PACKAGE = SOURCES / "nendb"
ALLOWLIST = Path(__file__).with_name("stubtest_allowlist.txt")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the module's runs, outside the repository."""
    return tmp_path_factory.mktemp("mypy_cache")


def run(args: Sequence[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "MYPYPATH": str(SOURCES), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def output(proc: subprocess.CompletedProcess) -> str:
    return f"exit code {proc.returncode}\n{proc.stdout}\n{proc.stderr}"


def mypy(cache: Path, *targets: str, cwd: Path) -> subprocess.CompletedProcess:
    return run(["mypy", "--strict", "--cache-dir", str(cache), "--no-color-output",
                "--show-error-codes", *targets], cwd)


def test_package_passes_mypy_strict(cache, tmp_path):
    proc = mypy(cache, str(PACKAGE), cwd=tmp_path)
    assert proc.returncode == 0, output(proc)


def test_stubs_match_the_runtime(tmp_path):
    """stubtest on the whole package: _nendb.pyi against the compiled module,
    and __init__.pyi against what ``import nendb`` exports."""
    proc = run(["mypy.stubtest", "nendb", "--allowlist", str(ALLOWLIST)], tmp_path)
    assert proc.returncode == 0, output(proc)


# ---- the stub's parameters against pybind11's signatures ----------------------
# pybind11 functions have no __text_signature__, so stubtest checks only that
# they exist; their parameter lists come from the first line of __doc__.

Param = Tuple[str, Optional[str]]  # name, default (source text) or None


def _split(params: str) -> List[str]:
    """Splits at the commas outside brackets and quotes."""
    out, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(params):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(params[start:i])
            start = i + 1
    out.append(params[start:])
    return [p.strip() for p in out if p.strip()]


def runtime_params(fn: object) -> List[Param]:
    first = (inspect.getdoc(fn) or "").splitlines()[0]
    m = re.match(r"^\w+\((.*)\) -> .*$", first)
    assert m, f"no pybind11 signature in {first!r}"
    out: List[Param] = []
    for p in _split(m.group(1)):
        name, _, rest = p.partition(":")
        default = rest.split(" = ", 1)[1] if " = " in rest else None
        out.append((name.strip(), default))
    return [p for p in out if p[0] != "self"]


def stub_params(fn: ast.FunctionDef) -> List[Param]:
    args = fn.args
    positional = args.posonlyargs + args.args
    defaults: List[Optional[ast.expr]] = [None] * (len(positional) - len(args.defaults))
    defaults += list(args.defaults)
    out = [(a.arg, None if d is None else ast.unparse(d)) for a, d in zip(positional, defaults)]
    out += [(a.arg, None if d is None else ast.unparse(d))
            for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    return [p for p in out if p[0] != "self"]


def stub_functions() -> Dict[str, ast.FunctionDef]:
    """"Class.method" (inherited methods of stub-only bases included) and
    "function" -> definition in _nendb.pyi."""
    tree = ast.parse((PACKAGE / "_nendb.pyi").read_text())
    classes = {c.name: c for c in tree.body if isinstance(c, ast.ClassDef)}
    out: Dict[str, ast.FunctionDef] = {}

    def methods(cls: ast.ClassDef) -> Dict[str, ast.FunctionDef]:
        found: Dict[str, ast.FunctionDef] = {}
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id in classes:
                found.update(methods(classes[base.id]))
        found.update({f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)})
        return found

    for name, cls in classes.items():
        out.update({f"{name}.{m}": f for m, f in methods(cls).items()})
    out.update({f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)})
    return out


def runtime_functions() -> Dict[str, object]:
    out: Dict[str, object] = {}
    for cname in ("Database", "ReadTransaction", "WriteTransaction"):
        cls = getattr(core, cname)
        for name, attr in vars(cls).items():
            if name.startswith("_") or isinstance(attr, property):
                continue
            out[f"{cname}.{name}"] = getattr(cls, name)
    for name in dir(core):
        obj = getattr(core, name)
        if not name.startswith("_") and callable(obj) and not isinstance(obj, type):
            out[name] = obj
    return out


def _same_default(runtime: Optional[str], stub: Optional[str]) -> bool:
    if (runtime is None) != (stub is None):
        return False
    if runtime is None or stub == "...":
        return True
    try:
        return bool(ast.literal_eval(runtime) == ast.literal_eval(str(stub)))
    except ValueError:  # not a literal: its text is all there is to compare
        return runtime == stub


def test_stub_parameters_match_pybind11():
    stubs = stub_functions()
    problems = []
    for name, fn in sorted(runtime_functions().items()):
        if name not in stubs:
            problems.append(f"{name}: not in _nendb.pyi")
            continue
        want, have = runtime_params(fn), stub_params(stubs[name])
        if [p[0] for p in want] != [p[0] for p in have]:
            problems.append(f"{name}: parameters {[p[0] for p in have]} in the stub, "
                            f"{[p[0] for p in want]} at runtime")
            continue
        for (param, default), (_, stub_default) in zip(want, have):
            if not _same_default(default, stub_default):
                problems.append(f"{name}({param}): default {stub_default} in the stub, "
                                f"{default} at runtime")
    assert not problems, "_nendb.pyi differs from the bindings:\n" + "\n".join(problems)


def test_signature_parser():
    assert _split("a: int, b: tuple[str, int] = (1, 2), q: str = ','") == [
        "a: int", "b: tuple[str, int] = (1, 2)", "q: str = ','"]
    assert runtime_params(core.import_triples)[4] == ("quote", "'\"'")


# ---- code that uses the public API --------------------------------------------

USAGE = '''
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import numpy as np

import nendb
import nendb.plot
from nendb import errors


def build(path: str) -> Tuple[int, np.ndarray]:
    with nendb.open(path, sync="normal", busy_timeout=None) as db:
        with db.write() as tx:
            a: int = tx.add_node("Person", key="ada", props={"age": 36})
            b = tx.add_node(["Person", "Admin"], key=2)
            e: int = tx.add_edge(a, b, "KNOWS", weight=2.0, props={"since": 2020})
            tx.set_property(a, "age", 37)
            tx.define_label("Paper", {"title": nendb.Property("string", required=True)})
        ids: np.ndarray = db.add_nodes("Paper", keys=np.arange(10),
                                       props={"title": [f"t{i}" for i in range(10)],
                                              "embedding": np.random.rand(10, 8)})
        db.add_edges(ids[:-1], ids[1:], "CITES", weight=np.ones(9))
        found: Optional[int] = db.find("Person", "ada")
        node: Dict[str, object] = db.node(a)
        labels: List[str] = db.labels()
        ranks: np.ndarray = db.pagerank(damping=0.85, labels=["Paper"], threads=2)
        depth = db.bfs(a, max_depth=2)
        communities: np.ndarray = db.louvain(resolution=1.0, seed=1)
        q: float = db.modularity(communities)
        nearest, distances = db.knn(np.ones(8, dtype=np.float32), k=3, filter="Paper",
                                    where={"title": ("!=", "t0")})
        frame = db.nodes_df("Paper", properties=["title"], results={"rank": ranks})
        frame.head()
        matrix, order = db.to_scipy_sparse("Paper", weight="weight")
        first: int = int(order[0])
        ax = nendb.plot.top_k(db, ranks, k=3, title="PageRank")
        ax.set_xlabel("rank")
        with db.read() as r:
            n: int = r.num_nodes + r.num_edges
        stats: Dict[str, object] = db.stats()
        memory: int = nendb.estimate_memory(1000, 5000)["total_bytes"]
        try:
            db.node(10**6)
        except errors.NotFoundError:
            pass
        except nendb.InvalidArgumentError:
            pass
        return e, nearest


def copy(graph: object) -> int:
    with nendb.from_networkx(graph, label="Thing") as db:
        return db.num_nodes
'''

# Wrong calls mypy must reject, each on a line marked "# error": proof that
# it sees nendb's types at all.
MISUSE = '''
import nendb
import nendb.plot

db = nendb.open(":memory:")
db.pagerank(damping="high")  # error: a str for a float
db.add_edges([0], [1])  # error: no edge type
with db.write() as tx:
    tx.add_node("Person", kye="ada")  # error: no such keyword
n: str = db.num_nodes  # error: an int
db.knn([1.0], k=3, metrik="l2")  # error: no such keyword
nendb.plot.degree_distribution(db, log="yes")  # error: a str for a bool
nendb.plot.top_k(db, db.pagerank()).no_such_method()  # error: not a method of Axes
'''


def test_public_api_usage_type_checks(cache, tmp_path):
    snippet = tmp_path / "usage.py"
    snippet.write_text(textwrap.dedent(USAGE))
    proc = mypy(cache, str(snippet), cwd=tmp_path)
    assert proc.returncode == 0, output(proc)


def test_wrong_calls_are_type_errors(cache, tmp_path):
    snippet = tmp_path / "misuse.py"
    snippet.write_text(MISUSE)
    proc = mypy(cache, str(snippet), cwd=tmp_path)
    assert proc.returncode == 1, output(proc)
    marked = {i for i, line in enumerate(MISUSE.splitlines(), 1) if "# error" in line}
    found = {int(m) for m in re.findall(r"misuse\.py:(\d+): error", proc.stdout)}
    assert found == marked, output(proc)
