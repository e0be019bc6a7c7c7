#!/usr/bin/env bash
# Drives the real bwbulk window under Xvfb through every screen (the
# --scripted-demo flag) on the built-in demo server and saves one PNG per
# screen in OUT (xwd + ImageMagick: Fyne's own capture is blank under Xvfb).
# A private D-Bus session with an unlocked gnome-keyring stands in for the
# desktop keyring, so nothing prompts.
#
# usage: scripts/screenshots.sh [BIN] [OUT]
set -euo pipefail
bin=$(realpath "${1:-./bwbulk}")
out=$(realpath -m "${2:-shots}")
rm -rf "$out"
mkdir -p "$out"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export XDG_DATA_HOME=$home/data XDG_RUNTIME_DIR=$home/run HOME=$home/home XDG_CONFIG_HOME=$home/config
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$HOME" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
export LANG=${LANG:-C.UTF-8}
[[ $LANG == C || $LANG == C.* || $LANG == POSIX ]] && export LANG=en_US.UTF-8

run='xvfb-run -a -s "-screen 0 1366x768x24" "$0" --data-dir "$1" --scripted-demo "$2"'
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
	dbus-run-session -- bash -c 'printf %s bwbulk-shots | gnome-keyring-daemon --unlock --components=secrets >/dev/null && '"$run" \
		"$bin" "$home/data-dir" "$out"
else
	bash -c "$run" "$bin" "$home/data-dir" "$out"
fi
n=$(find "$out" -name '*.png' | wc -l)
echo "screenshots: $n PNGs in $out"
((n >= 20)) || { echo "screenshots: expected at least 20" >&2; exit 1; }
