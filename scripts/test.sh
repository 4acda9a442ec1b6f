#!/bin/sh
# Install what the tests need and run the whole test suite (the README's second command).
# As root, also installs and unpacks the real Docker engines for the conformance tests;
# elsewhere those tests are skipped with the reason.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
sh scripts/setup-render-tools.sh || echo "render tools missing: diagram tool tests will be skipped" >&2
sh scripts/setup-test-tools.sh || echo "tshark or chromium missing: the tests needing them will be skipped" >&2
if [ "$(id -u)" = 0 ]; then
    .venv/bin/python -m netsim.verify setup || echo "engine setup failed: live conformance tests will be skipped" >&2
fi
exec .venv/bin/python -m pytest "$@"
