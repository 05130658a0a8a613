"""Several processes on one database: nendb against SQLite (WAL) on one disk.

For nendb sync="normal"|"full" against SQLite PRAGMA synchronous=NORMAL|FULL in
WAL mode (SQLite's one-writer-many-reader-processes setup), worker processes
started with multiprocessing's "spawn" method, both systems measured
alternately in the same run, in directories on the same file system:

1. Visibility latency: a writer process commits one small transaction every
   --interval ms (one node with a unique integer key and a property holding
   time.monotonic_ns()) and records when each commit returned; a reader
   process polls in a tight loop, each poll a new read transaction looking up
   the next key. Latency = time just after the poll that first found the key
   minus the writer's commit return (CLOCK_MONOTONIC is system-wide), so it
   includes up to one poll; the paced writer does not queue. Median, p99 and
   max over a run's commits, in microseconds; negative when a commit shows
   before its commit call returns (SQLite runs WAL auto-checkpoints then).
2. Read throughput: point lookups by random key in --nodes preloaded nodes,
   one lookup (find by key + read one property, checked) per read transaction
   (SQLite: one autocommit SELECT), in 1 and 2 reader processes, alone and
   with a writer process committing the same small transactions at full speed.
3. Writer throughput: commits/s of one writer process alone and with 1 and 2
   lookup reader processes beside it (the same runs as 2).

Targets: SPEC section 7, reader processes "see new commits at their next read"
(it gives no latency figure, no "within 1 ms"), so every commit must be seen,
and the latency is shown against SQLite's; SPEC section 8, small write
transactions with sync=full at least SQLite WAL synchronous=FULL's rate.

Usage: python bench/mp_bench.py [--seconds S] [--warmup S] [--repeat R]
                                [--nodes N] [--interval MS] [--modes normal,full]
                                [--dir DIR] [--json FILE]
"""
import argparse
import json
import multiprocessing
import os
import queue
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import traceback

import numpy as np

import nendb
from commit_bench import REPO, disk_probe, fmt_probe, fmt_rate, machine_facts, print_machine

MODES = {"normal": ("normal", "NORMAL"), "full": ("full", "FULL")}  # nendb, SQLite
SYSTEMS = ("nendb", "sqlite")
WRITERS = ("paced", "full speed")
# name: (writer role or None, lookup reader processes, latency poller)
SCENARIOS = {"latency": ("paced", 0, True), "read 1": (None, 1, False),
             "read 2": (None, 2, False), "read 1 + writer": ("full speed", 1, False),
             "read 2 + writer": ("full speed", 2, False),
             "writer alone": ("full speed", 0, False)}
ROWS = [  # (label, scenario, figure); latency: lower is better
    ("visibility latency median us", "latency", "latency_median_us"),
    ("visibility latency p99 us", "latency", "latency_p99_us"),
    ("visibility latency max us", "latency", "latency_max_us"),
    ("lookups/s, 1 reader", "read 1", "lookups_per_s"),
    ("lookups/s, 2 readers", "read 2", "lookups_per_s"),
    ("lookups/s, 1 reader + writer", "read 1 + writer", "lookups_per_s"),
    ("lookups/s, 2 readers + writer", "read 2 + writer", "lookups_per_s"),
    ("commits/s, writer alone", "writer alone", "commits_per_s"),
    ("commits/s, writer + 1 reader", "read 1 + writer", "commits_per_s"),
    ("commits/s, writer + 2 readers", "read 2 + writer", "commits_per_s"),
]


# ---- the two systems, as each worker process opens them -----------------

def connect(system: str, path: str, mode: str, writer: bool):
    """(write(key), has(key), lookup(key), close) on a fresh handle."""
    if system == "nendb":
        db = nendb.open(path, sync=MODES[mode][0], read_only=not writer, busy_timeout=30.0)

        def write(key: int) -> None:
            with db.write() as tx:
                tx.add_node("W", key=key, props={"t": time.monotonic_ns()})

        def has(key: int) -> bool:
            with db.read() as r:
                return r.find("W", key) is not None

        def lookup(key: int):
            with db.read() as r:
                return r.property(r.find("N", key), "v")
        return write, has, lookup, db.close

    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)  # autocommit
    conn.execute(f"PRAGMA synchronous={MODES[mode][1]}")

    def write(key: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO node(label, key, v) VALUES ('W', ?, ?)",
                     (key, time.monotonic_ns()))
        conn.execute("COMMIT")

    # fetchall() runs each SELECT to its end, which ends its read transaction.
    def select(label: str, key: int):
        return conn.execute("SELECT v FROM node WHERE label = ? AND key = ?",
                            (label, key)).fetchall()
    return (write, lambda key: bool(select("W", key)), lambda key: select("N", key)[0][0],
            conn.close)


def preload(system: str, path: str, mode: str, nodes: int) -> None:
    """nodes nodes with label N, key 0..nodes-1 and property v = key."""
    if system == "nendb":
        with nendb.open(path, sync=MODES[mode][0]) as db:
            db.add_nodes("N", keys=np.arange(nodes), props={"v": np.arange(nodes)})
        return
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE node(id INTEGER PRIMARY KEY, label TEXT NOT NULL, "
                 "key INTEGER NOT NULL, v INTEGER, UNIQUE(label, key))")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO node(label, key, v) VALUES ('N', ?, ?)",
                     ((k, k) for k in range(nodes)))
    conn.execute("COMMIT")
    conn.close()


# ---- worker processes -----------------------------------------------------

def worker(index: int, role: str, system: str, path: str, mode: str, args: dict,
           barrier, results) -> None:
    """One process: a writer (role "paced" or "full speed"), the latency
    reader ("poll") or a lookup reader ("lookup"). Posts (index, ok, figures)."""
    try:
        write, has, lookup, close = connect(system, path, mode, role in WRITERS)
        rng = random.Random(index)
        keys = [rng.randrange(args["nodes"]) for _ in range(1 << 16)]
        barrier.wait(timeout=60)
        start = time.monotonic_ns()
        begin = start + int(args["warmup"] * 1e9)
        end = begin + int(args["seconds"] * 1e9)
        key, i, n, out = args["key_base"], 0, 0, {"role": role, "log": [], "seen": []}
        if role == "poll":  # until the writer's last commit had time to show
            stop = end + 300_000_000
            while True:
                found = has(key)
                now = time.monotonic_ns()
                i += 1
                if found:
                    out["seen"].append((key, now))
                    key += 1
                elif now >= stop:
                    break
            out["poll_us"] = (stop - start) / 1e3 / i
        while role != "poll":
            if role == "lookup":
                k = keys[i & 0xFFFF]
                i += 1
                v = lookup(k)
                if v != k:
                    raise AssertionError(f"{system}: the node with key {k} has v = {v!r}")
            else:
                if role == "paced":  # commit i is due at start + i * interval
                    due = start + (key - args["key_base"]) * args["interval"] * 1e6
                    wait = due - time.monotonic_ns()
                    if wait > 0:
                        time.sleep(wait / 1e9)
                write(key)
                key += 1
            now = time.monotonic_ns()
            if now >= end:
                break
            if now >= begin:
                n += 1
                if role == "paced":  # (key, commit return) of the commits in the window
                    out["log"].append((key - 1, now))
        out["rate"] = n / args["seconds"]
        close()
        results.put((index, True, out))
    except BaseException:
        barrier.abort()
        results.put((index, False, traceback.format_exc()))
        raise


def run_scenario(system: str, path: str, mode: str, name: str, args: dict) -> dict:
    """Starts the scenario's processes, checks every exit status, returns figures."""
    writer, readers, poller = SCENARIOS[name]
    roles = ([writer] if writer else []) + ["lookup"] * readers + (["poll"] if poller else [])
    what = f"{system} {mode} {name!r}"
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(len(roles)), ctx.Queue()
    procs = [ctx.Process(target=worker, args=(i, r, system, path, mode, args, barrier, results))
             for i, r in enumerate(roles)]
    for p in procs:
        p.start()
    got, deadline = {}, time.monotonic() + 60 + 2 * (args["warmup"] + args["seconds"])
    try:
        while len(got) < len(procs):
            try:
                i, ok, value = results.get(timeout=0.5)
            except queue.Empty:
                dead = [(roles[i], p.exitcode) for i, p in enumerate(procs)
                        if p.exitcode not in (None, 0) and i not in got]
                if dead or time.monotonic() > deadline:
                    raise RuntimeError(f"{what}: workers {dead or 'timed out'}")
                continue
            if not ok:
                raise RuntimeError(f"{what}: {roles[i]} worker failed:\n{value}")
            got[i] = value
        for i, p in enumerate(procs):
            p.join(timeout=30)
            if p.exitcode != 0:
                raise RuntimeError(f"{what}: {roles[i]} worker exit status {p.exitcode}")
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
                p.join()
    by_role = {v["role"]: v for v in got.values()}
    figures = {"lookups_per_s": sum(v["rate"] for v in got.values() if v["role"] == "lookup")}
    if writer:
        figures["commits_per_s"] = by_role[writer]["rate"]
    if poller:
        log, seen = by_role["paced"]["log"], dict(by_role["poll"]["seen"])
        lat = sorted((seen[k] - t) / 1e3 for k, t in log if k in seen) or [float("nan")]
        figures.update(latency_median_us=statistics.median(lat),
                       latency_p99_us=lat[min(len(lat) - 1, int(0.99 * len(lat)))],
                       latency_max_us=lat[-1], latency_min_us=lat[0], commits=len(log),
                       unseen=sum(1 for k, _ in log if k not in seen),
                       poll_us=by_role["poll"]["poll_us"])
    return figures


# ---- the run --------------------------------------------------------------

def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": values}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.path.join(REPO, "build")
    default_parent = build if os.path.isdir(build) else tempfile.gettempdir()
    ap.add_argument("--dir", default=None,
                    help=f"parent directory for the databases (default: a temporary "
                         f"directory under {default_parent})")
    ap.add_argument("--seconds", type=float, default=1.0, help="measured time per run")
    ap.add_argument("--warmup", type=float, default=0.3, help="unmeasured time before each run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (median reported)")
    ap.add_argument("--nodes", type=int, default=100_000, help="preloaded nodes to look up")
    ap.add_argument("--interval", type=float, default=2.0,
                    help="ms between the latency writer's commits")
    ap.add_argument("--modes", default="normal,full", help="comma-separated subset of normal,full")
    ap.add_argument("--json", default=None, help="also write every figure to this file")
    args = ap.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    for m in modes:
        if m not in MODES:
            ap.error(f"unknown mode {m!r}; choose from {', '.join(MODES)}")

    parent = args.dir if args.dir is not None else default_parent
    os.makedirs(parent, exist_ok=True)
    directory = tempfile.mkdtemp(prefix="mp-bench-", dir=parent)
    try:
        facts = machine_facts(directory)
        print_machine(facts, directory)
        print(f"disk before the runs: {fmt_probe(facts['disk_before'])}")
        print(f"processes started with spawn; {args.seconds:g} s per run after "
              f"{args.warmup:g} s warm-up, median (min-max) of {args.repeat} runs; "
              f"{args.nodes:,} preloaded nodes, 1 lookup per read transaction; the "
              f"latency writer commits every {args.interval:g} ms")

        paths = {(s, m): os.path.join(directory, f"{m}.{s}") for s in SYSTEMS for m in modes}
        for (s, m), path in paths.items():
            preload(s, path, m, args.nodes)
        runs = {(s, m, sc): [] for s in SYSTEMS for m in modes for sc in SCENARIOS}
        wargs = {"seconds": args.seconds, "warmup": args.warmup, "nodes": args.nodes,
                 "interval": args.interval, "key_base": 0}
        for r in range(args.repeat):
            for m in modes:
                # Alternate which system goes first so drift on a shared disk
                # does not favour one of them.
                for s in (SYSTEMS if r % 2 == 0 else SYSTEMS[::-1]):
                    for sc in SCENARIOS:
                        wargs["key_base"] += 10 ** 8  # writer keys unique per database
                        runs[(s, m, sc)].append(run_scenario(s, paths[(s, m)], m, sc, wargs))
        facts["disk_after"] = disk_probe(directory)

        results, problems = [], []
        print(f"\n{'figure':<30} {'mode':<6}  {'nendb':>26}  {'sqlite':>26}  "
              f"{'nendb/sqlite':>12}  target")
        for m in modes:
            for label, sc, key in ROWS:
                n = summary([f[key] for f in runs[("nendb", m, sc)]])
                s = summary([f[key] for f in runs[("sqlite", m, sc)]])
                ratio = n["median"] / s["median"] if s["median"] else float("nan")
                target = ""
                if key == "latency_median_us":
                    unseen = sum(f["unseen"] for f in runs[("nendb", m, sc)])
                    target = f"{unseen} UNSEEN" if unseen else "all seen"
                    if unseen:
                        problems.append(f"nendb {m}: {unseen} commits never seen by the reader")
                elif key == "commits_per_s" and m == "full":
                    target = "meets" if ratio >= 1.0 else "BELOW"
                print(f"{label:<30} {m:<6}  {fmt_rate(n):>26}  {fmt_rate(s):>26}  "
                      f"{ratio:12.2f}  {target}")
                results.append({"figure": label, "mode": m, "scenario": sc, "key": key,
                                "nendb": n, "sqlite": s, "ratio": ratio,
                                "nendb_sync": MODES[m][0], "sqlite_synchronous": MODES[m][1]})
            print()
        print("latency: lower is better; first poll that found the commit - commit return")
        for m in modes:
            for s in SYSTEMS:
                lat = runs[(s, m, "latency")]
                print(f"  {s:<6} {m:<6}: {sum(f['commits'] for f in lat)} commits, "
                      f"{sum(f['unseen'] for f in lat)} unseen, min "
                      f"{min(f['latency_min_us'] for f in lat):.0f} us, one poll "
                      f"{statistics.median(f['poll_us'] for f in lat):.1f} us")
        print(f"disk after the runs: {fmt_probe(facts['disk_after'])}")
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"benchmark": "mp_bench", "unix_time": time.time(), "args": vars(args),
                           "machine": facts, "results": results, "problems": problems},
                          f, indent=2)
            print(f"\nfigures written to {args.json}")
        if problems:
            raise SystemExit("PROBLEM: " + "; ".join(problems))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
