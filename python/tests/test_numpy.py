"""numpy in and out: no copies of inputs that already have the right dtype
and layout, outputs that own their C++ buffers, and the GIL released during
core calls."""

from __future__ import annotations

import threading
import time
import tracemalloc

import numpy as np
import pytest

N = 1_000_000


def peak_during(fn):
    """Peak bytes numpy/Python allocated while fn ran (numpy reports its data
    buffers to tracemalloc; the core's own memory is not counted)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        before = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_matching_inputs_are_not_copied(mem):
    ints = np.arange(N, dtype=np.int64)
    floats = np.linspace(0, 1, N)
    bools = np.arange(N) % 3 == 0
    vecs = np.ones((N // 10, 8), dtype=np.float32)
    budget = N  # far below one copy of any 8-byte column (8 MB)
    # Warm up: first calls import modules (numpy.ma), which allocates.
    mem.add_nodes("W", keys=ints[:2], props={"i": ints[:2], "f": floats[:2], "b": bools[:2],
                                             "v": vecs[:2]})
    mem.add_edges(ints[:1].astype(np.uint64), ints[:1].astype(np.uint64), "R", weight=floats[:1])
    assert peak_during(lambda: mem.add_nodes("A", keys=ints, props={"i": ints, "f": floats,
                                                                    "b": bools})) < budget
    assert peak_during(lambda: mem.add_nodes("V", props={"v": vecs})) < budget
    src = np.arange(N, dtype=np.uint64)
    dst = src[::-1].copy()
    w = np.full(N, 0.5)
    assert peak_during(lambda: mem.add_edges(src, dst, "R", weight=w)) < budget


def test_mismatched_inputs_are_converted_once(mem):
    small = np.arange(N, dtype=np.int32)
    peak = peak_during(lambda: mem.add_nodes("B", props={"i": small}))
    assert 8 * N <= peak < 2 * 8 * N + N  # one int64 copy, not more


def test_outputs_own_their_buffers(mem):
    ids = mem.add_nodes("A", count=1000)
    eids = mem.add_edges(ids[:-1], ids[1:], "R")
    for arr in (ids, eids, mem.nodes("A"), mem.neighbors(int(ids[0])), mem.edges()["source"]):
        assert type(arr.base).__name__ == "PyCapsule"  # a moved std::vector, no copy
        assert arr.dtype == np.uint64 and arr.flags.c_contiguous
    e = mem.edges()
    assert e["weight"].dtype == np.float64 and type(e["weight"].base).__name__ == "PyCapsule"
    assert ids.tolist() == list(range(1000))
    ids[0] = 7  # writable and private: the database is unaffected
    assert mem.nodes("A")[0] == 0


def test_gil_is_released_during_core_calls(mem):
    n = 2_000_000
    ids = mem.add_nodes("A", count=n)
    rng = np.random.default_rng(0)
    src = rng.integers(0, n, 2 * n).astype(np.uint64)
    dst = rng.integers(0, n, 2 * n).astype(np.uint64)
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.01)
    start = time.perf_counter()
    mem.add_edges(src, dst, "R")
    mem.edges()
    end = time.perf_counter()
    done.set()
    t.join()
    if end - start < 0.05:
        pytest.skip("the core calls were too fast to observe")
    during = [x for x in ticks if start <= x <= end]
    # With the GIL held for the whole call the ticker could not run at all.
    assert len(during) >= 10, (len(during), end - start)
    assert len(ids) == n


def test_a_list_mixing_numpy_and_python_ids(mem):
    ids = mem.add_nodes("N", count=3)
    e = mem.add_edges([ids[0], 2], [1, ids[1]], "E")  # numpy alone would make these floats
    assert mem.edges()["target"].tolist() == [1, int(ids[1])] and len(e) == 2
    with pytest.raises(TypeError, match="not float"):
        mem.add_edges([0.5], [1], "E")
