"""Plots of a graph and of its analytics, for notebooks.

matplotlib (and networkx, for the layout :func:`communities` draws) come with
the ``plot`` extra: ``pip install 'nendb[plot]'``. They are imported when a
helper is called, not when ``nendb`` or ``nendb.plot`` is, so that importing
nendb stays fast and works without them.

Each helper draws on ``ax`` if given, else on the axes of a new figure, and
returns the axes::

    import nendb, nendb.plot

    db = nendb.open("graph.nendb")
    nendb.plot.degree_distribution(db)
    nendb.plot.top_k(db, db.pagerank(), k=10, title="PageRank")
    nendb.plot.communities(db, db.louvain())

A helper given a :class:`nendb.Database` reads one snapshot of it, so the
arrays it combines come from the same commit even while another process writes.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Iterator, Optional, Union

import numpy as np

from . import _convert as cv
from ._database import Database
from ._optional import need
from ._transaction import ReadTransaction, WriteTransaction
from .errors import InvalidArgumentError, NotFoundError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["degree_distribution", "top_k", "communities"]

View = Union[Database, ReadTransaction, WriteTransaction]


def _pyplot() -> Any:
    """matplotlib.pyplot, or MissingDependencyError naming ``nendb[plot]``."""
    return need("matplotlib.pyplot", "nendb.plot")


def _require_matplotlib() -> None:
    """Fails before any database work, so that a helper called without
    matplotlib reports only that."""
    _pyplot()


def _networkx() -> Any:
    """networkx, or MissingDependencyError naming ``nendb[plot]`` (which
    installs it with matplotlib)."""
    return need("networkx", "nendb.plot.communities", extra="plot")


def _axes(ax: Optional[Axes]) -> Axes:
    # Called once the arguments proved good, so that a bad call leaves no
    # empty figure behind in the notebook.
    if ax is None:
        _, ax = _pyplot().subplots()
    return ax


@contextlib.contextmanager
def _snapshot(db: View) -> Iterator[View]:
    if isinstance(db, Database):
        with db.read() as r:
            yield r
    else:
        yield db  # a transaction already sees one state throughout


def _live(view: View) -> np.ndarray:
    """A mask by node id of the live nodes: every node has a label, and the
    ids of deleted nodes are in no label's list."""
    live = np.zeros(view.node_id_bound, dtype=bool)
    for label in view.labels():
        live[view.nodes(label)] = True
    return live


def _endpoints(view: View, edge_type: Optional[str]) -> tuple[np.ndarray, np.ndarray]:
    """Sources and targets of the edges (of one type, or all) as intp arrays,
    the dtype numpy indexes and bincounts with."""
    if edge_type is not None and edge_type not in view.edge_types():
        raise NotFoundError(f'there is no edge type "{edge_type}"; db.edge_types() lists them')
    edges = view.edges(edge_type)
    return edges["source"].astype(np.intp), edges["target"].astype(np.intp)


def _degrees(view: View, direction: str, edge_type: Optional[str] = None) -> np.ndarray:
    """Edges at each node id in the direction; a self-loop counts twice for "both",
    as db.degree() counts it."""
    bound = view.node_id_bound
    src, dst = _endpoints(view, edge_type)
    degree = np.zeros(bound, dtype=np.int64)
    if direction in ("out", "both"):
        degree += np.bincount(src, minlength=bound)
    if direction in ("in", "both"):
        degree += np.bincount(dst, minlength=bound)
    return degree


def _largest(ids: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """The ids of the k largest values, largest first, ties to the lower id.

    Partitions first, so that only the k largest and their ties are sorted.
    """
    if values.size > k:
        kth = np.partition(values, values.size - k)[values.size - k]
        keep = values >= kth
        ids, values = ids[keep], values[keep]
    order = np.lexsort((ids, -values.astype(np.float64)))
    return ids[order[:k]]


def _positive_int(x: Any, what: str) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 1:
        raise InvalidArgumentError(f"{what} must be a positive int, not {x!r}")
    return int(x)


def _by_node_id(values: Any, view: View, what: str, kinds: str) -> np.ndarray:
    a = np.asarray(values)
    if a.ndim != 1 or a.dtype.kind not in kinds:
        raise InvalidArgumentError(f"{what} must be a 1-D numeric array indexed by node id, "
                                   f"not an array of {a.dtype} with shape {a.shape}")
    if a.size != view.node_id_bound:
        raise InvalidArgumentError(
            f"{what} has {a.size} entries but the database's arrays by node id have "
            f"{view.node_id_bound}: compute it again on this database")
    return a


def degree_distribution(db: View, direction: str = "out", edge_type: Optional[str] = None, *,
                        log: bool = True, ax: Optional[Axes] = None) -> Axes:
    """Plots how many live nodes have each degree, one point per degree.

    Args:
        db: a database or a transaction.
        direction: ``"out"``, ``"in"`` or ``"both"`` (the sum of the two).
        edge_type: count only edges of this type (None: all).
        log: log-log axes, where a power law is a straight line; nodes of
            degree 0 have no place on them and are left out. ``False``:
            linear axes, degree 0 included.
        ax: the matplotlib axes to draw on (None: a new figure).

    Returns the axes; the points are its one line.
    Raises NotFoundError for an edge type the database does not have.

    Example::

        ax = nendb.plot.degree_distribution(db, direction="in", edge_type="CITES")
        ax.figure.savefig("citations.png")
    """
    _require_matplotlib()
    direction = cv.direction(direction)
    with _snapshot(db) as view:
        degree = _degrees(view, direction, edge_type)[_live(view)]
    nodes = np.bincount(degree)
    shown = np.flatnonzero(nodes)
    if log:
        shown = shown[shown > 0]
    ax = _axes(ax)
    ax.plot(shown, nodes[shown], "o", markersize=4)
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
    name = {"out": "out-degree", "in": "in-degree", "both": "degree"}[direction]
    ax.set_xlabel(name if edge_type is None else f"{name} ({edge_type} edges)")
    ax.set_ylabel("nodes")
    return ax


def top_k(db: View, scores: Any, k: int = 10, *, label: Optional[str] = None,
          title: Optional[str] = None, ax: Optional[Axes] = None) -> Axes:
    """Plots the ``k`` highest scores as horizontal bars, the highest on top,
    each named by its node's key (its id when it has none).

    Args:
        db: the database (or a transaction) the scores were computed on.
        scores: an array indexed by node id, as ``db.pagerank()`` or
            ``db.betweenness()`` return; NaN entries are skipped.
        k: how many bars (fewer if fewer nodes have a score).
        label: rank only the nodes with this label (None: every live node).
        title: the axes' title (None: none).
        ax: the matplotlib axes to draw on (None: a new figure).

    Equal scores rank by node id. Returns the axes, whose bars are its
    patches, highest first.

    Example::

        nendb.plot.top_k(db, db.pagerank(), k=15, label="Person", title="PageRank")
    """
    _require_matplotlib()
    k = _positive_int(k, "k")
    with _snapshot(db) as view:
        values = _by_node_id(scores, view, "scores", "fiu")
        if label is None:
            candidates = np.flatnonzero(_live(view))
        else:
            candidates = view.nodes(cv.name(label, "a label")).astype(np.intp)
        candidates = candidates[~np.isnan(values[candidates])]
        top = _largest(candidates, values[candidates], k)
        names = []
        for i in top.tolist():
            key = view.node(i)["key"]
            names.append(str(i) if key is None else str(key))
    rows = np.arange(top.size)
    ax = _axes(ax)
    ax.barh(rows, values[top])
    ax.set_yticks(rows, labels=names)
    ax.invert_yaxis()
    if title is not None:
        ax.set_title(title)
    return ax


def communities(db: View, communities: Any, *, nodes: Any = None, max_nodes: int = 300,
                seed: int = 0, ax: Optional[Axes] = None) -> Axes:
    """Draws a small subgraph on a spring layout, nodes coloured by community.

    A spring layout of thousands of nodes is slow and unreadable, so this
    draws at most ``max_nodes``: the ones given, or else the ``max_nodes``
    live nodes with the most edges (ties to the lower id). The graph is
    taken as undirected, as ``db.louvain()`` takes it: each linked pair of
    drawn nodes gets one thin grey line, however many edges join them, and
    self-loops get none.

    Args:
        db: a database or a transaction.
        communities: a community number by node id, as ``db.louvain()``,
            ``db.leiden()`` or ``db.wcc()`` return. Nodes of one community
            share a colour; there are 20 colours, so past 20 communities
            colours repeat. Nodes outside the algorithm's projection (-1,
            or ``nendb.NO_NODE`` in the uint64 arrays of ``db.wcc()``)
            are light grey.
        nodes: ids of the nodes to draw (None: chosen as above).
        max_nodes: the most nodes to draw.
        seed: the layout's random seed: the same seed, the same picture.
        ax: the matplotlib axes to draw on (None: a new figure).

    Returns the axes: its collections are the edges (a LineCollection) and
    then the nodes (one scatter, in increasing node id order).
    Raises InvalidArgumentError for more than ``max_nodes`` nodes and
    NotFoundError for a node that does not exist.

    Example::

        c = db.louvain()
        nendb.plot.communities(db, c, nodes=db.k_hop(db.find("Person", "ada"), 2))
    """
    _require_matplotlib()
    nx = _networkx()
    colormaps = need("matplotlib", "nendb.plot").colormaps
    collections = need("matplotlib.collections", "nendb.plot")

    max_nodes = _positive_int(max_nodes, "max_nodes")
    with _snapshot(db) as view:
        labels = _by_node_id(communities, view, "communities", "iu")
        live = _live(view)
        src, dst = _endpoints(view, None)
        if nodes is None:
            live_ids = np.flatnonzero(live)
            degree = _degrees(view, "both")
            drawn = np.sort(_largest(live_ids, degree[live_ids], max_nodes))
        else:
            drawn = np.unique(cv.id_array(nodes, "nodes"))
            if drawn.size > max_nodes:
                raise InvalidArgumentError(
                    f"communities() draws at most max_nodes={max_nodes} nodes, and "
                    f"{drawn.size} were given: pass fewer nodes, or a larger max_nodes")
            exists = np.zeros(drawn.size, dtype=bool)
            in_range = drawn < live.size
            exists[in_range] = live[drawn[in_range]]
            if not exists.all():
                raise NotFoundError(f"node {int(drawn[~exists][0])} does not exist")
            drawn = drawn.astype(np.intp)

    inside = np.zeros(live.size, dtype=bool)
    inside[drawn] = True
    linked = inside[src] & inside[dst] & (src != dst)
    pairs = np.unique(np.sort(np.stack([src[linked], dst[linked]], axis=1), axis=1), axis=0)

    graph = nx.Graph()
    graph.add_nodes_from(drawn.tolist())
    graph.add_edges_from(pairs.tolist())
    position = nx.spring_layout(graph, seed=seed)
    xy = np.array([position[i] for i in drawn.tolist()], dtype=np.float64).reshape(-1, 2)

    segments = xy[np.searchsorted(drawn, pairs)]
    ax = _axes(ax)
    ax.add_collection(collections.LineCollection(segments, colors="0.6", linewidths=0.5,
                                                 zorder=1))

    community = labels[drawn]
    member = community != cv.NO_NODE if community.dtype == np.uint64 else community >= 0
    # Numbering the drawn communities 0, 1, ... gives up to 20 of them
    # distinct colours however large their numbers in the whole graph are.
    _, rank = np.unique(community[member], return_inverse=True)
    # tab20 pairs each colour with a lighter shade of it; its ten strong
    # colours come first so that a few communities are easy to tell apart.
    palette = colormaps["tab20"](np.r_[0:20:2, 1:20:2])
    colours = np.tile([0.8, 0.8, 0.8, 1.0], (drawn.size, 1))
    colours[member] = palette[rank % len(palette)]
    ax.scatter(xy[:, 0], xy[:, 1], c=colours, s=40, edgecolors="white", linewidths=0.5,
               zorder=2)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    return ax
