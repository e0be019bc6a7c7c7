#!/usr/bin/env bash
# Makes sure a Debian trixie root file system with Wine 10 and Xvfb exists in
# the cache folder, and prints its path. Debian 12's Wine 8 cannot start
# programs built by Go 1.26; trixie's Wine 10 can.
#
# The root is built once (debootstrap, then apt inside it: about 10 minutes,
# mostly downloads) and reused while its stamp matches the recipe below and
# Wine still starts in it. A missing, unfinished or broken root is built
# again from scratch. It is built next to the old one and renamed into place
# only when complete, so an interrupted build is never taken for a good one.
#
# Needs root (debootstrap, chroot, mount); mounts live in a private mount
# namespace (unshare), so they disappear with the process whatever happens.
#
# usage: scripts/wine-root.sh        (cache: $BWBULK_WINE_CACHE, see below)
# environment:
#   BWBULK_WINE_CACHE     cache folder (default /var/cache/bwbulk-wine)
#   BWBULK_DEBIAN_MIRROR  Debian mirror (default http://deb.debian.org/debian)
set -euo pipefail

cache=${BWBULK_WINE_CACHE:-/var/cache/bwbulk-wine}
mirror=${BWBULK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=trixie
pkgs=(wine wine64 xvfb xauth x11-apps imagemagick libgl1-mesa-dri)
# Everything that shapes the root; a change here rebuilds it.
recipe="v1 $suite $mirror i386 ${pkgs[*]} prefix:wineboot"

say() { echo "wine-root: $*" >&2; }
die() { say "$*"; exit 1; }

[[ $(id -u) == 0 ]] || die "needs root (debootstrap and chroot); run it as root or with sudo"
command -v unshare >/dev/null || die "unshare (util-linux) is missing"

root=$cache/root
stamp=$cache/stamp

. "$(dirname "$0")/wine-lib.sh"

# healthy: the stamp matches the recipe and Wine answers inside the root.
healthy() {
	[[ -f $stamp && $(<"$stamp") == "$recipe" ]] || return 1
	[[ -x $root/usr/lib/wine/wine64 && -d $root/opt/bwbulk/prefix/drive_c ]] || return 1
	in_root "$root" /usr/lib/wine/wine64 --version >/dev/null 2>&1
}

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
if healthy; then
	echo "$root"
	exit 0
fi
if [[ -e $root ]]; then
	say "the Wine root in $root is missing its stamp, out of date or broken: building it again"
fi

if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

new=$cache/root.new
rm -rf --one-file-system "$new"
start=$SECONDS
say "debootstrap $suite from $mirror into $new (several minutes)"
# --one-file-system above and the private namespace here: a mount left in a
# half-built root can never be followed by rm.
unshare -m --propagation private debootstrap --variant=minbase "$suite" "$new" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
	die "debootstrap failed; last lines of $cache/debootstrap.log:
$(tail -n 20 "$cache/debootstrap.log")"
say "debootstrap done in $((SECONDS - start)) s; installing ${pkgs[*]}"

cp /etc/resolv.conf "$new/etc/resolv.conf" 2>/dev/null || true
in_root "$new" DEBIAN_FRONTEND=noninteractive bash -euo pipefail -c '
	dpkg --add-architecture i386
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "$@"
	apt-get clean
' _ "${pkgs[@]}" >"$cache/apt.log" 2>&1 ||
	die "apt-get in the new root failed; last lines of $cache/apt.log:
$(tail -n 20 "$cache/apt.log")"
say "packages installed, $((SECONDS - start)) s so far; creating the Wine prefix"

# A ready Wine prefix (wineboot takes a while); each test copies it. Gecko
# and Mono are not installed and not asked for (the dialog would wait).
mkdir -p "$new/opt/bwbulk"
in_root "$new" WINEPREFIX=/opt/bwbulk/prefix WINEDLLOVERRIDES="mscoree,mshtml=" WINEDEBUG=-all \
	bash -euo pipefail -c '
		xvfb-run -a /usr/lib/wine/wine64 wineboot --init
		/usr/lib/wine/wineserver -w
' >"$cache/wineboot.log" 2>&1 ||
	die "wineboot in the new root failed; last lines of $cache/wineboot.log:
$(tail -n 20 "$cache/wineboot.log")"

rm -f "$stamp"
rm -rf --one-file-system "$root"
mv "$new" "$root"
echo "$recipe" >"$stamp"
healthy || die "the new Wine root in $root does not start wine; see $cache/*.log"
say "Wine root ready in $root ($((SECONDS - start)) s): $(in_root "$root" /usr/lib/wine/wine64 --version 2>/dev/null)"
echo "$root"
