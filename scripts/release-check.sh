#!/usr/bin/env bash
# A 1,000-user task against `bwbulk sim --release R` for each release given
# (default 20.0 21.0 22.0 23.0 24.0 25.0), with dropped connections, "try again later"
# refusals and error answers without errorCode. For each release it prints
# the run's figures, every command the server received, and how many user
# and device adds the server accepted (each must be exactly 1000).
#
#   scripts/release-check.sh ./bwbulk [RELEASE...]
set -euo pipefail
bin=${1:?usage: $0 ./bwbulk [RELEASE...]}
shift
releases=("$@")
[ ${#releases[@]} -gt 0 ] || releases=(20.0 21.0 22.0 23.0 24.0 25.0)
tmp=$(mktemp -d)
trap 'kill "$sim" 2>/dev/null || true; rm -rf "$tmp"' EXIT
go test -tags ci -c -o "$tmp/jobs.test" ./jobs/
status=0
for rel in "${releases[@]}"; do
	port=$((22000 + RANDOM % 2000))
	log="$tmp/sim-$rel.log"
	"$bin" sim --listen "127.0.0.1:$port" --release "$rel" --seed 7 --drop-every 37 --transient-rate 0.05 \
		--latency 1ms --omit-error-code >"$log" 2>&1 &
	sim=$!
	for _ in $(seq 50); do grep -q "OCI-P simulator on" "$log" && break; sleep 0.1; done
	if ! BWBULK_SIM_ADDR="127.0.0.1:$port" "$tmp/jobs.test" -test.run '^TestRunner_externalSim1000Users$' -test.v >"$tmp/run.log" 2>&1; then
		status=1
	fi
	grep '^jobs: external' "$tmp/run.log" || tail -20 "$tmp/run.log"
	kill -INT "$sim"
	wait "$sim" || true
	echo "  commands received: $(sed -n 's/^ocisim: [^ ]* \([A-Za-z0-9]*\): .*/\1/p' "$log" | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}')"
	users=$(grep -c ' UserAddRequest[0-9A-Za-z]*: ok$' "$log" || true)
	devices=$(grep -c ' GroupAccessDeviceAddRequest[0-9A-Za-z]*: ok$' "$log" || true)
	echo "  R$rel: user adds accepted $users, device adds accepted $devices"
	if [ "$users" != 1000 ] || [ "$devices" != 1000 ]; then
		echo "  R$rel: not exactly once" >&2
		status=1
	fi
done
exit $status
