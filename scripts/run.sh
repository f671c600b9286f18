#!/usr/bin/env bash
# Starts the gateway on a fresh machine: installs the system libyaml when it is missing, builds, and runs
# `ocpp809 run` with the arguments given (none: the embedded demo site on 2404 / 9000 / 127.0.0.1:9100).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! pkg-config --exists yaml-0.1 2>/dev/null; then
    echo "installing libyaml-dev and pkg-config (needed to build)" >&2
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq libyaml-dev pkg-config >/dev/null
fi
exec swift run ocpp809 run "$@"
