"""Small write transactions per second: nendb against SQLite (WAL) on one disk.

One transaction is one node (with a unique key) plus one edge from the
previous node, committed on its own, for each durability mode (nendb
sync="full"|"normal" against SQLite PRAGMA synchronous=FULL|NORMAL in WAL mode)
with 1 and 2 committing threads. Both systems run through Python in the same
process, alternating, in directories on the same file system, so each ratio
compares like with like. nendb sync="off" / SQLite synchronous=OFF and
in-memory databases are measured too: they are the ceiling that the Python
interpreter and the engines' CPU work allow, i.e. the per-transaction overhead
that every durable figure includes. Target (durability issue): nendb at least
SQLite's rate in each mode.

Usage: python bench/commit_bench.py [--seconds S] [--warmup S] [--repeat R]
                                    [--threads 1,2] [--modes full,normal,off,memory]
                                    [--dir DIR] [--json FILE]
"""
import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import tempfile
import threading
import time

import nendb

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (mode, nendb sync, SQLite synchronous); "memory" opens both in memory.
MODES = {
    "full": ("full", "FULL"),
    "normal": ("normal", "NORMAL"),
    "off": ("off", "OFF"),
    "memory": (None, None),
}
DURABLE_MODES = ("full", "normal")


# ---- machine facts ------------------------------------------------------

def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def file_system(path: str) -> dict:
    """The mount holding path (longest mount point prefix of its real path)."""
    real = os.path.realpath(path)
    best = {"mount": "?", "type": "?", "device": "?", "options": "?"}
    best_len = -1
    try:
        with open("/proc/mounts") as f:
            for line in f:
                dev, mnt, typ, opts = line.split()[:4]
                mnt = mnt.replace("\\040", " ")
                inside = real == mnt or real.startswith(mnt.rstrip("/") + "/")
                # Later entries on the same mount point stack over earlier ones.
                if inside and len(mnt) >= best_len:
                    best = {"mount": mnt, "type": typ, "device": dev, "options": opts}
                    best_len = len(mnt)
    except OSError:
        pass
    return best


def fdatasync_rate(directory: str, overwrite: bool, seconds: float = 1.0) -> float:
    """Writes of 256 bytes, each followed by fdatasync: the disk's own limit
    on commits per second for one committer that syncs each commit. Appending
    grows the file, so each sync also writes the file's size and extents;
    overwriting a preallocated file (what SQLite does once its WAL wraps)
    syncs data alone."""
    path = os.path.join(directory, "fdatasync-probe")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        block = b"x" * 256
        if overwrite:
            os.write(fd, bytes(16 << 20))
            os.fsync(fd)
        n, offset = 0, 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            os.pwrite(fd, block, offset)
            os.fdatasync(fd)
            offset += len(block)
            n += 1
        return n / (time.perf_counter() - t0)
    finally:
        os.close(fd)
        os.unlink(path)


def disk_probe(directory: str) -> dict:
    # The load average says how much of the noise other work on a shared
    # machine explains.
    return {"append_fdatasync_per_s": fdatasync_rate(directory, overwrite=False),
            "overwrite_fdatasync_per_s": fdatasync_rate(directory, overwrite=True),
            "load_average_1min": os.getloadavg()[0]}


def fmt_probe(p: dict) -> str:
    return (f"append+fdatasync {p['append_fdatasync_per_s']:,.0f}/s, "
            f"overwrite+fdatasync {p['overwrite_fdatasync_per_s']:,.0f}/s, "
            f"load average {p['load_average_1min']:.2f}")


def print_machine(facts: dict, directory: str) -> None:
    """The header both SQLite comparisons print: CPU, disk, versions."""
    fs = facts["file_system"]
    print(f"machine: {facts['cpu']}, {facts['cores']} cores "
          f"({facts['usable_cores']} usable), Linux {facts['kernel']}")
    print(f"disk:    {directory} on {fs['type']} ({fs['device']} at {fs['mount']}, "
          f"{fs['options']})")
    print(f"python {facts['python']}, sqlite {facts['sqlite']}, nendb {facts['nendb']}")


def machine_facts(directory: str) -> dict:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "nendb": nendb.__version__,
        "dir": directory,
        "file_system": file_system(directory),
        "disk_before": disk_probe(directory),
    }


# ---- the two systems ----------------------------------------------------

class Nendb:
    """One handle shared by every thread: nendb serialises write transactions
    inside the process, and a commit releases the writer slot (and the GIL)
    before it waits for its sync, so another thread's commit can join it."""

    name = "nendb"

    def __init__(self, directory: str, mode: str, threads: int):
        sync = MODES[mode][0]
        self.path = ":memory:" if sync is None else os.path.join(directory, "bench.nendb")
        self.db = nendb.open(self.path) if sync is None else nendb.open(self.path, sync=sync)
        with self.db.write() as tx:
            self.roots = [tx.add_node("N", key=-1 - t) for t in range(threads)]

    def worker(self, t: int):
        db = self.db
        prev = self.roots[t]

        def txn(key: int) -> None:
            nonlocal prev
            with db.write() as tx:
                a = tx.add_node("N", key=key)
                tx.add_edge(prev, a, "NEXT")
            prev = a
        return txn, None

    def log_bytes(self):
        return None if self.path == ":memory:" else self.db.stats()["log_bytes"]

    def close(self) -> None:
        # Closing checkpoints (the log is large next to the snapshot): the
        # cost a long run would pay every checkpoint_log_bytes of log.
        self.db.close()
        if self.path != ":memory:":
            shutil.rmtree(self.path, ignore_errors=True)


class Sqlite:
    """One connection per thread (SQLite serialises writers with its lock; a
    busy timeout makes the second writer wait instead of failing). The schema
    does what nendb does per transaction: a unique key index on (label, key),
    an edge whose ends must exist (foreign keys on) and indexes for both
    directions of adjacency."""

    name = "sqlite"
    SCHEMA = """
        CREATE TABLE node(id INTEGER PRIMARY KEY, label TEXT NOT NULL, key INTEGER NOT NULL,
                          UNIQUE(label, key));
        CREATE TABLE edge(id INTEGER PRIMARY KEY,
                          src INTEGER NOT NULL REFERENCES node(id),
                          dst INTEGER NOT NULL REFERENCES node(id),
                          type TEXT NOT NULL, weight REAL NOT NULL DEFAULT 1.0);
        CREATE INDEX edge_src ON edge(src);
        CREATE INDEX edge_dst ON edge(dst);
    """

    def __init__(self, directory: str, mode: str, threads: int):
        self.synchronous = MODES[mode][1]
        self.memory = self.synchronous is None
        if self.memory and threads != 1:
            raise ValueError("an in-memory SQLite database has one connection")
        self.path = ":memory:" if self.memory else os.path.join(directory, "bench.sqlite")
        self.setup = self.connect()
        self.setup.executescript(self.SCHEMA)
        self.roots = []
        with self.setup:
            for t in range(threads):
                cur = self.setup.execute("INSERT INTO node(label, key) VALUES ('N', ?)", (-1 - t,))
                self.roots.append(cur.lastrowid)

    def connect(self) -> sqlite3.Connection:
        # isolation_level=None: the transactions below are explicit.
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None,
                               check_same_thread=False)
        if not self.memory:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self.synchronous}")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def worker(self, t: int):
        # An in-memory database exists only in the connection that made it.
        conn = self.setup if self.memory else self.connect()
        prev = self.roots[t]

        def txn(key: int) -> None:
            nonlocal prev
            # IMMEDIATE takes the write lock up front: two deferred writers
            # would deadlock on the read-to-write upgrade and fail with BUSY.
            conn.execute("BEGIN IMMEDIATE")
            a = conn.execute("INSERT INTO node(label, key) VALUES ('N', ?)", (key,)).lastrowid
            conn.execute("INSERT INTO edge(src, dst, type) VALUES (?, ?, 'NEXT')", (prev, a))
            conn.execute("COMMIT")
            prev = a
        return txn, (conn if conn is not self.setup else None)

    def log_bytes(self):
        if self.memory:
            return None
        try:
            return os.path.getsize(self.path + "-wal")
        except FileNotFoundError:
            return 0

    def close(self) -> None:
        # The last connection to close checkpoints the WAL into the database.
        self.setup.close()
        if not self.memory:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(self.path + suffix)
                except FileNotFoundError:
                    pass


# ---- one measurement ----------------------------------------------------

def measure(system_cls, directory: str, mode: str, threads: int, warmup: float,
            seconds: float) -> dict:
    """Transactions per second committed by all threads together in the
    measured window (after the warm-up), and what closing then cost."""
    system = system_cls(directory, mode, threads)
    window = {}

    def start_clock() -> None:  # runs once, when every thread is ready
        now = time.perf_counter()
        window["begin"] = now + warmup
        window["end"] = now + warmup + seconds

    barrier = threading.Barrier(threads, action=start_clock)
    counts = [0] * threads
    totals = [0] * threads
    errors = []

    def run(t: int) -> None:
        try:
            txn, conn = system.worker(t)
            barrier.wait()
            begin, end = window["begin"], window["end"]
            key, n, total = t, 0, 0
            while True:
                txn(key)
                key += threads  # keys stay unique across threads
                total += 1
                now = time.perf_counter()
                if now >= end:
                    break
                if now >= begin:
                    n += 1
            counts[t], totals[t] = n, total
            if conn is not None:
                conn.close()
        except BaseException as e:  # reported by the main thread
            errors.append(e)
            barrier.abort()

    try:
        if threads == 1:
            run(0)
        else:
            pool = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
            for th in pool:
                th.start()
            for th in pool:
                th.join()
        log_bytes = system.log_bytes()
        t0 = time.perf_counter()
    finally:
        system.close()
    if errors:
        raise errors[0]
    return {"rate": sum(counts) / seconds, "txns": sum(totals), "log_bytes": log_bytes,
            "close_s": time.perf_counter() - t0}


def summary(runs):
    rates = [r["rate"] for r in runs]
    return {"median": statistics.median(rates), "min": min(rates), "max": max(rates),
            "runs": runs}


def fmt_rate(s) -> str:
    return f"{s['median']:9,.0f} ({s['min']:,.0f}-{s['max']:,.0f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.path.join(REPO, "build")
    default_parent = build if os.path.isdir(build) else tempfile.gettempdir()
    ap.add_argument("--dir", default=None,
                    help=f"parent directory for the databases (default: a temporary "
                         f"directory under {default_parent})")
    ap.add_argument("--seconds", type=float, default=3.0, help="measured time per run")
    ap.add_argument("--warmup", type=float, default=0.5, help="unmeasured time before each run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (median reported)")
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--modes", default="full,normal,off,memory",
                    help="comma-separated subset of full,normal,off,memory")
    ap.add_argument("--json", default=None, help="also write every figure to this file")
    args = ap.parse_args()
    thread_counts = [int(x) for x in args.threads.split(",")]
    modes = [m for m in args.modes.split(",") if m]
    for m in modes:
        if m not in MODES:
            ap.error(f"unknown mode {m!r}; choose from {', '.join(MODES)}")

    parent = args.dir if args.dir is not None else default_parent
    os.makedirs(parent, exist_ok=True)
    directory = tempfile.mkdtemp(prefix="commit-bench-", dir=parent)
    try:
        facts = machine_facts(directory)
        print_machine(facts, directory)
        print(f"disk before the runs: {fmt_probe(facts['disk_before'])} "
              f"(one committer's limit when each commit syncs)")
        print(f"one transaction = 1 node (unique key) + 1 edge to the previous node; "
              f"{args.seconds:g} s per run after {args.warmup:g} s warm-up, "
              f"median (min-max) of {args.repeat} runs, txn/s")

        cases = [(m, t) for m in modes for t in thread_counts if not (m == "memory" and t != 1)]
        runs = {(s, m, t): [] for m, t in cases for s in ("nendb", "sqlite")}
        for r in range(args.repeat):
            for m, t in cases:
                # Alternate which system goes first so drift on a shared disk
                # does not favour one of them.
                order = (Nendb, Sqlite) if (r % 2 == 0) else (Sqlite, Nendb)
                for cls in order:
                    runs[(cls.name, m, t)].append(
                        measure(cls, directory, m, t, args.warmup, args.seconds))
        facts["disk_after"] = disk_probe(directory)

        results = []
        print()
        print(f"{'mode':<7} {'threads':>7}  {'nendb txn/s':>28}  {'sqlite txn/s':>28}  "
              f"{'nendb/sqlite':>12}  {'us/txn n|s':>13}  target")
        for m, t in cases:
            n = summary(runs[("nendb", m, t)])
            s = summary(runs[("sqlite", m, t)])
            ratio = n["median"] / s["median"]
            target = ("meets" if ratio >= 1.0 else "BELOW") if m in DURABLE_MODES else "(ceiling)"
            print(f"{m:<7} {t:>7}  {fmt_rate(n):>28}  {fmt_rate(s):>28}  {ratio:12.2f}  "
                  f"{1e6 / n['median']:6.1f}|{1e6 / s['median']:6.1f}  {target}")
            results.append({"mode": m, "threads": t, "nendb": n, "sqlite": s, "ratio": ratio,
                            "nendb_sync": MODES[m][0] or ":memory:",
                            "sqlite_synchronous": MODES[m][1] or ":memory:"})
        print(f"disk after the runs: {fmt_probe(facts['disk_after'])}")

        # The ceiling rows bound what Python and the engines' CPU work allow:
        # what a durable mode costs beyond them is the log and its syncs.
        by = {(r["mode"], r["threads"]): r for r in results}
        if ("memory", 1) in by:
            mem = by[("memory", 1)]
            print(f"\nper-transaction CPU floor (in-memory databases, 1 thread, Python calls "
                  f"included): nendb {1e6 / mem['nendb']['median']:.1f} us, "
                  f"sqlite {1e6 / mem['sqlite']['median']:.1f} us")
        notes = []
        for m in DURABLE_MODES:
            for t in thread_counts:
                if (m, t) in by and ("off", t) in by:
                    for name in ("nendb", "sqlite"):
                        dur = 1e6 / by[(m, t)][name]["median"]
                        off = 1e6 / by[("off", t)][name]["median"]
                        notes.append(f"{name:<6} {m:<6} {t}t: {dur:8.1f} us/txn, "
                                     f"{max(dur - off, 0):8.1f} us above sync=off")
        if notes:
            print("cost of durability above the sync=off ceiling:")
            for note in notes:
                print("  " + note)

        # SQLite's NORMAL figure includes its WAL checkpoints (every 1000
        # pages); nendb checkpoints only every checkpoint_log_bytes (64 MiB
        # by default) of log, which a short run may never reach, so its
        # checkpoint cost is shown here from the close() of each run.
        print("checkpoint cost (close() after each run; nendb checkpoints there, "
              "SQLite checkpoints what is left of its WAL):")
        for m in DURABLE_MODES:
            for t in thread_counts:
                if (m, t) not in by:
                    continue
                for name in ("nendb", "sqlite"):
                    rs = by[(m, t)][name]["runs"]
                    txns = statistics.median(r["txns"] for r in rs)
                    close_s = statistics.median(r["close_s"] for r in rs)
                    line = (f"  {name:<6} {m:<6} {t}t: {txns:9,.0f} txns per run, close "
                            f"{close_s * 1000:7.1f} ms = {1e6 * close_s / txns:5.2f} us/txn")
                    if name == "nendb":
                        per_txn = statistics.median(r["log_bytes"] / r["txns"] for r in rs)
                        line += (f"; log {per_txn:.0f} B/txn, so the default 64 MiB "
                                 f"checkpoint comes every {(64 << 20) / per_txn:,.0f} txns")
                    print(line)

        if args.json:
            with open(args.json, "w") as f:
                json.dump({"benchmark": "commit_bench", "unix_time": time.time(),
                           "seconds": args.seconds, "warmup": args.warmup,
                           "repeat": args.repeat, "machine": facts, "results": results},
                          f, indent=2)
            print(f"\nfigures written to {args.json}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
