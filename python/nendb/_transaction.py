"""Transactions: ReadTransaction (a snapshot) and WriteTransaction (reads its
own writes, commits all at once), plus the read API they share with Database."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _convert as cv
from . import _nendb
from . import _progress
from . import _import
from ._analytics import _Analytics
from ._frames import _Tables
from .errors import InvalidArgumentError

if TYPE_CHECKING:
    from ._database import Database

Key = Union[int, str]
Labels = Union[str, Sequence[str]]
PathLike = Union[str, "os.PathLike[str]"]


class _Reads(_Analytics, _Tables):
    """The read API shared by :class:`Database`, :class:`ReadTransaction` and
    :class:`WriteTransaction`."""

    __slots__ = ()

    def _reader(self) -> "_nendb.ReadTransaction | _nendb.WriteTransaction":
        raise NotImplementedError

    @property
    def num_nodes(self) -> int:
        """Number of live nodes."""
        return int(self._reader().num_nodes)

    @property
    def num_edges(self) -> int:
        """Number of live edges."""
        return int(self._reader().num_edges)

    @property
    def node_id_bound(self) -> int:
        """One past the largest node id ever assigned: the length of arrays indexed by node id."""
        return int(self._reader().node_id_bound)

    @property
    def sequence(self) -> int:
        """The last commit this view reflects (0 for a new database)."""
        return int(self._reader().sequence)

    def has_node(self, node: int) -> bool:
        """Whether a node with this id exists (False for ids out of range).

        Example: ``db.has_node(a)`` is False once ``a`` is deleted.
        """
        try:
            i = cv.entity_id(node)
        except InvalidArgumentError:
            return False
        return bool(self._reader().has_node(i))

    def has_edge(self, edge: int) -> bool:
        """Whether an edge with this id exists (False for ids out of range).

        Example: ``db.has_edge(e)``.
        """
        try:
            i = cv.entity_id(edge, "edge id")
        except InvalidArgumentError:
            return False
        return bool(self._reader().has_edge(i))

    def find(self, label: str, key: Key) -> Optional[int]:
        """The id of the node with ``label`` and ``key``, or None if there is none.

        Example: ``a = db.find("Person", "alice")``.
        """
        return self._reader().find(cv.name(label, "a label"), key)

    def find_many(self, label: str, keys: Any) -> np.ndarray:
        """Ids of the nodes with ``label`` and each of ``keys`` (an int array or
        a sequence of str), as a uint64 array holding :data:`nendb.NO_NODE`
        (2**64-1) where there is no such node.

        Example: ``ids = db.find_many("Person", ["alice", "bob"])``, then
        ``ids[ids != nendb.NO_NODE]`` the ones that exist.
        """
        k = cv.key_array(keys)
        if k is None:
            raise TypeError("keys must be an int array or a sequence of str, not None")
        return self._reader().find_many(cv.name(label, "a label"), k)

    def node(self, node: int) -> Dict[str, Any]:
        """The node as a dict ``{"id", "labels", "key", "properties"}``.

        Vector properties are float32 numpy arrays. Raises NotFoundError for an
        unknown or deleted id.

        Example: ``db.node(a)["properties"]["age"]``.
        """
        return self._reader().node(cv.entity_id(node))

    def edge(self, edge: int) -> Dict[str, Any]:
        """The edge as a dict ``{"id", "source", "target", "type", "weight", "properties"}``.

        Example: ``db.edge(e)["weight"]``.
        """
        return self._reader().edge(cv.entity_id(edge, "edge id"))

    def property(self, node: int, name: str) -> Any:
        """One property of a node, or None when it has no value.

        Example: ``db.property(a, "age")``.
        """
        return self._reader().property(cv.entity_id(node), cv.name(name, "a property name"))

    def edge_property(self, edge: int, name: str) -> Any:
        """One property of an edge, or None when it has no value.

        Example: ``db.edge_property(e, "since")``.
        """
        return self._reader().edge_property(cv.entity_id(edge, "edge id"),
                                            cv.name(name, "a property name"))

    def neighbors(self, node: int, direction: str = "out", edge_type: Optional[str] = None,
                  *, return_edges: bool = False) -> Union[np.ndarray, Tuple[np.ndarray, np.ndarray]]:
        """Neighbour ids of ``node`` as a uint64 array, one entry per edge.

        Args:
            direction: ``"out"`` (targets of its edges), ``"in"`` (sources of edges
                into it) or ``"both"`` (out, then in).
            edge_type: only edges of this type (None: all).
            return_edges: also return the edge ids: ``(nodes, edges)``.

        Example: ``friends = db.neighbors(a, "out", edge_type="KNOWS")``.
        """
        return self._reader().neighbors(cv.entity_id(node), cv.direction(direction),
                                        cv.optional_name(edge_type, "an edge type"),
                                        bool(return_edges))

    def degree(self, node: int, direction: str = "out", edge_type: Optional[str] = None) -> int:
        """Number of edges at ``node`` in the direction (``"out"``, ``"in"``, ``"both"``).

        Example: ``db.degree(a, "in", edge_type="KNOWS")``.
        """
        return int(self._reader().degree(cv.entity_id(node), cv.direction(direction),
                                         cv.optional_name(edge_type, "an edge type")))

    def nodes(self, label: str) -> np.ndarray:
        """Ids of the live nodes with ``label``, in id order (uint64 array).

        Raises NotFoundError if there is no such label.

        Example: ``people = db.nodes("Person")``.
        """
        return self._reader().nodes(cv.name(label, "a label"))

    def edges(self, edge_type: Optional[str] = None) -> Dict[str, np.ndarray]:
        """Edges (of one type, or all) as ``{"id", "source", "target", "weight"}`` arrays.

        Example: ``e = db.edges("KNOWS"); pairs = np.stack([e["source"], e["target"]], axis=1)``.
        """
        return self._reader().edges(cv.optional_name(edge_type, "an edge type"))

    def labels(self) -> List[str]:
        """Names of all labels.

        Example: ``{label: len(db.nodes(label)) for label in db.labels()}``.
        """
        return list(self._reader().labels())

    def edge_types(self) -> List[str]:
        """Names of all edge types.

        Example: ``{t: len(db.edges(t)["id"]) for t in db.edge_types()}``.
        """
        return list(self._reader().edge_types())

    def edge_type_info(self, edge_type: str) -> Dict[str, Any]:
        """An edge type's ``name``, ``num_edges`` and property ``columns``
        (each ``{"name", "type", "dim", "declared", "required"}``).

        Example: ``[c["name"] for c in db.edge_type_info("KNOWS")["columns"]]``.
        """
        return self._reader().edge_type_info(cv.name(edge_type, "an edge type"))

    def label_info(self, label: str) -> Dict[str, Any]:
        """A label's ``name``, ``num_nodes``, ``strict`` flag and ``columns``
        (each ``{"name", "type", "dim", "declared", "required"}``).

        Example: ``db.label_info("Person")["num_nodes"]``.
        """
        return self._reader().label_info(cv.name(label, "a label"))


class ReadTransaction(_Reads):
    """A consistent snapshot of the database as of :meth:`Database.read`.

    Commits made after it began are not visible to it. Use it as a context
    manager (or call :meth:`close`) to let go of the snapshot. Safe to share
    between threads.
    """

    __slots__ = ("_h", "_db")

    def __init__(self, handle: "_nendb.ReadTransaction", db: "Database") -> None:
        self._h = handle
        self._db = db

    def _reader(self) -> "_nendb.ReadTransaction":
        return self._h

    def close(self) -> None:
        """Ends the transaction; later calls raise ClosedError. Idempotent.

        Example: ``r = db.read()``, reads on ``r``, then ``r.close()`` (or use
        ``with db.read() as r:``).
        """
        self._h.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return bool(self._h.closed)

    def __enter__(self) -> "ReadTransaction":
        """Returns the transaction; it closes when the with-block ends."""
        return self

    def __exit__(self, *exc: Any) -> None:
        """Closes the transaction."""
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"sequence={self.sequence}"
        return f"<nendb.ReadTransaction {state}>"


class WriteTransaction(_Reads):
    """The database's one active write transaction (see :meth:`Database.write`).

    It sees its own writes. As a context manager it commits when the block
    ends normally and rolls back when it raises. Use it from one thread.
    """

    __slots__ = ("_h", "_db", "__weakref__")

    def __init__(self, handle: "_nendb.WriteTransaction", db: "Database") -> None:
        self._h = handle
        self._db = db

    def _reader(self) -> "_nendb.WriteTransaction":
        return self._h

    # ---- lifecycle ------------------------------------------------------

    def commit(self) -> None:
        """Makes every write visible at once and ends the transaction.

        Example: ``tx = db.write(); tx.add_node("Person", key="ada"); tx.commit()``.
        """
        try:
            self._h.commit()
        finally:
            self._h.close()

    def rollback(self) -> None:
        """Discards every write and ends the transaction. Idempotent.

        Example: ``tx = db.write(); tx.add_node("Person"); tx.rollback()``.
        """
        if not self._h.closed:
            try:
                self._h.rollback()
            finally:
                self._h.close()

    def close(self) -> None:
        """Ends the transaction, rolling back if it did not commit. Idempotent.

        Example: ``tx = db.write()``, writes, then ``tx.close()`` discards them
        unless ``tx.commit()`` came first.
        """
        self._h.close()

    @property
    def closed(self) -> bool:
        """Whether the transaction has committed, rolled back or been closed."""
        return bool(self._h.closed)

    def __enter__(self) -> "WriteTransaction":
        """Returns the transaction; see __exit__."""
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        """Commits if the block ended normally, rolls back if it raised."""
        if self._h.closed:
            return
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "active"
        return f"<nendb.WriteTransaction {state}>"

    # ---- single writes --------------------------------------------------

    def add_node(self, labels: Labels, key: Optional[Key] = None,
                 props: Optional[Mapping[str, Any]] = None) -> int:
        """Adds a node and returns its id.

        Args:
            labels: a label or a list of labels (the first is the primary one).
            key: an optional int or str, unique among nodes with the label.
            props: property name -> value (int, float, bool, str, a 1-D float
                sequence or array for a vector, None for no value).

        Example: ``a = tx.add_node("Person", key="alice", props={"age": 30})``.
        """
        return int(self._h.add_node(cv.label_list(labels), key, props))

    def add_edge(self, source: int, target: int, type: str, weight: float = 1.0,
                 props: Optional[Mapping[str, Any]] = None) -> int:
        """Adds a directed edge ``source -> target`` of ``type`` and returns its id.

        Example: ``e = tx.add_edge(a, b, "KNOWS", weight=2.0, props={"since": 2020})``.
        """
        return int(self._h.add_edge(cv.entity_id(source, "source node id"),
                                    cv.entity_id(target, "target node id"),
                                    cv.name(type, "an edge type"), cv.weight(weight), props))

    def set_property(self, node: int, name: str, value: Any) -> None:
        """Sets a node property; None removes it.

        Example: ``tx.set_property(a, "age", 31)``.
        """
        self._h.set_property(cv.entity_id(node), cv.name(name, "a property name"), value)

    def set_property_column(self, name: str, values: Any, skip: Optional[int] = None) -> None:
        """Sets property ``name`` of every live node from an array indexed by
        node id (length ``node_id_bound``), such as an algorithm's result.

        Floats become float64 properties (NaN entries are skipped); integers
        become int64 (entries equal to ``skip`` are skipped; in uint64 arrays
        ``nendb.NO_NODE`` entries always are).

        Example: ``tx.set_property_column("depth", tx.bfs(ada), skip=-1)``.
        """
        a = np.asarray(values)
        if a.ndim != 1:
            raise InvalidArgumentError("values must be a 1-D array indexed by node id")
        prop = cv.name(name, "a property name")
        if a.dtype.kind == "f":
            self._h.set_property_column(prop, np.ascontiguousarray(a, dtype=np.float64))
        elif a.dtype == np.uint64:
            if skip is not None:
                raise InvalidArgumentError("skip applies to signed arrays; uint64 arrays skip "
                                           "NO_NODE")
            self._h.set_property_column(prop, np.ascontiguousarray(a).view(np.int64), -1)
        elif a.dtype.kind in "iu":
            self._h.set_property_column(prop, np.ascontiguousarray(a, dtype=np.int64),
                                        None if skip is None else int(skip))
        else:
            raise TypeError(f"values must be a numeric array, not {a.dtype}")

    def set_edge_property(self, edge: int, name: str, value: Any) -> None:
        """Sets an edge property; None removes it.

        Example: ``tx.set_edge_property(e, "since", 2021)``.
        """
        self._h.set_edge_property(cv.entity_id(edge, "edge id"),
                                  cv.name(name, "a property name"), value)

    def set_weight(self, edge: int, weight: float) -> None:
        """Sets an edge's weight (a finite float).

        Example: ``tx.set_weight(e, 0.5)``.
        """
        self._h.set_weight(cv.entity_id(edge, "edge id"), cv.weight(weight))

    def add_label(self, node: int, label: str) -> None:
        """Adds a label to a node.

        Example: ``tx.add_label(a, "Admin")``.
        """
        self._h.add_label(cv.entity_id(node), cv.name(label, "a label"))

    def remove_label(self, node: int, label: str) -> None:
        """Removes a label from a node; a node keeps at least one label.

        Example: ``tx.remove_label(a, "Admin")``.
        """
        self._h.remove_label(cv.entity_id(node), cv.name(label, "a label"))

    def delete_node(self, node: int, detach: bool = False) -> None:
        """Deletes a node. A node with edges is refused unless ``detach=True``,
        which deletes its edges too.

        Example: ``tx.delete_node(a, detach=True)``.
        """
        self._h.delete_node(cv.entity_id(node), bool(detach))

    def delete_edge(self, edge: int) -> None:
        """Deletes an edge.

        Example: ``tx.delete_edge(e)``.
        """
        self._h.delete_edge(cv.entity_id(edge, "edge id"))

    def define_label(self, label: str, properties: Optional[Mapping[str, Any]] = None,
                     strict: bool = False) -> None:
        """Declares (or redeclares) a label's schema.

        Args:
            properties: name -> type, where a type is ``"int64"``, ``"float64"``,
                ``"bool"``, ``"string"``, ``"vector[DIM]"`` or
                :class:`nendb.Property` (e.g. ``Property("string", required=True)``).
            strict: reject properties the schema does not declare.

        Existing nodes must satisfy the schema (ConstraintError otherwise).

        Example::

            tx.define_label("Person", {"name": nendb.Property("string", required=True),
                                       "age": "int64"}, strict=True)
        """
        self._h.define_label(cv.name(label, "a label"), cv.property_specs(properties),
                             bool(strict))

    def create_vector_index(self, label: str, property: str = "embedding",
                            metric: str = "cosine", M: int = 16,
                            ef_construction: int = 200,
                            quantization: str = "none") -> None:
        """Defines an HNSW index over the ``property`` vectors of the nodes
        whose first label is ``label``, for ``metric``; the commit builds it
        (on every thread) and later commits keep it up to date.

        Args:
            metric: ``"cosine"``, ``"l2"``, ``"l2sq"``, ``"ip"``, ``"l1"`` or
                ``"hamming"`` (bits: a component is 1 when positive):
                :meth:`knn` uses the index for queries of this metric.
            M: links per node (2M at the bottom level), 2 to 100: more
                links, better recall, more memory.
            ef_construction: search width while building, M to 10000.
            quantization: ``"none"`` or ``"int8"``: the index also keeps a
                byte per component and searches those (a quarter of the
                memory traffic), then rescores its finds with the float
                vectors, so distances stay exact; not with ``"hamming"``.

        NotFoundError for a label or property its nodes do not have,
        InvalidArgumentError (a ValueError) for a property that is not a
        vector or parameters out of range, ConstraintError for an index that
        already exists.
        Example: ``tx.create_vector_index("Paper", "embedding", metric="l2")``.
        """
        self._h.create_vector_index(cv.name(label, "a label"), cv.name(property, "a property"),
                                    str(metric), cv.parameter(M, "M"),
                                    cv.parameter(ef_construction, "ef_construction"),
                                    str(quantization))

    def drop_vector_index(self, label: str, property: str = "embedding",
                          metric: str = "cosine") -> None:
        """Drops the index :meth:`create_vector_index` made (NotFoundError if
        there is none).

        Example: ``tx.drop_vector_index("Paper", "embedding", metric="l2")``.
        """
        self._h.drop_vector_index(cv.name(label, "a label"), cv.name(property, "a property"),
                                  str(metric))

    # ---- bulk writes ----------------------------------------------------

    def add_nodes(self, labels: Labels, keys: Any = None,
                  props: Optional[Mapping[str, Any]] = None,
                  count: Optional[int] = None) -> np.ndarray:
        """Adds many nodes at once, all or nothing; returns their ids (uint64 array).

        Args:
            labels: a label or list of labels every new node gets.
            keys: None, an integer array, or a sequence/array of str (one per node).
            props: name -> column with one value per node: int/float/bool 1-D
                arrays, 2-D float arrays of shape (n, dim) for vectors, str or
                object arrays (or lists) for strings. None entries and masked
                array entries are nulls.
            count: the number of nodes; needed only without keys and props.

        Example::

            ids = tx.add_nodes("Person", keys=["ada", "bob"],
                               props={"age": np.array([36, 41]), "emb": np.zeros((2, 8))})
        """
        label_list = cv.label_list(labels)
        k = cv.key_array(keys)
        cols = cv.columns(props)
        if count is not None:
            n = cv.check_count(count, "count")
        elif k is not None:
            n = len(k)
        elif props:
            n = cv.rows_of(cols[0]) if cols else len(next(iter(props.values())))
        else:
            raise InvalidArgumentError("add_nodes needs count=, keys= or props= to know how "
                                       "many nodes to add")
        n = cv.check_count(n, "the number of nodes")
        if k is not None and len(k) != n:
            raise InvalidArgumentError(f"there are {len(k)} keys for {n} nodes")
        return self._h.add_nodes(label_list, n, k, cols)

    def add_edges(self, source: Any, target: Any, type: str, weight: Any = None,
                  props: Optional[Mapping[str, Any]] = None) -> np.ndarray:
        """Adds many edges at once, all or nothing; returns their ids (uint64 array).

        Args:
            source, target: node id arrays of equal length.
            type: the edge type of every new edge.
            weight: None (1.0), one number, or a float array with one weight per edge.
            props: name -> column, as for :meth:`add_nodes`.

        Example: ``tx.add_edges([a, a], [b, c], "KNOWS", weight=[1.0, 2.0])``.
        """
        src = cv.id_array(source, "source")
        dst = cv.id_array(target, "target")
        cv.check_count(len(src), "the number of edges")
        if len(src) != len(dst):
            raise InvalidArgumentError(f"there are {len(src)} sources but {len(dst)} targets")
        w = cv.weight_array(weight, len(src))
        return self._h.add_edges(src, dst, cv.name(type, "an edge type"), w, cv.columns(props))

    # ---- imports --------------------------------------------------------

    def import_df(self, df: Any, label: Optional[Labels] = None, key: Optional[str] = None, *,
                  label_column: Optional[str] = None,
                  properties: Optional[Sequence[str]] = None,
                  progress: _progress.ProgressArg = None) -> np.ndarray:
        """Adds a node per row of a pandas DataFrame (or Arrow table); returns
        their ids (uint64 array, in row order). Nodes are added label by
        label (and key kind by key kind), so ids follow the row order within
        each.

        Args:
            label: the label (or list of labels) of every node; or
            label_column: a column holding each row's label (or a tuple of labels).
            key: the column of node keys (ints or strings); a row whose key
                is missing becomes a node without a key.
            properties: the columns to store (default: every column but the
                key and label columns and those starting with ``_``). Column
                dtypes map to int64, float64, bool, string and vector
                properties (a column of equal-length float arrays); missing
                values (NaN, None, ``pd.NA``) are nulls.
            progress: None (a bar for long imports when interactive), True,
                False, or ``fn(done_rows, total_rows)``.

        Example: ``tx.import_df(people, label="Person", key="name")``.
        """
        return _import.add_nodes(self, df, label, key, label_column, properties, progress)

    def import_edges_df(self, df: Any, source: str, target: str,
                        edge_type: Optional[str] = None, *, type_column: Optional[str] = None,
                        weight: Optional[str] = None, label: Optional[str] = None,
                        source_label: Optional[str] = None, target_label: Optional[str] = None,
                        properties: Optional[Sequence[str]] = None,
                        progress: _progress.ProgressArg = None) -> np.ndarray:
        """Adds an edge per row of a pandas DataFrame (or Arrow table); returns
        their ids (uint64 array, in row order).

        Args:
            source, target: the columns of the edges' ends: node ids, or keys
                of nodes with ``source_label``/``target_label`` (``label`` sets both).
            edge_type: the type of every edge; or
            type_column: a column holding each row's type.
            weight: a column of edge weights (default 1.0).
            properties: the columns to store (default: every other column not
                starting with ``_``).
            progress: as for :meth:`import_df`.

        Raises NotFoundError naming the first key that has no node.

        Example: ``tx.import_edges_df(knows, "a", "b", "KNOWS", label="Person")``.
        """
        src_label = label if source_label is None else source_label
        dst_label = label if target_label is None else target_label
        return _import.add_edges(self, df, source, target, edge_type, type_column, weight,
                                 src_label, dst_label, properties, progress)

    def import_arrow(self, table: Any, label: Optional[Labels] = None,
                     key: Optional[str] = None, **options: Any) -> np.ndarray:
        """:meth:`import_df` for a pyarrow Table or RecordBatch (numeric
        columns without nulls are passed on without a copy).

        Example: ``tx.import_arrow(pyarrow.table({"id": [1, 2]}), "Item", key="id")``.
        """
        return self.import_df(_import.ArrowTable(table), label, key, **options)

    def import_edges_arrow(self, table: Any, source: str, target: str,
                           edge_type: Optional[str] = None, **options: Any) -> np.ndarray:
        """:meth:`import_edges_df` for a pyarrow Table or RecordBatch.

        Example: ``tx.import_edges_arrow(links, "src", "dst", "LINKS")``.
        """
        return self.import_edges_df(_import.ArrowTable(table), source, target, edge_type,
                                    **options)

    def import_parquet(self, path: PathLike, label: Optional[Labels] = None,
                       key: Optional[str] = None, **options: Any) -> np.ndarray:
        """:meth:`import_df` for a Parquet file (read with pyarrow).

        Example: ``tx.import_parquet("people.parquet", "Person", key="name")``.
        """
        return self.import_arrow(_import.read_parquet(path), label, key, **options)

    def import_edges_parquet(self, path: PathLike, source: str, target: str,
                             edge_type: Optional[str] = None, **options: Any) -> np.ndarray:
        """:meth:`import_edges_df` for a Parquet file.

        Example: ``tx.import_edges_parquet("knows.parquet", "a", "b", "KNOWS", label="Person")``.
        """
        return self.import_edges_arrow(_import.read_parquet(path), source, target, edge_type,
                                       **options)

    def import_csv(self, path: PathLike, label: Optional[str] = None, *,
                   key: Optional[str] = None, edge_type: Optional[str] = None,
                   type_column: Optional[str] = None, source: str = "source",
                   target: str = "target", source_label: Optional[str] = None,
                   target_label: Optional[str] = None, weight: Optional[str] = None,
                   types: Optional[Mapping[str, Any]] = None, delimiter: str = ",",
                   quote: str = '"', skip_bad_rows: bool = False,
                   progress: _progress.ProgressArg = None) -> Dict[str, Any]:
        """Imports a CSV file with a header row, into this transaction.

        Nodes (one per row) unless ``edge_type`` or ``type_column`` is given:
            ``label`` is the nodes' label and ``key`` the column holding their
            keys (optional); every other column becomes a property.
        Edges (one per row) with ``edge_type`` (fixed) or ``type_column``:
            ``source``/``target`` name the columns holding the keys of the end
            nodes, which have labels ``source_label``/``target_label`` (default:
            ``label``); ``weight`` names the weight column; other columns become
            edge properties.

        Cell types are inferred per column (int64, float64, bool, string) unless
        given in ``types`` (column -> type). Empty cells are null. A bad row
        fails the import (naming file and line) unless ``skip_bad_rows``.
        ``progress``: None (a bar for imports over a second, when interactive),
        True, False, or a callable ``fn(done_bytes, total_bytes)`` that may
        return False to cancel (CancelledError).

        Returns ``{"rows", "nodes_added", "edges_added", "rows_skipped", "skipped"}``.

        Example::

            tx.import_csv("people.csv", "Person", key="name")   # name,age,...
            tx.import_csv("knows.csv", edge_type="KNOWS", label="Person",
                          weight="strength")                    # source,target,strength,...
        """
        p = os.fspath(path)
        fmt = (cv.single_char(delimiter, "delimiter"), cv.single_char(quote, "quote"),
               bool(skip_bad_rows), cv.csv_types(types))
        is_edges = edge_type is not None or type_column is not None
        bar = _progress.make(progress, os.path.basename(p))
        try:
            if is_edges:
                if key is not None:
                    raise InvalidArgumentError("key= is for node files; edges use source= and "
                                               "target=")
                return _nendb.import_edges_csv(
                    self._h, p, cv.name(source, "source"), cv.name(target, "target"),
                    cv.optional_name(source_label if source_label is not None else label,
                                     "source_label"),
                    cv.optional_name(target_label if target_label is not None else label,
                                     "target_label"),
                    cv.optional_name(edge_type, "edge_type"),
                    cv.optional_name(type_column, "type_column"),
                    cv.optional_name(weight, "weight"), *fmt, bar)
            if label is None:
                raise InvalidArgumentError("import_csv needs label= for a node file, or "
                                           "edge_type= / type_column= for an edge file")
            if weight is not None or source_label is not None or target_label is not None:
                raise InvalidArgumentError("weight=, source_label= and target_label= are for "
                                           "edge files; give edge_type= or type_column=")
            return _nendb.import_nodes_csv(self._h, p, cv.name(label, "label"),
                                           cv.optional_name(key, "key"), *fmt, bar)
        finally:
            bar.close()

    def import_triples(self, path: PathLike, label: str = "Entity", *, delimiter: str = ",",
                       quote: str = '"', skip_bad_rows: bool = False,
                       progress: _progress.ProgressArg = None) -> Dict[str, Any]:
        """Imports ``subject,predicate,object`` rows (a header row with those
        names is skipped) into this transaction. Subjects and objects become
        nodes of ``label`` keyed by their name (one per distinct name, also
        across calls); predicates become edge types. See :meth:`import_csv`
        for ``progress`` and the result.

        Example: ``tx.import_triples("facts.csv")["edges_added"]``.
        """
        p = os.fspath(path)
        bar = _progress.make(progress, os.path.basename(p))
        try:
            return _nendb.import_triples(self._h, p, cv.name(label, "label"),
                                         cv.single_char(delimiter, "delimiter"),
                                         cv.single_char(quote, "quote"), bool(skip_bad_rows),
                                         bar)
        finally:
            bar.close()
