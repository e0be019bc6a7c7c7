#!/usr/bin/env bash
# Starts the Windows build under Wine, as our users run it, and exercises
# it: --version, the first-frame time, every screen (screenshots must not
# be blank), a task of 25 users on the built-in demo server, profile
# passwords and the data key in Credential Manager, a data folder with
# spaces and accented letters, exports at Windows paths (Documents and a
# folder with accents), and the command line (profile, submit --wait,
# task --export) against `bwbulk.exe sim`. The checks are in
# scripts/windows-inside.sh; README "Windows under Wine" lists them and
# what Wine cannot show.
#
# Wine runs in a Debian trixie root kept in a cache folder (see
# scripts/wine-root.sh: built once, about 3 to 10 minutes, reused later).
# Needs root for chroot; re-runs itself with sudo otherwise.
#
# usage: scripts/windows-test.sh BWBULK_EXE JOBS_TEST_EXE UI_TEST_EXE VERSION [OUT]
#   OUT (default shots/windows) receives the screenshots and the logs.
set -euo pipefail
if [[ $(id -u) != 0 ]]; then
	exec sudo --preserve-env=BWBULK_WINE_CACHE,BWBULK_DEBIAN_MIRROR "$0" "$@"
fi
(($# >= 4)) || { echo "usage: $0 BWBULK_EXE JOBS_TEST_EXE UI_TEST_EXE VERSION [OUT]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
exe=$1 jobs_test=$2 ui_test=$3 version=$4 out=$(realpath -m "${5:-shots/windows}")
for f in "$exe" "$jobs_test" "$ui_test"; do
	[[ -f $f ]] || { echo "windows-test: FAIL: $f is missing" >&2; exit 1; }
done
. "$here/wine-lib.sh"

start=$SECONDS
root=$("$here/wine-root.sh") || { echo "windows-test: FAIL: no Wine root (see above)" >&2; exit 1; }
echo "windows-test: Wine root $root ready after $((SECONDS - start)) s"

# A private folder inside the root for this run, removed afterwards.
run=$(mktemp -d "$root/tmp/bwbulk-test.XXXXXX")
trap 'rm -rf --one-file-system "$run"' EXIT
cp "$exe" "$run/bwbulk.exe"
cp "$jobs_test" "$run/jobs.test.exe"
cp "$ui_test" "$run/ui.test.exe"
cp "$here/windows-inside.sh" "$run/inside.sh"
inrun=/tmp/$(basename "$run")

rc=0
in_root "$root" bash "$inrun/inside.sh" "$inrun" "$version" || rc=$?
rm -rf "$out"
mkdir -p "$out"
cp -r "$run/out/." "$out/" 2>/dev/null || true
echo "windows-test: screenshots and logs in $out ($((SECONDS - start)) s in all)"
if ((rc != 0)); then
	echo "windows-test: FAIL: the Windows build did not pass under Wine (exit $rc)" >&2
	exit "$rc"
fi
