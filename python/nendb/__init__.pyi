"""Type stubs for the public nendb package (the implementation modules are
annotated inline; this stub fixes what ``import nendb`` exports, the names
and ``__all__`` of ``__init__.py``)."""

from . import errors as errors
from ._convert import NO_NODE as NO_NODE
from ._database import Database as Database
from ._database import from_networkx as from_networkx
from ._database import open as open
from ._memory import estimate_memory as estimate_memory
from ._schema import Property as Property
from ._transaction import ReadTransaction as ReadTransaction
from ._transaction import WriteTransaction as WriteTransaction
from .errors import BusyError as BusyError
from .errors import CancelledError as CancelledError
from .errors import CapacityError as CapacityError
from .errors import ClosedError as ClosedError
from .errors import ConstraintError as ConstraintError
from .errors import CorruptionError as CorruptionError
from .errors import InternalError as InternalError
from .errors import InvalidArgumentError as InvalidArgumentError
from .errors import MissingDependencyError as MissingDependencyError
from .errors import NendbError as NendbError
from .errors import NotFoundError as NotFoundError
from .errors import ReadOnlyError as ReadOnlyError

__version__: str

__all__ = [
    "open",
    "from_networkx",
    "Database",
    "ReadTransaction",
    "WriteTransaction",
    "Property",
    "estimate_memory",
    "NO_NODE",
    "errors",
    "NendbError",
    "NotFoundError",
    "InvalidArgumentError",
    "ConstraintError",
    "CorruptionError",
    "BusyError",
    "ReadOnlyError",
    "ClosedError",
    "CapacityError",
    "CancelledError",
    "InternalError",
    "MissingDependencyError",
    "__version__",
]
