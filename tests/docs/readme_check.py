"""Checks that README.md's code examples are the files the tests run.

A fenced block preceded by `<!-- file: PATH -->` must equal PATH exactly, so
the README can never drift from examples/cpp/main.cc and
examples/python/quickstart.py, which `make test` builds and runs.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PATTERN = re.compile(r"<!-- file: (\S+) -->\n```[a-z+]*\n(.*?)```", re.S)


def main() -> int:
    readme = (ROOT / "README.md").read_text()
    blocks = PATTERN.findall(readme)
    if len(blocks) < 2:
        print("README.md: expected the C++ and Python examples marked with <!-- file: ... -->")
        return 1
    bad = 0
    for path, body in blocks:
        want = (ROOT / path).read_text()
        if body != want:
            print(f"README.md: the block for {path} differs from the file; copy the file in")
            bad += 1
    print(f"README.md: {len(blocks) - bad} of {len(blocks)} example blocks match their files")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
