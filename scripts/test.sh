#!/usr/bin/env bash
# Runs every test of ocpp809 on a fresh Debian machine: installs what the tests need, builds, runs the
# Swift unit tests, then the Python tests that drive the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-libyaml.sh

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
