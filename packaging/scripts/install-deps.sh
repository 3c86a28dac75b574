#!/bin/sh
# Installs what Sluice needs to build, test and run on Debian 12, and nothing when it is all
# there already. Runs apt-get as root, or through sudo for a normal user.
set -eu

# qt6-websockets-dev is listed on its own: Qt6HttpServer's CMake package needs Qt6WebSockets,
# but Debian's qt6-httpserver-dev does not depend on it.
PACKAGES="cmake ninja-build g++ pkg-config
qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-charts-dev
libgl-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libssl-dev libcurl4-openssl-dev
qt6-httpserver-dev qt6-websockets-dev
fonts-dejavu-core"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: these packages are missing:$missing" >&2
    echo "install-deps: run this script as root, or install sudo." >&2
    exit 1
fi
echo "install-deps: installing$missing"
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
