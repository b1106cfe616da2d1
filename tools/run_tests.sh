#!/usr/bin/env bash
# Quick start, command 2: installs dependencies, builds geokg with its tests, and runs the whole
# test suite: the Catch2 tests (including the hidden [.slow] ones, which read ../shared/data when
# it is there) through ctest and the test binary.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
BUILD_DIR=${BUILD_DIR:-build}
BUILD_DIR=$BUILD_DIR tools/build.sh -DGEOKG_BUILD_TESTS=ON "$@"
"$BUILD_DIR/tests/geokg_tests"
"$BUILD_DIR/tests/geokg_tests" "[.slow]"
