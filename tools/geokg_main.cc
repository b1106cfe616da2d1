// The geokg command-line tool: all the work is in src/cli (cli/app.h).
#include "cli/app.h"

int main(int argc, char** argv) { return geokg::cli::Main(argc, argv); }
