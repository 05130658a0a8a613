"""Exceptions raised by nendb.

Every error nendb reports derives from :class:`NendbError`. Each class also
derives from the matching built-in exception where one exists, so code that
catches ``KeyError``, ``ValueError`` or ``OSError`` keeps working. The message
says what went wrong and what to do about it.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "NendbError",
    "NotFoundError",
    "InvalidArgumentError",
    "ConstraintError",
    "CorruptionError",
    "BusyError",
    "ReadOnlyError",
    "IOError",
    "ClosedError",
    "CapacityError",
    "CancelledError",
    "InternalError",
    "MissingDependencyError",
]


class NendbError(Exception):
    """Base class of every error raised by nendb."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFoundError(NendbError, KeyError):
    """An unknown or deleted node or edge id, label, key, or a missing database."""


class InvalidArgumentError(NendbError, ValueError):
    """Bad input: a wrong type for a property, shape, length, range or name."""


class ConstraintError(InvalidArgumentError):
    """A duplicate key or a schema violation (missing required property, strict label)."""


class CorruptionError(NendbError):
    """A damaged database file.

    Attributes:
        file: the damaged file, if known.
        offset: the byte offset of the damage in ``file``, if known.
        report: for :meth:`nendb.Database.check`, the full report of all problems.
    """

    file: Optional[str] = None
    offset: Optional[int] = None
    report: Optional[str] = None


class BusyError(NendbError):
    """Another writer (thread or process) holds the database past ``busy_timeout``."""


class ReadOnlyError(NendbError):
    """A write through a read-only handle."""


class IOError(NendbError, OSError):  # noqa: A001 - the name the API promises
    """The operating system refused an I/O call (permissions, missing directory, ...)."""


class ClosedError(NendbError):
    """Use of a closed database or of a finished transaction."""


class CapacityError(NendbError):
    """A documented limit was reached, or memory or disk space ran out."""


class CancelledError(NendbError):
    """An operation was cancelled: its progress callback returned False.

    Ctrl-C during a long call raises KeyboardInterrupt, as elsewhere in
    Python, and an exception the callback raises propagates as it is.
    """


class InternalError(NendbError):
    """A bug in nendb; please report it with the message."""


class MissingDependencyError(NendbError, ImportError):
    """An optional package a call needs (pandas, pyarrow, networkx, scipy,
    matplotlib) is not installed; the message names the extra to install."""
