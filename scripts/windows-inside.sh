#!/usr/bin/env bash
# The Windows checks, run by scripts/windows-test.sh inside the Wine root:
# do not run it directly. RUN holds bwbulk.exe, jobs.test.exe and
# ui.test.exe; results go to RUN/out. Each check prints one line; the first
# that fails stops the run with its reason and the tail of its log.
#
# usage: windows-inside.sh RUN VERSION
set -euo pipefail
run=$1 version=$2
out=$run/out
mkdir -p "$out/shots"
export WINEPREFIX=$run/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wine=/usr/lib/wine/wine64

say() { echo "windows-test: $*"; }
fail() {
	echo "windows-test: FAIL: $1" >&2
	[[ -n ${2:-} && -f $2 ]] && { echo "--- last lines of $2:" >&2; tail -n 30 "$2" >&2; }
	exit 1
}
grey_sd() { convert "$1" -colorspace Gray -format '%[fx:standard_deviation]' info:; }
not_blank() { awk -v sd="$1" 'BEGIN { exit !(sd > 0.02) }'; }

# A copy of the prefix made when the root was built (wineboot is slow).
cp -a /opt/bwbulk/prefix "$WINEPREFIX"
winhome=$WINEPREFIX/drive_c/users/root

# One X server for the whole run, on a display number it finds free
# (abstract X sockets are shared with the host, so no fixed number).
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$run/display" 2>"$out/xvfb.log" &
xvfb=$!
cleanup() {
	/usr/lib/wine/wineserver -k 2>/dev/null || true
	kill "$xvfb" 2>/dev/null || true
	wait "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do [[ -s $run/display ]] && break; sleep 0.1; done
[[ -s $run/display ]] || fail "Xvfb did not start" "$out/xvfb.log"
export DISPLAY=:$(<"$run/display")

# 1. --version
v=$(timeout 120 "$wine" "$run/bwbulk.exe" --version 2>"$out/version.log") ||
	fail "bwbulk.exe --version exited with $?" "$out/version.log"
[[ $v == "bwbulk $version" ]] || fail "bwbulk.exe --version printed '$v', want 'bwbulk $version'"
say "--version: $v"

# The data folder: spaces and letters outside ASCII, as in a French
# profile folder.
data='C:\users\root\Données bwbulk\équipe 1'
udata="$winhome/Données bwbulk/équipe 1"

# 2. First frame.
line=$(timeout 180 "$wine" "$run/bwbulk.exe" --smoke --data-dir "$data" 2>"$out/smoke.log") ||
	fail "bwbulk.exe --smoke exited with $?" "$out/smoke.log"
[[ $line =~ ^first-frame-ms:\ [0-9]+$ ]] || fail "bwbulk.exe --smoke printed '$line'" "$out/smoke.log"
say "smoke: $line (Wine, Xvfb, llvmpipe)"
[[ -f $udata/bwbulk.db ]] || fail "no bwbulk.db in the data folder $data"

# 3. Every screen, with a task of 25 users on the built-in demo server.
shots='Z:'${out//\//\\}'\shots'
start=$SECONDS
timeout 600 "$wine" "$run/bwbulk.exe" --data-dir "$data" --scripted-demo "$shots" >"$out/scripted.log" 2>&1 ||
	fail "bwbulk.exe --scripted-demo exited with $?" "$out/scripted.log"
if grep -q 'scripted demo:' "$out/scripted.log"; then
	fail "the scripted demo stopped: $(grep 'scripted demo:' "$out/scripted.log")" "$out/scripted.log"
fi
n=0
for f in "$out"/shots/*.png; do
	[[ -f $f ]] || continue
	sd=$(grey_sd "$f") || fail "cannot read $f"
	not_blank "$sd" || fail "screenshot $(basename "$f") is blank (grey standard deviation $sd)"
	n=$((n + 1))
done
((n >= 20)) || fail "the scripted demo saved $n screenshots, want at least 20" "$out/scripted.log"
say "scripted demo: $n screenshots, none blank ($((SECONDS - start)) s)"

# 4. The task reached the demo server: its state file (in the data
# folder) holds the 25 users the tour created, with the names it typed,
# but the one whose job the tour undid.
state=$udata/demo-state.json
[[ -f $state ]] || fail "no demo-state.json in the data folder"
created=$(grep -o '"firstName": *"Demo"' "$state" | wc -l)
((created == 24)) || fail "the demo server holds $created users named Demo, want 24 (25 created, 1 undone)" "$out/scripted.log"
say "task: the demo server holds the 25 users of the task but the one undone"

# 5. The Windows keyring (Credential Manager): the store's data key and a
# profile password survive reopening; a profile password saved as the
# Connections screen saves it logs in after a restart.
(cd "$run" && timeout 300 "$wine" jobs.test.exe -test.run Keyring -test.count=1 -test.timeout=240s -test.v >"$out/keyring-jobs.log" 2>&1) ||
	fail "the jobs keyring test failed under Wine" "$out/keyring-jobs.log"
grep -q -- '--- PASS: TestKeyring_RealRoundTrip' "$out/keyring-jobs.log" || fail "TestKeyring_RealRoundTrip did not run" "$out/keyring-jobs.log"
(cd "$run" && timeout 300 "$wine" ui.test.exe -test.run 'Keyring_ProfilePassword|WindowsExportPaths' -test.count=1 -test.timeout=240s -test.v >"$out/ui.log" 2>&1) ||
	fail "the ui tests failed under Wine" "$out/ui.log"
for t in TestKeyring_ProfilePasswordThroughOSKeyring TestFileDialogs_WindowsExportPaths; do
	grep -q -- "--- PASS: $t" "$out/ui.log" || fail "$t did not pass" "$out/ui.log"
done
say "keyring: data key, draft and profile password through Credential Manager"

# The app as wired used Credential Manager too: the data key it sealed
# the task's passwords with is there.
grep -qi 'bwbulk:data-key' "$WINEPREFIX/user.reg" || fail "no bwbulk data key in Wine's Credential Manager (user.reg)"

# 6. Exports (ui.test.exe above): CSV into Documents, XLSX into a folder
# with spaces and accented letters, at the Windows paths a save dialog
# returns. The dialog itself is not driven under Wine (README).
grep -o 'exported to .*' "$out/ui.log" | sed 's/^/windows-test: export: /'
# 7. The command line as a Windows help desk scripts it: a profile whose
# password goes to Credential Manager, a CSV with accented names in a
# folder with spaces and accents, a task run to the end by a later
# process (which reads the password back), and its export to XLSX and
# CSV at Windows paths. The server is `bwbulk.exe sim`, also under Wine.
port=$((20000 + RANDOM % 20000))
"$wine" "$run/bwbulk.exe" sim --listen "127.0.0.1:$port" >"$out/sim.log" 2>&1 &
sim=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.3; done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "bwbulk.exe sim does not listen on port $port" "$out/sim.log"
data2='C:\users\root\Données bwbulk\équipe 2'
udocs="$winhome/Documents/Équipe Nord"
mkdir -p "$udocs"
printf 'User ID,First Name,Last Name\r\nrene.cote@acme.example.com,René,Côté\r\nzoe.lemaitre@acme.example.com,Zoé,Lemaître\r\n' >"$udocs/nouveaux é.csv"
docs='C:\users\root\Documents\Équipe Nord'
cli() { timeout 180 "$wine" "$run/bwbulk.exe" "$@" --data-dir "$data2" >>"$out/cli.log" 2>&1; }
echo welcome1 | cli profile add lab --address "127.0.0.1:$port" --admin admin ||
	fail "bwbulk.exe profile add failed" "$out/cli.log"
cli submit "$docs\nouveaux é.csv" --group acme-ent/acme-hq --wait --profile lab </dev/null ||
	fail "bwbulk.exe submit --wait failed" "$out/cli.log"
grep -q 'Task 1 completed: 2 of 2 users created' "$out/cli.log" || fail "the task of the command line did not complete" "$out/cli.log"
cli task 1 --export "$docs\tâche 1.xlsx" || fail "bwbulk.exe task 1 --export .xlsx failed" "$out/cli.log"
cli task 1 --export "$docs\tâche 1.csv" || fail "bwbulk.exe task 1 --export .csv failed" "$out/cli.log"
[[ $(head -c 2 "$udocs/tâche 1.xlsx" 2>/dev/null) == PK ]] || fail "no workbook at $docs\tâche 1.xlsx" "$out/cli.log"
grep -q 'zoe.lemaitre@acme.example.com' "$udocs/tâche 1.csv" 2>/dev/null || fail "$docs\tâche 1.csv lacks the created users" "$out/cli.log"
cp "$udocs/tâche 1.xlsx" "$udocs/tâche 1.csv" "$out/"
kill "$sim" 2>/dev/null || true
wait "$sim" 2>/dev/null || true
# Wine writes its registry (where Credential Manager keeps secrets) to
# user.reg when its server exits.
timeout 60 /usr/lib/wine/wineserver -w || true
grep -qi 'bwbulk:admin/' "$WINEPREFIX/user.reg" || fail "profile add left no password in Wine's Credential Manager (user.reg)"
grep -q 'welcome1' "$WINEPREFIX/user.reg" && fail "the profile password is in clear in Wine's registry"
say "command line: profile in Credential Manager, task of 2 users, exports in $docs"

say "all Windows checks passed"
