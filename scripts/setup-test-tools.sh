#!/bin/sh
# Install the tools some tests drive, from Debian's packages: tshark (the pcap
# tests read files back with it) and chromium (the report's browser tests, run
# headless through Playwright; Playwright's own browser downloads are never
# used). Idempotent and quick when present; without root the tests that need
# a missing tool are skipped with the reason.
set -eu
missing=""
command -v tshark >/dev/null 2>&1 || missing="$missing tshark"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
if [ -z "$missing" ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-test-tools: not root, cannot install:$missing" >&2
    exit 1
fi
echo "setup-test-tools: apt-get install$missing" >&2
apt-get update -qq >/dev/null
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
# shellcheck disable=SC2086 # the list is meant to split into package names
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
