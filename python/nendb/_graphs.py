"""The graph handed to other graph libraries and back: NetworkX (one Python
object per node and edge, as NetworkX stores them) and SciPy sparse
adjacency matrices (one vectorised pass), plus k-NN results as a frame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

import numpy as np

from . import _convert as cv
from . import _export
from ._optional import need
from .errors import InvalidArgumentError

if TYPE_CHECKING:
    from ._nendb import _Reads as _Core


def _node_set(r: _Core, label: Optional[str]) -> np.ndarray:
    return r.scan_nodes() if label is None else r.nodes(cv.name(label, "a label"))


def _edges_within(r: _Core, ids: np.ndarray, edge_type: Optional[str],
                  everything: bool) -> Tuple[Dict[str, np.ndarray], np.ndarray]:
    """The edges of the type with both ends in ids, and their positions."""
    e = r.edges(cv.optional_name(edge_type, "an edge type"))
    if everything:
        return e, np.arange(len(e["id"]))
    keep = np.flatnonzero(np.isin(e["source"], ids) & np.isin(e["target"], ids))
    return {k: v[keep] for k, v in e.items()}, keep


def _rows(cols: List[_export.Col], skip: Tuple[str, ...]) -> List[Tuple[str, np.ndarray]]:
    """(name, object array with None for nulls) for the attribute columns."""
    out = []
    for c in cols:
        if c.name in skip:
            continue
        out.append((c.name, _export.objects(c)))
        if c.name == "_label":
            lists = _export.label_lists(c)
            if lists is not None:
                out.append(("_labels", lists))
    return out


def _attr_dicts(columns: List[Tuple[str, np.ndarray]], n: int) -> List[Dict[str, Any]]:
    dicts: List[Dict[str, Any]] = [{} for _ in range(n)]
    for name, values in columns:
        for d, v in zip(dicts, values):
            if v is not None:
                d[name] = v
    return dicts


def to_networkx(r: _Core, label: Optional[str], edge_type: Optional[str], properties: bool,
                directed: bool, multigraph: bool) -> Any:
    nx = need("networkx", "to_networkx()")
    cls = {(True, True): nx.MultiDiGraph, (True, False): nx.DiGraph,
           (False, True): nx.MultiGraph, (False, False): nx.Graph}[(bool(directed),
                                                                    bool(multigraph))]
    g = cls()
    cols = _export.node_columns(r, label, None if properties else False)
    ids = cols[0].values
    g.add_nodes_from(zip(ids.tolist(), _attr_dicts(_rows(cols, ("_id",)), len(ids))))
    e, keep = _edges_within(r, ids, edge_type, label is None)
    ecols = _export.edge_columns(r, edge_type, None if properties else False, keys=False)
    if any(c.name == "weight" for c in ecols):
        raise InvalidArgumentError('an edge property is named "weight", which NetworkX uses for '
                                   "the edge weight; pass properties=False")
    for c in ecols:
        if c.name == "_weight":
            c.name = "weight"
    attrs = _attr_dicts([(n, v[keep]) for n, v in _rows(ecols, ("_source", "_target"))],
                        len(keep))
    src, dst = e["source"].tolist(), e["target"].tolist()
    if multigraph:
        g.add_edges_from(zip(src, dst, e["id"].tolist(), attrs))
    else:
        g.add_edges_from(zip(src, dst, attrs))
    return g


def to_scipy_sparse(r: _Core, label: Optional[str], edge_type: Optional[str],
                    weight: Optional[str], directed: bool) -> Tuple[Any, np.ndarray]:
    sparse = need("scipy.sparse", "to_scipy_sparse()")
    ids = _node_set(r, label)
    e, keep = _edges_within(r, ids, edge_type, label is None)
    if weight is None:
        data = np.ones(len(keep), dtype=np.float64)
    elif weight == "weight":
        data = e["weight"]
    else:
        col = r.read_edge_column(e["id"], cv.name(weight, "a property name"))
        if col["type"] not in ("int64", "float64", "bool"):
            raise InvalidArgumentError(f'edge property "{weight}" is {col["type"]}, not a number')
        data = np.where(col["valid"], col["values"], 0).astype(np.float64)
    rows = np.searchsorted(ids, e["source"])
    cols = np.searchsorted(ids, e["target"])
    if not directed:
        rows, cols = np.concatenate([rows, cols]), np.concatenate([cols, rows])
        data = np.concatenate([data, data])
    n = len(ids)
    a = sparse.coo_array((data, (rows, cols)), shape=(n, n)).tocsr()
    a.sum_duplicates()
    return a, ids


def knn_frame(r: _Core, ids: np.ndarray, dist: np.ndarray) -> Any:
    pd = need("pandas", "knn_df()")
    flat = ids.ravel()
    data: Dict[str, Any] = {}
    if ids.ndim == 2:
        data["_query"] = np.repeat(np.arange(ids.shape[0]), ids.shape[1])
    data["rank"] = np.tile(np.arange(ids.shape[-1]), ids.size // max(ids.shape[-1], 1))
    data["_id"] = flat
    labels = _export.Col("_label", "labels", r.read_labels(flat))
    names, codes = _export.primary_labels(labels)
    data["_label"] = pd.Categorical.from_codes(codes.astype(np.int32), categories=names)
    key = _export._key_col("_key", r, flat)
    if key is not None:
        data["_key"] = _export.objects(key) if key.type != "int64" or key.valid is not None \
            else key.values
    data["distance"] = dist.ravel()
    return pd.DataFrame(data)


def _key_of(name: Any, attrs: Dict[str, Any], from_nendb: bool) -> Any:
    if from_nendb:
        return attrs.get("_key")
    if isinstance(name, (str, int, np.integer)) and not isinstance(name, (bool, np.bool_)):
        return name
    return str(name)  # tuples (grid coordinates) and the like: their text


def _columns_of(dicts: List[Dict[str, Any]], skip: Tuple[str, ...]) -> Dict[str, np.ndarray]:
    """One object column (None where missing) per attribute any row has."""
    names: Dict[str, None] = {}
    for d in dicts:
        for a in d:
            if not a.startswith("_") and a not in skip:
                names.setdefault(a, None)
    out = {}
    for a in names:
        col = np.empty(len(dicts), dtype=object)
        col[:] = [d.get(a) for d in dicts]
        out[a] = col
    return out


def _group(keys: List[Any]) -> Dict[Any, List[int]]:
    groups: Dict[Any, List[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    return groups


def from_networkx(g: Any, db: Any, label: str, edge_type: str) -> None:
    """Adds g's nodes and edges to db in one transaction (see nendb.from_networkx)."""
    need("networkx", "from_networkx()")
    nodes = list(g.nodes(data=True))
    from_nendb = any("_key" in d or "_label" in d for _, d in nodes)
    keys = [_key_of(n, d, from_nendb) for n, d in nodes]
    kinds = [0 if k is None else 2 if isinstance(k, str) else 1 for k in keys]
    labels = [tuple(d["_labels"]) if "_labels" in d else (d["_label"],) if "_label" in d
              else (label,) for _, d in nodes]
    ids = np.empty(len(nodes), dtype=np.uint64)
    if g.is_multigraph():
        edges = [(u, v, d) for u, v, _, d in g.edges(keys=True, data=True)]
    else:
        edges = list(g.edges(data=True))
    if edges and all("_id" in d for _, _, d in edges):
        edges.sort(key=lambda e: e[2]["_id"])  # a graph from nendb: keep the edge order
    with db.write() as tx:
        for (labs, kind), rows in _group(list(zip(labels, kinds))).items():
            props = _columns_of([nodes[i][1] for i in rows], ())
            ks = None if kind == 0 else [keys[i] for i in rows]
            ids[rows] = tx.add_nodes(list(labs), keys=ks, props=props, count=len(rows))
        index = {n: i for (n, _), i in zip(nodes, ids.tolist())}
        types = [str(d.get("_type", edge_type)) for _, _, d in edges]
        for t, rows in _group(types).items():
            dicts = [edges[i][2] for i in rows]
            src = np.array([index[edges[i][0]] for i in rows], dtype=np.uint64)
            dst = np.array([index[edges[i][1]] for i in rows], dtype=np.uint64)
            w = np.array([d.get("weight", 1.0) for d in dicts], dtype=np.float64)
            tx.add_edges(src, dst, t, weight=w, props=_columns_of(dicts, ("weight",)))
