"""Shared fixtures for the nendb Python tests."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import nendb


@pytest.fixture
def mem():
    """An in-memory database, closed after the test."""
    db = nendb.open(":memory:")
    yield db
    db.close()


@pytest.fixture
def path(tmp_path):
    """A path for a new on-disk database."""
    return str(tmp_path / "graph.nendb")


@pytest.fixture
def disk(path):
    """An on-disk database, closed after the test."""
    db = nendb.open(path, sync="off")
    yield db
    db.close()


def run_python(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Runs code in a new Python process; fails the test with its output if it fails."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert proc.returncode == 0, f"child failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc
