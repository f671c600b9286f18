#!/usr/bin/env bash
# Runs every test of ocpp809 on a fresh Debian machine: installs what the tests need, builds, runs the
# Swift unit tests, then the Python tests that drive the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! pkg-config --exists yaml-0.1 2>/dev/null; then
    echo "==> installing libyaml-dev"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libyaml-dev pkg-config
fi

echo "==> installing Python test dependencies"
pip_install() { python3 -m pip install --quiet --disable-pip-version-check "$@" -r Tests/python/requirements.txt; }
# Debian's own Python refuses system-wide installs (PEP 668); fall back to the user's site-packages there.
pip_install || pip_install --user --break-system-packages

echo "==> building"
swift build

echo "==> Swift tests"
swift test

echo "==> Python tests"
OCPP809_BIN="$(swift build --show-bin-path)/ocpp809" python3 -m pytest -q Tests/python
