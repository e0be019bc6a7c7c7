#!/usr/bin/env bash
# Installs, on Debian or Ubuntu, the system packages bwbulk needs to build, test and run.
# Idempotent: it asks apt only for what is missing, so a second run costs a dpkg query.
set -euo pipefail

pkgs=(
	# cgo toolchain and Fyne's OpenGL/X11 headers (Fyne v2.7 needs no Wayland headers).
	gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev
	# a real window without a display, and screenshots of it.
	xvfb xauth x11-apps imagemagick
	# a real Secret Service for the keyring tests.
	dbus dbus-x11 gnome-keyring
	# xmllint, which checks our request documents against the OCI-P schema.
	libxml2-utils
	# PostgreSQL, the team database: the tests start a throw-away server of their own.
	postgresql python3
	# LibreOffice Calc, which opens the workbooks and CSV files bwbulk writes in the tests.
	libreoffice-calc-nogui
)
if [[ ${BWBULK_DEPS_WINDOWS:-0} == 1 ]]; then
	pkgs+=(gcc-mingw-w64-x86-64)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
((${#missing[@]})) || exit 0

sudo=
[[ $(id -u) == 0 ]] || sudo=sudo
echo "deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
