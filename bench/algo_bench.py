"""Graph kernels side by side: nendb against igraph, NetworKit, Kùzu (NetworkX, Ladybug optional).

What is measured: BFS, PageRank, connected components, SSSP, k-core, triangle counts and
Louvain (checked by the modularity of each system's partition, recomputed here) on
seeded graphs of the GAP Benchmark Suite's kinds (bench/graphs.py: --graphs kron, uniform,
grid; 2^scale nodes for each --scales), all simple and undirected, weights uniform integers
1..255; the same edges, threads and sources for every system. Each kernel's time is
reported per system with its ratio to the fastest peer.

How, by GAP's rules: graph building is timed apart and not counted (nendb: bulk load,
checkpoint, reopen, and the undirected projection its first undirected call builds and
caches per snapshot, keeping it in a projection file (likewise the weighted one of SSSP
and the directed one of components, k-core and triangles); then a second reopen and the
same first calls, which map the files instead); BFS and SSSP average over --sources fixed-seed random sources of
nonzero degree; a case runs --repeat times (median, min-max), alternating the systems'
order, but stops repeating, and taking sources, after --budget seconds, so large scales
stay bounded. Every peer's first result is checked against nendb's and printed ok/FAIL.
Peers that would not fit a case in time or memory are skipped with the reason printed.

PageRank per iteration: nendb's (and NetworKit's) time over its iteration count, against
the memory bounds of one pull iteration measured in the same run by build/bench/hw_bench
(bench/hardware.py states the byte model): "x bandwidth bound" is how far from streaming
its minimum bytes at this machine's all-threads sequential bandwidth it is.

GAP itself is not installed: for Kronecker graphs the "GAP ref" is ANCHORS.md's reference
time (scale 22, 64M edges) scaled linearly by edge count, not a measurement; the other
kinds have none. Target (SPEC section 8): within 1.25x of GAP, faster than NetworKit and
igraph, at least 10x faster than Kùzu/Ladybug's algorithm extension; Louvain's modularity
within 0.005 of igraph's multilevel, faster.

Usage: python bench/algo_bench.py [--graphs kron,uniform,grid] [--scales 18,20,22]
         [--sources 8] [--repeat 3] [--budget S] [--threads N] [--networkx]
         [--skip kuzu,...] [--hw-bench PATH] [--dir DIR] [--json FILE]
"""
import argparse
import json
import os
import shutil
import statistics
import tempfile
import time

import numpy as np

import graphs
import hardware
from commit_bench import REPO, machine_facts
from peers import KERNELS, OPEN, PEERS, PER_SOURCE, PR_TOL, Nendb, Networkx, Unavailable

# ANCHORS.md, "Graph kernels": GAP on this kind of 2-core machine, Kronecker scale 22.
GAP_REF_S = {"bfs": 0.19, "pagerank": 1.1, "cc": 0.23, "sssp": 1.2}
GAP_REF_EDGES = 64e6  # simple undirected edges (this generator gives 64.15M at scale 22)
# Above these scales a peer is skipped (printed): on this 2-core, 24 GiB machine it would
# take too much of a `make bench` run's time or memory.
MAX_SCALE = {
    "networkx": (18, "pure Python: a scale-18 Kronecker case takes it ~3 min (k-core 74 s) "
                     "and ~3 GB, 4x more per 2 scales"),
    "kuzu": (20, "at scale 20 its COPY takes 15-30 s and a PageRank call 4-13 s; at 22 four "
                 "times that, and its buffer pool on top of the ~16 GB the others take there"),
    "ladybug": (20, "as kuzu"),
}
VECTOR_GATHERS = {}  # nodes -> (M gathers/s, bytes) into a buffer of 8 B per node


def differ(a, b) -> str:
    if np.ndim(a) == 0 or np.shape(a) != np.shape(b):
        return f"{a} vs {b}"
    bad = np.flatnonzero(np.asarray(a) != np.asarray(b))
    return f"{bad.size:,} of {np.size(a):,} differ, first at {bad[0]}: {a[bad[0]]} vs {b[bad[0]]}"


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def measure(systems, kernel, sources, repeat, budget):
    """{system: {"runs": [seconds per call], "sources": k}}, and each system's first result."""
    systems = [s for s in systems if kernel in s.kernels]
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


def modularity(labels, graph) -> float:
    """Newman's modularity of a partition of the simple undirected graph (by numpy)."""
    n, src, dst, _, degree = graph
    _, dense = np.unique(labels, return_inverse=True)
    m = len(src)
    inside = np.bincount(dense[src][dense[src] == dense[dst]], minlength=dense.max() + 1)
    total = np.bincount(dense, weights=degree.astype(np.float64))
    return float(inside.sum() / m - ((total / (2 * m)) ** 2).sum())


def check(k, nen, s, first, pr):
    """One line comparing a peer's first result with nendb's."""
    ref, got = nen.canon(k, first["nendb"]), s.canon(k, first[s.name])
    if k == "pagerank":
        drop = s.dangling == "drop"
        diff = float(np.abs((ref if drop else pr[2]) - got).max())
        its = ""
        if s.name == "networkit":
            its = f", iterations nendb {pr[0]} / networkit {first[s.name].numberOfIterations()}"
        return {"kernel": k, "peer": s.name, "ok": diff < 1e-3, "linf": diff,
                "text": f"pagerank  nendb({'drop' if drop else 'spread'}) vs {s.name:<9} "
                        f"L-inf {diff:.2e} (tol {PR_TOL:g} L1){its}"}
    if k == "louvain":  # SPEC 8: within 0.005 of igraph's multilevel (or the best peer)
        q_ref, q_got = modularity(ref, nen.graph), modularity(got, nen.graph)
        return {"kernel": k, "peer": s.name, "ok": q_ref >= q_got - 0.005, "modularity":
                [q_ref, q_got], "text": f"louvain   nendb vs {s.name:<9} modularity {q_ref:.4f} "
                f"vs {q_got:.4f} (nendb within 0.005 or better)"}
    same = bool(np.array_equal(ref, got))
    what = {"bfs": "depth histogram, source 0", "cc": "component count",
            "sssp": "distances from source 0", "kcore": "core numbers",
            "triangles": "triangle total"}[k] + (f" {ref:,}" if np.ndim(ref) == 0 else "")
    return {"kernel": k, "peer": s.name, "ok": same, "text": f"{k:<9} nendb vs {s.name:<9} "
            f"{what}: {'identical' if same else 'DIFFERENT: ' + differ(ref, got)}"}


def make_graph(family, scale, sources):
    t0 = time.perf_counter()
    n, src, dst, w = graphs.GRAPHS[family][0](scale)
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    rng = np.random.default_rng(8675309)
    picked = [int(x) for x in rng.choice(np.flatnonzero(degree), sources, replace=False)]
    print(f"\n== {graphs.GRAPHS[family][1]}, scale {scale}: {n:,} nodes, {len(src):,} simple "
          f"undirected edges, max degree {degree.max():,}, {(degree == 0).sum():,} isolated; "
          f"generated in {time.perf_counter() - t0:.1f} s")
    return (n, src, dst, w, degree), picked


def make_systems(graph, scale, args, directory):
    systems, skipped = [Nendb(directory, *graph, args.threads)], []
    for cls in PEERS + ([Networkx] if args.networkx else []):
        if cls.name in args.skip:
            skipped.append(f"{cls.name}: --skip")
            continue
        limit, why = MAX_SCALE.get(cls.name, (None, ""))
        if limit is not None and scale > limit:
            skipped.append(f"{cls.name}: only at scale <= {limit} ({why})")
            continue
        try:
            systems.append(cls(directory, *graph, args.threads))
        except ImportError as e:
            skipped.append(f"{cls.name}: not installed ({e}); .ci/install-deps --bench")
        except Unavailable as e:
            skipped.append(str(e))
    return systems, skipped


def run_kernels(systems, m, gap_ok, sources, args):
    """Table rows, result checks and nendb's PageRank extras for every kernel."""
    nen, rows, checks, pr = systems[0], [], [], None
    gap = {k: v * m / GAP_REF_EDGES for k, v in GAP_REF_S.items()} if gap_ok else {}
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
        if k == "pagerank":
            pr = nen.pagerank_extra()
            pr = pr + ({s.name: first[s.name].numberOfIterations() for s in systems
                        if s.name == "networkit"},)
        checks += [check(k, nen, s, first, pr) for s in systems[1:] if k in s.kernels]
    return rows, checks, pr, gap


def print_setup(systems, skipped, setup, load_after_setup, threads):
    print("systems: " + ", ".join(f"{s.name} {s.version}" for s in systems) +
          f"; {threads} threads for nendb, NetworKit and Kùzu (igraph, NetworkX: serial); "
          f"load average after setup {load_after_setup:.2f}")
    for msg in skipped:
        print(f"skipped {msg}")
    print("\nbuild / load / projection (not counted in the kernels; GAP does not count its "
          "CSR build either):")
    for name, items in setup.items():
        for what, sec in items.items():
            print(f"  {name:<10} {what:<56} {sec:8.3f} s")
    st = systems[0].stats
    print(f"  nendb snapshot {st['snapshot_file_bytes'] / 2**20:,.0f} MiB, "
          f"{st['bytes_per_edge']:.1f} B/edge")


def print_table(rows, gap, m):
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


def print_notes(pr, gap):
    if gap:
        print("\n* GAP is not installed here: ANCHORS.md's scale-22 time scaled linearly by "
              "edges (a smaller graph fits caches better, so this favours the compared system).")
    print("pagerank, damping 0.85, undirected: nendb tol 1e-4 (L1), dangling='drop' (GAP's "
          f"model), {pr[0]} iterations; NetworKit tol 1e-4 L1_NORM, no sink handling (= drop); "
          "Kùzu page_rank tol 1e-4 (L1), drop; igraph PRPACK solves exactly with dangling mass "
          "spread, no tolerance (a different computation); NetworkX tol 1e-4/n (L1 1e-4), "
          "spread.\ntriangles: nendb db.triangles() gives per-node counts; igraph "
          "transitivity_local_undirected(mode='zero') and NetworKit LocalClusteringCoefficient"
          "(turbo=True) count each node's triangles for their coefficients: counts = "
          "c*d(d-1)/2.\ncc: nendb wcc(), igraph connected_components(mode='weak'), NetworKit "
          "ConnectedComponents (its ParallelConnectedComponents was no faster on 2 cores), Kùzu "
          "weakly_connected_components. sssp: nendb sssp(), igraph distances(weights=), "
          "NetworKit Dijkstra. igraph's and NetworkX's timed calls include building their "
          "Python result lists; Kùzu's its query result (not its conversion to numpy).")


def pagerank_per_iteration(rows, pr, hw, n, m, vector_gathers):
    """nendb's (and NetworKit's) PageRank seconds per iteration against the memory bounds."""
    out = []
    for name, it in {"nendb": pr[0], **pr[3]}.items():
        sec = next(r["median_s"] for r in rows if r["kernel"] == "pagerank" and r["system"] == name)
        out.append({"system": name, "iterations": it, "s_per_iteration": sec / it,
                    **hardware.pagerank_bounds(hw, n, 2 * m, sec / it, vector_gathers)})
    return out


def print_pagerank_bound(per_iter, hw, m):
    print(f"\npagerank per iteration against this run's memory bounds: {2 * m / 1e6:,.2f}M arcs; "
          f"byte model {hardware.BYTE_MODEL}")
    if "missing" in hw:
        print(f"  bounds skipped: {hw['missing']}")
    for p in per_iter:
        print(f"  {p['system']:<10} {p['s_per_iteration']:.5f} s/iteration ({p['iterations']} "
              "iterations)")
        if "bytes" not in p:
            continue
        threads = f"{p['threads']} thread" + "s" * (p["threads"] > 1)
        print(f"{'':13}bandwidth: {p['bytes'] / 2**20:,.1f} MiB at {p['gbs']:.1f} GB/s "
              f"({threads}) = {p['bandwidth_bound_s']:.5f} s: "
              f"{p['x_bandwidth_bound']:.2f} x bandwidth bound")
        line = (f"{'':13}gathers:   one per arc at {p['gather_mps']:.0f} M/s into "
                f"{hw['buffer_bytes'] / 2**20:,.0f} MiB = {p['gather_bound_s']:.5f} s: "
                f"{p['x_gather_bound']:.2f} x")
        if "vector_gather_mps" in p:
            line += (f"; at {p['vector_gather_mps']:.0f} M/s into "
                     f"{p['vector_buffer_bytes'] / 2**20:,.0f} MiB (the contribution vector's "
                     f"size) = {p['vector_gather_bound_s']:.5f} s: "
                     f"{p['x_vector_gather_bound']:.2f} x")
        print(line)


def run_case(family, scale, args, directory, hw):
    graph, sources = make_graph(family, scale, args.sources)
    n, m = graph[0], len(graph[1])
    if "missing" not in hw and n not in VECTOR_GATHERS:  # before the systems take memory
        VECTOR_GATHERS[n] = hardware.gather_rate(args.hw_bench, 8 * n)
    systems, skipped = make_systems(graph, scale, args, directory)
    nen, setup = systems[0], {s.name: s.setup for s in systems}
    # The three projections the kernels use: undirected (bfs, pagerank, louvain), weighted
    # undirected (sssp), directed (cc, k-core, triangles).
    first = ("bfs", "pagerank", "sssp", "cc")
    first_calls = {k: timed(nen.run, k, sources[0])[0] for k in first}
    files, file_bytes = nen.reopen()
    mapped_calls = {k: timed(nen.run, k, sources[0])[0] for k in first}
    load_after_setup = os.getloadavg()[0]
    rows, checks, pr, gap = run_kernels(systems, m, family == "kron", sources, args)
    for k, sec in first_calls.items():
        warm = next(r["median_s"] for r in rows if r["kernel"] == k and r["system"] == "nendb")
        setup["nendb"][f"projection: first {k} call {sec:.3f} s - warm {warm:.3f} s"] = sec - warm
        setup["nendb"][f"  reopened, mapped from its file: {mapped_calls[k]:.3f} s - warm"] = (
            mapped_calls[k] - warm)
    setup["nendb"][f"  ({files} projection files, {file_bytes / 2**20:,.0f} MiB)"] = 0.0
    per_iter = pagerank_per_iteration(rows, pr, hw, n, m, VECTOR_GATHERS.get(n))
    print_setup(systems, skipped, setup, load_after_setup, args.threads)
    print_table(rows, gap, m)
    print_notes(pr, gap)
    print_pagerank_bound(per_iter, hw, m)
    print("checks (each system's first call):")
    for c in checks:
        print(("  ok   " if c["ok"] else "  FAIL ") + c["text"])
    return {"graph": family, "scale": scale, "nodes": n, "edges": m, "sources": sources,
            "setup": setup, "nendb_first_call_s": first_calls,
            "nendb_first_call_after_reopen_s": mapped_calls, "nendb_stats": nen.stats,
            "gap_ref_s": gap, "rows": rows, "checks": checks, "skipped": skipped,
            "load_after_setup": load_after_setup, "pagerank_per_iteration": per_iter,
            "pagerank": {"nendb_iterations": pr[0], "last_l1_change": pr[1]}}


def machine(directory):
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
          f"; databases under {directory}")
    return facts


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.path.join(REPO, "build")
    default_parent = build if os.path.isdir(build) else tempfile.gettempdir()
    ap.add_argument("--graphs", default="kron",
                    help=f"comma-separated, of {','.join(graphs.GRAPHS)}")
    ap.add_argument("--scale", type=int, default=20, help="log2 of the node count")
    ap.add_argument("--scales", default=None, help="comma-separated scales (overrides --scale)")
    ap.add_argument("--sources", type=int, default=8, help="BFS/SSSP sources (fixed seed)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (median reported)")
    ap.add_argument("--budget", type=float, default=10.0, help="seconds a case may use")
    ap.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                    help="threads for nendb, NetworKit and Kùzu (default: every usable core)")
    ap.add_argument("--networkx", action="store_true",
                    help=f"also NetworkX, at scale <= {MAX_SCALE['networkx'][0]}")
    ap.add_argument("--skip", default="", help="comma-separated peers to leave out")
    ap.add_argument("--hw-bench", default=os.path.join(build, "bench", "hw_bench"),
                    help="the hw_bench binary measuring the memory bounds (default %(default)s)")
    ap.add_argument("--dir", default=None, help=f"parent dir (default {default_parent})")
    ap.add_argument("--json", default=None, help="also write every figure to this file")
    args = ap.parse_args()
    args.scales = [int(x) for x in args.scales.split(",")] if args.scales else [args.scale]
    args.graphs, args.skip = args.graphs.split(","), args.skip.split(",")
    unknown = set(args.graphs) - set(graphs.GRAPHS)
    if unknown:
        ap.error(f"unknown graphs {','.join(sorted(unknown))}; known: {','.join(graphs.GRAPHS)}")
    args.parent = args.dir if args.dir is not None else default_parent
    return args


def write_json(path, args, facts, hw, results):
    with open(path, "w") as f:
        json.dump({"benchmark": "algo_bench", "unix_time": time.time(), "repeat": args.repeat,
                   "budget_s": args.budget, "threads": args.threads, "hardware": hw,
                   "pagerank_byte_model": hardware.BYTE_MODEL, "gap_reference": {
                       "source": "shared/ANCHORS.md, Graph kernels (not measured)",
                       "scale22_s": GAP_REF_S, "scale22_edges": GAP_REF_EDGES},
                   "machine": facts, "results": results}, f, indent=2)
    print(f"figures written to {path}")


def main() -> None:
    t0, args = time.perf_counter(), parse_args()
    os.makedirs(args.parent, exist_ok=True)
    directory = tempfile.mkdtemp(prefix="algo-bench-", dir=args.parent)
    try:
        facts = machine(directory)
        hw = hardware.measure(args.hw_bench)  # before any graph takes memory or caches
        print(hardware.describe(hw))
        results = []
        for family in args.graphs:
            for scale in args.scales:
                case = tempfile.mkdtemp(prefix=f"{family}{scale}-", dir=directory)
                results.append(run_case(family, scale, args, case, hw))
                while OPEN:
                    OPEN.pop().close()
                shutil.rmtree(case, ignore_errors=True)
        facts["load_average_end"] = os.getloadavg()
        facts["wall_s"] = time.perf_counter() - t0
        print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in facts['load_average_end'])}"
              f"; wall time {facts['wall_s']:.0f} s")
        if args.json:
            write_json(args.json, args, facts, hw, results)
    finally:
        for db in OPEN:
            db.close()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
