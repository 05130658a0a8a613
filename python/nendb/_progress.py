"""Progress bars for long imports and analytics: a tqdm bar appears once a
call has run for more than a second, when the session is interactive (a
terminal or a notebook) or when asked for with progress=True."""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Optional, Union

from ._optional import need
from .errors import MissingDependencyError

ProgressArg = Union[bool, None, Callable[[int, int], Any]]

_DELAY = 1.0  # seconds before a bar appears


def _interactive() -> bool:
    if "ipykernel" in sys.modules:
        return True
    err = sys.stderr
    try:
        return err is not None and err.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """The callable handed to the core: (done, total) -> keep going, in bytes
    (imports) or percent (analytics, unit="%")."""

    def __init__(self, what: str, force: bool, user: Optional[Callable[[int, int], Any]] = None,
                 unit: str = "B"):
        self._what = what
        self._unit = unit
        self._force = force
        self._user = user
        self._start = time.monotonic()
        self._bar: Any = None
        self._show = force or _interactive()

    def __call__(self, done: int, total: int) -> bool:
        if self._user is not None:
            r = self._user(done, total)
            return r is None or bool(r)
        if not self._show:
            return True
        if self._bar is None:
            if not self._force and time.monotonic() - self._start < _DELAY:
                return True
            try:
                tqdm = need("tqdm.auto", "a progress bar").tqdm
            except MissingDependencyError:  # tqdm is optional: pip install nendb[progress]
                self._show = False
                return True
            scaled = {"unit_scale": True, "unit_divisor": 1024} if self._unit == "B" else {}
            self._bar = tqdm(total=total, unit=self._unit, desc=self._what, leave=False, **scaled)
        self._bar.update(max(0, done - self._bar.n))
        return True

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def make(progress: ProgressArg, what: str, unit: str = "B") -> Progress:
    """progress: None (auto: a bar only when interactive), True (always a bar),
    False (never), or a callable ``fn(done, total)`` returning False to cancel
    the call."""
    if callable(progress):
        return Progress(what, False, progress, unit)
    if progress is False:
        return _Quiet(what)
    return Progress(what, progress is True, None, unit)


class _Quiet(Progress):
    def __init__(self, what: str) -> None:
        super().__init__(what, False)
        self._show = False
