#!/usr/bin/env bash
# Opens the real window under Xvfb: prints the first-frame time reported by
# --smoke, then starts the app normally, takes screenshots of the screen until
# one shows the window, and fails if none does (a blank, single-colour screen).
# The app runs in a private D-Bus session with an unlocked keyring, as on a
# desktop, so no keyring prompt covers the window.
set -euo pipefail
bin=$(realpath "${1:-./bwbulk}")
out=$(realpath -m "${2:-shots}")
mkdir -p "$out"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export LANG=${LANG:-C.UTF-8} LC_ALL=
[[ $LANG == C* ]] && export LANG=en_US.UTF-8

here=$(dirname "$0")
"$here/keyring-test.sh" xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
	set -euo pipefail
	bin=$1 data=$2 out=$3
	line=$(timeout 120 "$bin" --smoke --data-dir "$data" 2>"$out/smoke.log")
	echo "$line"
	[[ $line =~ ^first-frame-ms:\ [0-9]+$ ]] || { echo "smoke: unexpected output: $line" >&2; exit 1; }
	"$bin" --data-dir "$data" 2>>"$out/smoke.log" & pid=$!
	for i in $(seq 1 30); do
		sleep 2
		xwd -root -silent | convert xwd:- "$out/smoke.png"
		sd=$(convert "$out/smoke.png" -colorspace Gray -format "%[fx:standard_deviation]" info:)
		awk -v sd="$sd" "BEGIN { exit !(sd > 0.02) }" && break
	done
	sleep 2
	xwd -root -silent | convert xwd:- "$out/smoke.png"
	# Closing: SIGTERM quits the app. One that is still there 20 s later
	# leaves its goroutines in the log (SIGQUIT) and is reported.
	kill $pid
	for i in $(seq 1 100); do kill -0 $pid 2>/dev/null || break; sleep 0.2; done
	if kill -0 $pid 2>/dev/null; then
		kill -QUIT $pid; sleep 2; kill -KILL $pid 2>/dev/null || true
		echo "smoke: the app did not quit within 20 s of SIGTERM; goroutines in $out/smoke.log" >&2
		grep -A12 "^goroutine 1 " "$out/smoke.log" >&2 || true
	fi
	wait $pid 2>/dev/null || true
' _ "$bin" "$data" "$out"

sd=$(convert "$out/smoke.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "smoke: $out/smoke.png grey standard deviation $sd"
awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || { echo "smoke: screenshot is blank" >&2; exit 1; }
