# Sourced by the scripts that measure bwbulk against a `bwbulk sim` of its
# own. The caller sets bin (the binary), tmp (a scratch folder), port and
# state (the simulator's state file) and `sim=` before its EXIT trap.
#
#   start_sim [ARGS...]   starts the simulator (ARGS: more flags, e.g.
#                         --latency 20ms) and waits until it listens
#   stop_sim              stops it as Ctrl-C does: its state is saved
#   sim_with_room N       saves the demo data with room for N users (and
#                         500 more) in acme-ent/acme-hq, then starts it

start_sim() {
	"$bin" sim --listen "127.0.0.1:$port" --state "$state" --quiet "$@" >"$tmp/sim.log" 2>&1 &
	sim=$!
	for _ in $(seq 300); do grep -q "OCI-P simulator on" "$tmp/sim.log" && return; sleep 0.1; done
	cat "$tmp/sim.log" >&2
	exit 1
}

stop_sim() { kill -INT "$sim"; wait "$sim" || true; sim=; }

sim_with_room() {
	local n=$1
	shift
	start_sim "$@"
	stop_sim
	python3 - "$state" "$n" <<'PY'
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
s = json.load(open(path))
s["serviceProviders"]["acme-ent"]["groups"]["acme-hq"]["userLimit"] = n + 500
json.dump(s, open(path, "w"))
PY
	rm -f "$state.log"
	start_sim "$@"
}
