"""Graph kernels side by side: nendb against igraph and NetworKit (NetworkX optional).

One Kronecker / R-MAT graph per scale (A=0.57, B=C=0.19 as GAP, 2^scale nodes, edge
factor 16, numpy, fixed seed, ids permuted), simple and undirected as GAP builds it,
weights uniform integers 1..255; the same edges, threads and sources for every system.
As in GAP, graph building is timed apart (nendb: bulk load, checkpoint, reopen, and the
undirected projection its first undirected call builds and caches per snapshot) and
BFS/SSSP average over --sources fixed-seed random sources of nonzero degree. A case
runs --repeat times (median, min-max) but stops repeating, and taking sources, after
--budget seconds. GAP is not installed here: its figures are ANCHORS.md's reference
times (scale 22, 64M edges) scaled linearly by edge count, not measurements.
Target (SPEC section 8): within 1.25x of GAP, faster than NetworKit and igraph.

Usage: python bench/algo_bench.py [--scale 20 | --scales 18,20] [--sources 8]
         [--repeat 3] [--budget S] [--threads N] [--networkx] [--dir DIR] [--json FILE]
"""
import argparse
import json
import os
import shutil
import statistics
import tempfile
import time

import numpy as np

import nendb
from commit_bench import REPO, machine_facts

# ANCHORS.md, "Graph kernels": GAP on this kind of 2-core machine, Kronecker scale 22.
GAP_REF_S = {"bfs": 0.19, "pagerank": 1.1, "cc": 0.23, "sssp": 1.2}
GAP_REF_EDGES = 64e6  # simple undirected edges (this generator gives 64.15M at scale 22)
KERNELS = ("bfs", "pagerank", "cc", "sssp", "kcore", "triangles")
PER_SOURCE = ("bfs", "sssp")
NX_MAX_SCALE = 16
PR_TOL = 1e-4
OPEN = []  # nendb handles, closed before their directory is removed


def kronecker(scale: int, edge_factor: int = 16, seed: int = 27491095):
    """Simple undirected R-MAT graph: (nodes, src, dst, weights), src < dst."""
    n, m = 1 << scale, edge_factor << scale
    rng = np.random.default_rng(seed)
    src, dst = np.zeros(m, np.uint32), np.zeros(m, np.uint32)
    r, a, b = np.empty(m, np.float32), np.empty(m, bool), np.empty(m, bool)
    for _ in range(scale):  # one bit of both ends of every edge per pass, in place
        rng.random(m, dtype=np.float32, out=r)
        np.greater_equal(r, np.float32(0.76), out=a)  # quadrant C or D: source bit
        np.bitwise_or(np.left_shift(src, 1, out=src), a, out=src)
        np.greater_equal(r, np.float32(0.57), out=b)
        b &= r < np.float32(0.76)
        b |= r >= np.float32(0.95)  # quadrant B or D: target bit
        np.bitwise_or(np.left_shift(dst, 1, out=dst), b, out=dst)
    del r, a, b
    perm = rng.permutation(n).astype(np.uint32)
    src, dst = perm[src], perm[dst]
    keep = src != dst  # no self-loops, no duplicates (sort + compare: np.unique is slow)
    key = np.minimum(src[keep], dst[keep]).astype(np.int64) << 32
    key |= np.maximum(src[keep], dst[keep])
    key.sort()
    first = np.ones(len(key), bool)
    np.not_equal(key[1:], key[:-1], out=first[1:])
    key = key[first]
    return n, key >> 32, key & 0xFFFFFFFF, rng.integers(1, 256, len(key)).astype(np.float64)


def triangle_total(lcc, degree: np.ndarray) -> int:
    """Triangles from the local clustering coefficients of a simple graph."""
    d = degree.astype(np.float64)
    return int(np.rint(np.asarray(lcc, dtype=np.float64) * d * (d - 1) / 2).sum()) // 3


def differ(a, b) -> str:
    if np.ndim(a) == 0 or np.shape(a) != np.shape(b):
        return f"{a} vs {b}"
    bad = np.flatnonzero(np.asarray(a) != np.asarray(b))
    return f"{bad.size:,} of {np.size(a):,} differ, first at {bad[0]}: {a[bad[0]]} vs {b[bad[0]]}"


class Nendb:
    name, version = "nendb", nendb.__version__

    def __init__(self, directory, n, src, dst, w, degree, threads):
        path = os.path.join(directory, "kron.nendb")
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

    def run(self, k, s):
        db, kw, v = self.db, self.kw, None if s is None else int(self.ids[s])
        return {"bfs": lambda: db.bfs(v, directed=False, **kw),
                "pagerank": lambda: db.pagerank(tol=PR_TOL, max_iter=100, dangling="drop",
                                                directed=False, **kw),
                "cc": lambda: db.wcc(**kw),
                "sssp": lambda: db.sssp(v, weight="weight", directed=False, **kw),
                "kcore": lambda: db.k_core(**kw), "triangles": lambda: db.triangles(**kw)}[k]()

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


class Igraph:
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
                "triangles": lambda: g.transitivity_local_undirected(mode="zero")}[k]()

    def canon(self, k, r):
        return {"bfs": lambda: np.diff(r[1]),  # layer start offsets -> nodes per depth
                "cc": lambda: len(r), "triangles": lambda: triangle_total(r, self.degree),
                "sssp": lambda: np.asarray(r[0]), "kcore": lambda: np.asarray(r, np.int64)
                }.get(k, lambda: np.asarray(r))()


class Networkit:
    name = "networkit"

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
             "triangles": lambda: nk.centrality.LocalClusteringCoefficient(g, turbo=True)}[k]()
        if k == "pagerank":
            a.norm, a.maxIterations = nk.centrality.Norm.L1_NORM, 100
        a.run()
        return a

    def canon(self, k, a):
        if k in PER_SOURCE:
            d = np.asarray(a.getDistances())
            d[d > 1e300] = np.inf  # NetworKit marks unreached with max double
            return np.bincount(d[np.isfinite(d)].astype(np.int64)) if k == "bfs" else d
        if k in ("cc", "triangles"):
            return a.numberOfComponents() if k == "cc" else triangle_total(a.scores(), self.degree)
        return np.asarray(a.scores(), dtype=np.int64 if k == "kcore" else np.float64)


class Networkx:
    name = "networkx"

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


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def measure(systems, kernel, sources, repeat, budget):
    """{system: {"runs": [seconds per call], "sources": k}}, and each system's first result."""
    res = {s.name: {"runs": [], "sources": None, "used": 0.0} for s in systems}
    first = {}
    for r in range(repeat):
        for system in (systems if r % 2 == 0 else systems[::-1]):
            st = res[system.name]
            if r and st["used"] >= budget:
                continue
            times = []
            for s in (sources[:st["sources"]] if kernel in PER_SOURCE else [None]):
                sec, out = timed(system.run, kernel, s)
                times.append(sec)
                st["used"] += sec
                first.setdefault(system.name, out)  # checked: source 0, or the one result
                if r == 0 and st["used"] >= budget:
                    break
            st["sources"] = len(times)
            st["runs"].append(sum(times) / len(times))
    return res, first


def check(k, nen, s, first, pr):
    """One line comparing a peer's first result with nendb's."""
    ref, got = nen.canon(k, first["nendb"]), s.canon(k, first[s.name])
    if k == "pagerank":
        drop = s.name == "networkit"  # the peer with GAP's (drop) dangling model
        diff = float(np.abs((ref if drop else pr[2]) - got).max())
        its = ""
        if drop:
            its = f", iterations nendb {pr[0]} / networkit {first[s.name].numberOfIterations()}"
        return {"kernel": k, "peer": s.name, "ok": diff < 1e-3, "linf": diff,
                "text": f"pagerank  nendb({'drop' if drop else 'spread'}) vs {s.name:<9} "
                        f"L-inf {diff:.2e} (tol {PR_TOL:g} L1){its}"}
    same = bool(np.array_equal(ref, got))
    what = {"bfs": "depth histogram, source 0", "cc": "component count",
            "sssp": "distances from source 0", "kcore": "core numbers",
            "triangles": "triangle total"}[k] + (f" {ref:,}" if np.ndim(ref) == 0 else "")
    return {"kernel": k, "peer": s.name, "ok": same, "text": f"{k:<9} nendb vs {s.name:<9} "
            f"{what}: {'identical' if same else 'DIFFERENT: ' + differ(ref, got)}"}


def run_scale(scale, args, directory):
    t0 = time.perf_counter()
    n, src, dst, w = kronecker(scale)
    m = len(src)
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    rng = np.random.default_rng(8675309)
    sources = [int(x) for x in rng.choice(np.flatnonzero(degree), args.sources, replace=False)]
    print(f"\n== Kronecker scale {scale}: {n:,} nodes, {m:,} simple undirected edges "
          f"(of {16 * n:,} generated), max degree {degree.max():,}, "
          f"{(degree == 0).sum():,} isolated; generated in {time.perf_counter() - t0:.1f} s")
    systems, skipped = [], []
    for cls in [Nendb, Igraph, Networkit] + ([Networkx] if args.networkx else []):
        if cls is Networkx and scale > NX_MAX_SCALE:
            skipped.append(f"networkx: only at scale <= {NX_MAX_SCALE}")
            continue
        try:
            systems.append(cls(directory, n, src, dst, w, degree, args.threads))
        except ImportError as e:
            skipped.append(f"{cls.name}: not installed ({e}); try pip install {cls.name}")
    nen, setup = systems[0], {s.name: s.setup for s in systems}
    first_calls = {k: timed(nen.run, k, sources[0])[0] for k in ("bfs", "pagerank", "sssp")}
    load_after_setup = os.getloadavg()[0]
    rows, checks, pr = [], [], None
    gap = {k: v * m / GAP_REF_EDGES for k, v in GAP_REF_S.items()}
    for k in KERNELS:
        res, first = measure(systems, k, sources, args.repeat, args.budget)
        med = {name: statistics.median(r["runs"]) for name, r in res.items()}
        best = min((v for name, v in med.items() if name != "nendb"), default=None)
        for name, r in res.items():
            rows.append({"kernel": k, "system": name, "median_s": med[name],
                         "min_s": min(r["runs"]), "max_s": max(r["runs"]), "runs": r["runs"],
                         "sources": r["sources"] if k in PER_SOURCE else None,
                         "x_best_peer": med[name] / best if best else None,
                         "x_gap_ref": med[name] / gap[k] if k in gap else None})
        pr = nen.pagerank_extra() if k == "pagerank" else pr
        checks += [check(k, nen, s, first, pr) for s in systems[1:]]
    for k, sec in first_calls.items():
        warm = next(r["median_s"] for r in rows if r["kernel"] == k and r["system"] == "nendb")
        setup["nendb"][f"projection: first {k} call {sec:.3f} s - warm {warm:.3f} s"] = sec - warm

    print("systems: " + ", ".join(f"{s.name} {s.version}" for s in systems) +
          f"; {args.threads} threads for nendb and NetworKit (igraph, NetworkX: serial); "
          f"load average after setup {load_after_setup:.2f}")
    for msg in skipped:
        print(f"skipped {msg}")
    print("\nbuild / load / projection (not counted in the kernels; GAP does not count its "
          "CSR build either):")
    for name, items in setup.items():
        for what, sec in items.items():
            print(f"  {name:<10} {what:<56} {sec:8.3f} s")
    print(f"  nendb snapshot {nen.stats['snapshot_file_bytes'] / 2**20:,.0f} MiB, "
          f"{nen.stats['bytes_per_edge']:.1f} B/edge")
    print(f"\n{'kernel':<10}{'system':<11}{'median s':>10}  {'min-max s':<17}{'runs':>9}"
          f"{'x best peer':>13}{'x GAP ref':>11}   (GAP target <= 1.25)")
    for k in KERNELS:
        for row in (r for r in rows if r["kernel"] == k):
            runs = f"{len(row['runs'])}" + (f"x{row['sources']}src" if row["sources"] else "")
            xp = f"{row['x_best_peer']:.2f}" if row["x_best_peer"] else "-"
            xg = f"{row['x_gap_ref']:.2f}" if row["x_gap_ref"] else "-"
            print(f"{k if row['system'] == 'nendb' else '':<10}{row['system']:<11}"
                  f"{row['median_s']:10.4f}  {row['min_s']:.4f}-{row['max_s']:<10.4f}"
                  f"{runs:>9}{xp:>13}{xg:>11}")
        if k in gap:
            print(f"{'':<10}{'GAP ref*':<11}{gap[k]:10.4f}  = {GAP_REF_S[k]} s x {m / 1e6:.2f}M"
                  f"/64M edges: ANCHORS.md reference, NOT measured in this run")
    print("\n* GAP is not installed here: ANCHORS.md's scale-22 time scaled linearly by edges "
          "(a smaller graph fits caches better, so this favours the compared system).\n"
          "pagerank, damping 0.85, undirected: nendb tol 1e-4 (L1), dangling='drop' (GAP's "
          f"model), {pr[0]} iterations; NetworKit tol 1e-4 L1_NORM, no sink handling (= drop); "
          "igraph PRPACK solves exactly with dangling mass spread, no tolerance (a different "
          "computation); NetworkX tol 1e-4/n (L1 1e-4), spread.\n"
          "triangles: nendb db.triangles() gives per-node counts; igraph "
          "transitivity_local_undirected(mode='zero') and NetworKit LocalClusteringCoefficient"
          "(turbo=True) count each node's triangles for their coefficients: counts = "
          "c*d(d-1)/2.\ncc: nendb wcc(), igraph connected_components(mode='weak'), NetworKit "
          "ConnectedComponents (its ParallelConnectedComponents was no faster on 2 cores). "
          "sssp: nendb sssp(), igraph distances(weights=), NetworKit Dijkstra. igraph's and "
          "NetworkX's timed calls include building their Python result lists.")
    print("checks (each system's first call):")
    for c in checks:
        print(("  ok   " if c["ok"] else "  FAIL ") + c["text"])
    return {"scale": scale, "nodes": n, "edges": m, "sources": sources, "setup": setup,
            "nendb_first_call_s": first_calls, "nendb_stats": nen.stats, "gap_ref_s": gap,
            "rows": rows, "checks": checks, "skipped": skipped, "load_after_setup":
            load_after_setup, "pagerank": {"nendb_iterations": pr[0], "last_l1_change": pr[1]}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.path.join(REPO, "build")
    default_parent = build if os.path.isdir(build) else tempfile.gettempdir()
    ap.add_argument("--scale", type=int, default=20, help="log2 of the node count")
    ap.add_argument("--scales", default=None, help="comma-separated scales (overrides --scale)")
    ap.add_argument("--sources", type=int, default=8, help="BFS/SSSP sources (fixed seed)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (median reported)")
    ap.add_argument("--budget", type=float, default=10.0, help="seconds a case may use")
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                    help="threads for nendb and NetworKit (default: every usable core)")
    ap.add_argument("--networkx", action="store_true", help=f"also at scale <= {NX_MAX_SCALE}")
    ap.add_argument("--dir", default=None, help=f"parent dir (default {default_parent})")
    ap.add_argument("--json", default=None, help="also write every figure to this file")
    args = ap.parse_args()
    scales = [int(x) for x in args.scales.split(",")] if args.scales else [args.scale]

    parent = args.dir if args.dir is not None else default_parent
    os.makedirs(parent, exist_ok=True)
    directory = tempfile.mkdtemp(prefix="algo-bench-", dir=parent)
    try:
        facts = machine_facts(directory)
        with open("/proc/cpuinfo") as f:
            flags = next((ln.split(":", 1)[1].split() for ln in f if ln.startswith("flags")), [])
        facts["simd"] = [x for x in flags if x.startswith(("sse4", "avx", "fma", "bmi"))]
        with open("/proc/meminfo") as f:
            facts["memory_gib"] = int(f.readline().split()[1]) / 2**20
        facts["load_average_start"] = os.getloadavg()
        print(f"machine: {facts['cpu']}, {facts['cores']} cores ({facts['usable_cores']} usable), "
              f"{facts['memory_gib']:.1f} GiB, Linux {facts['kernel']}, python {facts['python']}")
        print(f"SIMD: {' '.join(facts['simd'])}")
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in facts['load_average_start'])}"
              f"; database under {directory}")
        results = []
        for scale in scales:
            results.append(run_scale(scale, args, directory))
            OPEN.pop().close()
            shutil.rmtree(os.path.join(directory, "kron.nendb"), ignore_errors=True)
        facts["load_average_end"] = os.getloadavg()
        print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in facts['load_average_end'])}")
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"benchmark": "algo_bench", "unix_time": time.time(),
                           "repeat": args.repeat, "budget_s": args.budget,
                           "threads": args.threads, "gap_reference": {
                               "source": "shared/ANCHORS.md, Graph kernels (not measured)",
                               "scale22_s": GAP_REF_S, "scale22_edges": GAP_REF_EDGES},
                           "machine": facts, "results": results}, f, indent=2)
            print(f"figures written to {args.json}")
    finally:
        for db in OPEN:
            db.close()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
