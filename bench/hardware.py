"""This machine's memory bounds, measured in the same run, for bench/algo_bench.py.

Runs build/bench/hw_bench (bench/hw_bench.cc, Google Benchmark) with --benchmark_format=json
and keeps the best of its repetitions: interference from other processes only ever lowers
a rate, so the best one is the closest to what the hardware can do. It gives sequential
read GB/s and random 4-byte gathers/s, with 1 thread and with every usable core.

PageRank byte model: one pull iteration must at least stream the in-CSR (offsets 8 B per
vertex, targets 4 B per arc), read the contribution vector once (8 B per vertex, as if
streamed: every gather after the first touch of a line hits the cache) and write the new
ranks (8 B per vertex). The bandwidth bound is those bytes over the all-threads sequential
rate. The gather bounds are one gather per arc, at the all-threads rate into the large
buffer (every gather a DRAM miss) and at the rate into a buffer the contribution vector's
size (what its real footprint allows, caches and TLB included: the last-level cache that
a virtual machine's CPU reports can be far larger than what it gets). Where one thread
measured more than all of them, the other cores were busy and the higher rate is used: a
bound is what the machine can at least do.
"""
import json
import os
import subprocess

REPETITIONS = 3
BYTES_PER_VERTEX = 8 + 8 + 8  # in-CSR offset, contribution read, new rank written
BYTES_PER_ARC = 4  # in-CSR target (32-bit id)
BYTE_MODEL = (f"{BYTES_PER_VERTEX} B/vertex (in-CSR offset 8 + contribution read 8 + new "
              f"rank written 8) + {BYTES_PER_ARC} B/arc (in-CSR target)")


def measure(path: str, extra=()) -> dict:
    """{"seq_gbs": {threads: GB/s}, "gather_mps": {threads: M/s}, ...}, or {"missing": why}."""
    if not os.access(path, os.X_OK):
        return {"missing": f"{path} not found (cmake -DNENDB_BUILD_BENCH=ON, build hw_bench)"}
    cmd = [path, "--benchmark_format=json", f"--benchmark_repetitions={REPETITIONS}", *extra]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        return {"missing": f"{path} failed ({run.returncode}): {run.stderr.strip()[-300:]}"}
    out = json.loads(run.stdout)
    hw = {"seq_gbs": {}, "gather_mps": {}, "path": path, "repetitions": REPETITIONS,
          "buffer_bytes": int(out["context"]["buffer_bytes"]),
          "llc_bytes": int(out["context"]["llc_bytes"])}
    for b in out["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        key, field = ("seq_gbs", "GB/s") if "SequentialRead" in b["name"] else ("gather_mps",
                                                                                 "Mgathers/s")
        t = int(b["name"].split("threads:")[1].split("/")[0])  # BM_x/threads:N/real_time
        hw[key][t] = max(hw[key].get(t, 0.0), b[field])
    return hw


def gather_rate(path: str, nbytes: int):
    """Best M gathers/s into a buffer of nbytes (rounded up to a power of two), or None."""
    hw = measure(path, [f"--buffer_mib={max(1, -(-nbytes >> 20))}", "--benchmark_filter=Gather"])
    return (max(hw["gather_mps"].values()), hw["buffer_bytes"]) if "missing" not in hw else None


def describe(hw: dict) -> str:
    if "missing" in hw:
        return f"hardware: no bandwidth bound in this run: {hw['missing']}"
    seq = ", ".join(f"{t} thread{'s' * (t > 1)} {v:.1f}" for t, v in sorted(hw["seq_gbs"].items()))
    gat = ", ".join(f"{t} thread{'s' * (t > 1)} {v:.0f}"
                    for t, v in sorted(hw["gather_mps"].items()))
    return (f"hardware ({hw['path']}, this run, best of {hw['repetitions']}; "
            f"{hw['buffer_bytes'] / 2**20:,.0f} MiB buffer; the CPU reports a "
            f"{hw['llc_bytes'] / 2**20:,.0f} MiB last-level cache):\n"
            f"  sequential read GB/s: {seq}\n  random 4-byte gathers M/s: {gat}")


def pagerank_bounds(hw: dict, nodes: int, arcs: int, seconds_per_iteration: float,
                    vector_gathers=None) -> dict:
    """The bounds of one pull iteration and the measured time's ratios to them."""
    if "missing" in hw:
        return {}
    threads = max(hw["seq_gbs"], key=lambda t: (hw["seq_gbs"][t], t))  # see the docstring
    gbs, mps = hw["seq_gbs"][threads], max(hw["gather_mps"].values())
    moved = BYTES_PER_VERTEX * nodes + BYTES_PER_ARC * arcs
    out = {"bytes": moved, "threads": threads, "gbs": gbs, "bandwidth_bound_s": moved / gbs / 1e9,
           "gather_mps": mps, "gather_bound_s": arcs / mps / 1e6}
    if vector_gathers:
        out["vector_gather_mps"], out["vector_buffer_bytes"] = vector_gathers
        out["vector_gather_bound_s"] = arcs / vector_gathers[0] / 1e6
    for key in [k for k in out if k.endswith("_bound_s")]:
        out["x_" + key[:-2]] = seconds_per_iteration / out[key]
    return out
