# Shared by the scripts that use the Wine root (sourced, not run).

# in_root ROOT CMD... runs CMD inside ROOT with /proc, /dev and /sys
# mounted and a clean environment (give variables as NAME=VALUE before
# CMD). The mounts live in a private mount namespace, so they vanish with
# the command whatever happens to it; nothing is ever left mounted.
in_root() {
	unshare -m --propagation private bash -euo pipefail -c '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount --rbind /dev "$r/dev"
		mount -t sysfs sys "$r/sys"
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
	' _ "$@"
}
