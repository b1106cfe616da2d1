#!/usr/bin/env bash
# Quick start, command 2: installs dependencies, builds geokg with its tests, and runs the whole
# test suite through ctest: the Catch2 binary's fast tests, then its hidden [.slow] ones (which
# read ../shared/data when it is there).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
BUILD_DIR=${BUILD_DIR:-build}
BUILD_DIR=$BUILD_DIR tools/build.sh -DGEOKG_BUILD_TESTS=ON "$@"
ctest --test-dir "$BUILD_DIR" --output-on-failure
