"""Exact k-NN side by side: nendb's db.knn against numpy (BLAS), FAISS IndexFlatL2 and
USearch's exact search, on the same seeded vectors, with the memory bandwidth measured
in the same run by build/bench/hw_bench (bench/hardware.py).

What is measured: for --n vectors of --dim float32s (gaussian clusters), the time of one
query (k=10, squared L2) and of a batch of --batch queries, median of --repeat runs
after a warm-up, on --threads threads where the system takes a thread count (numpy's
BLAS and FAISS through their own settings). For a single query the scan reads every
vector once, so n x dim x 4 bytes over the time is the scan's rate, set against the
sequential-read bandwidth of the same number of threads (SPEC 8: exact scan at >= 80%
of memory bandwidth). Every system's ids are checked against nendb's.

Approximate search (HNSW, against hnswlib, FAISS HNSW and USearch) is
bench/ann_bench.py.

Usage: python bench/vector_bench.py [--n 1000000] [--dim 128] [--batch 64] [--threads 2]
         [--repeat 5] [--json FILE]
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hardware  # noqa: E402

import nendb  # noqa: E402

K = 10


def clustered(n, dim, seed=42, clusters=100):
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((clusters, dim)).astype(np.float32) * 3
    x = centers[rng.integers(0, clusters, n)] + rng.standard_normal((n, dim)).astype(np.float32)
    q = centers[rng.integers(0, clusters, 256)] + rng.standard_normal((256, dim)).astype(
        np.float32)
    return x, q


def timed(fn, repeat):
    fn()  # warm-up (and the checked result)
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), min(runs), max(runs)


def systems(x, threads):
    """name -> (search(queries) -> ids (nq, K), version), the ones that install."""
    out = {}
    db = nendb.open(":memory:")
    ids = db.add_nodes("V", count=len(x), props={"embedding": x})
    row_of = np.empty(int(ids.max()) + 1, dtype=np.int64)
    row_of[ids] = np.arange(len(x))
    out["nendb"] = (lambda q: row_of[db.knn(q, k=K, metric="l2sq", threads=threads)[0]]
                    .reshape(len(q), K), nendb.__version__)
    norms = (x.astype(np.float64) ** 2).sum(1).astype(np.float32)

    def numpy_search(q):
        d = norms[None, :] - 2 * (q @ x.T)  # + |q|^2, the same for every row
        part = np.argpartition(d, K, axis=1)[:, :K]
        order = np.take_along_axis(d, part, 1).argsort(1)
        return np.take_along_axis(part, order, 1)
    out["numpy"] = (numpy_search, np.__version__)
    try:
        import faiss
        faiss.omp_set_num_threads(threads)
        index = faiss.IndexFlatL2(x.shape[1])
        index.add(x)
        out["faiss-flat"] = (lambda q: index.search(q, K)[1], faiss.__version__)
    except ImportError as e:
        print(f"skipped faiss: {e}")
    try:
        import usearch
        from usearch.index import search as usearch_search
        out["usearch-exact"] = (lambda q: usearch_search(x, q, K, "l2sq", threads=threads,
                                                         exact=True).keys.reshape(len(q), K),
                                usearch.__version__)
    except ImportError as e:
        print(f"skipped usearch: {e}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--hw-bench", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                       "bench", "hw_bench"))
    ap.add_argument("--json")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    hw = hardware.measure(args.hw_bench)
    x, queries = clustered(args.n, args.dim)
    nbytes = x.nbytes
    print(f"{args.n:,} x {args.dim} float32 ({nbytes / 2**20:,.0f} MiB), k={K}, squared L2, "
          f"{args.threads} threads; {hardware.describe(hw)}")
    t0 = time.perf_counter()
    found = systems(x, args.threads)
    print(f"setup (load into each system): {time.perf_counter() - t0:.1f} s")
    seq = hw.get("seq_gbs", {})
    bw = max((v for t, v in seq.items() if int(t) <= args.threads), default=None)
    rows, ref = [], {}
    for case, q in (("1 query", queries[:1]), (f"{args.batch} queries", queries[:args.batch])):
        for name, (search, version) in found.items():
            med, lo, hi = timed(lambda: search(q), args.repeat)
            got = search(q)
            if name == "nendb":
                ref[case] = got
            same = float(np.mean([len(set(a) & set(b)) / K for a, b in zip(got, ref[case])]))
            gbs = nbytes * (1 if len(q) == 1 else len(q)) / med / 1e9
            rows.append({"case": case, "system": name, "version": version, "median_s": med,
                         "min_s": lo, "max_s": hi, "qps": len(q) / med, "scan_gbs": gbs,
                         "same_ids_as_nendb": same})
    best = {}
    for r in rows:
        best[r["case"]] = min(best.get(r["case"], 1e9), r["median_s"])
    print(f"\n{'case':<12} {'system':<14} {'median s':>10} {'queries/s':>10} {'scan GB/s':>10}"
          f" {'x bandwidth':>11} {'x best':>7} {'ids = nendb':>11}")
    for r in rows:
        frac = f"{r['scan_gbs'] / bw:.2f}" if bw and r["case"] == "1 query" else "-"
        print(f"{r['case']:<12} {r['system']:<14} {r['median_s']:>10.5f} {r['qps']:>10.1f} "
              f"{r['scan_gbs']:>10.2f} {frac:>11} {r['median_s'] / best[r['case']]:>7.2f} "
              f"{r['same_ids_as_nendb']:>11.3f}")
    if bw:
        print(f"\nbandwidth: {bw:.1f} GB/s sequential read with {args.threads} threads "
              f"(hw_bench, this run); 'x bandwidth' is the single-query scan's rate over it")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"n": args.n, "dim": args.dim, "threads": args.threads, "hardware": hw,
                       "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
