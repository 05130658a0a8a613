"""Nodes and edges as tables: the columns of one snapshot, read in bulk from
the core (one call per column, no Python object per row), then handed to
pandas or Arrow, over the core's own buffers wherever the layout allows.

System columns start with an underscore (``_id``, ``_label``, ``_labels``,
``_key``; for edges ``_id``, ``_source``, ``_target``, ``_type``, ``_weight``,
``_source_key``, ``_target_key``) so they never collide with properties.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np

from . import _convert as cv
from . import _nendb
from ._optional import need
from .errors import InvalidArgumentError

if TYPE_CHECKING:
    from ._nendb import _Reads as _Core

Properties = Union[None, bool, Sequence[str]]


@dataclass
class Col:
    """One output column. type: "uint64", "int64", "float64", "bool",
    "string" (values = (offsets, bytes)), "vector[d]" (2-D values), "null",
    "labels" (values = (names, codes, offsets)) or "mixed" (keys of both
    kinds: values = (int column dict, string column dict))."""

    name: str
    type: str
    values: Any
    valid: Optional[np.ndarray] = None  # None: every row has a value


def _from_core(name: str, c: Dict[str, Any]) -> Col:
    valid = c["valid"]
    return Col(name, c["type"], c["values"], None if valid.all() else valid)


def _key_col(name: str, r: _Core, ids: np.ndarray) -> Optional[Col]:
    ints, strs = r.read_keys(ids)
    has_int, has_str = bool(ints["valid"].any()), bool(strs["valid"].any())
    if has_int and has_str:
        return Col(name, "mixed", (ints, strs), ints["valid"] | strs["valid"])
    if has_int:
        return _from_core(name, ints)
    if has_str:
        return _from_core(name, strs)
    return None


def _property_names(infos: List[Dict[str, Any]], properties: Properties) -> List[str]:
    if properties is False:
        return []
    if properties is None or properties is True:
        seen: Dict[str, None] = {}
        for info in infos:
            for c in info["columns"]:
                seen.setdefault(c["name"], None)
        return list(seen)
    if isinstance(properties, str):
        return [properties]
    return [cv.name(p, "a property name") for p in properties]


def _declared(infos: List[Dict[str, Any]]) -> Dict[str, str]:
    """Property name -> type string from the schemas (for all-null columns)."""
    out: Dict[str, str] = {}
    for info in infos:
        for c in info["columns"]:
            t = c["type"]
            out.setdefault(c["name"], f"vector[{c['dim']}]" if t == "vector" else t)
    return out


def _properties(read: Any, ids: np.ndarray, infos: List[Dict[str, Any]],
                properties: Properties) -> List[Col]:
    """The property columns; an all-null one keeps the type its schema declares."""
    declared = _declared(infos)
    out = []
    for name in _property_names(infos, properties):
        col = _from_core(name, read(ids, name))
        if col.type == "null":
            col.type = declared.get(name, "null")
        out.append(col)
    return out


def _results(ids: np.ndarray, bound: int, results: Optional[Mapping[str, Any]]) -> List[Col]:
    """Arrays indexed by node id (as analytics return) gathered to the rows;
    arrays with one value per row taken as they are."""
    out = []
    for name, values in (results or {}).items():
        arr = np.asarray(values)
        if arr.ndim == 0 or len(arr) not in (bound, len(ids)):
            raise InvalidArgumentError(
                f'result "{name}" has {arr.shape[0] if arr.ndim else 0} values; it needs one per '
                f"node id ({bound}, as analytics return) or one per row ({len(ids)})")
        rows = arr[ids.astype(np.intp)] if len(arr) == bound and len(arr) != len(ids) else arr
        out.append(Col(name, "result", rows))
    return out


def node_columns(r: _Core, label: Optional[str], properties: Properties,
                 results: Optional[Mapping[str, Any]] = None) -> List[Col]:
    """The columns of the live nodes (of one label, or all) in id order."""
    if label is None:
        ids = r.scan_nodes()
        infos = [r.label_info(lab) for lab in r.labels()]
    else:
        ids = r.nodes(cv.name(label, "a label"))
        infos = [r.label_info(label)]
    cols = [Col("_id", "uint64", ids), Col("_label", "labels", r.read_labels(ids))]
    key = _key_col("_key", r, ids)
    if key is not None:
        cols.append(key)
    cols.extend(_properties(r.read_node_column, ids, infos, properties))
    cols.extend(_results(ids, int(r.node_id_bound), results))
    return cols


def edge_columns(r: _Core, edge_type: Optional[str], properties: Properties,
                 keys: bool = True) -> List[Col]:
    """The columns of the live edges (of one type, or all) in id order."""
    e = r.edges(cv.optional_name(edge_type, "an edge type"))
    ids = e["id"]
    types = [edge_type] if edge_type is not None else list(r.edge_types())
    infos = [r.edge_type_info(t) for t in types]
    cols = [Col("_id", "uint64", ids), Col("_source", "uint64", e["source"]),
            Col("_target", "uint64", e["target"]),
            Col("_type", "labels", r.read_edge_types(ids)),
            Col("_weight", "float64", e["weight"])]
    if keys:
        for end in ("source", "target"):
            key = _key_col(f"_{end}_key", r, e[end])
            if key is not None:
                cols.append(key)
    cols.extend(_properties(r.read_edge_column, ids, infos, properties))
    return cols


# ---- numpy forms shared by pandas and networkx --------------------------------


def strings(col: Col) -> np.ndarray:
    offsets, data = col.values
    valid = col.valid if col.valid is not None else np.ones(len(offsets) - 1, dtype=bool)
    return _nendb.decode_strings(offsets, data, valid)


def primary_labels(col: Col) -> "tuple[List[str], np.ndarray]":
    names, codes, offsets = col.values
    if len(offsets) == 0:  # edge types: one code per row
        return names, codes
    return names, codes[offsets[:-1].astype(np.intp)]


def label_lists(col: Col) -> Optional[np.ndarray]:
    """Every label of each row (object array of tuples), or None when no row
    has more than one."""
    names, codes, offsets = col.values
    if len(offsets) == 0 or len(codes) == len(offsets) - 1:
        return None
    out = np.empty(len(offsets) - 1, dtype=object)
    for i in range(len(out)):
        out[i] = tuple(names[c] for c in codes[offsets[i]:offsets[i + 1]])
    return out


def objects(col: Col) -> np.ndarray:
    """Any column as an object array with None for nulls (Python values)."""
    n = _rows(col)
    if col.type == "string":
        return strings(col)
    if col.type == "mixed":
        ints, strs = col.values
        out = strings(_from_core("", strs)) if strs["valid"].any() else np.full(n, None, object)
        iv = ints["valid"]
        out[iv] = ints["values"][iv].tolist()
        return out
    if col.type == "labels":
        names, codes = primary_labels(col)
        return np.asarray(names, dtype=object)[codes.astype(np.intp)] if names else \
            np.full(n, None, object)
    if col.type == "null":
        return np.full(n, None, dtype=object)
    out = np.empty(n, dtype=object)
    if col.type.startswith("vector"):
        out[:] = list(col.values)
    else:
        out[:] = col.values.tolist()
    if col.valid is not None:
        out[~col.valid] = None
    return out


def _rows(col: Col) -> int:
    if col.type == "string":
        return len(col.values[0]) - 1
    if col.type == "labels":
        names, codes, offsets = col.values
        return len(offsets) - 1 if len(offsets) else len(codes)
    if col.type == "mixed":
        return len(col.values[0]["valid"])
    if col.type == "null":
        return 0 if col.values is None else len(col.values)
    return len(col.values)


# ---- pandas -------------------------------------------------------------------


def _series_values(col: Col, pd: Any) -> Any:
    t = col.type
    if t == "labels":
        names, codes = primary_labels(col)
        return pd.Categorical.from_codes(codes.astype(np.int32), categories=names)
    if t in ("string", "mixed", "null") or t.startswith("vector"):
        return objects(col)
    if col.valid is None:
        return col.values
    if t == "int64":
        return pd.arrays.IntegerArray(col.values, ~col.valid)
    if t == "bool":
        return pd.arrays.BooleanArray(col.values, ~col.valid)
    values = col.values  # float64: NaN marks the missing values, as pandas does
    values[~col.valid] = np.nan
    return values


def to_pandas(cols: List[Col], rows: int) -> Any:
    pd = need("pandas", "a DataFrame")
    data: Dict[str, Any] = {}
    for col in cols:
        if col.type == "null":
            col.values = np.full(rows, None, dtype=object)
        data[col.name] = _series_values(col, pd)
        if col.type == "labels" and col.name == "_label":
            lists = label_lists(col)
            if lists is not None:
                data["_labels"] = lists
    return pd.DataFrame(data, copy=False)


# ---- Arrow --------------------------------------------------------------------


def _bitmap(pa: Any, valid: Optional[np.ndarray]) -> Any:
    if valid is None:
        return None
    return pa.py_buffer(np.packbits(valid, bitorder="little"))


def _arrow_array(col: Col, rows: int, pa: Any) -> Any:
    t = col.type
    nulls = 0 if col.valid is None else int(rows - col.valid.sum())
    mask = _bitmap(pa, col.valid)
    if t in ("uint64", "int64", "float64"):
        return pa.Array.from_buffers(getattr(pa, t)(), rows, [mask, pa.py_buffer(col.values)],
                                     null_count=nulls)
    if t == "bool":
        bits = pa.py_buffer(np.packbits(col.values, bitorder="little"))
        return pa.Array.from_buffers(pa.bool_(), rows, [mask, bits], null_count=nulls)
    if t == "string":
        offsets, data = col.values
        return pa.Array.from_buffers(pa.large_string(), rows,
                                     [mask, pa.py_buffer(offsets.view(np.int64)),
                                      pa.py_buffer(data)], null_count=nulls)
    if t.startswith("vector"):
        dim = col.values.shape[1]
        child = pa.Array.from_buffers(pa.float32(), rows * dim,
                                      [None, pa.py_buffer(np.ascontiguousarray(col.values))])
        return pa.Array.from_buffers(pa.list_(pa.float32(), dim), rows, [mask],
                                     null_count=nulls, children=[child])
    if t == "labels":
        names, codes = primary_labels(col)
        return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)),
                                              pa.array(names, pa.string()))
    if t == "result":
        return pa.array(col.values)
    if t == "mixed":
        ints, strs = col.values
        kinds = np.where(strs["valid"], 1, 0).astype(np.int8)
        offsets = np.arange(rows, dtype=np.int32)
        children = [_arrow_array(_from_core("", ints), rows, pa),
                    _arrow_array(_from_core("", strs), rows, pa)]
        return pa.UnionArray.from_dense(pa.array(kinds), pa.array(offsets), children,
                                        ["int", "string"])
    return pa.nulls(rows, _null_type(t, pa))


def _null_type(t: str, pa: Any) -> Any:
    if t.startswith("vector["):
        return pa.list_(pa.float32(), int(t[7:-1]))
    return {"int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_(),
            "string": pa.large_string()}.get(t, pa.null())


def to_arrow(cols: List[Col], rows: int) -> Any:
    pa = need("pyarrow", "an Arrow table")
    arrays, names = [], []
    for col in cols:
        if col.type == "result":
            col.values = np.ascontiguousarray(col.values)
        arrays.append(_arrow_array(col, rows, pa))
        names.append(col.name)
        if col.type == "labels" and col.name == "_label":
            lists = label_lists(col)
            if lists is not None:
                arrays.append(pa.array([list(x) for x in lists], pa.list_(pa.string())))
                names.append("_labels")
    return pa.table(arrays, names=names)
