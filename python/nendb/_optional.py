"""Optional packages (pandas, pyarrow, networkx, scipy, matplotlib, tqdm):
imported on first use, so that ``import nendb`` needs numpy only, and
reported with the extra that installs them when they are missing.

The modules are typed Any: nendb type-checks without their stubs.
"""

from __future__ import annotations

import importlib
from typing import Any, Optional

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
    "matplotlib.collections": "plot",
    "tqdm.auto": "progress",
}


def need(module: str, what: str, extra: Optional[str] = None) -> Any:
    """The module, or MissingDependencyError naming the extra for ``what``
    (``extra``, else the one :data:`_EXTRAS` names for the module)."""
    try:
        # Parent packages first, as an import statement does: a cached
        # submodule alone does not make a package that cannot be imported usable.
        parts = module.split(".")
        for i in range(1, len(parts)):
            importlib.import_module(".".join(parts[:i]))
        return importlib.import_module(module)
    except ImportError as e:
        extra = extra or _EXTRAS.get(module, module)
        raise MissingDependencyError(
            f"{what} needs {module.split('.')[0]}, which is not installed: "
            f"pip install 'nendb[{extra}]' (or 'nendb[all]')") from e
