"""Seeded graph generators of the GAP Benchmark Suite's kinds, for bench/algo_bench.py.

Every generator returns a simple undirected graph as numpy arrays: (nodes, src, dst,
weights) with src < dst, no self-loops and no duplicate edges (GAP symmetrises and
squeezes what it generates the same way), weights uniform integers 1..255 as float64.
All three have 2^scale nodes:
  kron     Kronecker / R-MAT with Graph500's A=0.57, B=C=0.19, edge factor 16, ids
           permuted (as GAP's -g);
  uniform  16 * 2^scale uniformly random pairs, ids random by construction (GAP's -u): the
           same nodes and generated edges as kron, but nearly all of them survive
           squeezing where kron loses a few percent to duplicates;
  grid     a 2^floor(scale/2) x 2^ceil(scale/2) 4-neighbour grid, row-major ids, the
           stand-in for GAP's road network (USA-road-d): ~2 edges per node, diameter in
           the thousands and ids with the spatial locality of the DIMACS order.
"""
import numpy as np


def _weights(rng: np.random.Generator, m: int) -> np.ndarray:
    return rng.integers(1, 256, m).astype(np.float64)


def _squeeze(src: np.ndarray, dst: np.ndarray):
    """(src, dst) as sorted unique undirected pairs, src < dst, self-loops dropped."""
    keep = src != dst  # sort + compare: np.unique is slower on 64M keys
    key = np.minimum(src[keep], dst[keep]).astype(np.int64) << 32
    key |= np.maximum(src[keep], dst[keep])
    key.sort()
    first = np.ones(len(key), bool)
    np.not_equal(key[1:], key[:-1], out=first[1:])
    key = key[first]
    return key >> 32, key & 0xFFFFFFFF


def kronecker(scale: int, edge_factor: int = 16, seed: int = 27491095):
    n, m = 1 << scale, edge_factor << scale
    rng = np.random.default_rng(seed)
    src, dst = np.zeros(m, np.uint32), np.zeros(m, np.uint32)
    r, a, b = np.empty(m, np.float32), np.empty(m, bool), np.empty(m, bool)
    for _ in range(scale):  # one bit of both ends of every edge per pass, in place
        rng.random(m, dtype=np.float32, out=r)
        np.greater_equal(r, np.float32(0.76), out=a)  # quadrant C or D: source bit
        np.bitwise_or(np.left_shift(src, 1, out=src), a, out=src)
        np.greater_equal(r, np.float32(0.57), out=b)
        b &= r < np.float32(0.76)
        b |= r >= np.float32(0.95)  # quadrant B or D: target bit
        np.bitwise_or(np.left_shift(dst, 1, out=dst), b, out=dst)
    del r, a, b
    perm = rng.permutation(n).astype(np.uint32)
    src, dst = _squeeze(perm[src], perm[dst])
    return n, src, dst, _weights(rng, len(src))


def uniform(scale: int, edge_factor: int = 16, seed: int = 8128):
    n, m = 1 << scale, edge_factor << scale
    rng = np.random.default_rng(seed)
    src, dst = _squeeze(rng.integers(0, n, m, dtype=np.uint32),
                        rng.integers(0, n, m, dtype=np.uint32))
    return n, src, dst, _weights(rng, len(src))


def grid(scale: int, seed: int = 1729):
    rows, cols = 1 << (scale // 2), 1 << (scale - scale // 2)
    ids = np.arange(rows * cols, dtype=np.int64).reshape(rows, cols)
    src = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])  # right, down
    dst = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    return rows * cols, src, dst, _weights(np.random.default_rng(seed), len(src))


GRAPHS = {
    "kron": (kronecker, "Kronecker (Graph500 A=0.57 B=C=0.19, edge factor 16, ids permuted)"),
    "uniform": (uniform, "uniform random (edge factor 16)"),
    "grid": (grid, "2-D grid road stand-in (4-neighbour, row-major ids)"),
}
