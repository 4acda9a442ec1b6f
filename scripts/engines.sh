#!/bin/sh
# Install Docker 20.10 and unpack Docker 28.5 for the real-engine harness (needs root).
# Idempotent and quick when already done. Same as: python -m netsim.verify setup
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-"$here/.venv/bin/python"}
[ -x "$python" ] || python=python3
cd "$here"
exec "$python" -m netsim.verify setup "$@"
