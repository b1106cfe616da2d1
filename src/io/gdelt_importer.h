#pragma once
// GDELT event tables, tab-separated without a header: 1.0 (57 columns, 58 with SOURCEURL) and
// 2.0 (61 columns: three ADM2 codes added). Column layouts: ../shared/data/gdelt_schema (see
// docs/cli.md). One row is one event, "event:gdelt:<GLOBALEVENTID>", dated by SQLDATE (day);
// Actor1 is the initiator and Actor2 the target when they have a name. GDELT's own QuadClass and
// GoldsteinScale are kept on the event.

#include <string>
#include <string_view>

#include "io/import_session.h"
#include "io/line_reader.h"

namespace geokg::io {

enum class GdeltVersion { k1, k2 };

// What `line`, the first line of a file, is when it belongs to one of the tables GDELT publishes
// beside its events under similar names ("a GDELT 2.0 Mentions table (*.mentions.CSV, ...)"), or
// "" when it is none of them: 2.0 Mentions and GKG rows (recognized by their dates and record
// ids, not only by their column count), and the 1.0 GKG files' header lines.
std::string GdeltOtherTable(std::string_view line);

// Imports the current member of `reader`. A member that is one of GDELT's other tables
// (GdeltOtherTable) is reported once, as a file error, and skipped. Bad rows are reported through
// the session; the returned Status is for I/O and store errors only.
Status ImportGdelt(ImportSession* session, LineReader* reader, GdeltVersion version);

}  // namespace geokg::io
