"""bench/report.py's arithmetic on made-up figures: ratios to the best peer in both
directions, the list of workloads where nendb is slower, the comparison against an
earlier report, and the charts and Markdown it writes."""

from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    spec = importlib.util.spec_from_file_location("report", ROOT / "bench" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def figures(report, nendb_s=1.0, nendb_qps=50.0):
    f = report.figure
    return [f("algo", "bfs", "nendb", nendb_s, "s", "lower", 0.9, 1.1),
            f("algo", "bfs", "igraph", 4.0, "s", "lower"),
            f("algo", "bfs", "networkit", 2.0, "s", "lower"),
            f("ann", "qps ef=16", "nendb", nendb_qps, "q/s", "higher", recall=0.9),
            f("ann", "qps ef=16", "hnswlib", 100.0, "q/s", "higher", recall=0.91),
            f("commit", "alone", "nendb", 3.0, "txn/s", "higher")]


def test_ratios_to_the_best_peer(report):
    figs = report.with_ratios(figures(report))
    bfs, ann = figs[0], figs[3]
    assert bfs["best_peer"] == "networkit" and bfs["x_best_peer"] == pytest.approx(2.0)
    assert ann["best_peer"] == "hnswlib" and ann["x_best_peer"] == pytest.approx(0.5)
    assert "x_best_peer" not in figs[5]  # no peer measured
    assert "x_best_peer" not in figs[1]  # peers get no ratio


def test_compare_flags_moves_over_20_percent(report, tmp_path):
    old = {"figures": report.with_ratios(figures(report))}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    new = {"figures": report.with_ratios(figures(report, nendb_s=1.1, nendb_qps=30.0))}
    moved = report.compare(new, str(path))
    assert [(f["suite"], round(change, 2)) for f, _, change in moved] == [("ann", -0.4)]


def test_markdown_and_charts(report, tmp_path):
    pytest.importorskip("matplotlib")
    rep = {"date": "2026-12-02", "host": "h", "command": "make bench QUICK=1", "wall_s": 5.0,
           "suites": ["algo", "ann", "commit"], "figures": report.with_ratios(figures(report)),
           "machine": {"cpu": "X", "usable_cores": 2, "memory_gib": 8.0, "simd": ["avx2"]},
           "hardware": {"seq_gbs": {"2": 20.0}, "gather_mps": {"2": 60.0}}}
    made = report.charts(rep, str(tmp_path), "r")
    assert made["ann"] == ["r-ann-recall.png"] and made["algo"] == ["r-algo-s.png"]
    for names in made.values():
        for name in names:
            assert (tmp_path / name).stat().st_size > 1000
    md = report.markdown(rep, made)
    assert "`make bench QUICK=1`" in md and "20.0 GB/s" in md and "AVX2" in md
    slower = md.split("## Where nendb is slower than the best peer")[1].split("##")[0]
    assert "ann qps ef=16: 0.50x hnswlib" in slower and "bfs" not in slower
    assert "| bfs | nendb | 1 s (900 ms-1.1 s) | 2.00 (networkit) |" in md


def test_db_figures_say_which_way_is_better(report):
    raw = {"results": [
        {"workload": "load", "system": "nendb", "unit": "s", "median": 1.0, "min": 1, "max": 1},
        {"workload": "load", "system": "kuzu", "unit": "s", "median": 2.0, "min": 2, "max": 2},
        {"workload": "lookup", "system": "nendb", "unit": "op/s", "median": 10.0, "min": 9,
         "max": 11},
        {"workload": "lookup", "system": "kuzu", "unit": "op/s", "median": 20.0, "min": 20,
         "max": 20}]}
    figs = report.with_ratios(report.from_db(raw))
    assert [f["better"] for f in figs] == ["lower", "lower", "higher", "higher"]
    assert figs[0]["x_best_peer"] == pytest.approx(2.0)
    assert figs[2]["x_best_peer"] == pytest.approx(0.5)
