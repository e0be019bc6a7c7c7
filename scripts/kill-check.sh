#!/usr/bin/env bash
# bwbulk killed (kill -9) at several points of a large submit --wait, then
# resumed: the simulator is a process of its own and lives on. After each
# kill the database must pass PRAGMA integrity_check; after the resume
# every job rests in one state with nothing in flight, every user the task
# completed is on the server exactly once and the server has no user of
# the file the task does not count as completed (a task whose storing was
# cut is cancelled as incomplete: its rows not stored were never sent).
#
#   scripts/keyring-test.sh scripts/kill-check.sh ./bwbulk [USERS] [SECONDS...]
#
# make test runs the same check at a few thousand users, killed at points
# chosen by what the process has done (cli TestCLI_KillNineDuringSubmit);
# this script is for large counts and kills at given seconds.
set -euo pipefail
bin=$(realpath "${1:?usage: $0 ./bwbulk [USERS] [SECONDS...]}")
n=${2:-20000}
shift 2 || true
points=("$@")
[ ${#points[@]} -gt 0 ] || points=(1 3 6 10)
tmp=$(mktemp -d)
sim=
trap '[ -z "$sim" ] || kill "$sim" 2>/dev/null || true; rm -rf "$tmp"' EXIT
export LANG=C.UTF-8
. "$(dirname "$0")/sim-lib.sh"
db() { sqlite3 "file:$2/bwbulk.db?mode=ro" "$1"; }

fail=0
for at in "${points[@]}"; do
	port=$((28000 + RANDOM % 2000))
	state="$tmp/state-$at.json"
	data="$tmp/data-$at"
	sim_with_room "$n"
	file="$tmp/users.csv"
	[ -f "$file" ] || python3 - "$file" "$n" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("userId,firstName,lastName,password,deviceType,deviceName,macAddress,linePort\n")
    for i in range(1, int(sys.argv[2]) + 1):
        f.write(f"kill{i:06d}@acme.example.com,Test,User{i:06d},Pw!{i:06d}xYz9,Polycom VVX 450,kill{i:06d}-phone,0004F3{i:06X},kill{i:06d}_lp@acme.example.com\n")
PY
	echo welcome1 | "$bin" profile add sim --address "127.0.0.1:$port" --admin admin --data-dir "$data" >/dev/null
	"$bin" submit "$file" --profile sim --group acme-ent/acme-hq --wait --data-dir "$data" >"$tmp/submit.log" 2>&1 &
	pid=$!
	sleep "$at"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	integrity=$(db "PRAGMA integrity_check" "$data")
	at_kill=$(db "SELECT count(*) || ' stored, ' || sum(status = 'completed') || ' completed, ' || sum(inflight) || ' in flight' FROM jobs" "$data")
	t0=$(date +%s.%N)
	"$bin" resume 1 --profile sim --data-dir "$data" >"$tmp/resume.log" 2>&1 || true
	t1=$(date +%s.%N)
	task=$(db "SELECT status FROM tasks WHERE id = 1" "$data")
	jobs=$(db "SELECT group_concat(status || ' ' || n, ', ') FROM (SELECT status, count(*) AS n FROM jobs GROUP BY status)" "$data")
	inflight=$(db "SELECT count(*) FROM jobs WHERE inflight = 1 OR status NOT IN ('completed','failed','cancelled')" "$data")
	db "SELECT user_id FROM jobs WHERE status = 'completed'" "$data" | sort >"$tmp/completed.txt"
	kill -INT "$sim"; wait "$sim" || true; sim=
	ok=0
	python3 - "$state" "$tmp/completed.txt" >"$tmp/server.txt" <<'PY' || ok=$?
import json, sys
s = json.load(open(sys.argv[1]))
users = s["users"]
ids = list(users.keys()) if isinstance(users, dict) else [u.get("userId") for u in users]
mine = [u for u in ids if u.startswith("kill")]
done = set(open(sys.argv[2]).read().split())
dups = len(mine) - len(set(mine))
extra = len(set(mine) - done)
missing = len(done - set(mine))
print(f"server {len(set(mine))} users, {dups} twice, {extra} not counted completed, {missing} completed but not there")
sys.exit(0 if dups == extra == missing == 0 else 1)
PY
	verdict=ok
	if [ "$integrity" != ok ] || [ "$inflight" != 0 ] || [ "$ok" != 0 ]; then verdict=FAILED; fail=1; fi
	printf 'kill -9 at %ss: integrity %s; at the kill %s; resume %.1f s: task %s, jobs %s; %s: %s\n' \
		"$at" "$integrity" "$at_kill" "$(echo "$t1 - $t0" | bc)" "$task" "$jobs" "$(cat "$tmp/server.txt")" "$verdict"
done
exit "$fail"
