"""Bulk inserts from numpy through the Python wheel (part of `make bench`).

Measures db.add_nodes and db.add_edges on an in-memory database and on a
database directory including the checkpoint that makes it durable, and prints
rates. Target (issue 2): 10M edges/s from numpy.

Usage: python bench/bulk_numpy.py [--edges N] [--nodes N] [--repeat R]
"""
import argparse
import shutil
import statistics
import tempfile
import time

import numpy as np

import nendb


def run(path: str, nodes: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    with nendb.open(path) as db:
        t0 = time.perf_counter()
        db.add_nodes("V", keys=np.arange(nodes, dtype=np.int64))
        t1 = time.perf_counter()
        db.add_edges(src, dst, "E", weight=w)
        t2 = time.perf_counter()
        db.checkpoint()
        t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1 << 20)
    ap.add_argument("--edges", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(42)
    src = rng.integers(0, args.nodes, args.edges, dtype=np.uint64)
    dst = rng.integers(0, args.nodes, args.edges, dtype=np.uint64)
    w = rng.integers(1, 256, args.edges).astype(np.float64)
    print(f"bulk inserts from numpy: {args.nodes:,} nodes, {args.edges:,} edges, "
          f"median of {args.repeat}")
    for where in ("memory", "directory"):
        times = []
        for _ in range(args.repeat):
            tmp = tempfile.mkdtemp(prefix="nendb-bench-")
            path = ":memory:" if where == "memory" else f"{tmp}/db"
            times.append(run(path, args.nodes, src, dst, w))
            shutil.rmtree(tmp)
        nodes_s, edges_s, ckpt_s = (statistics.median(t[i] for t in times) for i in range(3))
        print(f"  {where:<9} add_nodes {args.nodes / nodes_s / 1e6:6.2f} M nodes/s   "
              f"add_edges {args.edges / edges_s / 1e6:6.2f} M edges/s", end="")
        if where == "directory":
            print(f"   +checkpoint {ckpt_s * 1000:6.0f} ms -> "
                  f"{args.edges / (edges_s + ckpt_s) / 1e6:5.2f} M durable edges/s")
        else:
            print()


if __name__ == "__main__":
    main()
