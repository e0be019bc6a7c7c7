#!/usr/bin/env bash
# Opens the real window under Xvfb: prints the first-frame time reported by
# --smoke, then starts the app normally, takes a screenshot of the screen and
# fails if it is blank (a single colour).
set -euo pipefail
bin=${1:-./bwbulk}
out=${2:-shots}
mkdir -p "$out"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
	set -euo pipefail
	bin=$1 data=$2 out=$3
	line=$(timeout 60 "$bin" --smoke --data-dir "$data")
	echo "$line"
	[[ $line =~ ^first-frame-ms:\ [0-9]+$ ]] || { echo "smoke: unexpected output: $line" >&2; exit 1; }
	"$bin" --data-dir "$data" & pid=$!
	sleep 5
	xwd -root -silent | convert xwd:- "$out/smoke.png"
	kill $pid; wait $pid 2>/dev/null || true
' _ "$bin" "$data" "$out"

sd=$(convert "$out/smoke.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "smoke: $out/smoke.png grey standard deviation $sd"
awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || { echo "smoke: screenshot is blank" >&2; exit 1; }
