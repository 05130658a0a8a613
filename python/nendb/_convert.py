"""Argument checks and numpy normalisation between the public API and _nendb.

Everything here turns what a user may pass (ints, numpy scalars, lists,
masked arrays, arrays of any int/float width) into the few exact forms the
compiled module accepts, with one vectorised numpy call at most per array and
no copy when the input already has the right dtype and layout. Wrong Python
types raise TypeError; wrong values raise nendb.errors exceptions.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Mapping
from typing import Any, List, Optional, Tuple, Union

import numpy as np

from .errors import CapacityError, InvalidArgumentError

_U64_LIMIT = 1 << 64
_I64_MAX = (1 << 63) - 1
MAX_ROWS = (1 << 32) - 2  # kMaxNodes / kMaxEdges
NO_NODE = (1 << 64) - 1  # "no such node" in id arrays (kNoNode)

Column = Tuple[str, np.ndarray, Optional[np.ndarray]]


def _type_name(x: Any) -> str:
    return type(x).__name__


def entity_id(x: Any, what: str = "node id") -> int:
    """A node or edge id as a Python int in [0, 2**64)."""
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{what} must be an int, not bool")
    try:
        i = operator.index(x)
    except TypeError:
        raise TypeError(f"{what} must be an int, not {_type_name(x)}") from None
    if not 0 <= i < _U64_LIMIT:
        raise InvalidArgumentError(
            f"{what} {i} is out of range: ids are non-negative 64-bit integers, "
            "as returned by add_node/add_edge"
        )
    return i


def name(x: Any, what: str) -> str:
    """A label, edge type or property name (the core checks length and content)."""
    if not isinstance(x, str):
        raise TypeError(f"{what} must be a str, not {_type_name(x)}")
    return x


def optional_name(x: Any, what: str) -> str:
    """None -> "" (meaning: any), else a name."""
    return "" if x is None else name(x, what)


def label_list(x: Any) -> List[str]:
    """One label or a sequence of labels (the first is the primary one)."""
    if isinstance(x, str):
        return [x]
    if isinstance(x, (list, tuple)):
        out = [name(v, "a label") for v in x]
        if not out:
            raise InvalidArgumentError("a node needs at least one label")
        return out
    raise TypeError(f"labels must be a str or a list of str, not {_type_name(x)}")


def weight(x: Any) -> float:
    """A finite edge weight."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"an edge weight must be a number, not {_type_name(x)}")
    w = float(x)
    if not math.isfinite(w):
        raise InvalidArgumentError(f"edge weight {w} is not a finite number; use a finite float")
    return w


def direction(x: Any) -> str:
    if not isinstance(x, str) or x not in ("out", "in", "both"):
        raise InvalidArgumentError(f'direction must be "out", "in" or "both", not {x!r}')
    return str(x)


# ---- arrays ----------------------------------------------------------------


def _asarray(x: Any, what: str) -> np.ndarray:
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__") and not hasattr(x, "__iter__"):
        raise TypeError(f"{what} must be an array or a sequence with one value per row, "
                        f"not {_type_name(x)}")
    if not hasattr(x, "__len__"):
        x = list(x)
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError):
        # Ragged nested sequences: keep the rows as objects, decided below.
        out = np.empty(len(x), dtype=object)
        out[:] = list(x)
        return out
    if arr.dtype.kind in "US" and not all(isinstance(v, (str, bytes)) for v in x):
        # numpy would turn [1, "a"] into ["1", "a"]: types are never converted.
        raise TypeError(f"{what} mixes strings with other values")
    return arr


def _one_d(arr: np.ndarray, what: str) -> np.ndarray:
    if arr.ndim != 1:
        raise InvalidArgumentError(f"{what} must be 1-D; it has shape {arr.shape}")
    return arr


def _int64(arr: np.ndarray, what: str) -> np.ndarray:
    if arr.dtype.kind == "u" and arr.dtype.itemsize >= 8 and arr.size and arr.max() > _I64_MAX:
        raise InvalidArgumentError(f"{what}: value {int(arr.max())} does not fit in int64")
    return np.ascontiguousarray(arr, dtype=np.int64)


def id_array(x: Any, what: str) -> np.ndarray:
    """Node or edge ids as a 1-D C-contiguous uint64 array."""
    arr = _one_d(_asarray(x, what), what)
    if arr.dtype.kind == "f" and isinstance(x, (list, tuple)):
        # numpy makes [np.uint64(5), 3] float64: check each id as an int.
        arr = np.array(x, dtype=object)
    if arr.size == 0:
        return np.empty(0, dtype=np.uint64)
    kind = arr.dtype.kind
    if kind == "u":
        return np.ascontiguousarray(arr, dtype=np.uint64)
    if kind == "i":
        lo = int(arr.min())
        if lo < 0:
            raise InvalidArgumentError(f"{what}: id {lo} is negative; ids are non-negative")
        return np.ascontiguousarray(arr, dtype=np.uint64)
    if kind == "O":
        for v in arr:
            entity_id(v, f"{what}: id")
        return np.asarray(arr.tolist(), dtype=np.uint64)
    raise TypeError(f"{what} must hold integer ids, not dtype {arr.dtype}")


def weight_array(x: Any, n: int) -> Optional[np.ndarray]:
    """Edge weights: None, one number for every edge, or one per edge (float64)."""
    if x is None:
        return None
    if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_)):
        return np.full(n, weight(x), dtype=np.float64)
    arr = _one_d(_asarray(x, "weights"), "weights")
    if arr.dtype.kind not in "fiu":
        raise TypeError(f"weights must be numbers, not dtype {arr.dtype}")
    return np.ascontiguousarray(arr, dtype=np.float64)


def key_array(x: Any) -> Optional[np.ndarray]:
    """Bulk keys: None, int64 array, or str/bytes/object-of-str array."""
    if x is None:
        return None
    if isinstance(x, np.ma.MaskedArray):
        raise InvalidArgumentError("keys cannot be masked: every node of a keyed batch needs a key")
    arr = _one_d(_asarray(x, "keys"), "keys")
    if arr.size == 0:
        return np.empty(0, dtype=np.int64)
    kind = arr.dtype.kind
    if kind in "iu":
        return _int64(arr, "keys")
    if kind in "US":
        return arr
    if kind == "O":
        first = arr[0]
        if isinstance(first, (int, np.integer)) and not isinstance(first, bool):
            try:
                return np.asarray(arr.tolist(), dtype=np.int64)
            except OverflowError:
                raise InvalidArgumentError("keys: a key does not fit in int64") from None
            except (TypeError, ValueError):
                raise TypeError("keys must be all integers or all strings") from None
        return arr  # strings; the module rejects None and non-str rows by row
    raise TypeError(f"keys must be integers or strings, not dtype {arr.dtype}")


def _object_column(col: str, arr: np.ndarray) -> Tuple[Optional[np.ndarray], Optional[np.ndarray]]:
    """An object array (from lists with None, ragged vectors, huge ints) as a
    typed array plus validity; (None, None) when every row is None."""
    what = f'property "{col}"'
    arr = _one_d(arr, what)
    nulls = np.fromiter((v is None for v in arr), dtype=bool, count=len(arr))
    valid = None if not nulls.any() else ~nulls
    rest = arr[~nulls] if valid is not None else arr
    if rest.size == 0:
        return None, None
    first = rest[0]
    if isinstance(first, str):
        return arr, valid  # the module encodes it; None rows are nulls
    if isinstance(first, (list, tuple, np.ndarray)):
        try:
            rows = np.asarray(rest.tolist(), dtype=np.float32)
        except (ValueError, TypeError):
            raise InvalidArgumentError(
                f"{what}: vector rows must all be numbers of the same length") from None
        if rows.ndim != 2:
            raise InvalidArgumentError(f"{what}: vector rows must all have the same length")
        data = np.zeros((len(arr), rows.shape[1]), dtype=np.float32)
        data[~nulls] = rows
        return data, valid
    try:
        values = np.asarray(rest.tolist())
    except (ValueError, TypeError, OverflowError):
        raise TypeError(f"{what}: rows must all be of one type") from None
    kind = values.dtype.kind
    if kind == "O":
        if all(isinstance(v, int) for v in rest):
            raise InvalidArgumentError(f"{what}: a value does not fit in int64")
        raise TypeError(f"{what}: rows must all be of one type (int, float, bool, str or vector)")
    if kind in "US":
        raise TypeError(f"{what}: rows mix strings with other values")
    if kind not in "biuf":
        raise TypeError(f"{what}: unsupported values of dtype {values.dtype}")
    data = np.zeros(len(arr), dtype=values.dtype)
    data[~nulls] = values
    return data, valid


def column(col: str, value: Any) -> Optional[Column]:
    """One bulk property column as (name, array, valid); None if all rows are null."""
    name(col, "a property name")
    what = f'property "{col}"'
    valid: Optional[np.ndarray] = None
    arr: np.ndarray
    if isinstance(value, np.ma.MaskedArray):
        mask: np.ndarray = np.ma.getmaskarray(value)
        arr = np.ma.getdata(value)
        if arr.ndim == 2:
            mask = np.asarray(mask.any(axis=1))
        valid = ~mask if mask.any() else None
    else:
        arr = _asarray(value, what)
    if arr.dtype.kind == "O":
        typed, more = _object_column(col, arr)
        if typed is None:
            return None
        arr = typed
        if more is not None:
            valid = more if valid is None else (valid & more)
    kind = arr.dtype.kind
    if arr.ndim == 2:
        if kind not in "fiu":
            raise TypeError(f"{what}: a 2-D column (vectors) must hold numbers, not {arr.dtype}")
        arr = np.ascontiguousarray(arr, dtype=np.float32)
    else:
        _one_d(arr, what)
        if kind == "b":
            arr = np.ascontiguousarray(arr, dtype=np.bool_)
        elif kind in "iu":
            arr = _int64(arr, what)
        elif kind == "f":
            arr = np.ascontiguousarray(arr, dtype=np.float64)
        elif kind not in "USO":
            raise TypeError(f"{what}: unsupported dtype {arr.dtype}; use ints, floats, bools, "
                            "strings or 2-D float arrays (vectors)")
    if valid is not None:
        valid = np.ascontiguousarray(valid, dtype=np.bool_)
    return (col, arr, valid)


def columns(props: Any) -> List[Column]:
    """A dict of name -> array as bulk columns (all-null columns are dropped)."""
    if props is None:
        return []
    if not isinstance(props, Mapping):
        raise TypeError(f"props must be a dict of name -> array, not {_type_name(props)}")
    out = []
    for k, v in props.items():
        c = column(k, v)
        if c is not None:
            out.append(c)
    return out


def rows_of(col: Column) -> int:
    arr = col[1]
    return int(arr.shape[0])


def check_count(n: int, what: str) -> int:
    n = operator.index(n)
    if n < 0:
        raise InvalidArgumentError(f"{what} {n} is negative")
    if n > MAX_ROWS:
        raise CapacityError(f"{what} {n} is more than the limit of {MAX_ROWS}")
    return n


def parameter(x: Any, what: str) -> int:
    """An int parameter the core range-checks (M, ef_construction)."""
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or not 0 <= x < 2**31:
        raise InvalidArgumentError(f"{what} must be a non-negative int, not {x!r}")
    return int(x)


# ---- schemas ---------------------------------------------------------------

_VECTOR = re.compile(r"^vector\[(\d+)\]$")
_ALIASES = {
    "int64": "int64", "int": "int64", int: "int64",
    "float64": "float64", "float": "float64", "double": "float64", float: "float64",
    "bool": "bool", bool: "bool",
    "string": "string", "str": "string", str: "string",
}

PropertyType = Union[str, type]


def parse_type(t: Any, dim: Optional[int], prop: str) -> Tuple[str, int]:
    """("int64" | "float64" | "bool" | "string" | "vector", dim)."""
    if isinstance(t, str):
        m = _VECTOR.match(t.strip())
        if m:
            d = int(m.group(1))
            if dim is not None and dim != d:
                raise InvalidArgumentError(f'property "{prop}": type {t} but dim={dim}')
            return "vector", d
        if t.strip() == "vector":
            if dim is None:
                raise InvalidArgumentError(
                    f'property "{prop}": a vector needs a dimension, e.g. "vector[128]"')
            return "vector", operator.index(dim)
    try:
        return _ALIASES[t.strip() if isinstance(t, str) else t], 0
    except (KeyError, TypeError):
        raise InvalidArgumentError(
            f'property "{prop}": unknown type {t!r}; use "int64", "float64", "bool", '
            '"string" or "vector[DIM]"') from None


def property_specs(properties: Any) -> List[Tuple[str, str, int, bool]]:
    """A schema dict (name -> type string or nendb.Property) as module tuples."""
    from ._schema import Property

    if properties is None:
        return []
    if not isinstance(properties, Mapping):
        raise TypeError("properties must be a dict of name -> type (e.g. \"int64\", "
                        "\"vector[128]\" or nendb.Property(...))")
    out = []
    for prop, spec in properties.items():
        name(prop, "a property name")
        if isinstance(spec, Property):
            t, d = parse_type(spec.type, spec.dim, prop)
            out.append((prop, t, d, bool(spec.required)))
        else:
            t, d = parse_type(spec, None, prop)
            out.append((prop, t, d, False))
    return out


def csv_types(types: Any) -> List[Tuple[str, str]]:
    """Column types for CSV imports: dict of column -> scalar type."""
    if types is None:
        return []
    if not isinstance(types, Mapping):
        raise TypeError("types must be a dict of column -> type")
    out = []
    for col, t in types.items():
        name(col, "a column name")
        tn, _ = parse_type(t, None, col)
        if tn == "vector":
            raise InvalidArgumentError(f'column "{col}": CSV columns cannot be vectors')
        out.append((col, tn))
    return out


def single_char(x: Any, what: str) -> str:
    if not isinstance(x, str) or len(x) != 1 or ord(x) > 127:
        raise InvalidArgumentError(f"{what} must be one ASCII character, not {x!r}")
    return x
