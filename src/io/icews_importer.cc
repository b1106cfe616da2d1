// ICEWS importer. ICEWS writes "NA" for missing values. Intensity is ICEWS's Goldstein value for
// the code and is kept as the event's own Goldstein (ICEWS and GDELT differ on 016, 022, 164,
// 165). Reciprocal meetings are coded as two rows with consecutive ids (about a quarter of all
// rows); in real files the partner row follows within a dozen rows, so pairing looks back over a
// bounded window instead of holding the file.
// Two variants of the Dataverse files are read as well: the 2017 file republished in 2020
// (Events.2017.20200602.tab) writes its dates M/D/YYYY ("12/1/2017" is 1 December), and a later
// version of it has no CAMEO Code column, so the code is the one its Event Text names (ICEWS's
// own event names, Codebook::FindByName). Either way the event keeps the identity (id and ISO
// day) that the standard files give it. That file also quotes the fields that hold a comma
// ("Social,General Population / Civilian / Social", "Protest violently, riot") and writes "NULL"
// where the others write "NA": both are read as the standard files' values (SplitFields, IsNa).
#include "io/icews_importer.h"

#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "model/cameo.h"
#include "model/time_format.h"
#include "util/normalize.h"

namespace geokg::io {
namespace {

constexpr size_t kReciprocalWindow = 256;

enum Col {
  kId,
  kDate,
  kSrcName,
  kSrcSectors,
  kSrcCountry,
  kText,
  kCode,
  kIntensity,
  kTgtName,
  kTgtSectors,
  kTgtCountry,
  kStory,
  kSentence,
  kPublisher,
  kCity,
  kDistrict,
  kProvince,
  kCountry,
  kLat,
  kLon,
  kColCount
};
constexpr std::string_view kColNames[kColCount] = {
    "Event ID",       "Event Date", "Source Name",     "Source Sectors", "Source Country",
    "Event Text",     "CAMEO Code", "Intensity",       "Target Name",    "Target Sectors",
    "Target Country", "Story ID",   "Sentence Number", "Publisher",      "City",
    "District",       "Province",   "Country",         "Latitude",       "Longitude"};

// A missing value: ICEWS writes "NA", the 2017 file republished in 2020 "NULL".
bool IsNa(std::string_view s) { return s.empty() || s == "NA" || s == "NULL"; }

// Splits `line` at its tabs into *fields, with starts[i] the byte offset of field i (for
// columns). A field quoted the RFC 4180 way, a '"' first and its closing '"' right before a tab
// or the end of the line, is the text between the quotes with each '""' read as '"' (and may
// hold tabs); its text goes into *scratch. Any other field is its bytes as they are, so a name
// that only starts with a quote ("\"Red Shirts\" (Thailand)") is read as written, as are the
// standard files, which quote nothing.
void SplitFields(std::string_view line, std::vector<std::string_view>* fields,
                 std::vector<size_t>* starts, std::string* scratch) {
  fields->clear();
  starts->clear();
  if (line.find('"') == std::string_view::npos) {  // the standard files: no quote at all
    SplitTabs(line, fields);
    for (std::string_view f : *fields)
      starts->push_back(static_cast<size_t>(f.data() - line.data()));
    return;
  }
  scratch->clear();
  scratch->reserve(line.size());  // unquoted text is never longer: the views stay valid
  size_t i = 0;
  for (;;) {
    starts->push_back(i);
    bool quoted = false;
    if (i < line.size() && line[i] == '"') {
      const size_t from = scratch->size();
      size_t j = i + 1;
      for (; j < line.size(); ++j) {
        if (line[j] != '"') {
          scratch->push_back(line[j]);
        } else if (j + 1 < line.size() && line[j + 1] == '"') {
          scratch->push_back('"');
          ++j;
        } else {
          break;
        }
      }
      if (j < line.size() && (j + 1 == line.size() || line[j + 1] == '\t')) {
        fields->emplace_back(scratch->data() + from, scratch->size() - from);
        i = j + 1;
        quoted = true;
      } else {
        scratch->resize(from);
      }
    }
    if (!quoted) {
      size_t tab = line.find('\t', i);
      if (tab == std::string_view::npos) tab = line.size();
      fields->push_back(line.substr(i, tab - i));
      i = tab;
    }
    if (i >= line.size()) return;
    ++i;  // the tab
  }
}

// The ISO form ("2017-12-01") of a date written M/D/YYYY ("12/1/2017"), or nullopt when `text`
// is not of that shape (whether the day exists is ParseDate's to say).
std::optional<std::string> IsoOfUsDate(std::string_view text) {
  const size_t a = text.find('/');
  const size_t b = a == std::string_view::npos ? a : text.find('/', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  std::string_view m = text.substr(0, a), d = text.substr(a + 1, b - a - 1), y = text.substr(b + 1);
  if (!AllDigits(m, 1, 2) || !AllDigits(d, 1, 2) || !AllDigits(y, 4, 4)) return std::nullopt;
  std::string iso(y);
  iso += m.size() == 1 ? "-0" : "-";
  iso += m;
  iso += d.size() == 1 ? "-0" : "-";
  iso += d;
  return iso;
}

// True if `date` is YYYY-MM-DD or M/D/YYYY in shape.
bool IsDayShaped(std::string_view date) {
  if (IsoOfUsDate(date)) return true;
  if (date.size() != 10) return false;
  for (size_t i = 0; i < date.size(); ++i) {
    bool dash = i == 4 || i == 7;
    if (dash ? date[i] != '-' : (date[i] < '0' || date[i] > '9')) return false;
  }
  return true;
}

// A header name reduced for matching, so that what real files vary in does not matter: ASCII
// case, surrounding spaces, one pair of surrounding double quotes, '_' for ' ' ("Event ID",
// "EVENT ID ", "\"Event ID\"" and "event_id" all give "event id"). A different word does.
std::string HeaderKey(std::string_view name) {
  name = Trim(name);
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = Trim(name.substr(1, name.size() - 2));
  }
  std::string key;
  for (char c : AsciiLower(name)) {
    if (c == ' ' || c == '_') {
      if (!key.empty() && key.back() != ' ') key.push_back(' ');
    } else {
      key.push_back(c);
    }
  }
  while (!key.empty() && key.back() == ' ') key.pop_back();
  return key;
}

// The column `name` names, or -1.
int ColumnNamed(std::string_view name) {
  std::string key = HeaderKey(name);
  for (int c = 0; c < kColCount; ++c) {
    if (key == HeaderKey(kColNames[c])) return c;
  }
  return -1;
}

// True if `fields` are a data row of a file without a header, in the Dataverse column order: 20
// fields, a positive integer id and a YYYY-MM-DD or M/D/YYYY date (what `split` leaves in the
// second half of a file).
bool IsHeaderlessRow(const std::vector<std::string_view>& fields) {
  if (fields.size() != kColCount) return false;
  int64_t id;
  return ParseInt64(Trim(fields[kId]), &id) && id > 0 && IsDayShaped(Trim(fields[kDate]));
}

// A row waiting for its reciprocal partner.
struct Pending {
  uint64_t seq;
  std::string match_key;  // story|sentence|code|date|src|tgt
  std::string reverse_key;
  std::string event_id;
  std::string date;
  EventRecord record;
  bool merged = false;
};

class IcewsReader {
 public:
  IcewsReader(ImportSession* s, LineReader* r)
      : s_(s), r_(r), file_(r->entry_name()), prov_file_(ProvenanceFileName(file_)) {}

  Status Run() {
    std::string_view line;
    do {  // the header is the first line that is not blank
      if (!r_->NextLine(&line)) return r_->status();
    } while (Trim(line).empty());
    Split(line);
    if (IsHeaderlessRow(fields_)) {
      header_count_ = kColCount;
      for (int c = 0; c < kColCount; ++c) col_[c] = c;
      s_->CountRow(*r_);
      GEOKG_RETURN_IF_ERROR(Row(line));
    } else if (!ReadHeader(line)) {
      // Not an ICEWS file after all: the rest cannot be interpreted.
      while (r_->NextLine(&line)) {
      }
      return r_->status();
    }
    while (r_->NextLine(&line)) {
      if (Trim(line).empty()) continue;  // blank lines, e.g. at the end of the file
      s_->CountRow(*r_);
      GEOKG_RETURN_IF_ERROR(Row(line));
    }
    GEOKG_RETURN_IF_ERROR(r_->status());
    while (!pending_.empty()) GEOKG_RETURN_IF_ERROR(EmitOldest());
    return Status::OK();
  }

 private:
  // Finds the columns by name. A header that lacks a column, or names one twice, is reported (at
  // the column concerned, field '(header)') and the member is not read.
  bool ReadHeader(std::string_view line) {
    Split(line);
    header_count_ = fields_.size();
    for (int c = 0; c < kColCount; ++c) col_[c] = -1;
    auto column = [&](size_t i) { return CharColumn(line, starts_[i]); };
    std::string problems, unknown;
    size_t at = 0, first_unknown = 0;  // the column the report points to
    for (size_t i = 0; i < fields_.size(); ++i) {
      int c = ColumnNamed(fields_[i]);
      if (c >= 0 && col_[c] < 0) {
        col_[c] = static_cast<int>(i);
      } else if (c >= 0) {
        problems += std::string(problems.empty() ? "" : "; ") + "column '" +
                    std::string(kColNames[c]) + "' is named twice (at columns " +
                    std::to_string(column(static_cast<size_t>(col_[c]))) + " and " +
                    std::to_string(column(i)) + ")";
        if (at == 0) at = column(i);
      } else if (!Trim(fields_[i]).empty()) {
        unknown += std::string(unknown.empty() ? "" : ", ") + "'" + std::string(Trim(fields_[i])) +
                   "' (column " + std::to_string(column(i)) + ")";
        if (first_unknown == 0) first_unknown = column(i);
      }
    }
    std::string missing;
    int found = 0;
    for (int c = 0; c < kColCount; ++c) {
      // Without a CAMEO Code column, the code is the one the Event Text names; but a column
      // that is not ICEWS's might be a misspelt CAMEO Code, which is then reported.
      if (col_[c] < 0 && !(c == kCode && col_[kText] >= 0 && unknown.empty())) {
        missing += (missing.empty() ? "'" : ", '") + std::string(kColNames[c]) + "'";
      }
      found += col_[c] >= 0;
    }
    if (found == 0) {
      problems = "it names none of the 20 ICEWS columns";
    } else if (!missing.empty()) {
      problems = "missing column(s) " + missing + (problems.empty() ? "" : "; " + problems);
      if (!unknown.empty()) {
        problems += "; not ICEWS column(s): " + unknown;
        if (at == 0) at = first_unknown;
      }
    }
    if (problems.empty()) return true;
    s_->RowError(file_, r_->line_number(), at == 0 ? 1 : at, "(header)",
                 "not an ICEWS header: " + problems +
                     " (an ICEWS file starts with the line \"Event ID<TAB>Event Date<TAB>Source "
                     "Name<TAB>...\", 20 columns)");
    s_->RowSkipped();
    return false;
  }

  // Column c's field; the CAMEO Code column may be absent (empty field, see ReadHeader).
  std::string_view F(int c) const { return col_[c] < 0 ? std::string_view() : fields_[col_[c]]; }
  size_t ColumnOf(int c) const { return col_[c] < 0 ? 1 : CharColumn(line_, starts_[col_[c]]); }
  void Split(std::string_view line) { SplitFields(line, &fields_, &starts_, &scratch_); }
  void Error(int c, const std::string& reason) {
    s_->RowError(file_, r_->line_number(), ColumnOf(c), kColNames[c], reason);
    bad_ = true;
  }

  Status Row(std::string_view line) {
    line_ = line;
    bad_ = false;
    if (normalized_.size() >= kMemoLimit) normalized_.clear();
    if (country_.size() >= kMemoLimit) country_.clear();
    Split(line);
    if (fields_.size() != header_count_) {
      s_->RowError(file_, r_->line_number(), 1, "(columns)",
                   "the row has " + std::to_string(fields_.size()) +
                       " tab-separated fields, the header has " + std::to_string(header_count_));
      s_->RowSkipped();
      return Status::OK();
    }
    // Tabs never occur inside a UTF-8 sequence: a valid line has valid fields.
    if (!IsValidUtf8(line)) {
      for (int c = 0; c < kColCount; ++c) {
        if (col_[c] < 0) continue;
        std::string why = Utf8Problem(F(c));
        if (!why.empty()) {
          Error(c, why);
          s_->NoteInvalidUtf8();
        }
      }
    }
    if (bad_) {
      s_->RowSkipped();
      return Status::OK();
    }

    std::string_view id = Trim(F(kId));
    int64_t id_num;
    if (!ParseInt64(id, &id_num) || id_num <= 0) {
      Error(kId, "\"" + std::string(id) + "\" is not an event id (a positive integer)");
    }
    const std::string_view written = Trim(F(kDate));
    std::optional<std::string> us = IsoOfUsDate(written);
    const std::string_view date = us ? std::string_view(*us) : written;  // YYYY-MM-DD if valid
    Interval when;
    if (!IsDayShaped(written)) {
      Error(kDate, "\"" + std::string(written) + "\" is not a day (YYYY-MM-DD, or M/D/YYYY)");
    } else if (auto parsed = ParseDate(date); !parsed.ok()) {
      std::string why = parsed.status().message();
      if (us) {  // the parser quotes the ISO form it was given; the file has M/D/YYYY
        const std::string quoted = "\"" + std::string(date) + "\": ";
        if (why.compare(0, quoted.size(), quoted) == 0) why.erase(0, quoted.size());
        why = "\"" + std::string(written) + "\" (M/D/YYYY): " + why;
      }
      Error(kDate, why);
    } else {
      when = *parsed;
    }
    const CameoEventCode* cameo = nullptr;
    if (col_[kCode] >= 0) {
      std::string_view written_code = Trim(F(kCode));
      cameo = Codebook::Default().Find(written_code);
      if (cameo == nullptr) {
        std::string why = "\"" + std::string(written_code) + "\" is not a CAMEO event code";
        // Real releases have such codes ("13y" for "Threaten with repression", 137): say which
        // code the row's own Event Text names, without guessing it in the row's place.
        if (const CameoEventCode* named = CodeNamed(Trim(F(kText)))) {
          why += " (its Event Text names " + named->code + ")";
        }
        Error(kCode, why);
      }
    } else {
      cameo = CodeNamed(Trim(F(kText)));
      if (cameo == nullptr) {
        Error(kText, "\"" + std::string(Trim(F(kText))) +
                         "\" is not a CAMEO event name (the file has no CAMEO Code column, so the "
                         "code is the one the Event Text names)");
      }
    }
    const std::string_view code = cameo == nullptr ? std::string_view() : cameo->code;
    std::optional<float> goldstein;
    if (std::string_view v = Trim(F(kIntensity)); !IsNa(v)) {
      double g;
      if (!ParseDouble(v, &g) || g < -10 || g > 10) {
        Error(kIntensity, "\"" + std::string(v) + "\" is not a Goldstein value (-10..10)");
      } else {
        goldstein = static_cast<float>(g);
      }
    }
    std::string_view src = Trim(F(kSrcName)), tgt = Trim(F(kTgtName));
    if (IsNa(src) || Normalized(src).empty()) Error(kSrcName, "no actor name");
    if (IsNa(tgt) || Normalized(tgt).empty()) Error(kTgtName, "no actor name");
    int32_t sentence = -1;
    if (std::string_view v = Trim(F(kSentence)); !IsNa(v)) {
      int64_t n;
      if (!ParseInt64(v, &n) || n < 0 || n > INT32_MAX) {
        Error(kSentence, "\"" + std::string(v) + "\" is not a sentence number");
      } else {
        sentence = static_cast<int32_t>(n);
      }
    }
    std::optional<double> lat, lon;
    for (int c : {kLat, kLon}) {
      std::string_view v = Trim(F(c));
      if (IsNa(v)) continue;
      double x;
      double limit = c == kLat ? 90 : 180;
      if (!ParseDouble(v, &x) || x < -limit || x > limit) {
        Error(c, "\"" + std::string(v) + "\" is not a " +
                     (c == kLat ? "latitude (-90..90)" : "longitude (-180..180)"));
      } else {
        (c == kLat ? lat : lon) = x;
      }
    }
    if (bad_) {
      s_->RowSkipped();
      return Status::OK();
    }

    GEOKG_ASSIGN_OR_RETURN(NodeId src_id, Actor(kSrcName, kSrcSectors, kSrcCountry));
    GEOKG_ASSIGN_OR_RETURN(NodeId tgt_id, Actor(kTgtName, kTgtSectors, kTgtCountry));

    EventRecord rec;
    rec.node.key = "event:icews:" + std::string(id) + "@" + std::string(date);
    rec.node.id = MakeNodeId(NodeKind::kEvent, rec.node.key);
    Event ev;
    ev.cameo_code = std::string(code);
    ev.time = when;
    ev.status = FactStatus::kReported;
    ev.summary = std::string(Trim(F(kText)));
    ev.goldstein = goldstein;
    std::string_view city = Trim(F(kCity)), district = Trim(F(kDistrict));
    ev.location.place_name = std::string(!IsNa(city) ? city : IsNa(district) ? "" : district);
    if (std::string_view v = Trim(F(kProvince)); !IsNa(v)) ev.location.admin1 = std::string(v);
    if (std::string_view v = Trim(F(kCountry)); !IsNa(v)) {
      if (auto cc = CountryCode(v)) ev.location.country_iso3 = std::string(*cc);
    }
    ev.location.latitude = lat;
    ev.location.longitude = lon;
    rec.node.body = std::move(ev);
    Provenance p;
    p.dataset = "icews";
    p.file = prov_file_;
    p.row = r_->line_number();
    p.record_id = std::string(id);
    if (std::string_view v = Trim(F(kStory)); !IsNa(v)) p.story_id = std::string(v);
    p.sentence = sentence;
    if (std::string_view v = Trim(F(kPublisher)); !IsNa(v)) p.publisher = std::string(v);
    rec.node.provenance.push_back(std::move(p));
    rec.roles = {{EdgeType::kInitiator, src_id}, {EdgeType::kTarget, tgt_id}};

    if (!s_->options().merge_reciprocal || src_id == tgt_id) return s_->QueueEvent(std::move(rec));
    // story|sentence|code|date then the actor pair; the partner has the pair reversed.
    std::string common = std::string(Trim(F(kStory))) + "|" + std::to_string(sentence) + "|" +
                         std::string(code) + "|" + std::string(date) + "|";
    std::string key = common + std::to_string(src_id) + ">" + std::to_string(tgt_id);
    std::string reverse = common + std::to_string(tgt_id) + ">" + std::to_string(src_id);
    auto it = waiting_.find(reverse);
    if (it != waiting_.end()) {
      Pending& partner = pending_[it->second - pending_.front().seq];
      waiting_.erase(it);
      partner.merged = true;
      ++s_->summary().reciprocal_merged;
      EventRecord merged = std::move(partner.record);
      merged.node.key =
          "event:icews:" + partner.event_id + "+" + std::string(id) + "@" + std::string(date);
      merged.node.id = MakeNodeId(NodeKind::kEvent, merged.node.key);
      merged.node.provenance.push_back(std::move(rec.node.provenance.front()));
      merged.roles = {{EdgeType::kParticipant, src_id}, {EdgeType::kParticipant, tgt_id}};
      GEOKG_RETURN_IF_ERROR(s_->QueueEvent(std::move(merged)));
      return FlushWindow();
    }
    Pending p2;
    p2.seq = next_seq_++;
    p2.match_key = key;
    p2.event_id = std::string(id);
    p2.date = std::string(date);
    p2.record = std::move(rec);
    waiting_.emplace(key, p2.seq);  // a second identical row waits behind the first
    pending_.push_back(std::move(p2));
    return FlushWindow();
  }

  // Emits rows that can no longer be paired (older than the window) and merged leftovers.
  Status FlushWindow() {
    while (!pending_.empty() && (pending_.front().merged || pending_.size() > kReciprocalWindow)) {
      GEOKG_RETURN_IF_ERROR(EmitOldest());
    }
    return Status::OK();
  }

  Status EmitOldest() {
    Pending p = std::move(pending_.front());
    pending_.pop_front();
    if (p.merged) return Status::OK();
    auto it = waiting_.find(p.match_key);
    if (it != waiting_.end() && it->second == p.seq) waiting_.erase(it);
    return s_->QueueEvent(std::move(p.record));
  }

  Result<NodeId> Actor(int name, int sectors, int country) {
    ActorObservation obs;
    obs.name = Trim(F(name));
    std::string_view sect = Trim(F(sectors));
    if (!IsNa(sect)) {
      size_t start = 0;
      while (start <= sect.size()) {
        size_t comma = sect.find(',', start);
        if (comma == std::string_view::npos) comma = sect.size();
        std::string_view one = Trim(sect.substr(start, comma - start));
        if (!one.empty()) obs.sectors.push_back(one);
        start = comma + 1;
      }
    }
    std::string_view ctry = Trim(F(country));
    if (!IsNa(ctry)) {
      if (auto cc = CountryCode(ctry)) obs.country_cameo = *cc;
      if (Normalized(ctry) == Normalized(obs.name)) obs.kind = ActorKind::kState;
    }
    return s_->ResolveActor(obs, "icews", prov_file_);
  }

  // Actor and country names repeat from row to row (a few thousand distinct ones in a year of
  // ICEWS): each is normalized, and looked up among the countries, once. The memos are
  // dropped when a row starts with them past kMemoLimit, so memory stays bounded (and what they
  // hand out stays valid through the row: an unordered_map keeps its elements in place).
  static constexpr size_t kMemoLimit = 1 << 20;
  const std::string& Normalized(std::string_view name) {
    auto it = normalized_.find(name);
    if (it != normalized_.end()) return it->second;
    return normalized_.emplace(std::string(name), NormalizeName(name)).first->second;
  }
  std::optional<std::string_view> CountryCode(std::string_view name) {
    auto it = country_.find(name);
    if (it != country_.end()) return it->second;
    return country_.emplace(std::string(name), Codebook::Default().CountryCodeForName(name))
        .first->second;
  }
  // The code an Event Text names (FindByName scans the codebook, so each text is looked up once;
  // ICEWS uses a few hundred).
  const CameoEventCode* CodeNamed(std::string_view text) {
    auto it = code_named_.find(text);
    if (it != code_named_.end()) return it->second;
    if (code_named_.size() >= kMemoLimit) code_named_.clear();
    return code_named_.emplace(std::string(text), Codebook::Default().FindByName(text))
        .first->second;
  }
  std::unordered_map<std::string, const CameoEventCode*, StringHash, StringEq> code_named_;
  std::unordered_map<std::string, std::string, StringHash, StringEq> normalized_;
  std::unordered_map<std::string, std::optional<std::string_view>, StringHash, StringEq> country_;

  ImportSession* s_;
  LineReader* r_;
  std::string file_;
  std::string prov_file_;
  std::string_view line_;
  std::vector<std::string_view> fields_;  // into line_, or scratch_ for quoted fields
  std::vector<size_t> starts_;            // byte offset of each field in line_ (CharColumn)
  std::string scratch_;
  size_t header_count_ = 0;
  int col_[kColCount];
  bool bad_ = false;
  std::deque<Pending> pending_;
  std::unordered_map<std::string, uint64_t> waiting_;  // match key -> seq of the unpaired row
  uint64_t next_seq_ = 0;
};

}  // namespace

bool LooksLikeIcews(std::string_view line) {
  std::vector<std::string_view> fields;
  std::vector<size_t> starts;
  std::string scratch;
  SplitFields(line, &fields, &starts, &scratch);
  if (IsHeaderlessRow(fields)) return true;
  // A header naming at least half of the columns: close enough to say which ones are wrong.
  int named = 0;
  for (std::string_view f : fields) named += ColumnNamed(f) >= 0;
  return named >= kColCount / 2;
}

Status ImportIcews(ImportSession* session, LineReader* reader) {
  IcewsReader r(session, reader);
  return r.Run();
}

}  // namespace geokg::io
