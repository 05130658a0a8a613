"""The `nendb` command-line program is installed on PATH by `pip install .`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig

import pytest


def find_cli():
    scripts = sysconfig.get_path("scripts")
    exe = os.path.join(scripts, "nendb")
    if os.path.exists(exe):
        return exe
    return shutil.which("nendb")


def test_cli_is_installed_and_runs():
    exe = find_cli()
    if exe is None:
        pytest.skip("the nendb CLI target (src/cli, nendb_cli) was not built into this install")
    assert shutil.which("nendb") is not None, "nendb is installed but not on PATH"
    proc = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=30)
    assert proc.returncode >= 0, f"nendb --help was killed by signal {-proc.returncode}"
    assert "nendb" in (proc.stdout + proc.stderr)
