"""Property declarations for label schemas (WriteTransaction.define_label)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

__all__ = ["Property"]


@dataclass(frozen=True)
class Property:
    """A declared property of a label.

    Args:
        type: ``"int64"``, ``"float64"``, ``"bool"``, ``"string"``, ``"vector[DIM]"``
            (a float32 embedding of DIM values), or ``"vector"`` with ``dim``.
            Python types ``int``, ``float``, ``bool`` and ``str`` are accepted too.
        required: every node with the label must have a value.
        dim: the vector dimension, when ``type`` is ``"vector"``.

    Example::

        tx.define_label("Paper", {
            "title": nendb.Property("string", required=True),
            "year": "int64",
            "embedding": "vector[128]",
        }, strict=True)
    """

    type: Union[str, type]
    required: bool = False
    dim: Optional[int] = None
