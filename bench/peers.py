"""The systems bench/algo_bench.py compares, one class each with the same interface.

cls(directory, n, src, dst, w, degree, threads) loads the graph (bench/graphs.py's arrays)
and keeps what that took in .setup (not counted); run(kernel, source) is one timed call;
canon(kernel, result) turns its result into what the checks compare with nendb's (depth
histograms, distances, component counts, core numbers, triangle totals, ranks, community
labels by node). .kernels
says which kernels it has, .dangling which PageRank model it follows ("drop" as GAP, or
"spread" as NetworkX and igraph). A peer that is installed but cannot run raises
Unavailable with the reason, one that is not installed ImportError.
"""
import importlib
import importlib.util
import os
import subprocess
import sys
import time

import numpy as np

import nendb

KERNELS = ("bfs", "pagerank", "cc", "sssp", "kcore", "triangles", "louvain")
PER_SOURCE = ("bfs", "sssp")
PR_TOL = 1e-4
KUZU_BUFFER_POOL = 4 << 30  # default is 80% of RAM, which the other systems need
OPEN = []  # databases, closed before their directory is removed


class Unavailable(Exception):
    """A peer that is installed but cannot run here; the message says why."""


def triangle_total(lcc, degree: np.ndarray) -> int:
    """Triangles from the local clustering coefficients of a simple graph."""
    d = degree.astype(np.float64)
    return int(np.rint(np.asarray(lcc, dtype=np.float64) * d * (d - 1) / 2).sum()) // 3


class Peer:
    kernels = KERNELS
    dangling = "spread"  # PageRank's dangling-mass model: "spread" or GAP's "drop"


def nendb_version() -> str:
    """The version and when its compiled module was installed: 0.1.0 names many builds."""
    built = time.gmtime(os.path.getmtime(nendb._nendb.__file__))
    return f"{nendb.__version__} (module of {time.strftime('%Y-%m-%d %H:%M', built)} UTC)"


class Nendb(Peer):
    name, version, dangling = "nendb", nendb_version(), "drop"

    def __init__(self, directory, n, src, dst, w, degree, threads):
        path = os.path.join(directory, "graph.nendb")
        t0 = time.perf_counter()
        db = nendb.open(path)
        self.ids = db.add_nodes("V", count=n)  # generator node i is nendb node ids[i]
        db.add_edges(self.ids[src], self.ids[dst], "E", weight=w)
        db.checkpoint()
        db.close()
        t1 = time.perf_counter()
        self.db = nendb.open(path)
        OPEN.append(self.db)
        self.setup = {"load: add_nodes + add_edges + checkpoint + close": t1 - t0,
                      "open (checkpointed snapshot)": time.perf_counter() - t1}
        self.stats, self.kw = self.db.stats(), {"threads": threads, "progress": False}
        self.graph = (n, src, dst, w, degree)  # for the checks' modularity
        self.path = path

    def reopen(self):
        """Closes and opens again: the projections built so far are in projection files
        now (kept beside the snapshot), which the next first calls map instead of build."""
        OPEN.remove(self.db)
        self.db.close()
        self.db = nendb.open(self.path)
        OPEN.append(self.db)
        files = [f for f in os.listdir(self.path) if f.startswith("graph-")]
        return len(files), sum(os.path.getsize(os.path.join(self.path, f)) for f in files)

    def run(self, k, s):
        db, kw, v = self.db, self.kw, None if s is None else int(self.ids[s])
        return {"bfs": lambda: db.bfs(v, directed=False, **kw),
                "pagerank": lambda: db.pagerank(tol=PR_TOL, max_iter=100, dangling="drop",
                                                directed=False, **kw),
                "cc": lambda: db.wcc(**kw),
                "sssp": lambda: db.sssp(v, weight="weight", directed=False, **kw),
                "kcore": lambda: db.k_core(**kw), "triangles": lambda: db.triangles(**kw),
                "louvain": lambda: db.louvain(seed=1, **kw)}[k]()

    def canon(self, k, r):
        r = r[self.ids]
        return {"bfs": lambda: np.bincount(r[r >= 0]), "cc": lambda: len(np.unique(r)),
                "triangles": lambda: int(r.sum()) // 3}.get(k, lambda: r)()

    def pagerank_extra(self):
        # Iterations of the timed (drop) run (db.pagerank drops them), "spread" ranks.
        _, iters, delta = self.db._reader().pagerank(0.85, PR_TOL, 100, True, None, [], [],
                                                     False, "", self.kw["threads"], None)
        spread = self.db.pagerank(tol=PR_TOL, dangling="spread", directed=False, **self.kw)
        return int(iters), float(delta), spread[self.ids]


class Igraph(Peer):
    name = "igraph"

    def __init__(self, directory, n, src, dst, w, degree, threads):
        import igraph as ig
        self.version, self.degree = ig.__version__, degree
        t0 = time.perf_counter()
        self.g = ig.Graph(n=n)
        self.g.add_edges(np.column_stack([src, dst]))  # faster than Graph(n, edges=...)
        self.g.es["weight"] = w
        self.setup = {"Graph(n) + add_edges(numpy) + weight attribute": time.perf_counter() - t0}

    def run(self, k, s):
        g = self.g
        return {"bfs": lambda: g.bfs(s), "pagerank": lambda: g.pagerank(damping=0.85),
                "cc": lambda: g.connected_components(mode="weak"),
                "sssp": lambda: g.distances(source=s, weights="weight"), "kcore": g.coreness,
                "triangles": lambda: g.transitivity_local_undirected(mode="zero"),
                "louvain": g.community_multilevel}[k]()

    def canon(self, k, r):
        return {"bfs": lambda: np.diff(r[1]),  # layer start offsets -> nodes per depth
                "cc": lambda: len(r), "triangles": lambda: triangle_total(r, self.degree),
                "louvain": lambda: np.asarray(r.membership),
                "sssp": lambda: np.asarray(r[0]), "kcore": lambda: np.asarray(r, np.int64)
                }.get(k, lambda: np.asarray(r))()


class Networkit(Peer):
    name, dangling = "networkit", "drop"  # no sink handling: GAP's model

    def __init__(self, directory, n, src, dst, w, degree, threads):
        import networkit as nk
        self.nk, self.version, self.degree = nk, nk.__version__, degree
        nk.setNumberOfThreads(threads)
        su, du = src.astype(np.uint64), dst.astype(np.uint64)
        t0 = time.perf_counter()
        self.g = nk.GraphFromCoo((su, du), n, directed=False, weighted=False)
        t1 = time.perf_counter()  # PageRank would use weights: a weighted copy for SSSP
        self.gw = nk.GraphFromCoo((w, (su, du)), n, directed=False, weighted=True)
        self.setup = {"GraphFromCoo unweighted": t1 - t0,
                      "GraphFromCoo weighted (for SSSP)": time.perf_counter() - t1}

    def run(self, k, s):
        nk, g = self.nk, self.g
        a = {"bfs": lambda: nk.distance.BFS(g, s, storePaths=False),
             "pagerank": lambda: nk.centrality.PageRank(g, damp=0.85, tol=PR_TOL),
             "cc": lambda: nk.components.ConnectedComponents(g),
             "sssp": lambda: nk.distance.Dijkstra(self.gw, s, storePaths=False),
             "kcore": lambda: nk.centrality.CoreDecomposition(g),
             "triangles": lambda: nk.centrality.LocalClusteringCoefficient(g, turbo=True),
             "louvain": lambda: nk.community.PLM(g, refine=False)}[k]()
        if k == "pagerank":
            a.norm, a.maxIterations = nk.centrality.Norm.L1_NORM, 100
        a.run()
        return a

    def canon(self, k, a):
        if k == "louvain":
            return np.asarray(a.getPartition().getVector())
        if k in PER_SOURCE:
            d = np.asarray(a.getDistances())
            d[d > 1e300] = np.inf  # NetworKit marks unreached with max double
            return np.bincount(d[np.isfinite(d)].astype(np.int64)) if k == "bfs" else d
        if k in ("cc", "triangles"):
            return a.numberOfComponents() if k == "cc" else triangle_total(a.scores(), self.degree)
        return np.asarray(a.scores(), dtype=np.int64 if k == "kcore" else np.float64)


class Networkx(Peer):
    name = "networkx"
    kernels = tuple(k for k in KERNELS if k != "louvain")  # pure Python: minutes at scale 18

    def __init__(self, directory, n, src, dst, w, degree, threads):
        import networkx as nx
        self.nx, self.version, self.n = nx, nx.__version__, n
        t0 = time.perf_counter()
        self.g = nx.Graph()
        self.g.add_nodes_from(range(n))
        self.g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist()))
        self.setup = {"Graph + add_weighted_edges_from": time.perf_counter() - t0}

    def run(self, k, s):
        nx, g = self.nx, self.g
        return {"bfs": lambda: nx.single_source_shortest_path_length(g, s),
                # NetworkX stops once the L1 change < n * tol
                "pagerank": lambda: nx.pagerank(g, alpha=0.85, tol=PR_TOL / self.n, weight=None),
                "cc": lambda: nx.number_connected_components(g),
                "sssp": lambda: nx.single_source_dijkstra_path_length(g, s, weight="weight"),
                "kcore": lambda: nx.core_number(g), "triangles": lambda: nx.triangles(g)}[k]()

    def canon(self, k, r):
        if k in ("cc", "bfs", "triangles"):
            return r if k == "cc" else (np.bincount(list(r.values())) if k == "bfs"
                                        else sum(r.values()) // 3)
        out = np.full(self.n, np.inf if k == "sssp" else 0.0)
        out[list(r.keys())] = list(r.values())
        return out.astype(np.int64) if k == "kcore" else out


class Kuzu(Peer):
    """The algo extension's functions (no BFS, SSSP or triangle count among them).

    Its k-core and WCC read a rel table as undirected but its PageRank follows rels
    forward, so the edges go in twice: E (src < dst) for k-core and WCC, and E plus R
    (reversed) for PageRank. Each timed call is the Cypher query run to completion with
    its rows materialised in Kùzu's result; converting them to numpy is not timed."""
    name = module = "kuzu"
    kernels, dangling = ("pagerank", "cc", "kcore", "louvain"), "drop"
    QUERY = {"pagerank": "CALL page_rank('both', dampingFactor:=0.85, maxIterations:=100, "
                         f"tolerance:={PR_TOL}) RETURN node.id, rank",
             # Label propagation stops after maxIterations rounds, by default 100: short of a
             # grid's diameter (it then gives a varying number of components). The count is
             # taken mod 2^16 (65536 runs no round, 65537 one): 65535 is the most it runs.
             "cc": "CALL weakly_connected_components('fwd', maxIterations:=65535) "
                   "RETURN node.id, group_id",
             "kcore": "CALL k_core_decomposition('fwd') RETURN node.id, k_degree",
             "louvain": "CALL louvain('fwd') RETURN node.id, louvain_id"}

    def __init__(self, directory, n, src, dst, w, degree, threads):
        mod = importlib.import_module(self.module)
        import pandas as pd  # COPY FROM scans a DataFrame's numpy columns
        self.version, self.n = mod.__version__, n
        self.db = mod.Database(os.path.join(directory, f"{self.name}.db"),
                               buffer_pool_size=KUZU_BUFFER_POOL, max_num_threads=threads)
        self.c = mod.Connection(self.db, num_threads=threads)
        OPEN.append(self)
        self.load_algo()
        t0 = time.perf_counter()
        for q in ("CREATE NODE TABLE V(id INT64 PRIMARY KEY)", "CREATE REL TABLE E(FROM V TO V)",
                  "CREATE REL TABLE R(FROM V TO V)"):
            self.c.execute(q)
        nodes = pd.DataFrame({"id": np.arange(n, dtype=np.int64)})  # noqa: F841 (by name)
        self.c.execute("COPY V FROM nodes")
        for table, a, b in (("E", src, dst), ("R", dst, src)):
            rels = pd.DataFrame({"from": a, "to": b})  # noqa: F841 (COPY finds it by name)
            self.c.execute(f"COPY {table} FROM rels")
        t1 = time.perf_counter()
        self.c.execute("CALL project_graph('fwd', ['V'], ['E'])")
        self.c.execute("CALL project_graph('both', ['V'], ['E', 'R'])")
        self.setup = {"COPY V, E, R FROM pandas": t1 - t0,
                      "project_graph fwd (E), both (E + R)": time.perf_counter() - t1}

    def load_algo(self):
        try:
            self.c.execute("LOAD EXTENSION algo")  # kuzu 0.11.3 answers that it is linked in
        except RuntimeError:
            try:
                self.c.execute("INSTALL algo")
                self.c.execute("LOAD EXTENSION algo")
            except RuntimeError as e:
                raise Unavailable(f"{self.name} {self.version}: INSTALL algo failed: {e}") from None

    def run(self, k, s):
        return self.c.execute(self.QUERY[k])

    def canon(self, k, r):
        df = r.get_as_df()
        out = np.zeros(self.n, np.float64 if k == "pagerank" else np.int64)
        if k == "louvain":
            out[:] = -1 - np.arange(self.n)  # nodes without edges: each alone
        out[df.iloc[:, 0].to_numpy()] = df.iloc[:, 1].to_numpy()
        return len(np.unique(out)) if k == "cc" else out

    def close(self):
        self.c.close()
        self.db.close()


class Ladybug(Kuzu):
    """Kùzu's successor: the same Cypher, but its algo extension is downloaded by INSTALL.

    Its module and kuzu's cannot both load in one process (pybind11: type "Database" is
    already registered), so after kuzu it only says, from a child process, whether its
    algo extension would load; --skip kuzu measures it."""
    name = module = "ladybug"

    def __init__(self, directory, *graph):
        if importlib.util.find_spec(self.module) is None:
            raise ImportError(f"No module named '{self.module}'")
        if "kuzu" in sys.modules:
            probe = subprocess.run([sys.executable, "-c", ALGO_PROBE.format(self.module),
                                    os.path.join(directory, "probe.db")],
                                   capture_output=True, text=True)
            raise Unavailable((probe.stdout.strip() or self.name) + (
                f": INSTALL algo failed: {probe.stderr.strip().splitlines()[-1]}"
                if probe.returncode else ": its algo extension loads, but it cannot share a "
                "process with kuzu (pybind11: type \"Database\" is already registered); "
                "rerun with --skip kuzu"))
        super().__init__(directory, *graph)


# Child-process check that a Kùzu-family module can load its algo extension.
ALGO_PROBE = """import sys, {0} as mod
print("{0}", mod.__version__, flush=True)
c = mod.Connection(mod.Database(sys.argv[1]))
try:
    c.execute("LOAD EXTENSION algo")
except RuntimeError:
    c.execute("INSTALL algo")
    c.execute("LOAD EXTENSION algo")
"""


PEERS = [Igraph, Networkit, Kuzu, Ladybug]
