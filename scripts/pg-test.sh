#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server: Debian's postgresql
# package, initdb into a temporary folder as the postgres user (initdb
# refuses root), a free loopback port, no fsync. The command finds the
# server's URL in BWBULK_TEST_POSTGRES; the server and its folder are gone
# when the command ends.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $bin/initdb ]] || { echo "pg-test: no PostgreSQL server in /usr/lib/postgresql (run scripts/deps.sh)" >&2; exit 1; }
dir=$(mktemp -d /tmp/bwbulk-pg-XXXXXX)
run=()
if [[ $(id -u) == 0 ]]; then
	chown postgres: "$dir"
	run=(runuser -u postgres --)
fi
stop() { "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap stop EXIT
"${run[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
	-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
	start >/dev/null
export BWBULK_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
echo "pg-test: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
