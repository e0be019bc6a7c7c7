#!/usr/bin/env bash
# Runs a command against a real Secret Service: a private D-Bus session with a
# freshly unlocked gnome-keyring, in a throw-away XDG_DATA_HOME.
set -euo pipefail
# Go's caches are found from HOME: pin them before HOME moves, so the run
# reuses the build and module caches instead of starting cold.
export GOCACHE=${GOCACHE:-$(go env GOCACHE)} GOMODCACHE=${GOMODCACHE:-$(go env GOMODCACHE)} GOPATH=${GOPATH:-$(go env GOPATH)}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export XDG_DATA_HOME=$home/data XDG_RUNTIME_DIR=$home/run HOME=$home/home
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"
quoted=$(printf '%q ' "$@")
exec dbus-run-session -- bash -c "printf %s bwbulk-ci-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null && $quoted"
