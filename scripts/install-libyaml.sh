#!/usr/bin/env bash
# Installs the system libyaml (and pkg-config, which finds it) on Debian/Ubuntu when the build cannot find it;
# shared by scripts/run.sh and scripts/test.sh.
set -euo pipefail
if pkg-config --exists yaml-0.1 2>/dev/null; then exit 0; fi
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
echo "==> installing libyaml-dev and pkg-config" >&2
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libyaml-dev pkg-config
