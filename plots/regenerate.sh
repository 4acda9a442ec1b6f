#!/bin/sh
# Regenerate every picture of the gallery (plots/NAME/*, plots/GALLERY.md) from scenarios/.
# Deterministic: a second run changes no byte. diagram.svg needs Graphviz's dot
# (scripts/setup-render-tools.sh installs it).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
exec .venv/bin/python scripts/gallery.py --out plots --prune scenarios/*.yaml "$@"
