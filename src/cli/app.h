#pragma once
// The geokg command line: builds the CLI11 app with every sub-command (one file per sub-command
// in src/cli/), runs it, and maps errors to the exit codes documented in docs/cli.md.

namespace geokg::cli {

// Runs geokg with the given arguments; returns the process exit code.
int Main(int argc, char** argv);

}  // namespace geokg::cli
