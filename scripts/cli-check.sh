#!/usr/bin/env bash
# The command line as a help desk scripts it: a CSV of USERS users (default
# 1,000), each with a desk phone, goes validate → plan → submit --wait →
# task --export against `bwbulk sim` (the demo data, its headquarters group
# allowed USERS + 500 users), each step printed as typed with its output,
# exit status and time. Then the simulator's saved state is read: every user
# of the file must be there exactly once with its device, and the export
# must list every user as completed.
#
# Each step is measured by /usr/bin/time: its wall time and peak resident
# memory are printed after it, and once more as a table at the end, so
# the memory of validate, plan and export can be re-measured at 1,000,
# 10,000 and 100,000 users (the limit of one file). A file of more than
# 8,000 users has no extension column (the group's extensions have four
# digits). KEEP=DIR keeps the file, the exports and the table in DIR;
# SUBMIT=no stops after plan (validate and plan measured in a minute,
# without the task of 100,000 users); FORMAT=xlsx hands the commands the
# file as a workbook (LibreOffice converts it).
#
# The profile password goes to the OS keyring: on a machine without a
# desktop session, run it under scripts/keyring-test.sh.
#
#   scripts/keyring-test.sh scripts/cli-check.sh ./bwbulk [USERS]
#   for n in 1000 10000 100000; do scripts/keyring-test.sh scripts/cli-check.sh ./bwbulk $n; done
set -euo pipefail
bin=$(realpath "${1:?usage: $0 ./bwbulk [USERS]}")
n=${2:-1000}
[ -x /usr/bin/time ] || { echo "$0: needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 2; }
tmp=$(mktemp -d)
sim=
trap '[ -z "$sim" ] || kill "$sim" 2>/dev/null || true; [ -z "${KEEP:-}" ] || { mkdir -p "$KEEP" && cp "$tmp"/hires.* "$tmp"/created.* "$tmp"/measured.txt "$KEEP"/ 2>/dev/null; }; rm -rf "$tmp"' EXIT
port=$((24000 + RANDOM % 2000))
state="$tmp/state.json"
data="$tmp/data"
export LANG=C.UTF-8

. "$(dirname "$0")/sim-lib.sh"

# The demo data, saved, with room for the file's users.
sim_with_room "$n"

# The file: bwbulk's own headers, extensions 2000 on (up to 8,000 users),
# a Polycom each, MAC addresses 0004F2 and six hexadecimal digits.
cd "$tmp"
file=hires.csv
python3 - "$file" "$n" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
ext = n <= 8000
with open(path, "w") as f:
    f.write("userId,firstName,lastName," + ("extension," if ext else "") + "deviceType,macAddress\n")
    for i in range(1, n + 1):
        e = f"{1999 + i}," if ext else ""
        f.write(f"cli{i:06d}@acme.example.com,Cli,User{i:06d},{e}Polycom VVX 450,0004F2{i:06X}\n")
EOF
if [ "${FORMAT:-csv}" = xlsx ]; then
	libreoffice --headless --convert-to xlsx --outdir "$tmp" "$file" >/dev/null 2>&1
	file=hires.xlsx
fi

# step prints the command as typed, its output, exit status, wall time and
# peak resident memory (GNU time's maximum resident set size), and adds
# the figures to measured.txt.
printf '%-28s %10s %10s\n' "command ($n users)" "wall s" "peak MB" >"$tmp/measured.txt"
step() {
	local rc wall kb
	echo "\$ bwbulk $* --data-dir \$DATA"
	set +e
	/usr/bin/time -f '%e %M' -o "$tmp/time.txt" "$bin" "$@" --data-dir "$data" 2>&1 | sed 's/^/  /' | tail -n 25
	rc=${PIPESTATUS[0]}
	set -e
	read -r wall kb < <(tail -n 1 "$tmp/time.txt")
	printf '  → exit %d in %.2f s, peak RSS %d MB\n\n' "$rc" "$wall" "$((kb / 1024))"
	printf '%-28s %10.2f %10d\n' "$(echo "$*" | sed 's| --profile sim --group acme-ent/acme-hq||; s| --address.*||')" "$wall" "$((kb / 1024))" >>"$tmp/measured.txt"
	return "$rc"
}

echo "$n users in $(basename "$file") ($(wc -c <"$file") bytes), bwbulk sim on 127.0.0.1:$port"
echo
echo welcome1 | step profile add sim --address "127.0.0.1:$port" --admin admin
step validate "$file" --profile sim --group acme-ent/acme-hq
step plan "$file" --profile sim --group acme-ent/acme-hq
if [ "${SUBMIT:-}" = no ]; then
	stop_sim
	cat "$tmp/measured.txt"
	exit 0
fi
step submit "$file" --profile sim --group acme-ent/acme-hq --wait
step tasks
step task 1 --export created.xlsx
step task 1 --export created.csv
stop_sim
cat "$tmp/measured.txt"
echo

python3 - "$state" created.csv "$n" <<'EOF'
import csv, json, sys
state, export, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = json.load(open(state))
want = {f"cli{i:06d}@acme.example.com" for i in range(1, n + 1)}
users = s["users"]
ids = list(users.keys()) if isinstance(users, dict) else [u.get("userId") for u in users]
found = [u for u in ids if u in want]
dups = len(found) - len(set(found))
missing = len(want - set(found))
devices = s["serviceProviders"]["acme-ent"]["groups"]["acme-hq"]["devices"]
phones = sum(1 for d in devices if d.startswith("cli"))
with open(export, newline="", encoding="utf-8-sig") as f:
    rows = list(csv.DictReader(f))
done = sum(1 for r in rows if any(v == "completed" for v in r.values()))
print(f"server: {len(set(found))} of {n} users, {dups} duplicates, {missing} missing, {phones} devices; export: {len(rows)} rows, {done} completed")
sys.exit(0 if (len(set(found)), dups, missing, phones, done) == (n, 0, 0, n, n) else 1)
EOF
