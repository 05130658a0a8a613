"""Graph analytics on a snapshot: the methods every read view has (Database,
ReadTransaction, WriteTransaction). Results are numpy arrays indexed by node
id (length ``node_id_bound``), computed in the core with the GIL released."""

from __future__ import annotations

from typing import (TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence,
                    Tuple, Union)

import numpy as np

from . import _convert as cv
from . import _progress
from .errors import InvalidArgumentError

if TYPE_CHECKING:
    from ._nendb import _Reads as _Core  # the compiled transactions' read API

Names = Union[None, str, Sequence[str]]
ProgressArg = Union[bool, None, Callable[[float], Any]]


def _names(x: Names, what: str) -> List[str]:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return [cv.name(n, what) for n in x]


def _weight(weight: Optional[str]) -> str:
    return "" if weight is None else cv.name(weight, "a weight property")


def _whole(x: Any, what: str, minimum: int) -> int:
    """An int argument (not bool; numpy ints too) of at least ``minimum``."""
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise TypeError(f"{what} must be an int, not {type(x).__name__}")
    if x < minimum:
        raise InvalidArgumentError(f"{what} must be >= {minimum}, not {x}")
    return int(x)


def _threads(threads: Optional[int]) -> int:
    if threads is None:
        return 0
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 1:
        raise InvalidArgumentError(f"threads must be a positive int or None, not {threads!r}")
    return int(threads)


def _conditions(where: Any) -> List[Tuple[str, str, Any]]:
    """knn's ``where`` as (property, op, value) triples."""
    if where is None:
        return []
    if isinstance(where, Mapping):
        out = []
        for name, cond in where.items():
            if isinstance(cond, tuple):
                if len(cond) != 2:
                    raise InvalidArgumentError(f"where[{name!r}] must be a value or "
                                               f"(op, value), not {cond!r}")
                out.append((str(name), str(cond[0]), cond[1]))
            else:
                out.append((str(name), "==", cond))
        return out
    out = []
    for cond in where:
        if not isinstance(cond, (tuple, list)) or len(cond) != 3:
            raise InvalidArgumentError("each condition of where must be (property, op, "
                                       f"value), not {cond!r}")
        out.append((str(cond[0]), str(cond[1]), cond[2]))
    return out


def _sources(source: Union[int, Sequence[int], np.ndarray]) -> np.ndarray:
    if isinstance(source, (int, np.integer)) and not isinstance(source, bool):
        return np.array([cv.entity_id(source)], dtype=np.uint64)
    given = np.asarray(source)
    if given.ndim == 1 and given.size == 0:
        return np.zeros(0, dtype=np.uint64)
    if given.dtype.kind not in "iu" or given.ndim != 1:
        raise TypeError("source must be a node id or a 1-D sequence of node ids, not "
                        f"{type(source).__name__}")
    if given.dtype.kind == "i" and given.size and given.min() < 0:
        raise InvalidArgumentError("node ids are non-negative")
    return np.ascontiguousarray(given, dtype=np.uint64)


def _bar(progress: ProgressArg, what: str) -> Tuple[_progress.Progress, Callable[[float], bool]]:
    """The progress bar (or the caller's fn(fraction)) and the core's callable."""
    if callable(progress):
        fn = progress
        bar = _progress.make(lambda done, total: fn(done / total), what, unit="%")
    else:
        bar = _progress.make(progress, what, unit="%")
    return bar, lambda fraction: bar(int(round(fraction * 100)), 100)


class _Analytics:
    __slots__ = ()

    def _reader(self) -> _Core:
        raise NotImplementedError

    @property
    def node_id_bound(self) -> int:
        raise NotImplementedError

    def bfs(self, source: Union[int, Sequence[int], np.ndarray], max_depth: Optional[int] = None,
            *, parents: bool = False, directed: bool = True, labels: Names = None,
            edge_types: Names = None, threads: Optional[int] = None,
            progress: ProgressArg = None) -> Union[np.ndarray, Tuple[np.ndarray, np.ndarray]]:
        """Breadth-first search from one node or several at once.

        Returns the hop depth of every node id (int32 array; -1 unreached or
        outside the projection); with ``parents=True`` also a BFS tree
        (uint64 array of parent ids; a source is its own parent,
        ``nendb.NO_NODE`` where unreached).

        Args:
            max_depth: stop after this many hops (None: no limit).
            directed: False follows every edge both ways.
            labels, edge_types: project the graph on nodes with any of these
                labels and edges of these types (None: all).
            threads: threads to use (None: every core).
            progress: None (a bar when interactive and slow), True, False, or
                ``fn(fraction)`` returning False to cancel (CancelledError).

        Example: ``depth = db.bfs(db.find("Person", "ada"), max_depth=3)``.
        Raises NotFoundError for a source outside the projection.
        """
        sources = _sources(source)
        depth_limit = -1 if max_depth is None else _whole(max_depth, "max_depth", 0)
        bar, fn = _bar(progress, "bfs")
        try:
            return self._reader().bfs(sources, depth_limit, bool(parents),
                                      _names(labels, "a label"),
                                      _names(edge_types, "an edge type"), bool(directed), "",
                                      _threads(threads), fn)
        finally:
            bar.close()

    def k_hop(self, source: Union[int, Sequence[int], np.ndarray], k: int, *,
              include_source: bool = False, directed: bool = True, labels: Names = None,
              edge_types: Names = None, threads: Optional[int] = None,
              progress: ProgressArg = None) -> np.ndarray:
        """The k-hop neighbourhood: ids of the nodes at most ``k`` hops from
        the source node (or any of several), sorted (uint64 array); the
        sources themselves only with ``include_source=True``.

        Args:
            k: hops (>= 0).
            directed, labels, edge_types, threads, progress: as for :meth:`bfs`.

        Example: ``friends_of_friends = db.k_hop(db.find("Person", "ada"), 2)``.
        Raises NotFoundError for a source outside the projection.
        """
        hops = _whole(k, "k", 0)
        bar, fn = _bar(progress, "k_hop")
        try:
            return self._reader().k_hop(_sources(source), hops, bool(include_source),
                                        _names(labels, "a label"),
                                        _names(edge_types, "an edge type"), bool(directed), "",
                                        _threads(threads), fn)
        finally:
            bar.close()

    def knn(self, query: Any, k: int = 10, *, property: str = "embedding",
            metric: str = "cosine", filter: Any = None,
            threads: Optional[int] = None, ef: Optional[int] = None,
            exact: bool = False, where: Any = None) -> Tuple[np.ndarray, np.ndarray]:
        """The ``k`` nodes whose vector ``property`` is nearest to ``query``:
        ``(ids, distances)``, nearest first (uint64 and float32 arrays of
        length k; for a 2-D batch of queries, one row of k per query).

        Args:
            query: one vector (1-D) or a batch (2-D, a query per row), any
                real dtype (compared as float32).
            metric: ``"cosine"`` (1 - cos), ``"l2"``, ``"l2sq"``, ``"ip"``
                (1 - dot), ``"l1"`` or ``"hamming"`` (the components whose
                signs differ: a vector as a binary code, a bit per positive
                component).
            filter: None (every node with the property), a label or list of
                labels, or an array of node ids (e.g. ``db.k_hop(a, 2)``).
            threads: threads to use (None: the database's).
            ef: search width of a vector index (None: 64; at least k is
                used): larger finds more of the true nearest, slower.
            exact: compare every candidate even where an index exists.
            where: conditions on the nodes' properties, all of which a node
                must meet: ``{"lang": "en"}`` (equal), ``{"year": (">=", 2020)}``
                (``"=="``, ``"!="``, ``"<"``, ``"<="``, ``">"``, ``">="``), or a list
                of ``(property, op, value)``. Numbers compare as numbers, strings
                by bytes; a node without the property meets no condition, and a
                value of another type only ``"!="``.

        A label whose vectors have an index of this property and metric
        (:meth:`Database.create_vector_index`) is searched through it, unless
        the filter leaves so few candidates that comparing them all is
        cheaper; other labels are searched exactly. Raises
        InvalidArgumentError (a ValueError) for a wrong dimension, NaN or
        infinite components, a zero query with cosine, or k larger than the
        number of candidates; NotFoundError for a property or label no node has.

        Example: ``ids, d = db.knn(db.property(a, "embedding"), k=5, filter=db.k_hop(a, 2),
        where={"year": (">=", 2020)})``.
        """
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise InvalidArgumentError(f"k must be a positive int, not {k!r}")
        q = np.asarray(query)
        if q.dtype.kind not in "fiu" or q.ndim not in (1, 2) or q.size == 0:
            raise InvalidArgumentError("query must be a non-empty 1-D vector or 2-D batch of "
                                       f"numbers, not an array of {q.dtype} with shape {q.shape}")
        single = q.ndim == 1
        batch = np.ascontiguousarray(q.reshape(1, -1) if single else q, dtype=np.float32)
        labels: List[str] = []
        nodes = None
        if isinstance(filter, str):
            labels = [filter]
        elif isinstance(filter, (list, tuple)) and filter and all(isinstance(x, str)
                                                                  for x in filter):
            labels = list(filter)
        elif filter is not None:
            nodes = np.ascontiguousarray(np.asarray(filter).ravel()).astype(np.uint64)
        if ef is not None and (isinstance(ef, bool) or not isinstance(ef, (int, np.integer))
                               or not 1 <= ef <= 100_000):
            raise InvalidArgumentError(f"ef must be an int from 1 to 100000, not {ef!r}")
        ids, distances, _ = self._reader().knn(batch.ravel(), batch.shape[1], int(k),
                                               str(property), str(metric), labels, nodes,
                                               _threads(threads), int(ef or 0), bool(exact),
                                               _conditions(where))
        if single:
            return ids, distances
        return ids.reshape(-1, int(k)), distances.reshape(-1, int(k))

    def vector_indexes(self) -> List[Dict[str, Any]]:
        """The vector indexes, one dict each: ``label``, ``property``,
        ``metric``, ``M``, ``ef_construction``, ``quantization``, ``dim``, ``indexed`` (vectors
        in the graph), ``pending`` (changed since and compared exactly until
        a commit folds them in) and ``memory_bytes`` (the graph's).

        Example: ``[i["indexed"] for i in db.vector_indexes()]``.
        """
        return list(self._reader().vector_indexes())

    def personalized_pagerank(self, sources: Union[int, Sequence[int], np.ndarray,
                                                   Mapping[int, float]],
                              damping: float = 0.85, tol: float = 1e-6, max_iter: int = 100,
                              **kwargs: Any) -> np.ndarray:
        """PageRank whose random walk restarts at ``sources``: one node id,
        several (restarting at each equally) or ``{node: weight}``.

        Takes the keyword arguments of :meth:`pagerank`; returns ranks by
        node id (float64). Example:
        ``near_ada = db.personalized_pagerank(db.find("Person", "ada"))``.
        """
        if isinstance(sources, Mapping):
            weights = dict(sources)
        else:
            weights = {int(i): 1.0 for i in _sources(sources)}
        if not weights:
            raise InvalidArgumentError("personalized_pagerank needs at least one source")
        return self.pagerank(damping, tol, max_iter, weights, **kwargs)

    def pagerank(self, damping: float = 0.85, tol: float = 1e-6, max_iter: int = 100,
                 personalization: Union[None, Mapping[int, float], np.ndarray] = None, *,
                 dangling: str = "spread", directed: bool = True, labels: Names = None,
                 edge_types: Names = None, weight: Optional[str] = None,
                 threads: Optional[int] = None, progress: ProgressArg = None) -> np.ndarray:
        """PageRank of every node id (float64 array; 0 outside the
        projection), summing to 1 with ``dangling="spread"``, to less with
        ``"drop"``.

        Args:
            damping: probability of following an edge (in [0, 1)).
            tol: stop once a round changes the ranks by less than this (L1).
            max_iter: at most this many rounds.
            personalization: teleport weights, ``{node: weight}`` or an array
                by node id (personalized PageRank); None: uniform.
            dangling: ``"spread"`` (the rank of nodes without out-edges goes
                to the teleport distribution, as NetworkX and igraph do) or
                ``"drop"`` (as the GAP Benchmark Suite does).
            weight: ``"weight"`` (the edge weights) or a numeric edge property;
                None: every edge counts once.
            directed, labels, edge_types, threads, progress: as for :meth:`bfs`.

        Example: ``top = np.argsort(db.pagerank())[::-1][:10]``.
        """
        if dangling not in ("spread", "drop"):
            raise InvalidArgumentError(f'dangling must be "spread" or "drop", not {dangling!r}')
        p = None
        if personalization is not None:
            if isinstance(personalization, Mapping):
                p = np.zeros(self.node_id_bound, dtype=np.float64)
                for node, w in personalization.items():
                    i = cv.entity_id(node)
                    if i >= p.size:
                        raise InvalidArgumentError(
                            f"personalization names node {i}, which does not exist")
                    p[i] = float(w)
            else:
                p = np.ascontiguousarray(np.asarray(personalization, dtype=np.float64))
        bar, fn = _bar(progress, "pagerank")
        try:
            ranks, _, _ = self._reader().pagerank(
                float(damping), float(tol), int(max_iter), dangling == "drop", p,
                _names(labels, "a label"), _names(edge_types, "an edge type"), bool(directed),
                _weight(weight), _threads(threads), fn)
            return ranks
        finally:
            bar.close()

    def wcc(self, *, labels: Names = None, edge_types: Names = None,
            threads: Optional[int] = None, progress: ProgressArg = None) -> np.ndarray:
        """Weakly connected components: for every node id the smallest node id
        of its component (uint64 array; ``nendb.NO_NODE`` outside the
        projection). Edges count in both directions.

        Example: ``sizes = np.unique(db.wcc(), return_counts=True)``.
        """
        bar, fn = _bar(progress, "wcc")
        try:
            return self._reader().wcc(_names(labels, "a label"),
                                      _names(edge_types, "an edge type"), True, "",
                                      _threads(threads), fn)
        finally:
            bar.close()

    def scc(self, *, labels: Names = None, edge_types: Names = None,
            threads: Optional[int] = None, progress: ProgressArg = None) -> np.ndarray:
        """Strongly connected components: for every node id the smallest node
        id of its component, following edges in their direction (uint64
        array; ``nendb.NO_NODE`` outside the projection).

        Example: ``n = len(np.unique(db.scc()))``.
        """
        bar, fn = _bar(progress, "scc")
        try:
            return self._reader().scc(_names(labels, "a label"),
                                      _names(edge_types, "an edge type"), True, "",
                                      _threads(threads), fn)
        finally:
            bar.close()

    def sssp(self, source: int, weight: Optional[str] = "weight", *, delta: float = 0.0,
             directed: bool = True, labels: Names = None, edge_types: Names = None,
             threads: Optional[int] = None, progress: ProgressArg = None) -> np.ndarray:
        """Shortest distances from ``source`` to every node id (float64 array;
        ``inf`` unreached or outside the projection), summing ``weight``
        (``"weight"``, a numeric edge property, or None for hop counts).

        Args:
            delta: bucket width of delta-stepping (0: chosen from the weights).
            directed, labels, edge_types, threads, progress: as for :meth:`bfs`.

        Raises InvalidArgumentError for a negative weight.
        Example: ``dist = db.sssp(db.find("City", "Paris"), weight="km")``.
        """
        if not np.isfinite(delta) or delta < 0:
            raise InvalidArgumentError(f"delta must be a finite number >= 0, not {delta}")
        bar, fn = _bar(progress, "sssp")
        try:
            return self._reader().sssp(cv.entity_id(source), float(delta),
                                       _names(labels, "a label"),
                                       _names(edge_types, "an edge type"), bool(directed),
                                       _weight(weight), _threads(threads), fn)
        finally:
            bar.close()

    def shortest_path(self, source: int, target: int, weight: Optional[str] = None, *,
                      directed: bool = True, labels: Names = None, edge_types: Names = None,
                      progress: ProgressArg = None) -> List[int]:
        """The node ids of one shortest path from ``source`` to ``target``,
        both included (``[]`` when there is none): fewest edges, or least
        total ``weight`` (``"weight"`` or a numeric edge property).

        Example: ``db.shortest_path(ada, babbage)``.
        """
        bar, fn = _bar(progress, "shortest_path")
        try:
            path = self._reader().shortest_path(cv.entity_id(source), cv.entity_id(target),
                                                _names(labels, "a label"),
                                                _names(edge_types, "an edge type"),
                                                bool(directed), _weight(weight), 1, fn)
            return [int(x) for x in path]
        finally:
            bar.close()

    def k_core(self, *, labels: Names = None, edge_types: Names = None,
               threads: Optional[int] = None, progress: ProgressArg = None) -> np.ndarray:
        """Core number of every node id (int64 array; -1 outside the
        projection): the largest k such that the node is in a subgraph where
        every node has degree >= k. Edges count both ways; parallel edges
        count, self-loops do not.

        Example: ``core = db.k_core(); dense = np.flatnonzero(core >= 10)``.
        """
        bar, fn = _bar(progress, "k_core")
        try:
            return self._reader().k_core(_names(labels, "a label"),
                                         _names(edge_types, "an edge type"), True, "",
                                         _threads(threads), fn)
        finally:
            bar.close()

    def triangles(self, *, labels: Names = None, edge_types: Names = None,
                  threads: Optional[int] = None, progress: ProgressArg = None) -> np.ndarray:
        """Triangles each node id is in, on the simple undirected graph
        (int64 array; -1 outside the projection). ``.sum() // 3`` is the total.

        Example: ``t = db.triangles()``.
        """
        bar, fn = _bar(progress, "triangles")
        try:
            t, _, _ = self._reader().triangles(_names(labels, "a label"),
                                               _names(edge_types, "an edge type"), True, "",
                                               _threads(threads), fn)
            return t
        finally:
            bar.close()

    def clustering(self, *, labels: Names = None, edge_types: Names = None,
                   threads: Optional[int] = None, progress: ProgressArg = None) -> np.ndarray:
        """Local clustering coefficient of every node id, as NetworkX's
        ``nx.clustering`` on the simple undirected graph (float64 array; 0 for
        fewer than two neighbours, NaN outside the projection).

        Example: ``average = np.nanmean(db.clustering())``.
        """
        bar, fn = _bar(progress, "clustering")
        try:
            _, c, _ = self._reader().triangles(_names(labels, "a label"),
                                               _names(edge_types, "an edge type"), True, "",
                                               _threads(threads), fn)
            return c
        finally:
            bar.close()

    def _communities(self, method: str, resolution: float, seed: int, max_levels: int,
                     max_iterations: int, labels: Names, edge_types: Names,
                     weight: Optional[str], threads: Optional[int],
                     progress: ProgressArg) -> np.ndarray:
        if not np.isfinite(resolution) or resolution < 0:
            raise InvalidArgumentError(f"resolution must be a finite number >= 0, not {resolution}")
        bar, fn = _bar(progress, method)
        try:
            community, _, _ = self._reader().communities(
                method, float(resolution), int(seed), int(max_levels), int(max_iterations),
                _names(labels, "a label"), _names(edge_types, "an edge type"), False,
                _weight(weight), _threads(threads), fn)
            return community
        finally:
            bar.close()

    def louvain(self, resolution: float = 1.0, seed: int = 0, *, weight: Optional[str] = None,
                labels: Names = None, edge_types: Names = None, max_levels: int = 100,
                threads: Optional[int] = None, progress: ProgressArg = None) -> np.ndarray:
        """Communities by the Louvain method (modularity at ``resolution``),
        the graph taken as undirected: community numbers 0..k-1 by node id
        (int64 array; -1 outside the projection), the same for the same seed.

        Example: ``c = db.louvain(); db.modularity(c)``.
        """
        return self._communities("louvain", resolution, seed, max_levels, 100, labels,
                                 edge_types, weight, threads, progress)

    def leiden(self, resolution: float = 1.0, seed: int = 0, *, weight: Optional[str] = None,
               labels: Names = None, edge_types: Names = None, max_levels: int = 100,
               threads: Optional[int] = None, progress: ProgressArg = None) -> np.ndarray:
        """Communities by the Leiden method (modularity, not CPM): like
        :meth:`louvain`, but every community is connected.

        Example: ``c = db.leiden(resolution=0.5); db.modularity(c, resolution=0.5)``.
        """
        return self._communities("leiden", resolution, seed, max_levels, 100, labels,
                                 edge_types, weight, threads, progress)

    def label_propagation(self, seed: int = 0, max_iter: int = 100, *,
                          weight: Optional[str] = None, labels: Names = None,
                          edge_types: Names = None, threads: Optional[int] = None,
                          progress: ProgressArg = None) -> np.ndarray:
        """Communities by asynchronous label propagation (fast, rough), as
        :meth:`louvain` numbers them.

        Example: ``c = db.label_propagation(seed=1); sizes = np.bincount(c[c >= 0])``.
        """
        return self._communities("label_propagation", 1.0, seed, 100, max_iter, labels,
                                 edge_types, weight, threads, progress)

    def modularity(self, communities: Any, resolution: float = 1.0, *,
                   weight: Optional[str] = None, labels: Names = None,
                   edge_types: Names = None) -> float:
        """Modularity of a partition given as labels by node id (any
        non-negative integers; entries of nodes outside the projection are
        ignored), on the graph taken as undirected, as igraph computes it.

        Example: ``db.modularity(db.louvain())``.
        """
        c = np.asarray(communities)
        if c.ndim != 1 or c.dtype.kind not in "iu":
            raise TypeError("communities must be a 1-D integer array indexed by node id")
        return float(self._reader().modularity(
            np.ascontiguousarray(c, dtype=np.int64), float(resolution),
            _names(labels, "a label"), _names(edge_types, "an edge type"), False,
            _weight(weight)))

    def betweenness(self, *, normalized: bool = False, k: Optional[int] = None, seed: int = 0,
                    weight: Optional[str] = None, directed: bool = True, labels: Names = None,
                    edge_types: Names = None, threads: Optional[int] = None,
                    progress: ProgressArg = None) -> np.ndarray:
        """Betweenness centrality by node id (float64 array; 0 outside the
        projection), Brandes' algorithm: each unordered pair counts once on an
        undirected graph (igraph's convention); ``normalized`` divides by the
        number of pairs (NetworkX's). ``k``: estimate from k sampled sources.

        Example: ``b = db.betweenness(directed=False, k=256)``.
        """
        samples = 0 if k is None else _whole(k, "k", 1)
        bar, fn = _bar(progress, "betweenness")
        try:
            return self._reader().betweenness(bool(normalized), samples,
                                              int(seed), _names(labels, "a label"),
                                              _names(edge_types, "an edge type"),
                                              bool(directed), _weight(weight),
                                              _threads(threads), fn)
        finally:
            bar.close()
