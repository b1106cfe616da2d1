#!/usr/bin/env bash
# Quick start, command 1: installs dependencies, builds geokg, loads the bundled example dataset
# (data/examples/: a French news article modelled record by record, as its header says) into a
# fresh store and prints an actor's relationships.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
BUILD_DIR=${BUILD_DIR:-build} tools/build.sh -DGEOKG_BUILD_TESTS=OFF -DGEOKG_BUILD_BENCH=OFF
GEOKG="${BUILD_DIR:-build}/geokg"
# A store of its own inside the build directory, made afresh each run (never the user's GEOKG_DB).
DB="${BUILD_DIR:-build}/example.db"
rm -rf "$DB"
"$GEOKG" --db "$DB" load data/examples/*.jsonl
"$GEOKG" --db "$DB" actor "Kim Jong-Un"
echo
echo "The example store is $DB; try: $GEOKG --db $DB events --status speculated" >&2
