"""Database handles: nendb.open() and the Database class."""

from __future__ import annotations

import atexit
import os
import threading
import warnings
import weakref
from typing import Any, Dict, Mapping, Optional, Union

import numpy as np

from . import _graphs, _nendb, _progress
from ._transaction import Labels, PathLike, ReadTransaction, WriteTransaction, _Reads
from .errors import ClosedError, NendbError

_open_databases: "weakref.WeakSet[Database]" = weakref.WeakSet()
_open_lock = threading.Lock()


class Database(_Reads):
    """A handle on one nendb database (a directory, or ``":memory:"``).

    Open one with :func:`nendb.open`. Reads on the handle itself each see the
    latest commit; use :meth:`read` for several reads of one snapshot and
    :meth:`write` to change the database. As a context manager the handle
    closes when the block ends. Thread-safe.
    """

    __slots__ = ("_h", "_path", "_closed", "_writers", "__weakref__")

    def __init__(self, handle: "_nendb.Database") -> None:
        self._h = handle
        self._path: str = handle.path
        self._closed = False
        # Open write transactions, so that exiting Python rolls them back
        # instead of waiting busy_timeout for them in close().
        self._writers: "weakref.WeakSet[WriteTransaction]" = weakref.WeakSet()
        with _open_lock:
            _open_databases.add(self)

    def _reader(self) -> "_nendb.ReadTransaction":
        return self._h.begin_read()

    def _require_open(self) -> None:
        # The core answers stats() and check() on a closed handle; the
        # Python API treats every call on a closed handle alike.
        if self._closed:
            raise ClosedError(f"database {self._path} is closed; open it again")

    # ---- transactions ---------------------------------------------------

    def read(self) -> ReadTransaction:
        """Begins a read transaction: a snapshot that later commits do not change.

        ``with db.read() as r: ...`` lets go of the snapshot at the end.

        Example::

            with db.read() as r:           # both see the same commit
                ranks, n = r.pagerank(), r.num_nodes
        """
        return ReadTransaction(self._h.begin_read(), self)

    def write(self) -> WriteTransaction:
        """Begins the write transaction, waiting up to ``busy_timeout`` for
        another writer (then BusyError).

        ``with db.write() as tx: ...`` commits when the block ends and rolls
        back if it raises.

        Example::

            with db.write() as tx:
                a = tx.add_node("Person", key="ada")
                tx.add_edge(a, tx.add_node("Person", key="bob"), "KNOWS")
        """
        tx = WriteTransaction(self._h.begin_write(), self)
        self._writers.add(tx)
        return tx

    # ---- bulk writes, one transaction each -------------------------------

    def add_nodes(self, labels: Labels, keys: Any = None,
                  props: Optional[Mapping[str, Any]] = None,
                  count: Optional[int] = None) -> np.ndarray:
        """Adds many nodes in one transaction; see :meth:`WriteTransaction.add_nodes`.

        Example: ``db.add_nodes("Person", keys=np.arange(1000), props={"age": ages})``.
        """
        with self.write() as tx:
            return tx.add_nodes(labels, keys=keys, props=props, count=count)

    def add_edges(self, source: Any, target: Any, type: str, weight: Any = None,
                  props: Optional[Mapping[str, Any]] = None) -> np.ndarray:
        """Adds many edges in one transaction; see :meth:`WriteTransaction.add_edges`.

        Example: ``db.add_edges(ids[:-1], ids[1:], "NEXT", weight=0.5)`` (a chain).
        """
        with self.write() as tx:
            return tx.add_edges(source, target, type, weight=weight, props=props)

    def create_vector_index(self, label: str, property: str = "embedding",
                            metric: str = "cosine", M: int = 16,
                            ef_construction: int = 200,
                            quantization: str = "none") -> None:
        """Builds an HNSW index in one transaction; see
        :meth:`WriteTransaction.create_vector_index`.

        Example: ``db.create_vector_index("Paper", "embedding", M=16)``, then
        ``db.knn(q, k=10, filter="Paper", ef=100)``.
        """
        with self.write() as tx:
            tx.create_vector_index(label, property, metric=metric, M=M,
                                   ef_construction=ef_construction,
                                   quantization=quantization)

    def drop_vector_index(self, label: str, property: str = "embedding",
                          metric: str = "cosine") -> None:
        """Drops a vector index in one transaction; see
        :meth:`WriteTransaction.drop_vector_index`.

        Example: ``db.drop_vector_index("Paper", "embedding")``.
        """
        with self.write() as tx:
            tx.drop_vector_index(label, property, metric=metric)

    def import_csv(self, path: PathLike, label: Optional[str] = None,
                   **options: Any) -> Dict[str, Any]:
        """Imports a node or edge CSV file in one transaction; see
        :meth:`WriteTransaction.import_csv` for the options and the result.

        Example::

            db.import_csv("people.csv", "Person", key="name")
            db.import_csv("knows.csv", edge_type="KNOWS", label="Person")
        """
        with self.write() as tx:
            return tx.import_csv(path, label, **options)

    def import_triples(self, path: PathLike, label: str = "Entity",
                       **options: Any) -> Dict[str, Any]:
        """Imports a subject,predicate,object CSV file in one transaction; see
        :meth:`WriteTransaction.import_triples`.

        Example: ``db.import_triples("facts.csv", label="Entity")["edges_added"]``.
        """
        with self.write() as tx:
            return tx.import_triples(path, label, **options)

    def import_df(self, df: Any, label: Optional[Labels] = None, key: Optional[str] = None,
                  **options: Any) -> np.ndarray:
        """Adds a node per row of a DataFrame in one transaction; see
        :meth:`WriteTransaction.import_df`.

        Example: ``db.import_df(pd.read_csv("people.csv"), label="Person", key="name")``.
        """
        with self.write() as tx:
            return tx.import_df(df, label, key, **options)

    def import_edges_df(self, df: Any, source: str, target: str,
                        edge_type: Optional[str] = None, **options: Any) -> np.ndarray:
        """Adds an edge per row of a DataFrame in one transaction; see
        :meth:`WriteTransaction.import_edges_df`.

        Example: ``db.import_edges_df(knows, "a", "b", "KNOWS", label="Person")``.
        """
        with self.write() as tx:
            return tx.import_edges_df(df, source, target, edge_type, **options)

    def import_arrow(self, table: Any, label: Optional[Labels] = None,
                     key: Optional[str] = None, **options: Any) -> np.ndarray:
        """:meth:`import_df` for a pyarrow Table, in one transaction.

        Example: ``db.import_arrow(pyarrow.table({"id": [1, 2]}), "Item", key="id")``.
        """
        with self.write() as tx:
            return tx.import_arrow(table, label, key, **options)

    def import_edges_arrow(self, table: Any, source: str, target: str,
                           edge_type: Optional[str] = None, **options: Any) -> np.ndarray:
        """:meth:`import_edges_df` for a pyarrow Table, in one transaction.

        Example: ``db.import_edges_arrow(links, "src", "dst", "LINKS")``.
        """
        with self.write() as tx:
            return tx.import_edges_arrow(table, source, target, edge_type, **options)

    def import_parquet(self, path: PathLike, label: Optional[Labels] = None,
                       key: Optional[str] = None, **options: Any) -> np.ndarray:
        """Adds a node per row of a Parquet file in one transaction.

        Example: ``db.import_parquet("people.parquet", "Person", key="name")``.
        """
        with self.write() as tx:
            return tx.import_parquet(path, label, key, **options)

    def import_edges_parquet(self, path: PathLike, source: str, target: str,
                             edge_type: Optional[str] = None, **options: Any) -> np.ndarray:
        """Adds an edge per row of a Parquet file in one transaction.

        Example: ``db.import_edges_parquet("knows.parquet", "a", "b", "KNOWS", label="Person")``.
        """
        with self.write() as tx:
            return tx.import_edges_parquet(path, source, target, edge_type, **options)

    # ---- maintenance ----------------------------------------------------

    def checkpoint(self, *, progress: _progress.ProgressArg = None) -> None:
        """Writes the committed state as a new snapshot file (no-op in memory
        or read-only).

        ``progress``: None (a bar, in bytes, for a checkpoint that takes over
        a second in an interactive session), True, False, or ``fn(done_bytes,
        total_bytes)`` returning False to cancel (CancelledError; the
        database stays as it was).

        Example: ``db.checkpoint()``, say after a bulk import.
        """
        bar = _progress.make(progress, "checkpoint")
        try:
            self._h.checkpoint(bar)
        finally:
            bar.close()

    def check(self) -> str:
        """Verifies every checksum and invariant and returns the report.

        Raises CorruptionError (with ``.file``, ``.offset`` and the full
        ``.report``) if there is a problem.

        Example::

            try:
                print(db.check())
            except nendb.CorruptionError as e:
                print(e.file, e.offset, e.report)
        """
        self._require_open()
        return str(self._h.check())

    def stats(self) -> Dict[str, Any]:
        """Counts and memory figures: ``num_nodes``, ``num_edges``, ``sequence``,
        ``resident_bytes``, ``log_bytes`` (write-ahead log since the last
        checkpoint), ``bytes_per_node``, ``bytes_per_edge`` and more.

        Example: ``db.stats()["resident_bytes"]``.
        """
        self._require_open()
        return dict(self._h.stats())

    def close(self) -> None:
        """Checkpoints (if writable) and releases the database. Idempotent.

        Later calls on the handle raise ClosedError.

        Example: ``db.close()``, or ``with nendb.open(path) as db: ...``, which
        closes the handle when the block ends.
        """
        if self._closed:
            return
        self._h.close()
        self._closed = True
        with _open_lock:
            _open_databases.discard(self)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    @property
    def path(self) -> str:
        """The database path (``":memory:"`` for an in-memory database)."""
        return self._path

    @property
    def read_only(self) -> bool:
        """Whether this handle was opened read-only."""
        return bool(self._h.read_only)

    def __enter__(self) -> "Database":
        """Returns the handle; it closes when the with-block ends."""
        return self

    def __exit__(self, *exc: Any) -> None:
        """Closes the handle."""
        self.close()

    def __repr__(self) -> str:
        if self._closed:
            return f"<nendb.Database {self._path!r} closed>"
        try:
            return (f"<nendb.Database {self._path!r} nodes={self.num_nodes} "
                    f"edges={self.num_edges}>")
        except NendbError:
            return f"<nendb.Database {self._path!r}>"


def open(path: Union[PathLike, bytes], sync: str = "full", busy_timeout: Optional[float] = 5.0,
         read_only: bool = False, create: bool = True, verify: bool = False, *,
         expected_nodes: int = 0, expected_edges: int = 0,
         keep_projections: bool = True) -> Database:
    """Opens a nendb database, creating it if missing (unless ``create=False``).

    Args:
        path: a directory path, or ``":memory:"`` for a private in-memory database.
        sync: when commits reach stable storage: ``"full"`` (before commit
            returns; the default), ``"normal"`` (at checkpoints; the last commits
            may be lost on power loss) or ``"off"`` (unsafe; scratch data only).
        busy_timeout: seconds to wait for another writer before BusyError
            (None: wait forever).
        read_only: open for reading beside a writer in another process.
        create: create the database if it does not exist.
        verify: verify every checksum while opening instead of on first use.
        expected_nodes, expected_edges: sizes to reserve room for up front.
        keep_projections: keep the graph projections analytics build on a
            checkpointed state in files beside it (8 to 16 bytes per edge each),
            so that reopening maps them instead of building them again.

    Use it as a context manager to close it at the end: ``with nendb.open(p) as db:``.

    Example::

        db = nendb.open("graph.nendb", sync="normal")
        scratch = nendb.open(":memory:")
        reader = nendb.open("graph.nendb", read_only=True)  # e.g. in another process
    """
    p = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
    if not isinstance(p, str):
        raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}")
    if busy_timeout is not None and (isinstance(busy_timeout, bool) or
                                     not isinstance(busy_timeout, (int, float))):
        raise TypeError("busy_timeout must be a number of seconds or None")
    if not isinstance(sync, str):
        raise TypeError("sync must be \"full\", \"normal\" or \"off\"")
    handle = _nendb.Database.open(p, sync, busy_timeout, bool(read_only), bool(create),
                                  bool(verify), int(expected_nodes), int(expected_edges),
                                  bool(keep_projections))
    return Database(handle)


def from_networkx(graph: Any, path: Union[PathLike, bytes] = ":memory:", *,
                  label: str = "Node", edge_type: str = "EDGE",
                  **open_options: Any) -> Database:
    """Opens (creating) a database at ``path`` and adds a NetworkX graph's
    nodes and edges to it in one transaction; returns the open database.

    Graphs from :meth:`Database.to_networkx` come back as they were: labels
    from ``_label``/``_labels``, keys from ``_key``, types from ``_type``.
    For other graphs every node gets ``label`` and its name as key (names
    that are not int or str as their text), every edge ``edge_type``; a
    ``weight`` attribute is the edge weight and the other attributes become
    properties (missing ones null).

    Example::

        db = nendb.from_networkx(networkx.karate_club_graph(), "karate.nendb")
        db.louvain()
    """
    db = open(path, **open_options)
    try:
        _graphs.from_networkx(graph, db, label, edge_type)
    except BaseException:
        db.close()
        raise
    return db


@atexit.register
def _close_all() -> None:
    """Closes (and so checkpoints) databases still open when Python exits."""
    with _open_lock:
        dbs = list(_open_databases)
    for db in dbs:
        for tx in list(db._writers):
            tx.close()  # uncommitted at exit: roll back
        try:
            db.close()
        except ClosedError:
            pass
        except NendbError as e:  # pragma: no cover - reported, not raised, at exit
            warnings.warn(f"nendb: closing {db.path} at exit failed: {e}", RuntimeWarning)

