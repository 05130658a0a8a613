"""nendb: an embedded graph database.

A property graph (labelled nodes with keys, typed edges with weights, typed
properties and float32 embeddings) stored in a database directory, used
in-process with no server::

    import nendb, numpy as np

    with nendb.open("graph.nendb") as db:
        with db.write() as tx:                       # commits at the end
            a = tx.add_node("Person", key="alice", props={"age": 30})
            b = tx.add_node("Person", key="bob")
            tx.add_edge(a, b, "KNOWS", weight=2.0)
        ids = db.add_nodes("Person", keys=np.arange(1000), props={"age": ages})
        db.find("Person", "alice"), db.node(a), db.neighbors(a)

Errors are exceptions from :mod:`nendb.errors`, all deriving from
:class:`nendb.errors.NendbError`.
"""

from __future__ import annotations

from . import errors
from ._convert import NO_NODE
from ._database import Database, from_networkx, open
from ._memory import estimate_memory
from ._nendb import __version__
from ._schema import Property
from ._transaction import ReadTransaction, WriteTransaction
from .errors import (
    BusyError,
    CancelledError,
    CapacityError,
    ClosedError,
    ConstraintError,
    CorruptionError,
    InternalError,
    InvalidArgumentError,
    MissingDependencyError,
    NendbError,
    NotFoundError,
    ReadOnlyError,
)

__all__ = [
    "open",
    "from_networkx",
    "Database",
    "ReadTransaction",
    "WriteTransaction",
    "Property",
    "estimate_memory",
    "NO_NODE",
    "errors",
    "NendbError",
    "NotFoundError",
    "InvalidArgumentError",
    "ConstraintError",
    "CorruptionError",
    "BusyError",
    "ReadOnlyError",
    "ClosedError",
    "CapacityError",
    "CancelledError",
    "InternalError",
    "MissingDependencyError",
    "__version__",
]
