"""DataFrame and Arrow interop through the Python wheel (part of `make bench`).

Imports a 10M-edge pandas DataFrame into a durable database directory that
holds 1M nodes (edge ends as node ids, and as node keys looked up by label;
then a second 10M into the same graph), reads the nodes and edges back as
DataFrames and Arrow tables, and prints rates. Times include the commit
(the log or snapshot written and synced). For scale, the
same edges from plain numpy arrays (db.add_edges) are measured in the same
run: the DataFrame path should cost little on top. Target (issue 7):
5M edges/s or more from a DataFrame.

Usage: python bench/frames_bench.py [--edges N] [--nodes N] [--repeat R] [--json FILE]
"""
import argparse
import json
import os
import shutil
import statistics
import tempfile
import time

import numpy as np
import pandas as pd

import nendb


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def with_nodes(tmp: str, name: str, nodes: pd.DataFrame) -> "nendb.Database":
    db = nendb.open(f"{tmp}/{name}")
    db.import_df(nodes, "V", key="k")
    return db


def disk_write(tmp: str, nbytes: int = 512 << 20) -> float:
    """Seconds to write and fsync nbytes in the benchmark's directory: the
    bound on a durable import that writes a snapshot of that size."""
    block = np.random.default_rng(1).integers(0, 255, 8 << 20, dtype=np.uint8).tobytes()
    path = os.path.join(tmp, "disk")
    t0 = time.perf_counter()
    with open(path, "wb") as f:
        for _ in range(nbytes // len(block)):
            f.write(block)
        f.flush()
        os.fsync(f.fileno())
    elapsed = time.perf_counter() - t0
    os.remove(path)
    return elapsed


def one_run(nodes: pd.DataFrame, edges: pd.DataFrame, keyed: pd.DataFrame) -> dict:
    """Each edge import into its own database holding the nodes only (removed
    after use, so that no earlier one is still being written back), then a
    second import into one that has edges (the adjacency is extended)."""
    tmp = tempfile.mkdtemp(prefix="nendb-frames-")
    out = {}

    def fresh():
        shutil.rmtree(f"{tmp}/db", ignore_errors=True)
        return with_nodes(tmp, "db", nodes)

    try:
        out["disk write 512 MiB"] = disk_write(tmp)
        with nendb.open(f"{tmp}/db") as db:
            out["import_df nodes"] = timed(lambda: db.import_df(nodes, "V", key="k"))
        with nendb.open(":memory:") as db:
            db.import_df(nodes, "V", key="k")
            out["import_edges_df memory"] = timed(
                lambda: db.import_edges_df(edges, "s", "t", "E", weight="w"))
        with fresh() as db:
            out["add_edges numpy"] = timed(lambda: db.add_edges(
                edges["s"].to_numpy(), edges["t"].to_numpy(), "N", weight=edges["w"].to_numpy()))
        with fresh() as db:
            out["import_edges_df keys"] = timed(
                lambda: db.import_edges_df(keyed, "a", "b", "K", label="V"))
        with fresh() as db:
            out["import_edges_df ids"] = timed(
                lambda: db.import_edges_df(edges, "s", "t", "E", weight="w"))
            snapshot_mib[0] = db.stats()["snapshot_file_bytes"] / (1 << 20)
            out["import_edges_df again"] = timed(
                lambda: db.import_edges_df(edges, "s", "t", "F", weight="w"))
            out["nodes_df"] = timed(lambda: db.nodes_df("V"))
            out["edges_df E"] = timed(lambda: db.edges_df("E"))
            out["edges_arrow E"] = timed(lambda: db.edges_arrow("E"))
    finally:
        shutil.rmtree(tmp)
    return out


snapshot_mib = [0.0]  # the snapshot the ids import committed, for the disk-bound line


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1 << 20)
    ap.add_argument("--edges", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", default=None, help="also write every figure to this file")
    args = ap.parse_args()
    rng = np.random.default_rng(7)
    nodes = pd.DataFrame({"k": np.arange(args.nodes, dtype=np.int64),
                          "x": rng.random(args.nodes)})
    s = rng.integers(0, args.nodes, args.edges, dtype=np.int64)
    t = rng.integers(0, args.nodes, args.edges, dtype=np.int64)
    edges = pd.DataFrame({"s": s, "t": t, "w": rng.random(args.edges)})
    keyed = pd.DataFrame({"a": s, "b": t})  # keys: node i has key i
    runs = [one_run(nodes, edges, keyed) for _ in range(args.repeat)]
    print(f"DataFrame interop: {args.nodes:,} nodes, {args.edges:,} edges, directory "
          f"database, median of {args.repeat} (min-max)")
    rows = {"import_df nodes": args.nodes, "nodes_df": args.nodes,
            "disk write 512 MiB": 512 << 20}
    results = []
    for name in runs[0]:
        times = [r[name] for r in runs]
        med = statistics.median(times)
        n = rows.get(name, args.edges)
        unit = "MB/s" if name.startswith("disk") else "M rows/s"
        rate = f"{n / med / 1e6:7.2f} {unit}"
        print(f"  {name:<22} {med * 1000:8.0f} ms ({min(times) * 1000:.0f}-"
              f"{max(times) * 1000:.0f})  {rate}")
        results.append({"name": name, "median_s": med, "min_s": min(times),
                        "max_s": max(times), "runs": times, "rows_per_s": n / med})
    ratio = statistics.median(r["add_edges numpy"] for r in runs) / statistics.median(
        r["import_edges_df ids"] for r in runs)
    print(f"  import_edges_df (ids) runs at {ratio:.2f}x the speed of add_edges from numpy")
    disk = statistics.median(r["disk write 512 MiB"] for r in runs) / 512
    ids = statistics.median(r["import_edges_df ids"] for r in runs)
    if snapshot_mib[0] >= 1:  # small imports commit through the log
        print(f"  its commit wrote a {snapshot_mib[0]:.0f} MiB snapshot: writing and syncing "
              f"that much takes {snapshot_mib[0] * disk:.2f} s on this disk, "
              f"{snapshot_mib[0] * disk / ids:.0%} of the import's time")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"benchmark": "frames_bench", "nodes": args.nodes, "edges": args.edges,
                       "repeat": args.repeat, "snapshot_mib": snapshot_mib[0],
                       "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
