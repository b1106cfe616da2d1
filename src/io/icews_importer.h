#pragma once
// ICEWS coded events in the 20-column tab-separated Dataverse layout with a header line ("Event
// ID", "Event Date", "Source Name", ... "Longitude"; columns found by header name, whatever their
// case, surrounding spaces or quotes; a file without the header is read in the Dataverse column
// order when its first line is a row: 20 fields, an integer id, a YYYY-MM-DD date). One row is
// one event, identified by (Event ID, Event Date): user key "event:icews:<id>@<date>"; with
// merge_reciprocal, a reciprocal pair (A->B and B->A, same story, sentence, code and date,
// within a window of nearby rows) becomes "event:icews:<idA>+<idB>@<date>" with two participants.

#include <string_view>

#include "io/import_session.h"
#include "io/line_reader.h"

namespace geokg::io {

// True if `line` can start an ICEWS file: a header naming at least half of the ICEWS columns
// (the importer reports those that are missing), or a row of a file without a header.
bool LooksLikeIcews(std::string_view line);

// Imports the current member of `reader`. Bad rows are reported through the session; the
// returned Status is for I/O and store errors only.
Status ImportIcews(ImportSession* session, LineReader* reader);

}  // namespace geokg::io
