"""Progress bars for long imports: a tqdm bar appears once an import has run
for more than a second, when the session is interactive (a terminal or a
notebook) or when asked for with progress=True."""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Optional, Union

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
    """The callable handed to the core: (bytes done, bytes total) -> keep going."""

    def __init__(self, what: str, force: bool, user: Optional[Callable[[int, int], Any]] = None):
        self._what = what
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
                from tqdm.auto import tqdm
            except ImportError:  # tqdm is optional: pip install nendb[progress]
                self._show = False
                return True
            self._bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                             desc=self._what, leave=False)
        self._bar.update(max(0, done - self._bar.n))
        return True

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def make(progress: ProgressArg, what: str) -> Progress:
    """progress: None (auto: a bar only when interactive), True (always a bar),
    False (never), or a callable ``fn(done_bytes, total_bytes)`` returning
    False to cancel the import."""
    if callable(progress):
        return Progress(what, False, progress)
    if progress is False:
        return _Quiet(what)
    return Progress(what, progress is True)


class _Quiet(Progress):
    def __init__(self, what: str) -> None:
        super().__init__(what, False)
        self._show = False
