// GDELT importer. Column positions (0-based):
//   0 GLOBALEVENTID | 1 SQLDATE | 2-4 MonthYear, Year, FractionDate
//   5-14 Actor1 Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1Code,
//        Religion2Code, Type1Code, Type2Code, Type3Code | 15-24 Actor2 (same)
//   25 IsRootEvent | 26 EventCode | 27 EventBaseCode | 28 EventRootCode | 29 QuadClass
//   30 GoldsteinScale | 31-34 NumMentions, NumSources, NumArticles, AvgTone
//   35.. three geo blocks (Actor1Geo, Actor2Geo, ActionGeo): Type, FullName, CountryCode (FIPS),
//        ADM1Code, [ADM2Code: 2.0 only], Lat, Long, FeatureID — 7 fields in 1.0, 8 in 2.0
//   then DATEADDED (1.0: YYYYMMDD, 2.0: YYYYMMDDHHMMSS) and SOURCEURL (absent in 57-column 1.0)
#include "io/gdelt_importer.h"

#include "model/cameo.h"
#include "model/time_format.h"
#include "util/normalize.h"

namespace geokg::io {
namespace {

constexpr int kId = 0, kSqlDate = 1, kActor1 = 5, kActor2 = 15, kEventCode = 26, kBaseCode = 27,
              kRootCode = 28, kQuadClass = 29, kGoldstein = 30, kGeoStart = 35;

std::string ColumnName(int c, GdeltVersion v) {
  static constexpr std::string_view kActorFields[10] = {
      "Code",          "Name",          "CountryCode", "KnownGroupCode", "EthnicCode",
      "Religion1Code", "Religion2Code", "Type1Code",   "Type2Code",      "Type3Code"};
  static constexpr std::string_view kHead[5] = {"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year",
                                                "FractionDate"};
  static constexpr std::string_view kEvent[10] = {
      "IsRootEvent",    "EventCode",   "EventBaseCode", "EventRootCode", "QuadClass",
      "GoldsteinScale", "NumMentions", "NumSources",    "NumArticles",   "AvgTone"};
  if (c < 5) return std::string(kHead[c]);
  if (c < 25) {
    return "Actor" + std::to_string(c < 15 ? 1 : 2) + std::string(kActorFields[(c - 5) % 10]);
  }
  if (c < 35) return std::string(kEvent[c - 25]);
  int geo = v == GdeltVersion::k1 ? 7 : 8;
  if (c < 35 + 3 * geo) {
    static constexpr std::string_view kGeo1[7] = {"Type", "FullName", "CountryCode", "ADM1Code",
                                                  "Lat",  "Long",     "FeatureID"};
    static constexpr std::string_view kGeo2[8] = {
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"};
    static constexpr std::string_view kBlocks[3] = {"Actor1Geo_", "Actor2Geo_", "ActionGeo_"};
    int b = (c - 35) / geo, f = (c - 35) % geo;
    return std::string(kBlocks[b]) + std::string(v == GdeltVersion::k1 ? kGeo1[f] : kGeo2[f]);
  }
  return c == 35 + 3 * geo ? "DATEADDED" : "SOURCEURL";
}

// A geo FullName with each comma-separated part trimmed and the parts joined by ", ". The
// 2.0 files of March 2018 (20180323221500.export.CSV, for one) pad every part but the last with
// hundreds of spaces before its comma ("San Francisco      ,California      ,United States").
std::string PlaceName(std::string_view full_name) {
  std::string out;
  for (;;) {
    size_t comma = full_name.find(',');
    std::string_view part = Trim(full_name.substr(0, comma));
    if (!out.empty()) out += ", ";
    out += part;
    if (comma == std::string_view::npos) return out;
    full_name.remove_prefix(comma + 1);
  }
}

}  // namespace

std::string GdeltOtherTable(std::string_view line) {
  std::vector<std::string_view> f;
  SplitTabs(line, &f);
  // Mentions: GLOBALEVENTID, EventTimeDate, MentionTimeDate (YYYYMMDDHHMMSS), MentionType 1-6, ...
  if (f.size() == 16 && AllDigits(Trim(f[1]), 14, 14) && AllDigits(Trim(f[2]), 14, 14)) {
    return "a GDELT 2.0 Mentions table (*.mentions.CSV: 16 columns, one row per article that "
           "mentions an event)";
  }
  // GKG 2.x: GKGRECORDID "YYYYMMDDHHMMSS-N" (or "-TN" when translated), DATE, ...
  if (f.size() == 27 && AllDigits(Trim(f[1]), 14, 14)) {
    std::string_view id = Trim(f[0]);
    size_t dash = id.find('-');
    if (dash == 14 && AllDigits(id.substr(0, 14), 14, 14)) {
      return "a GDELT 2.0 Global Knowledge Graph table (*.gkg.csv: 27 columns, one row per "
             "article)";
    }
  }
  // GKG 1.0 daily files have a header: "DATE<TAB>NUMARTS<TAB>COUNTS<TAB>THEMES..." (*.gkg.csv)
  // or "DATE<TAB>NUMARTS<TAB>COUNTTYPE..." (*.gkgcounts.csv).
  if (f.size() >= 3 && Trim(f[0]) == "DATE" && Trim(f[1]) == "NUMARTS") {
    return Trim(f[2]) == "COUNTTYPE"
               ? "a GDELT 1.0 Global Knowledge Graph counts table (*.gkgcounts.csv)"
               : "a GDELT 1.0 Global Knowledge Graph table (*.gkg.csv)";
  }
  return "";
}

namespace {

class GdeltReader {
 public:
  GdeltReader(ImportSession* s, LineReader* r, GdeltVersion v)
      : s_(s),
        r_(r),
        v_(v),
        file_(r->entry_name()),
        prov_file_(ProvenanceFileName(file_)),
        dataset_(v == GdeltVersion::k1 ? "gdelt1" : "gdelt2") {
    geo_ = v == GdeltVersion::k1 ? 7 : 8;
  }

  Status Run() {
    std::string_view line;
    bool first_line = true;
    while (r_->NextLine(&line)) {
      if (Trim(line).empty()) continue;  // blank lines, e.g. at the end of the file
      if (first_line) {
        first_line = false;
        if (std::string other = GdeltOtherTable(line); !other.empty()) {
          s_->FileError(file_, "this is " + other +
                                   ", not a GDELT event table: geokg imports "
                                   "the events (*.export.CSV); it is not imported");
          return Status::OK();
        }
      }
      if (r_->line_number() == 1 && IsHeader(line)) continue;
      s_->CountRow(*r_);
      GEOKG_RETURN_IF_ERROR(Row(line));
    }
    return r_->status();
  }

 private:
  // GDELT's own files have no header, but copies exported from BigQuery or a data frame start
  // with the column names ("GLOBALEVENTID<TAB>SQLDATE<TAB>...").
  static bool IsHeader(std::string_view line) {
    return AsciiLower(Trim(line.substr(0, line.find('\t')))) == "globaleventid";
  }

  size_t ColumnOf(int c) const {
    return CharColumn(line_, static_cast<size_t>(f_[c].data() - line_.data()));
  }
  void Error(int c, const std::string& reason) {
    s_->RowError(file_, r_->line_number(), ColumnOf(c), ColumnName(c, v_), reason);
    bad_ = true;
  }

  Status Row(std::string_view line) {
    line_ = line;
    bad_ = false;
    SplitTabs(line, &f_);
    size_t n = f_.size();
    bool ok_count = v_ == GdeltVersion::k1 ? (n == 57 || n == 58) : n == 61;
    if (!ok_count) {
      std::string other = v_ == GdeltVersion::k1 && n == 61 ? " (a GDELT 2.0 row: --format gdelt2)"
                          : v_ == GdeltVersion::k2 && (n == 57 || n == 58)
                              ? " (a GDELT 1.0 row: --format gdelt1)"
                              : "";
      s_->RowError(file_, r_->line_number(), 1, "(columns)",
                   "the row has " + std::to_string(n) + " tab-separated fields; GDELT " +
                       (v_ == GdeltVersion::k1 ? "1.0 rows have 57 or 58" : "2.0 rows have 61") +
                       other);
      s_->RowSkipped();
      return Status::OK();
    }
    // Tabs never occur inside a UTF-8 sequence: a valid line has valid fields.
    if (!IsValidUtf8(line)) {
      for (size_t c = 0; c < n; ++c) {
        std::string why = Utf8Problem(f_[c]);
        if (!why.empty()) {
          Error(static_cast<int>(c), why);
          s_->NoteInvalidUtf8();
        }
      }
    }
    if (bad_) {
      s_->RowSkipped();
      return Status::OK();
    }
    std::string_view id = Trim(f_[kId]);
    int64_t id_num;
    // The 1979 backfile numbers its events from 0.
    if (!ParseInt64(id, &id_num) || id_num < 0) {
      Error(kId, "\"" + std::string(id) + "\" is not an event id (a whole number, 0 or more)");
    }
    std::string_view d = Trim(f_[kSqlDate]);
    Interval when;
    int64_t dnum;
    if (d.size() != 8 || !ParseInt64(d, &dnum)) {
      Error(kSqlDate, "\"" + std::string(d) + "\" is not a date (YYYYMMDD)");
    } else {
      std::string iso = std::string(d.substr(0, 4)) + "-" + std::string(d.substr(4, 2)) + "-" +
                        std::string(d.substr(6, 2));
      auto parsed = ParseDate(iso);
      if (!parsed.ok()) {
        // The parser quotes the ISO form it was given; the file has the digits.
        std::string why = parsed.status().message();
        const std::string quoted = "\"" + iso + "\": ";
        if (why.compare(0, quoted.size(), quoted) == 0) why.erase(0, quoted.size());
        Error(kSqlDate, "\"" + std::string(d) + "\" is not a date: " + why);
      } else {
        when = *parsed;
      }
    }
    std::string_view code = Trim(f_[kEventCode]);
    const CameoEventCode* cameo = Codebook::Default().Find(code);
    if (cameo == nullptr) {
      Error(kEventCode, "\"" + std::string(code) + "\" is not a CAMEO event code");
    } else {
      std::string_view base = Trim(f_[kBaseCode]), root = Trim(f_[kRootCode]);
      if (!base.empty() && base != cameo->base && base != code) {
        Error(kBaseCode, "\"" + std::string(base) + "\" is not the base code of " +
                             std::string(code) + " (\"" + cameo->base + "\")");
      }
      if (!root.empty() && root != cameo->root) {
        Error(kRootCode, "\"" + std::string(root) + "\" is not the root code of " +
                             std::string(code) + " (\"" + cameo->root + "\")");
      }
    }
    std::optional<uint8_t> quad;
    if (std::string_view q = Trim(f_[kQuadClass]); !q.empty()) {
      int64_t qn;
      if (!ParseInt64(q, &qn) || qn < 1 || qn > 4) {
        Error(kQuadClass, "\"" + std::string(q) + "\" is not a QuadClass (1..4)");
      } else {
        quad = static_cast<uint8_t>(qn);
      }
    }
    std::optional<float> goldstein;
    if (std::string_view g = Trim(f_[kGoldstein]); !g.empty()) {
      double x;
      if (!ParseDouble(g, &x) || x < -10 || x > 10) {
        Error(kGoldstein, "\"" + std::string(g) + "\" is not a Goldstein value (-10..10)");
      } else {
        goldstein = static_cast<float>(x);
      }
    }
    const int action = kGeoStart + 2 * geo_;
    const int lat_c = action + (geo_ == 7 ? 4 : 5), lon_c = lat_c + 1;
    std::optional<double> lat, lon;
    for (int c : {lat_c, lon_c}) {
      std::string_view v = Trim(f_[c]);
      if (v.empty()) continue;
      double x;
      double limit = c == lat_c ? 90 : 180;
      if (!ParseDouble(v, &x) || x < -limit || x > limit) {
        Error(c, "\"" + std::string(v) + "\" is not a " +
                     (c == lat_c ? "latitude (-90..90)" : "longitude (-180..180)"));
      } else {
        (c == lat_c ? lat : lon) = x;
      }
    }
    if (bad_) {
      s_->RowSkipped();
      return Status::OK();
    }

    EventRecord rec;
    rec.node.key = "event:gdelt:" + std::string(id);
    rec.node.id = MakeNodeId(NodeKind::kEvent, rec.node.key);
    Event ev;
    ev.cameo_code = std::string(code);
    ev.time = when;
    ev.status = FactStatus::kReported;
    ev.summary = cameo->description;
    ev.goldstein = goldstein;
    ev.quad_class = quad;
    ev.location.place_name = PlaceName(f_[action + 1]);
    ev.location.country_iso3 = std::string(FipsToIso3(Trim(f_[action + 2])));
    ev.location.admin1 = std::string(Trim(f_[action + 3]));
    // ActionGeo_Type says whether GDELT placed the action at all: 1 country, 2 US state, 3 US
    // city, 4 world city, 5 world state. Without a place (0, or blank in the 1979 backfile) the
    // coordinates are 0/0 or blank, not a position in the Gulf of Guinea.
    const std::string_view geo_type = Trim(f_[action]);
    const bool placed = geo_type.size() == 1 && geo_type[0] >= '1' && geo_type[0] <= '5';
    if (placed && lat && lon) {
      ev.location.latitude = lat;
      ev.location.longitude = lon;
    }
    rec.node.body = std::move(ev);
    Provenance p;
    p.dataset = dataset_;
    p.file = prov_file_;
    p.row = r_->line_number();
    p.record_id = std::string(id);
    if (n == 58 || n == 61) {
      // SOURCEURL is a citation, not always a URL: stories from BBC Monitoring, which has none,
      // read "BBC Monitoring" (the daily files from 20130401 on).
      std::string_view source = Trim(f_[n - 1]);
      (source.find("://") == std::string_view::npos ? p.publisher : p.url) = std::string(source);
    }
    rec.node.provenance.push_back(std::move(p));
    for (auto [start, role] :
         {std::pair{kActor1, EdgeType::kInitiator}, std::pair{kActor2, EdgeType::kTarget}}) {
      std::string_view name = Trim(f_[start + 1]);
      if (!HasNameContent(name)) continue;  // GDELT leaves actors blank
      ActorObservation obs;
      obs.name = name;
      std::string_view actor_code = Trim(f_[start]);
      obs.country_cameo = Trim(f_[start + 2]);
      for (int k : {3, 7, 8, 9}) {  // known group and type codes (GOV, MIL, REB, NGO, ...)
        std::string_view t = Trim(f_[start + k]);
        if (!t.empty()) obs.cameo_types.push_back(t);
      }
      if (!actor_code.empty()) obs.external_id = ExternalId{"cameo_actor", std::string(actor_code)};
      if (!obs.country_cameo.empty() && actor_code == obs.country_cameo) {
        obs.kind = ActorKind::kState;  // the code is the bare country: the state itself
      }
      GEOKG_ASSIGN_OR_RETURN(NodeId actor, s_->ResolveActor(obs, dataset_, prov_file_));
      rec.roles.emplace_back(role, actor);
    }
    return s_->QueueEvent(std::move(rec));
  }

  ImportSession* s_;
  LineReader* r_;
  GdeltVersion v_;
  std::string file_, prov_file_, dataset_;
  int geo_;
  std::string_view line_;
  std::vector<std::string_view> f_;
  bool bad_ = false;
};

}  // namespace

Status ImportGdelt(ImportSession* session, LineReader* reader, GdeltVersion version) {
  GdeltReader r(session, reader, version);
  return r.Run();
}

}  // namespace geokg::io
