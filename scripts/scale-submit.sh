#!/usr/bin/env bash
# The issue's measure of a large submit, from outside: a CSV of USERS users
# in bwbulk's own headers (a Polycom each) goes `bwbulk submit --wait` into
# the demo group acme-ent/acme-hq of a separate `bwbulk sim` (--latency
# LATENCY, default 0). Prints the submit's wall time, when the first job
# was done and the jobs phase ran, bwbulk's peak RSS and CPU
# (/usr/bin/time -v), and the size of bwbulk.db per user; then checks the
# simulator holds every user exactly once.
#
#   scripts/keyring-test.sh scripts/scale-submit.sh ./bwbulk [USERS] [LATENCY]
#
# SUBMIT_ENV="NAME=VALUE ..." is the environment of the submit alone.
set -euo pipefail
bin=$(realpath "${1:?usage: $0 ./bwbulk [USERS] [LATENCY]}")
n=${2:-100000}
lat=${3:-0}
tmp=$(mktemp -d)
sim=
trap '[ -z "$sim" ] || kill "$sim" 2>/dev/null || true; rm -rf "$tmp"' EXIT
port=$((26000 + RANDOM % 2000))
state="$tmp/state.json"
data="$tmp/data"
export LANG=C.UTF-8

. "$(dirname "$0")/sim-lib.sh"
sim_with_room "$n" --latency "$lat"

file="$tmp/users.csv"
python3 - "$file" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("userId,firstName,lastName,password,deviceType,deviceName,macAddress,linePort\n")
    for i in range(1, n + 1):
        f.write(f"bulk{i:06d}@acme.example.com,Test,User{i:06d},Pw!{i:06d}xYz9,Polycom VVX 450,bulk{i:06d}-phone,0004F2{i:06X},bulk{i:06d}_lp@acme.example.com\n")
PY
echo welcome1 | "$bin" profile add sim --address "127.0.0.1:$port" --admin admin --data-dir "$data" >/dev/null

simcpu0=$(awk '{print $14+$15}' /proc/"$sim"/stat)
t0=$(date +%s.%N)
set +e
/usr/bin/time -v -o "$tmp/time.txt" env ${SUBMIT_ENV:-} "$bin" submit "$file" --profile sim --group acme-ent/acme-hq --wait --data-dir "$data" 2>&1 |
	while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done >"$tmp/out.txt"
rc=${PIPESTATUS[0]}
set -e
t1=$(date +%s.%N)
simcpu1=$(awk '{print $14+$15}' /proc/"$sim"/stat)
tail -n 4 "$tmp/out.txt" | cut -d' ' -f2- | sed 's/^/  /'
# When the submit said the task was stored, when its first job and its
# last were done (the jobs' updated_at, Unix ms), and the jobs phase: from
# the first job's send (its first audit entry) to the last job done.
stored=$(awk -v t0="$t0" '/stored:/ {printf "%.2f", $1 - t0; exit}' "$tmp/out.txt")
read -r firstms lastms < <(sqlite3 -separator ' ' "file:$data/bwbulk.db?mode=ro" \
	"SELECT min(updated_at), max(updated_at) FROM jobs WHERE status = 'completed'")
sentms=$(sqlite3 "file:$data/bwbulk.db?mode=ro" "SELECT min(at) FROM audit WHERE job_id <> 0")
first=$(echo "scale=2; $firstms / 1000 - $t0" | bc)
phase=$(echo "scale=2; ($lastms - $sentms) / 1000" | bc)
rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$tmp/time.txt")
user=$(awk -F': ' '/User time/ {print $2}' "$tmp/time.txt")
sys=$(awk -F': ' '/System time/ {print $2}' "$tmp/time.txt")
db=$(du -cb "$data"/bwbulk.db* 2>/dev/null | tail -1 | cut -f1)
printf 'users %d, latency %s: exit %d, submit wall %.2f s, task stored at %s s, first job done at %s s, jobs phase %s s, peak RSS %s MB, bwbulk CPU %s s user + %s s sys, sim CPU %.1f s, bwbulk.db %d B = %.0f B/user\n' \
	"$n" "$lat" "$rc" "$(echo "$t1 - $t0" | bc)" "${stored:-?}" "${first:-?}" "${phase:-?}" "$rss" "$user" "$sys" "$(echo "($simcpu1 - $simcpu0)/100" | bc -l)" "$db" "$(echo "$db / $n" | bc -l)"
stop_sim
python3 - "$state" "$n" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); n = int(sys.argv[2])
users = s["users"]
ids = list(users.keys()) if isinstance(users, dict) else [u.get("userId") for u in users]
want = {f"bulk{i:06d}@acme.example.com" for i in range(1, n + 1)}
found = [u for u in ids if u in want]
print(f"server: {len(set(found))} of {n} users, {len(found)-len(set(found))} duplicates, {len(want-set(found))} missing")
sys.exit(0 if len(set(found)) == n == len(found) else 1)
PY
[ -n "${KEEP_OUT:-}" ] && cp "$tmp/out.txt" "$KEEP_OUT" || true
exit "$rc"
