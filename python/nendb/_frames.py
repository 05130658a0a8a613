"""The data-science read API shared by Database and both transactions: nodes
and edges as pandas DataFrames or Arrow tables, the graph as NetworkX or a
SciPy sparse matrix, and k-NN results as a DataFrame (see _export.py and
_graphs.py for how). Each call reads one snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Optional, Tuple

import numpy as np

from . import _export, _graphs
from ._export import Properties

if TYPE_CHECKING:
    from ._nendb import _Reads as _Core


class _Tables:
    __slots__ = ()

    def _reader(self) -> _Core:
        raise NotImplementedError

    def nodes_df(self, label: Optional[str] = None, properties: Properties = None, *,
                 results: Optional[Mapping[str, Any]] = None) -> Any:
        """The live nodes (of ``label``, or all) as a pandas DataFrame, one
        row per node in id order.

        Columns: ``_id`` (uint64), ``_label`` (the primary label, categorical),
        ``_labels`` (tuples, only when a node has several labels), ``_key``
        (when nodes have keys), then one column per property (``properties``:
        None for all, a list of names, or False for none) and one per entry of
        ``results``: arrays indexed by node id, as the analytics return, or
        with one value per row. Missing values: ``<NA>`` in int (``Int64``) and
        bool (``boolean``) columns, NaN in float columns, missing (None or NaN,
        as pandas' string dtype has it) in string columns and ``_key``, None in
        vector columns (vectors are float32 arrays).

        Example::

            df = db.nodes_df("Person", results={"rank": db.pagerank()})
            df.nlargest(10, "rank")[["_key", "rank"]]
        """
        r = self._reader()
        cols = _export.node_columns(r, label, properties, results)
        return _export.to_pandas(cols, len(cols[0].values))

    def edges_df(self, edge_type: Optional[str] = None, properties: Properties = None, *,
                 keys: bool = True) -> Any:
        """The live edges (of ``edge_type``, or all) as a pandas DataFrame in
        id order: ``_id``, ``_source``, ``_target`` (node ids), ``_type``
        (categorical), ``_weight``, ``_source_key`` and ``_target_key`` (when
        ``keys`` and the nodes have keys), then the properties.

        Example: ``db.edges_df("KNOWS").groupby("_source").size()``.
        """
        r = self._reader()
        cols = _export.edge_columns(r, edge_type, properties, keys)
        return _export.to_pandas(cols, len(cols[0].values))

    def nodes_arrow(self, label: Optional[str] = None, properties: Properties = None, *,
                    results: Optional[Mapping[str, Any]] = None) -> Any:
        """The columns of :meth:`nodes_df` as a pyarrow Table over nendb's own
        buffers (no copy of ids, numbers, strings or vectors): strings are
        ``large_string``, vectors ``fixed_size_list<float32>``, labels
        dictionary-encoded, keys of both kinds a dense union.

        Example: ``pyarrow.parquet.write_table(db.nodes_arrow("Paper"), "papers.parquet")``.
        """
        r = self._reader()
        cols = _export.node_columns(r, label, properties, results)
        return _export.to_arrow(cols, len(cols[0].values))

    def edges_arrow(self, edge_type: Optional[str] = None, properties: Properties = None, *,
                    keys: bool = True) -> Any:
        """The columns of :meth:`edges_df` as a pyarrow Table (see :meth:`nodes_arrow`).

        Example: ``db.edges_arrow("CITES").to_pandas()``.
        """
        r = self._reader()
        cols = _export.edge_columns(r, edge_type, properties, keys)
        return _export.to_arrow(cols, len(cols[0].values))

    def to_networkx(self, label: Optional[str] = None, edge_type: Optional[str] = None, *,
                    properties: bool = True, directed: bool = True,
                    multigraph: bool = True) -> Any:
        """The graph (nodes of ``label`` and the edges of ``edge_type`` between
        them, or all) as a NetworkX graph: a MultiDiGraph by default, keyed by
        edge id; DiGraph, MultiGraph or Graph with ``directed``/``multigraph``.

        Nodes are named by node id and carry ``_label``, ``_labels`` (when
        several), ``_key`` (when set) and their non-null properties; edges
        carry ``_id``, ``_type``, ``weight`` and their properties.
        :func:`nendb.from_networkx` reads such a graph back.

        Example: ``networkx.pagerank(db.to_networkx(directed=True))``.
        """
        return _graphs.to_networkx(self._reader(), label, edge_type, properties, directed,
                                   multigraph)

    def to_scipy_sparse(self, label: Optional[str] = None, edge_type: Optional[str] = None, *,
                        weight: Optional[str] = None,
                        directed: bool = True) -> Tuple[Any, np.ndarray]:
        """The adjacency matrix as ``(A, ids)``: a SciPy ``csr_array`` whose
        row and column i stand for node ``ids[i]`` (the live nodes of
        ``label``, or all, in id order). ``A[i, j]`` sums the edges from
        ``ids[i]`` to ``ids[j]``: 1 each, or with ``weight="weight"`` their
        weights, or the values of another numeric edge property. With
        ``directed=False`` every edge also counts the other way.

        Example::

            A, ids = db.to_scipy_sparse("Page")
            out_degree = A.sum(axis=1)
        """
        return _graphs.to_scipy_sparse(self._reader(), label, edge_type, weight, directed)

    def knn_df(self, query: Any, k: int = 10, **options: Any) -> Any:
        """:meth:`knn` as a DataFrame with ``_query`` (for a 2-D batch),
        ``rank`` (0 = nearest), ``_id``, ``_label``, ``_key`` and ``distance``;
        ``options`` are those of :meth:`knn`.

        Example, with each hit's title::

            titles = db.nodes_df("Paper", properties=["title"])[["_id", "title"]]
            db.knn_df(q, k=5, filter="Paper").merge(titles, on="_id")
        """
        ids, dist = self.knn(query, k, **options)  # type: ignore[attr-defined]
        return _graphs.knn_frame(self._reader(), ids, dist)
