#pragma once
// Temporal knowledge-graph sets in the RE-Net layout: a directory with entity2id.txt and
// relation2id.txt ("name<TAB>id") and train/valid/test.txt quadruples
// ("subject<TAB>relation<TAB>object<TAB>time[<TAB>0]", fields possibly space-padded). Relations
// are CAMEO codes ("042") or CAMEO event names ("Make an appeal or request"). Each fact is an
// event keyed by its content, "event:tkg:<set>:<s>-<r>-<o>-<t>", so importing a set again (or a
// split that repeats facts) adds nothing.

#include <string>
#include <vector>

#include "io/import_session.h"

namespace geokg::io {

struct TkgSet {
  std::string dir;
  std::string name;                 // the directory's name: "ICEWS18"
  std::vector<std::string> splits;  // paths of the quadruple files to import
};

// The set at `path`: a directory (all of train/valid/test.txt present) or one split file next
// to entity2id.txt. Errors: InvalidArgument saying what is missing.
Result<TkgSet> FindTkgSet(const std::string& path);

// How integer times map to instants: time = epoch + t * unit_seconds, known to `precision`.
struct TkgClock {
  Time epoch = 0;
  int64_t unit_seconds = 3600;
  TimePrecision precision = TimePrecision::kHour;
};
// The clock for set `name` from the options (epoch, time_unit), defaulting by name: ICEWS18/
// ICEWS14/ICEWS05-15 hours (day precision) from 2018-01-01/2014-01-01/2005-01-01, GDELT minutes
// from 2018-01-01. Errors: InvalidArgument for a bad option or an unknown set without options.
Result<TkgClock> ClockFor(const std::string& name, const ImportOptions& options);

// Imports the set's splits. Bad rows are reported through the session.
Status ImportTkg(ImportSession* session, const TkgSet& set);

}  // namespace geokg::io
