"""nendb.plot on Zachary's karate club: what each helper draws is checked
against NetworkX and numpy, and its errors by their messages."""
from __future__ import annotations

import re
import sys

import numpy as np
import pytest

from conftest import run_python
from nendb import errors

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")  # draw off-screen, whatever MPLBACKEND says
nx = pytest.importorskip("networkx")

import matplotlib.pyplot as plt  # noqa: E402

from nendb import plot  # noqa: E402

# Beside the club's friendships: an edge parallel to one (m0-m1), a self-loop
# (m9) and a pair the club does not link (m33-m0).
LIKES = [(0, 1), (9, 9), (33, 0)]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def karate(mem):
    """The club as Member nodes keyed "m0".."m33" with KNOWS edges (lower to
    higher member number) and LIKES edges, plus a Member without edges ("loner"),
    after a guest with edges of its own was added first and then deleted, so
    that node ids are not member numbers and id 0 is a hole.

    Returns (db, member ids by member number, loner id, guest id).
    """
    club = nx.karate_club_graph()
    with mem.write() as tx:
        guest = tx.add_node("Guest", key="guest")
    members = mem.add_nodes("Member", keys=[f"m{i}" for i in club])
    loner = int(mem.add_nodes("Member", keys=["loner"])[0])
    u, v = np.array(club.edges).T
    mem.add_edges(members[u], members[v], "KNOWS")
    u, v = np.array(LIKES).T
    mem.add_edges(members[u], members[v], "LIKES")
    mem.add_edges([guest, guest], members[:2], "VISITS")
    with mem.write() as tx:
        tx.delete_node(guest, detach=True)
    return mem, members, loner, guest


def member_graph(members, loner, edges):
    """A NetworkX multigraph of the live nodes (by node id) with these member-number edges."""
    g = nx.MultiDiGraph()
    g.add_nodes_from([*members.tolist(), loner])
    g.add_edges_from((int(members[a]), int(members[b])) for a, b in edges)
    return g


def points(ax):
    (line,) = ax.lines
    return np.asarray(line.get_xdata()).tolist(), np.asarray(line.get_ydata()).tolist()


@pytest.mark.parametrize("direction", ["out", "in", "both"])
def test_degree_distribution_counts_live_nodes_per_degree(karate, direction):
    db, members, loner, _ = karate
    knows = member_graph(members, loner, nx.karate_club_graph().edges)
    degree = {"out": knows.out_degree, "in": knows.in_degree, "both": knows.degree}[direction]
    values, counts = np.unique([d for _, d in degree], return_counts=True)
    assert values[0] == 0  # the loner at least: log axes have degree 0 to leave out

    ax = plot.degree_distribution(db, direction, "KNOWS", log=False)
    assert points(ax) == (values.tolist(), counts.tolist())
    assert ax.get_xscale() == ax.get_yscale() == "linear"

    ax = plot.degree_distribution(db, direction, "KNOWS")
    assert points(ax) == (values[1:].tolist(), counts[1:].tolist())
    assert ax.get_xscale() == ax.get_yscale() == "log"


def test_degree_distribution_of_every_edge_type(karate):
    db, members, loner, _ = karate
    every = member_graph(members, loner, [*nx.karate_club_graph().edges, *LIKES])
    values, counts = np.unique([d for _, d in every.degree], return_counts=True)
    fig, ax = plt.subplots()
    assert plot.degree_distribution(db, "both", log=False, ax=ax) is ax
    assert points(ax) == (values.tolist(), counts.tolist())
    assert ax.get_xlabel() == "degree"


def test_degree_distribution_of_an_unknown_edge_type(karate):
    with pytest.raises(errors.NotFoundError, match='no edge type "KNOW"'):
        plot.degree_distribution(karate[0], edge_type="KNOW")


def test_top_k_bars_are_the_highest_scores_named_by_key(karate):
    db, *_ = karate
    ranks = db.pagerank(directed=False)
    ax = plot.top_k(db, ranks, k=5, title="PageRank")
    order = np.argsort(-ranks, kind="stable")[:5]
    assert len(set(ranks[order].tolist())) == 5
    assert [bar.get_width() for bar in ax.patches] == ranks[order].tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == [db.node(i)["key"] for i in order]
    assert ax.yaxis_inverted() and ax.patches[0].get_y() < ax.patches[1].get_y()  # highest on top
    assert ax.get_title() == "PageRank"


def test_top_k_by_label_skips_nan_and_names_keyless_nodes_by_id(karate):
    db, members, *_ = karate
    with db.write() as tx:
        anon = [tx.add_node("Anon") for _ in range(3)]
    scores = np.arange(db.node_id_bound, dtype=np.float64)  # members would win
    scores[anon] = [0.5, np.nan, 0.7]
    ax = plot.top_k(db, scores, k=10, label="Anon")
    assert [bar.get_width() for bar in ax.patches] == [0.7, 0.5]
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(anon[2]), str(anon[0])]


def test_top_k_ranks_equal_scores_by_node_id(mem):
    # Enough nodes that numpy's unstable sorts would scramble the ties.
    ids = mem.add_nodes("V", keys=np.arange(1000))
    scores = np.zeros(mem.node_id_bound)
    scores[ids[::3]] = 1.0
    scores[ids[[901, 500]]] = 2.0
    ax = plot.top_k(mem, scores, k=5)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["500", "901", "0", "3", "6"]


def test_top_k_refuses_scores_not_indexed_by_node_id(karate):
    db, *_ = karate
    with pytest.raises(errors.InvalidArgumentError, match="scores has 3 entries"):
        plot.top_k(db, np.ones(3))
    with pytest.raises(errors.InvalidArgumentError, match="k must be a positive int"):
        plot.top_k(db, db.pagerank(), k=0)


def undirected_pairs(members, edges):
    """The linked pairs of distinct nodes, by node id."""
    return {frozenset((int(members[a]), int(members[b]))) for a, b in edges if a != b}


def drawn(ax):
    """The points' positions, the edges' segments and the points' colours."""
    lines, nodes = ax.collections
    xy = nodes.get_offsets()
    return xy, lines.get_segments(), nodes.get_facecolors()


def test_communities_colours_by_community_and_draws_each_linked_pair_once(karate):
    db, members, loner, _ = karate
    labels = db.louvain()
    ax = plot.communities(db, labels)
    xy, segments, colours = drawn(ax)

    ids = np.array(sorted([*members.tolist(), loner]))
    assert len(xy) == len(ids)
    # The points are in node id order and each line runs between two of them.
    at = {tuple(p): int(i) for p, i in zip(np.asarray(xy).tolist(), ids)}
    lines = {frozenset(at[tuple(p)] for p in np.asarray(s).tolist()) for s in segments}
    want = undirected_pairs(members, [*nx.karate_club_graph().edges, *LIKES])
    assert len(segments) == len(want) == 79 and lines == want

    community = labels[ids]
    assert len(np.unique(community)) > 1
    same_community = community[:, None] == community[None, :]
    same_colour = (colours[:, None, :] == colours[None, :, :]).all(axis=2)
    assert np.array_equal(same_community, same_colour)


def test_communities_greys_nodes_outside_the_projection(karate):
    db, members, *_ = karate
    with db.write() as tx:
        visitor = tx.add_node("Visitor")
    for labels in (db.louvain(labels=["Member"]), db.wcc(labels=["Member"])):
        _, _, colours = drawn(plot.communities(db, labels, nodes=[int(members[0]), visitor]))
        grey = (colours == [0.8, 0.8, 0.8, 1.0]).all(axis=1)
        assert grey.tolist() == [i == visitor for i in sorted([int(members[0]), visitor])]


def test_communities_layout_follows_the_seed(karate):
    db, *_ = karate
    labels = db.louvain()
    once = plot.communities(db, labels, seed=3).collections[1].get_offsets()
    again = plot.communities(db, labels, seed=3).collections[1].get_offsets()
    other = plot.communities(db, labels, seed=4).collections[1].get_offsets()
    assert np.array_equal(once, again) and not np.allclose(once, other)


def test_communities_draws_the_busiest_nodes_or_those_given(karate):
    db, members, loner, _ = karate
    every = member_graph(members, loner, [*nx.karate_club_graph().edges, *LIKES])
    busiest = sorted(every.nodes, key=lambda n: (-every.degree[n], n))[:5]
    want = undirected_pairs(members, [*nx.karate_club_graph().edges, *LIKES])

    # Every node but the busiest is outside the "projection", so any other
    # node drawn would be grey.
    labels = np.full(db.node_id_bound, -1)
    labels[busiest] = 7
    xy, segments, colours = drawn(plot.communities(db, labels, max_nodes=5))
    assert len(xy) == 5
    assert not (colours == [0.8, 0.8, 0.8, 1.0]).all(axis=1).any()
    assert len(segments) == sum(1 for pair in want if pair <= set(busiest))

    chosen = members[[0, 1, 2, 33]]
    xy, segments, _ = drawn(plot.communities(db, db.louvain(),
                                             nodes=[*chosen[::-1], chosen[0]]))
    assert len(xy) == 4
    assert len(segments) == sum(1 for pair in want if pair <= set(chosen.tolist())) == 4


def test_communities_refuses_too_many_or_missing_nodes(karate):
    db, members, loner, guest = karate
    labels = db.louvain()
    with pytest.raises(errors.InvalidArgumentError,
                       match="at most max_nodes=10 nodes, and 34 were given"):
        plot.communities(db, labels, nodes=members, max_nodes=10)
    with pytest.raises(errors.NotFoundError, match=f"node {guest} does not exist"):
        plot.communities(db, labels, nodes=[int(members[0]), guest])
    with pytest.raises(errors.NotFoundError, match="node 1000 does not exist"):
        plot.communities(db, labels, nodes=[1000])
    with pytest.raises(errors.InvalidArgumentError, match="communities has 2 entries"):
        plot.communities(db, labels[:2])


HELPERS = {
    "degree_distribution": lambda db: plot.degree_distribution(db),
    "top_k": lambda db: plot.top_k(db, db.pagerank()),
    "communities": lambda db: plot.communities(db, db.louvain()),
}


@pytest.mark.parametrize("helper", HELPERS)
def test_without_matplotlib_each_helper_names_the_extra(karate, monkeypatch, helper):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    message = "nendb.plot needs matplotlib, which is not installed: pip install 'nendb[plot]'"
    with pytest.raises(errors.MissingDependencyError, match=re.escape(message)) as info:
        HELPERS[helper](karate[0])
    assert isinstance(info.value, ImportError)


def test_communities_without_networkx_names_the_extra(karate, monkeypatch):
    monkeypatch.setitem(sys.modules, "networkx", None)
    message = ("nendb.plot.communities needs networkx, which is not installed: "
               "pip install 'nendb[plot]'")
    with pytest.raises(errors.MissingDependencyError, match=re.escape(message)) as info:
        HELPERS["communities"](karate[0])
    assert isinstance(info.value, ImportError)


def test_importing_nendb_and_nendb_plot_leaves_matplotlib_unimported():
    out = run_python("""
        import sys
        import nendb, nendb.plot
        print(sorted(m for m in ("matplotlib", "networkx") if m in sys.modules))
    """).stdout
    assert out.strip() == "[]"
