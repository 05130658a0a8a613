"""Checks that src/ layers include only themselves and the layers below.

The order is the one src/CMakeLists.txt adds them in; docs/architecture.md
describes each layer.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
ORDER = ["util", "simd", "env", "coord", "storage", "snapshot", "wal", "txn", "algo", "vector", "db", "import", "cli"]
INCLUDE = re.compile(r'#include "([a-z_]+)/')


def main() -> int:
    bad = []
    for i, layer in enumerate(ORDER):
        allowed = set(ORDER[: i + 1]) | {"nendb"}
        for path in sorted((ROOT / "src" / layer).glob("*.[ch]*")):
            for n, line in enumerate(path.read_text().splitlines(), 1):
                m = INCLUDE.match(line)
                if m and m.group(1) in ORDER and m.group(1) not in allowed:
                    bad.append(f"{path.relative_to(ROOT)}:{n}: {layer} must not include {m.group(1)}/")
    for b in bad:
        print(b)
    print(f"layering: {len(bad)} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
