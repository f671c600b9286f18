#!/usr/bin/env bash
# Starts the gateway on a fresh machine: installs the system libyaml when it is missing, builds, and runs
# `ocpp809 run` with the arguments given (none: the embedded demo site on 2404 / 9000 / 127.0.0.1:9100).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-libyaml.sh
exec swift run ocpp809 run "$@"
