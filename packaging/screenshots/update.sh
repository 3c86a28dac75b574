#!/bin/sh
# Renders the screenshots in this folder from a fresh demo workspace, off screen.
# Usage: packaging/screenshots/update.sh [BUILD_DIR]   (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
cmake --build "$build" --target sluice-screenshots
QT_QPA_PLATFORM=offscreen "$build/tests/sluice-screenshots" "$here"
