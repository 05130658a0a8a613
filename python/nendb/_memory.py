"""Memory sizing: how much memory a database of a given shape needs."""

from __future__ import annotations

from typing import Dict

from . import _nendb
from .errors import InvalidArgumentError


def estimate_memory(nodes: int, edges: int, embedding_dim: int = 0, *,
                    node_int_properties: int = 0, node_string_properties: int = 0,
                    edge_int_properties: int = 0, avg_string_bytes: float = 16.0,
                    string_keys: bool = False, keys: bool = True,
                    avg_key_bytes: float = 12.0) -> Dict[str, int]:
    """Bytes a database of this shape needs, from the layout rules the store uses.

    Args:
        nodes, edges: how many.
        embedding_dim: one float32 vector property per node of this dimension (0: none).
        node_int_properties: int64/float64 property columns per node.
        node_string_properties: string property columns per node.
        edge_int_properties: int64/float64 property columns per edge.
        avg_string_bytes: average length of string property values.
        string_keys: nodes have string keys (otherwise int keys, or none).
        keys: nodes have keys at all.
        avg_key_bytes: average length of string keys.

    Returns a dict with ``node_bytes``, ``edge_bytes``, ``adjacency_bytes``,
    ``property_bytes``, ``index_bytes``, ``string_bytes`` and ``total_bytes``.

    Example: ``nendb.estimate_memory(10**6, 10**7, embedding_dim=128)["total_bytes"] / 2**30``
    (GiB).
    """
    counts = {}
    for what, v in (("nodes", nodes), ("edges", edges), ("embedding_dim", embedding_dim),
                    ("node_int_properties", node_int_properties),
                    ("node_string_properties", node_string_properties),
                    ("edge_int_properties", edge_int_properties)):
        if isinstance(v, bool):
            raise TypeError(f"{what} must be an int")
        n = int(v) if not isinstance(v, int) else v
        if n < 0:
            raise InvalidArgumentError(f"{what} must be >= 0, not {n}")
        limit = (1 << 64) - 1 if what in ("nodes", "edges") else (1 << 32) - 1
        if n > limit:
            raise InvalidArgumentError(f"{what} {n} is too large")
        counts[what] = n
    for what, f in (("avg_string_bytes", avg_string_bytes), ("avg_key_bytes", avg_key_bytes)):
        if not float(f) >= 0:
            raise InvalidArgumentError(f"{what} must be a non-negative number")
    return dict(_nendb.estimate_memory(
        counts["nodes"], counts["edges"], counts["embedding_dim"],
        counts["node_int_properties"], counts["node_string_properties"],
        counts["edge_int_properties"], float(avg_string_bytes), bool(string_keys), bool(keys),
        float(avg_key_bytes)))
