#!/bin/sh
# Configures and builds the plugin into build/ (or $MSSTUN_BUILD_DIR).
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=${MSSTUN_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${MSSTUN_CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
