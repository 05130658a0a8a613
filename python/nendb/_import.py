"""Tables into the database: pandas DataFrames, Arrow tables and Parquet
files as bulk node and edge inserts, one vectorised conversion per column
(numeric columns without nulls are passed to the core without a copy).

Missing values (NaN, None, pd.NA, Arrow nulls) become nulls. Columns whose
names start with an underscore (nendb's own, as nodes_df/edges_df write
them) are not stored as properties unless listed in ``properties=``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _convert as cv
from . import _progress
from ._optional import need
from .errors import InvalidArgumentError, NotFoundError

if TYPE_CHECKING:
    from ._transaction import WriteTransaction


def _no_dates(name: str, dtype: Any) -> None:
    raise TypeError(f'column "{name}" has dtype {dtype}, which nendb does not store: convert it '
                    f'to int64 (e.g. df["{name}"].astype("int64")) or to strings first')


def _object_values(name: str, arr: np.ndarray, nulls: np.ndarray) -> Any:
    """An object array: strings (None for nulls) or vectors (a masked 2-D array)."""
    if nulls.any():
        arr = arr.copy()
        arr[nulls] = None
    rest = arr[~nulls]
    if len(rest) and isinstance(rest[0], (np.ndarray, list, tuple)):
        try:
            rows = np.stack([np.asarray(v, dtype=np.float32) for v in rest])
        except ValueError:
            raise InvalidArgumentError(
                f'column "{name}": vector rows must all have the same length') from None
        data = np.zeros((len(arr), rows.shape[1]), dtype=np.float32)
        data[~nulls] = rows
        return np.ma.MaskedArray(data, np.repeat(nulls[:, None], rows.shape[1], axis=1))
    return arr


class PandasTable:
    """The columns of a DataFrame, converted on demand."""

    def __init__(self, df: Any) -> None:
        self._pd = need("pandas", "importing a DataFrame")
        if not isinstance(df, self._pd.DataFrame):
            raise TypeError(f"expected a pandas DataFrame, not {type(df).__name__}")
        self._df = df
        self.names: List[str] = [str(c) for c in df.columns]
        self.rows = len(df)

    def column(self, name: str, raw: bool = False) -> Any:
        """The column in a form the core takes; raw: its values as objects."""
        pd = self._pd
        if name not in self._df.columns:
            raise InvalidArgumentError(
                f'the DataFrame has no column "{name}"; its columns are {self.names}')
        s = self._df[name]
        if isinstance(s, pd.DataFrame):
            raise InvalidArgumentError(f'the DataFrame has several columns named "{name}"')
        if raw:
            arr = s.to_numpy(dtype=object, copy=True)
            arr[np.asarray(pd.isna(arr), dtype=bool)] = None
            return arr
        dt = s.dtype
        if isinstance(dt, pd.CategoricalDtype):
            s, dt = s.astype(object), np.dtype(object)
        if isinstance(dt, np.dtype):
            arr = s.to_numpy()
            if dt.kind in "mM":
                _no_dates(name, dt)
            if dt.kind == "f":
                nulls = np.isnan(arr)
                return np.ma.MaskedArray(arr, nulls) if nulls.any() else arr
            if dt.kind == "O":
                return _object_values(name, arr, np.asarray(pd.isna(arr), dtype=bool))
            return arr
        if getattr(dt, "kind", "") in "mM" and str(dt) != "string":
            _no_dates(name, dt)
        nulls = s.isna().to_numpy()
        numpy_type = getattr(dt, "numpy_dtype", None)
        if numpy_type is not None and np.dtype(numpy_type).kind in "biuf":
            values = s.to_numpy(dtype=numpy_type, na_value=0)
            return np.ma.MaskedArray(values, nulls) if nulls.any() else values
        return _object_values(name, s.to_numpy(dtype=object, na_value=None), nulls)


class ArrowTable:
    """The columns of a pyarrow Table, converted on demand."""

    def __init__(self, table: Any) -> None:
        self._pa = need("pyarrow", "importing an Arrow table")
        if isinstance(table, self._pa.RecordBatch):
            table = self._pa.Table.from_batches([table])
        if not isinstance(table, self._pa.Table):
            raise TypeError(f"expected a pyarrow Table, not {type(table).__name__}")
        self._t = table
        self.names: List[str] = list(table.column_names)
        self.rows = table.num_rows

    def column(self, name: str, raw: bool = False) -> Any:
        """The column in a form the core takes; raw: its values as objects."""
        pa = self._pa
        if name not in self.names:
            raise InvalidArgumentError(
                f'the table has no column "{name}"; its columns are {self.names}')
        col = self._t.column(name).combine_chunks()
        if raw:
            out = np.empty(len(col), dtype=object)
            out[:] = [tuple(v) if isinstance(v, list) else v for v in col.to_pylist()]
            return out
        t = col.type
        if pa.types.is_dictionary(t):
            col = col.dictionary_decode()
            t = col.type
        if pa.types.is_temporal(t):
            _no_dates(name, t)
        nulls = col.is_null().to_numpy(zero_copy_only=False)
        if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t):
            zero = False if pa.types.is_boolean(t) else 0
            values = (col.fill_null(zero) if col.null_count else col).to_numpy(zero_copy_only=False)
            return np.ma.MaskedArray(values, nulls) if col.null_count else values
        if (pa.types.is_fixed_size_list(t) or pa.types.is_list(t)) and col.null_count == 0 \
                and len(col) > 0:
            flat = col.flatten().to_numpy(zero_copy_only=False)
            if flat.size % len(col) == 0:
                return flat.reshape(len(col), -1).astype(np.float32, copy=False)
        return _object_values(name, col.to_numpy(zero_copy_only=False), nulls)


Table = Union[PandasTable, ArrowTable]


def table_of(data: Any) -> Table:
    """A DataFrame or an Arrow table (or record batch)."""
    if isinstance(data, (PandasTable, ArrowTable)):
        return data
    mod = type(data).__module__.split(".")[0]
    if mod == "pyarrow":
        return ArrowTable(data)
    return PandasTable(data)


def _property_columns(t: Table, used: Sequence[Optional[str]],
                      properties: Optional[Sequence[str]]) -> Dict[str, Any]:
    if properties is None:
        names = [c for c in t.names if c not in used and not c.startswith("_")]
    else:
        names = [cv.name(p, "a property name") for p in ([properties] if isinstance(
            properties, str) else properties)]
    return {name: t.column(name) for name in names}


def _groups(values: Optional[np.ndarray], what: str,
            fixed: Any) -> List[Tuple[Any, Optional[np.ndarray]]]:
    """(value, row indexes) per distinct value of the column; (fixed, None),
    every row with the value ``fixed``, if there is no column."""
    if values is None:
        return [(fixed, None)]
    if isinstance(values, np.ma.MaskedArray) or any(v is None for v in values):
        raise InvalidArgumentError(f"the {what} column has missing values; every row needs one")
    if len(values) and isinstance(values[0], (list, tuple, np.ndarray)):
        values = np.array([tuple(v) for v in values] + [()], dtype=object)[:-1]
    uniq, inverse = np.unique(values, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=len(uniq)))
    return [(u, order[b - c:b]) for u, b, c in zip(uniq, bounds, np.diff(bounds, prepend=0))]


def _key_kinds(keys: Any) -> Optional[np.ndarray]:
    """Per row 0 (no key), 1 (int) or 2 (string), where the rows need more
    than one batch (a batch's keys are all of one kind); else None."""
    if isinstance(keys, np.ma.MaskedArray):
        kinds = np.where(np.ma.getmaskarray(keys), 0, 1).astype(np.int8)
    elif keys is not None and keys.dtype.kind == "O":
        kinds = np.fromiter((0 if k is None else 2 if isinstance(k, str) else 1 for k in keys),
                            dtype=np.int8, count=len(keys))
    else:
        return None
    return None if len(kinds) == 0 or ((kinds == kinds[0]).all() and kinds[0] != 0) else kinds


def _batches(groups: List[Tuple[Any, Optional[np.ndarray]]], kinds: Optional[np.ndarray],
             n: int) -> List[Tuple[Any, Optional[np.ndarray], bool]]:
    """(label value, rows or None for all, whether the rows have keys)."""
    if kinds is None:
        return [(value, rows, True) for value, rows in groups]
    out = []
    for value, rows in groups:
        every = np.arange(n) if rows is None else rows
        for kind in (1, 2, 0):
            part = every[kinds[every] == kind]
            if len(part):
                out.append((value, part, kind != 0))
    return out


def _take(x: Any, rows: Optional[np.ndarray]) -> Any:
    return x if rows is None or x is None else x[rows]


def add_nodes(tx: WriteTransaction, data: Any, label: Optional[Union[str, Sequence[str]]],
              key: Optional[str], label_column: Optional[str],
              properties: Optional[Sequence[str]], progress: _progress.ProgressArg) -> np.ndarray:
    t = table_of(data)
    if (label is None) == (label_column is None):
        raise InvalidArgumentError("give label= (every row's label) or label_column= (a column "
                                   "of labels), not both or neither")
    keys = t.column(key) if key is not None else None
    kinds = _key_kinds(keys)
    if isinstance(keys, np.ma.MaskedArray):
        keys = np.ma.getdata(keys)
    props = _property_columns(t, [key, label_column], properties)
    groups = _groups(t.column(label_column, raw=True) if label_column is not None else None,
                     "label", label)
    ids = np.full(t.rows, cv.NO_NODE, dtype=np.uint64)
    bar = _progress.make(progress, "import nodes", unit="rows")
    done = 0
    try:
        for value, rows, keyed in _batches(groups, kinds, t.rows):
            labels = list(value) if isinstance(value, tuple) else value
            n = t.rows if rows is None else len(rows)
            part = {k: _take(v, rows) for k, v in props.items()}
            out = tx.add_nodes(labels, keys=_take(keys, rows) if keyed else None, props=part,
                               count=n)
            ids[slice(None) if rows is None else rows] = out
            done += n
            bar(done, t.rows)
    finally:
        bar.close()
    return ids


def _endpoints(tx: WriteTransaction, t: Table, column: str, label: Optional[str],
               what: str) -> np.ndarray:
    values = t.column(column)
    if label is None:
        return cv.id_array(values, f'the {what} column "{column}"')
    ids = tx.find_many(label, values)
    missing = ids == cv.NO_NODE
    if missing.any():
        first = np.asarray(values)[np.argmax(missing)]
        raise NotFoundError(
            f'{int(missing.sum())} {what} keys in column "{column}" have no "{label}" node '
            f"(the first is {first!r}); import the nodes first")
    return ids


def add_edges(tx: WriteTransaction, data: Any, source: str, target: str, edge_type: Optional[str],
              type_column: Optional[str], weight: Optional[str], source_label: Optional[str],
              target_label: Optional[str], properties: Optional[Sequence[str]],
              progress: _progress.ProgressArg) -> np.ndarray:
    t = table_of(data)
    if (edge_type is None) == (type_column is None):
        raise InvalidArgumentError("give edge_type= (every row's type) or type_column= (a "
                                   "column of types), not both or neither")
    src = _endpoints(tx, t, source, source_label, "source")
    dst = _endpoints(tx, t, target, target_label, "target")
    w = None
    if weight is not None:
        w = t.column(weight)
        if isinstance(w, np.ma.MaskedArray):
            raise InvalidArgumentError(f'the weight column "{weight}" has missing values')
    props = _property_columns(t, [source, target, type_column, weight], properties)
    groups = _groups(t.column(type_column, raw=True) if type_column is not None else None,
                     "type", edge_type)
    ids = np.zeros(t.rows, dtype=np.uint64)
    bar = _progress.make(progress, "import edges", unit="rows")
    done = 0
    try:
        for value, rows in groups:
            et = value if type_column is None else str(value)
            part = {k: _take(v, rows) for k, v in props.items()}
            out = tx.add_edges(_take(src, rows), _take(dst, rows), et, weight=_take(w, rows),
                               props=part)
            ids[slice(None) if rows is None else rows] = out
            done += len(out)
            bar(done, t.rows)
    finally:
        bar.close()
    return ids


def read_parquet(path: Any) -> Any:
    return need("pyarrow.parquet", "importing a Parquet file").read_table(path)
