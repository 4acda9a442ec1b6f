#!/bin/sh
# Install the packet tools the pcap tests read files back with (tshark, from
# Debian's packages). Idempotent and quick when present; without root the
# tests that need tshark are skipped with the reason.
set -eu
if command -v tshark >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-test-tools: not root, cannot install tshark" >&2
    exit 1
fi
echo "setup-test-tools: apt-get install tshark" >&2
apt-get update -qq >/dev/null
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tshark >/dev/null
