"""Optional packages (pandas, pyarrow, networkx, scipy, matplotlib): imported
on first use, so that ``import nendb`` needs numpy only, and reported with
the extra that installs them when they are missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingDependencyError

# module -> the nendb extra that installs it
_EXTRAS = {
    "pandas": "pandas",
    "pyarrow": "arrow",
    "pyarrow.parquet": "arrow",
    "networkx": "networkx",
    "scipy.sparse": "scipy",
    "matplotlib": "plot",
    "matplotlib.pyplot": "plot",
}


def need(module: str, what: str) -> ModuleType:
    """The module, or MissingDependencyError naming the extra for ``what``."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        extra = _EXTRAS.get(module, module)
        raise MissingDependencyError(
            f"{what} needs {module.split('.')[0]}, which is not installed: "
            f"pip install 'nendb[{extra}]' (or 'nendb[all]')") from e
