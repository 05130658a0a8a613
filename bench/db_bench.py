"""Database workloads side by side: nendb against Kùzu on the same data, in one run.

Data (seeded, the same pandas DataFrames of numpy columns for both): --nodes nodes with
an int64 key and a float64 property x, --edges uniformly random edges between distinct
nodes with a float64 weight. Each system runs in a child process of its own (so that
its memory is its own and the two extension modules never meet), --repeat times,
alternating which goes first. What is measured, per system:
  load     bulk load into a new database directory until it is durable and closed
           (nendb: import_df, then import_edges_df with the ends as keys of label V,
           sync="full", close; Kùzu: COPY V and COPY E FROM the DataFrames, close);
  open     opening the loaded database and answering one lookup;
  lookup   point lookups by key returning x (nendb: find and property in one read
           transaction; Kùzu: a prepared MATCH (a:V {id: $k}) RETURN a.x), one call each;
  1-hop    the number of out-edges of a node (nendb: degree; Kùzu: MATCH (a:V {id:
           $k})-[:E]->() RETURN count(*));
  2-hop    the number of two-edge paths out of a node (nendb: the out-degrees of its
           out-neighbours summed; Kùzu: MATCH (a:V {id: $k})-[:E]->()-[:E]->() RETURN
           count(*)); with no self-loops, walks and trails count alike;
  memory   the child's peak resident set (VmHWM) and the database directory's size.
The same random keys are asked of both, and their answers (sums of x, of 1-hop and
2-hop counts) must agree: a mismatch is printed as FAIL.

Usage: python bench/db_bench.py [--nodes N] [--edges M] [--lookups K] [--repeat R]
                                [--skip kuzu] [--json FILE]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

KUZU_BUFFER_POOL = 4 << 30


def data(nodes, edges, seed=11):
    import pandas as pd
    rng = np.random.default_rng(seed)
    src = rng.integers(0, nodes, edges)
    dst = (src + rng.integers(1, nodes, edges)) % nodes  # never src itself
    return (pd.DataFrame({"id": np.arange(nodes, dtype=np.int64), "x": rng.random(nodes)}),
            pd.DataFrame({"from": src, "to": dst, "w": rng.random(edges)}))


def peak_rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def dir_mib(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path)
               for f in fs) / (1 << 20)


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


class Nendb:
    def __init__(self):
        import nendb
        self.nendb, self.version = nendb, nendb.__version__

    def load(self, path, nodes, edges):
        with self.nendb.open(path) as db:
            db.import_df(nodes, "V", key="id")
            db.import_edges_df(edges, "from", "to", "E", weight="w", label="V")

    def open(self, path, key):
        self.db = self.nendb.open(path)
        self.db.property(self.db.find("V", key), "x")

    def lookups(self, keys):
        with self.db.read() as r:
            return sum(r.property(r.find("V", k), "x") for k in keys)

    def one_hop(self, keys):
        with self.db.read() as r:
            return sum(r.degree(r.find("V", k)) for k in keys)

    def two_hop(self, keys):
        with self.db.read() as r:
            return sum(sum(r.degree(n) for n in r.neighbors(r.find("V", k)).tolist())
                       for k in keys)

    def close(self):
        self.db.close()


class Kuzu:
    def __init__(self):
        import kuzu
        self.kuzu, self.version = kuzu, kuzu.__version__

    def connect(self, path):
        self.db = self.kuzu.Database(path, buffer_pool_size=KUZU_BUFFER_POOL)
        self.c = self.kuzu.Connection(self.db)

    def load(self, path, nodes, edges):
        self.connect(path)
        self.c.execute("CREATE NODE TABLE V(id INT64 PRIMARY KEY, x DOUBLE)")
        self.c.execute("CREATE REL TABLE E(FROM V TO V, w DOUBLE)")
        self.c.execute("COPY V FROM nodes")  # finds the DataFrames by name
        self.c.execute("COPY E FROM edges")
        self.close()

    def scalar(self, stmt, k):
        return self.c.execute(stmt, {"k": int(k)}).get_next()[0]

    def open(self, path, key):
        self.connect(path)
        self.q = {name: self.c.prepare(q) for name, q in (
            ("x", "MATCH (a:V {id: $k}) RETURN a.x"),
            ("1", "MATCH (a:V {id: $k})-[:E]->() RETURN count(*)"),
            ("2", "MATCH (a:V {id: $k})-[:E]->()-[:E]->() RETURN count(*)"))}
        self.scalar(self.q["x"], key)

    def lookups(self, keys):
        return sum(self.scalar(self.q["x"], k) for k in keys)

    def one_hop(self, keys):
        return sum(self.scalar(self.q["1"], k) for k in keys)

    def two_hop(self, keys):
        return sum(self.scalar(self.q["2"], k) for k in keys)

    def close(self):
        self.c.close()
        self.db.close()


def child(args):
    """One run of one system; prints its figures as JSON."""
    nodes, edges = data(args.nodes, args.edges)
    keys = np.random.default_rng(5).integers(0, args.nodes, args.lookups).tolist()
    system = {"nendb": Nendb, "kuzu": Kuzu}[args.child]()
    path = os.path.join(args.dir, args.child)
    load_s, _ = timed(lambda: system.load(path, nodes, edges))
    # The child's directory holds this system's files only (Kùzu's database is a file
    # and its log another, beside it).
    out = {"system": args.child, "version": system.version, "load_s": load_s,
           "disk_mib": dir_mib(args.dir)}
    out["open_s"], _ = timed(lambda: system.open(path, keys[0]))
    for name, fn in (("lookup", system.lookups), ("1-hop", system.one_hop),
                     ("2-hop", system.two_hop)):
        out[f"{name}_s"], out[f"{name}_answer"] = timed(lambda: fn(keys))
    system.close()
    out["peak_rss_mib"] = peak_rss_mib()
    print(json.dumps(out))


def run_child(name, args, directory):
    cmd = [sys.executable, __file__, "--child", name, "--dir", directory, "--nodes",
           str(args.nodes), "--edges", str(args.edges), "--lookups", str(args.lookups)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return {"system": name, "error": p.stderr.strip().splitlines()[-1:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


METRICS = (("load", "load_s", "s"), ("open", "open_s", "s"), ("lookup", "lookup_s", "op/s"),
           ("1-hop", "1-hop_s", "op/s"), ("2-hop", "2-hop_s", "op/s"),
           ("peak memory", "peak_rss_mib", "MiB"), ("disk", "disk_mib", "MiB"))


def summarise(runs, args):
    results = []
    for name, key, unit in METRICS:
        for system, rs in runs.items():
            vals = [r[key] for r in rs]
            if unit == "op/s":
                vals = [args.lookups / v for v in vals]
            results.append({"workload": name, "system": system, "unit": unit,
                            "median": statistics.median(vals), "min": min(vals),
                            "max": max(vals), "runs": vals})
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1 << 20)
    ap.add_argument("--edges", type=int, default=10_000_000)
    ap.add_argument("--lookups", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma-separated systems to leave out")
    ap.add_argument("--json", default=None, help="also write every figure to this file")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--dir", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)
    systems = [s for s in ("nendb", "kuzu") if s not in args.skip.split(",")]
    runs, errors = {s: [] for s in systems}, {}
    for i in range(args.repeat):
        for s in (systems if i % 2 == 0 else systems[::-1]):
            d = tempfile.mkdtemp(prefix="db-bench-")
            r = run_child(s, args, d)
            shutil.rmtree(d, ignore_errors=True)
            if "error" in r:
                errors[s] = r["error"]
            else:
                runs[s].append(r)
    runs = {s: rs for s, rs in runs.items() if rs}
    print(f"database workloads: {args.nodes:,} nodes, {args.edges:,} edges, {args.lookups:,} "
          f"keys asked, median of {args.repeat} (min-max), each system in its own process")
    for s, e in errors.items():
        print(f"  {s}: not measured ({' '.join(e)})")
    results = summarise(runs, args)
    for r in results:
        print(f"  {r['workload']:<12} {r['system']:<6} {r['median']:12,.3f} {r['unit']:<5} "
              f"({r['min']:,.3f}-{r['max']:,.3f})")
    checks = []
    if len(runs) == 2:
        for key in ("lookup_answer", "1-hop_answer", "2-hop_answer"):
            a, b = (runs[s][0][key] for s in runs)
            ok = abs(a - b) <= 1e-6 * max(1.0, abs(a))
            checks.append({"answer": key, "ok": ok, "values": [a, b]})
            print(("  ok   " if ok else "  FAIL ") + f"{key}: nendb {a}, kuzu {b}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"benchmark": "db_bench", "nodes": args.nodes, "edges": args.edges,
                       "lookups": args.lookups, "repeat": args.repeat,
                       "versions": {s: rs[0]["version"] for s, rs in runs.items()},
                       "errors": errors, "checks": checks, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
