"""The benchmark report: runs the side-by-side suites in one run on this machine and
writes bench/results/<date>-<host>.md and .json with PNG charts (`make bench`).

Suites (each a script of bench/ run with --json; sizes by --quick or full):
  algo    graph kernels: nendb against igraph, NetworKit, Kùzu (algo_bench.py)
  commit  small durable write transactions: nendb against SQLite WAL (commit_bench.py)
  mp      several processes on one database: commit visibility latency, readers beside
          a writer: nendb against SQLite WAL (mp_bench.py)
  vector  exact k-NN scans, as a fraction of the memory bandwidth: nendb against numpy,
          FAISS, USearch (vector_bench.py)
  ann     HNSW build, recall and queries/s, filtered search: nendb against hnswlib,
          FAISS, USearch (ann_bench.py)
  db      bulk load, open, key lookups, 1- and 2-hop counts, memory and disk: nendb
          against Kùzu (db_bench.py)
  frames  DataFrame imports and exports, and the disk's write rate (frames_bench.py)
Every figure is a median with its min-max over the runs, kept with its ratio to the best
peer in the same run (ratios, not absolute times, are what survive a noisy shared
machine). The machine's facts and memory bounds come from algo_bench's measurement.

--compare FILE prints the figures whose ratio to the best peer moved by more than 20%
against an earlier report's JSON (bench/results/latest.json is the checked-in one).

Usage: python bench/report.py [--quick] [--suites algo,commit,mp,vector,ann,db,frames]
                              [--out DIR] [--compare FILE]
"""
import argparse
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Arguments of each suite's script: (quick, full).
SUITES = {
    "algo": ("algo_bench.py",
             [["--graphs", "kron", "--scales", "16", "--repeat", "3", "--sources", "4",
               "--budget", "5"],
              ["--graphs", "grid", "--scales", "14", "--repeat", "3", "--sources", "4",
               "--budget", "5"]],
             [["--graphs", "kron", "--scales", "18,20,22", "--networkx"],
              ["--graphs", "uniform,grid", "--scales", "20"]]),
    "commit": ("commit_bench.py",
               ["--seconds", "1", "--warmup", "0.2", "--repeat", "3", "--threads", "1",
                "--modes", "full,normal"],
               []),
    "mp": ("mp_bench.py",
           ["--seconds", "0.5", "--warmup", "0.1", "--repeat", "3", "--modes", "normal",
            "--nodes", "20000"],
           []),
    "vector": ("vector_bench.py",
               ["--n", "100000", "--dim", "128", "--repeat", "3"],
               []),
    "ann": ("ann_bench.py",
            ["--datasets", "synthetic", "--n", "50000", "--dim", "64", "--efs", "16,32,64,128",
             "--queries", "500", "--single-queries", "500", "--rounds", "1"],
            ["--n", "1000000", "--efs", "16,32,64,128,256", "--rounds", "2"]),
    "db": ("db_bench.py",
           ["--nodes", "100000", "--edges", "1000000", "--lookups", "5000", "--repeat", "3"],
           []),
    "frames": ("frames_bench.py",
               ["--nodes", "100000", "--edges", "1000000", "--repeat", "3"],
               []),
}


def figure(suite, workload, system, value, unit, better, lo=None, hi=None, **extra):
    """One measured figure: better is "lower" (times) or "higher" (rates)."""
    return dict(suite=suite, workload=workload, system=system, value=value, unit=unit,
                better=better, min=value if lo is None else lo,
                max=value if hi is None else hi, **extra)


def from_algo(d):
    out = []
    for case in d["results"]:
        name = f"{case['graph']}{case['scale']}"
        for r in case["rows"]:
            out.append(figure("algo", f"{r['kernel']} {name}", r["system"], r["median_s"], "s",
                              "lower", r["min_s"], r["max_s"]))
    return out


def from_commit(d):
    out = []
    for r in d["results"]:
        for system in ("nendb", "sqlite"):
            s = r[system]
            out.append(figure("commit", f"sync={r['mode']} {r['threads']} thread",
                              system, s["median"], "txn/s", "higher", s["min"], s["max"]))
    return out


def from_ann(d):
    out = []
    for dataset, systems in d["datasets"].items():
        for system, s in systems.items():
            out.append(figure("ann", f"build {dataset}", system, s["build_s"], "s", "lower"))
            out.append(figure("ann", f"bytes/vector {dataset}", system, s["bytes_per_vector"],
                              "B", "lower"))
            for p in s["sweep"]:
                out.append(figure("ann", f"qps ef={p['ef']} {dataset}", system,
                                  p["qps_single"], "q/s", "higher", recall=p["recall_single"],
                                  ef=p["ef"], dataset=dataset))
            for share, p in (s.get("filtered") or {}).items():
                out.append(figure("ann", f"filtered {float(share):.0%} {dataset}", system,
                                  p["qps"], "q/s", "higher", filter_recall=p["recall"]))
    return out


def from_mp(d):
    """Several processes on one database: latencies (us, lower is better) and rates."""
    out = []
    for r in d["results"]:
        unit, better = ("us", "lower") if r["figure"].endswith(" us") else ("op/s", "higher")
        for system in ("nendb", "sqlite"):
            s = r[system]
            out.append(figure("mp", f"{r['figure']} sync={r['mode']}", system, s["median"],
                              unit, better, s["min"], s["max"]))
    return out


def from_vector(d):
    """Exact k-NN scans; nendb's figures also as a fraction of the memory bandwidth
    measured in the same run."""
    seq = max((d.get("hardware") or {}).get("seq_gbs", {"": 0}).values())
    out = []
    for r in d["rows"]:
        extra = {"scan_gbs": r["scan_gbs"]}
        if seq:
            extra["of_bandwidth"] = r["scan_gbs"] / seq
        out.append(figure("vector", f"exact {r['case']}", r["system"], r["qps"], "q/s",
                          "higher", **extra))
    return out


def from_db(d):
    better = {"s": "lower", "op/s": "higher", "MiB": "lower"}
    return [figure("db", r["workload"], r["system"], r["median"], r["unit"], better[r["unit"]],
                   r["min"], r["max"]) for r in d["results"]]


def from_frames(d):
    return [figure("frames", r["name"], "nendb", r["median_s"], "s", "lower", r["min_s"],
                   r["max_s"], rows_per_s=r["rows_per_s"]) for r in d["results"]]


ADAPTERS = {"algo": from_algo, "commit": from_commit, "mp": from_mp, "vector": from_vector,
            "ann": from_ann, "db": from_db, "frames": from_frames}


def machine():
    """CPU, cores, memory and SIMD flags, where no suite measured the machine."""
    facts = {"usable_cores": len(os.sched_getaffinity(0))}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and "cpu" not in facts:
                facts["cpu"] = line.split(":", 1)[1].strip()
            if line.startswith("flags") and "simd" not in facts:
                facts["simd"] = line.split(":", 1)[1].split()
    with open("/proc/meminfo") as f:
        facts["memory_gib"] = int(f.readline().split()[1]) / (1 << 20)
    return facts


def run_suite(name, quick, tmp):
    """Runs the suite's script once per argument list; returns the raw JSONs and the
    figures of all of them."""
    script, quick_args, full_args = SUITES[name]
    invocations = quick_args if quick else full_args
    if not invocations or not isinstance(invocations[0], list):
        invocations = [invocations]
    raws, figs = [], []
    for i, extra in enumerate(invocations):
        path = os.path.join(tmp, f"{name}-{i}.json")
        cmd = [sys.executable, os.path.join(HERE, script)] + extra + ["--json", path]
        print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
        subprocess.run(cmd, check=True)
        with open(path) as f:
            raws.append(json.load(f))
        figs += ADAPTERS[name](raws[-1])
    return raws, figs


def with_ratios(figures):
    """Adds to each nendb figure its ratio to the best peer of its workload (>1: nendb
    is better, by that factor) and names that peer."""
    by_workload = {}
    for f in figures:
        by_workload.setdefault((f["suite"], f["workload"]), []).append(f)
    for group in by_workload.values():
        peers = [f for f in group if not f["system"].startswith("nendb") and f["value"]]
        if not peers:
            continue
        lower = group[0]["better"] == "lower"
        best = min(peers, key=lambda f: f["value"]) if lower else max(peers,
                                                                       key=lambda f: f["value"])
        for f in group:
            if f["system"].startswith("nendb") and f["value"]:
                f["best_peer"] = best["system"]
                f["x_best_peer"] = (best["value"] / f["value"]) if lower else (
                    f["value"] / best["value"])
    return figures


def fmt(v, unit):
    if unit == "s":
        return f"{v * 1000:.3g} ms" if v < 1 else f"{v:.3g} s"
    return f"{v:,.0f} {unit}" if v >= 100 else f"{v:.3g} {unit}"


def markdown(report, charts):
    m = report["machine"]
    hw = report.get("hardware") or {}
    flags = m.get("simd", [])
    simd = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "SSE"
    lines = [f"# nendb benchmarks, {report['date']} on {report['host']}", "",
             f"Produced by `{report['command']}` in {report['wall_s']:.0f} s.", "",
             f"Machine: {m.get('cpu')}, {m.get('usable_cores')} usable cores, "
             f"{m.get('memory_gib', 0):.1f} GiB, SIMD {simd}, "
             f"{m.get('file_system', {}).get('type', '?')} disk."]
    if hw.get("seq_gbs"):
        seq = max(hw["seq_gbs"].values())
        gather = max(hw["gather_mps"].values())
        lines.append(f"Memory, measured in this run: {seq:.1f} GB/s sequential read, "
                     f"{gather:.0f} M random 4-byte gathers/s (all cores).")
    lines += ["", "Each figure is the median of the runs (min-max in brackets); "
              "x best peer > 1 means nendb is better than the best other system by that "
              "factor, < 1 slower.", ""]
    slower = [f for f in report["figures"] if f.get("x_best_peer", 2) < 1]
    if slower:
        lines += ["## Where nendb is slower than the best peer", ""]
        for f in sorted(slower, key=lambda f: f["x_best_peer"]):
            lines.append(f"- {f['suite']} {f['workload']}: {f['x_best_peer']:.2f}x "
                         f"{f['best_peer']} ({f['system']})")
        lines.append("")
    for suite in report["suites"]:
        figs = [f for f in report["figures"] if f["suite"] == suite]
        lines += [f"## {suite}", ""]
        for chart in charts.get(suite, []):
            lines += [f"![{suite}]({chart})", ""]
        lines += ["| workload | system | figure | x best peer |", "|---|---|---|---|"]
        for f in figs:
            rng = (f" ({fmt(f['min'], f['unit'])}-{fmt(f['max'], f['unit'])})"
                   if f["min"] != f["max"] else "")
            extra = f", recall {f['recall']:.3f}" if "recall" in f else ""
            if "filter_recall" in f:
                extra = f", recall {f['filter_recall']:.3f}"
            if "of_bandwidth" in f:
                extra = f", {f['scan_gbs']:.1f} GB/s = {f['of_bandwidth']:.0%} of bandwidth"
            ratio = f"{f['x_best_peer']:.2f} ({f['best_peer']})" if "x_best_peer" in f else ""
            lines.append(f"| {f['workload']} | {f['system']} | {fmt(f['value'], f['unit'])}"
                         f"{rng}{extra} | {ratio} |")
        lines.append("")
    return "\n".join(lines)


def bar_chart(plt, figs, title, path):
    workloads = list(dict.fromkeys(f["workload"] for f in figs))
    systems = list(dict.fromkeys(f["system"] for f in figs))
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(workloads) * max(1, len(systems)) / 2), 4))
    width = 0.8 / len(systems)
    for i, s in enumerate(systems):
        xs, ys = [], []
        for j, w in enumerate(workloads):
            v = next((f["value"] for f in figs if f["workload"] == w and f["system"] == s), None)
            if v:
                xs.append(j + i * width)
                ys.append(v)
        ax.bar(xs, ys, width, label=s)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(workloads))], workloads, rotation=30,
                  ha="right")
    ax.set_yscale("log")
    ax.set_ylabel(f"{figs[0]['unit']} ({figs[0]['better']} is better)")
    ax.set_title(title)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def recall_chart(plt, figs, title, path):
    fig, ax = plt.subplots(figsize=(6, 4))
    for s in dict.fromkeys(f["system"] for f in figs):
        pts = sorted((f["recall"], f["value"]) for f in figs if f["system"] == s)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=s)
    ax.set_xlabel("recall@10")
    ax.set_ylabel("queries/s, one per call")
    ax.set_yscale("log")
    ax.set_title(title)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def charts(report, out_dir, stem):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    made = {}
    for suite in report["suites"]:
        figs = [f for f in report["figures"] if f["suite"] == suite]
        groups = {}
        for f in figs:
            key = "recall" if "recall" in f else f["unit"]
            groups.setdefault(key, []).append(f)
        for key, group in groups.items():
            name = f"{stem}-{suite}-{key.replace('/', '_')}.png"
            if key == "recall":
                recall_chart(plt, group, f"{suite}: recall vs queries/s",
                             os.path.join(out_dir, name))
            else:
                bar_chart(plt, group, f"{suite} ({key})", os.path.join(out_dir, name))
            made.setdefault(suite, []).append(name)
    return made


def compare(report, old_path, threshold=0.2):
    with open(old_path) as f:
        old = {(x["suite"], x["workload"], x["system"]): x for x in json.load(f)["figures"]}
    moved = []
    for f in report["figures"]:
        before = old.get((f["suite"], f["workload"], f["system"]))
        if before and "x_best_peer" in f and "x_best_peer" in before:
            change = f["x_best_peer"] / before["x_best_peer"] - 1
            if abs(change) > threshold:
                moved.append((f, before, change))
    print(f"\n== against {old_path}: {len(moved)} figures moved by more than "
          f"{threshold:.0%} relative to the best peer")
    for f, before, change in moved:
        print(f"  {f['suite']} {f['workload']} {f['system']}: x best peer "
              f"{before['x_best_peer']:.2f} -> {f['x_best_peer']:.2f} ({change:+.0%})")
    return moved


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (a few minutes)")
    ap.add_argument("--suites", default=",".join(SUITES))
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--compare", default=None, help="an earlier report's JSON")
    args = ap.parse_args()
    start = datetime.datetime.now()
    suites = [s for s in args.suites.split(",") if s]
    report = {"date": start.strftime("%Y-%m-%d"), "host": socket.gethostname(),
              "command": "make bench" + (" QUICK=1" if args.quick else ""),
              "quick": args.quick, "suites": suites, "figures": [], "raw": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for s in suites:
            raw, figs = run_suite(s, args.quick, tmp)
            report["raw"][s] = raw
            report["figures"] += figs
    with_ratios(report["figures"])
    algo = (report["raw"].get("algo") or [{}])[0]
    commit = (report["raw"].get("commit") or [{}])[0]
    report["machine"] = algo.get("machine") or commit.get("machine") or machine()
    report["hardware"] = algo.get("hardware")
    report["wall_s"] = (datetime.datetime.now() - start).total_seconds()
    os.makedirs(args.out, exist_ok=True)
    stem = f"{report['date']}-{report['host']}" + ("-quick" if args.quick else "")
    made = charts(report, args.out, stem)
    with open(os.path.join(args.out, stem + ".json"), "w") as f:
        json.dump(report, f, indent=1)
    with open(os.path.join(args.out, stem + ".md"), "w") as f:
        f.write(markdown(report, made))
    print(f"\nreport: {os.path.join(args.out, stem + '.md')}")
    if args.compare:
        compare(report, args.compare)


if __name__ == "__main__":
    main()
