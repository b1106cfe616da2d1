// Temporal-KG importer. Entities are resolved to actors lazily (only those that occur in a fact
// become nodes) and once each: per fact the work is parsing four integers, building the event
// node and appending its entries to the bulk writer. RE-Net's ICEWS18 times are hours since
// 2018-01-01 stepping by 24, i.e. days; its GDELT times are minutes stepping by 15 (stat.txt
// holds only counts; the RE-Net paper dates GDELT18 from 2018-01-01).
#include "io/tkg_importer.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_map>

#include "io/line_reader.h"
#include "model/cameo.h"
#include "model/time_format.h"
#include "util/normalize.h"

namespace geokg::io {
namespace {

bool IsFile(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}
bool IsDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<TkgSet> FindTkgSet(const std::string& path) {
  TkgSet set;
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  if (IsDir(p)) {
    set.dir = p;
    for (const char* split : {"train.txt", "valid.txt", "test.txt"}) {
      if (IsFile(p + "/" + split)) set.splits.push_back(p + "/" + split);
    }
  } else {
    size_t slash = p.rfind('/');
    set.dir = slash == std::string::npos ? "." : p.substr(0, slash);
    std::string base = BaseName(p);
    if (base == "entity2id.txt" || base == "relation2id.txt") {
      return Status::InvalidArgument(path +
                                     ": give the set's directory or one of its "
                                     "train/valid/test.txt files, not " +
                                     base);
    }
    set.splits.push_back(p);
  }
  for (const char* need : {"entity2id.txt", "relation2id.txt"}) {
    if (!IsFile(set.dir + "/" + need)) {
      return Status::InvalidArgument(path + ": not a temporal-KG set: " + set.dir + "/" + need +
                                     " is missing (a set is a directory with entity2id.txt, "
                                     "relation2id.txt and train/valid/test.txt)");
    }
  }
  if (set.splits.empty()) {
    return Status::InvalidArgument(path +
                                   ": the temporal-KG set has no train.txt, valid.txt or "
                                   "test.txt");
  }
  set.name = BaseName(set.dir == "." ? std::string("tkg") : set.dir);
  return set;
}

Result<TkgClock> ClockFor(const std::string& name, const ImportOptions& options) {
  TkgClock clock;
  std::string upper = Upper(name);
  std::string epoch = options.epoch, unit = options.time_unit;
  bool preset_day = false;
  if (upper.rfind("ICEWS", 0) == 0) {
    std::string year = upper == "ICEWS14"               ? "2014"
                       : upper.rfind("ICEWS05", 0) == 0 ? "2005"
                                                        : "2018";
    if (epoch.empty()) epoch = year + "-01-01";
    if (unit.empty()) {
      unit = "hour";
      preset_day = true;
    }
  } else if (upper.rfind("GDELT", 0) == 0) {
    if (epoch.empty()) epoch = "2018-01-01";
    if (unit.empty()) unit = "minute";
  }
  if (epoch.empty() || unit.empty()) {
    return Status::InvalidArgument("temporal-KG set '" + name +
                                   "': no default clock for this set; give --epoch DATE and "
                                   "--time-unit second|minute|hour|day");
  }
  auto e = ParseDate(epoch);
  if (!e.ok()) return Status::InvalidArgument("--epoch: " + e.status().message());
  clock.epoch = e->start;
  if (unit == "second") {
    clock.unit_seconds = 1;
    clock.precision = TimePrecision::kSecond;
  } else if (unit == "minute") {
    clock.unit_seconds = 60;
    clock.precision = TimePrecision::kMinute;
  } else if (unit == "hour") {
    clock.unit_seconds = 3600;
    clock.precision = preset_day ? TimePrecision::kDay : TimePrecision::kHour;
  } else if (unit == "day") {
    clock.unit_seconds = 86400;
    clock.precision = TimePrecision::kDay;
  } else {
    return Status::InvalidArgument("--time-unit: \"" + unit +
                                   "\" is not one of second, minute, hour, day");
  }
  return clock;
}

namespace {

// Reads "name<TAB>id" lines into names[id]. Bad lines are reported; returns false if any was.
Status ReadIdFile(ImportSession* s, const std::string& path, std::vector<std::string>* names,
                  bool* ok) {
  *ok = true;
  auto opened = LineReader::Open(path);
  if (!opened.ok()) return InputError(opened.status());
  LineReader* reader = opened->get();
  if (!reader->NextEntry()) return InputError(reader->status());
  std::string_view line;
  std::vector<std::pair<size_t, std::string>> named;  // id, name; in file order
  size_t widest = 0;                                  // index in `named` of the largest id
  uint64_t widest_line = 0;
  size_t widest_column = 0;
  while (reader->NextLine(&line)) {
    if (Trim(line).empty()) continue;
    size_t tab = line.rfind('\t');
    int64_t id;
    std::string_view name = tab == std::string_view::npos ? "" : Trim(line.substr(0, tab));
    std::string_view id_text = tab == std::string_view::npos ? line : Trim(line.substr(tab + 1));
    if (tab == std::string_view::npos) {
      s->RowError(path, reader->line_number(), 1, "(columns)", "expected \"name<TAB>id\"");
      *ok = false;
      continue;
    }
    std::string why = Utf8Problem(name);
    if (!why.empty()) {
      s->RowError(path, reader->line_number(), 1, "name", why);
      s->NoteInvalidUtf8();
      *ok = false;
      continue;
    }
    if (!ParseInt64(id_text, &id) || id < 0 || id > 100'000'000) {
      s->RowError(path, reader->line_number(), CharColumn(line, tab + 1), "id",
                  "\"" + std::string(id_text) + "\" is not an id (a non-negative integer)");
      *ok = false;
      continue;
    }
    named.emplace_back(static_cast<size_t>(id), std::string(name));
    if (named.size() == 1 || named.back().first > named[widest].first) {
      widest = named.size() - 1;
      widest_line = reader->line_number();
      widest_column = CharColumn(line, tab + 1);
    }
  }
  GEOKG_RETURN_IF_ERROR(InputError(reader->status()));
  // The importer's tables are indexed by id (ids run from 0 to N-1 in these sets, with gaps in a
  // cut of one): a few ids far beyond the others would make them gigabytes, so such a file is
  // refused. Up to 2^20 ids, or 16 per name, the tables take at most tens of megabytes.
  if (!named.empty() && named[widest].first >= std::max<size_t>(16 * named.size(), 1 << 20)) {
    s->RowError(path, widest_line, widest_column, "id",
                "id " + std::to_string(named[widest].first) + " is far beyond the " +
                    std::to_string(named.size()) +
                    " ids of the file (a temporal-KG set numbers its names from 0 to N-1)");
    *ok = false;
    return Status::OK();
  }
  if (!named.empty()) names->resize(std::max(names->size(), named[widest].first + 1));
  for (auto& [id, name] : named) (*names)[id] = std::move(name);
  return Status::OK();
}

// The event nodes of one set's facts, rebuilt from their records by the set's FactTable: the
// writer keeps a fact as 40 bytes until it writes it (storage::BulkWriter::PutFact) and then
// stores it as a compact value naming the table, which the store expands when it reads it, and
// derives the fact's index and adjacency entries through the table's ExpandEvent; ImportTkg
// computes each fact's key (for its id) with the table, and builds the whole node with it only
// when it is not kept as a record, so none of them can differ. Record
// fields: subject, relation, object, line, split (index into `files`); `wide` is the time in the
// set's units (storage::QuadOf).
class TkgFacts final : public storage::FactTemplate {
 public:
  void Expand(const storage::FactRecord& r, Node* node) const override {
    facts.Expand(storage::QuadOf(r), node);
  }
  const FactTable* table() const override { return &facts; }

  // What the node's index and adjacency entries derive from (the same code as Expand's).
  void ExpandEvent(const storage::FactRecord& r, Event* ev) const override {
    facts.ExpandEvent(storage::QuadOf(r), ev);
  }

  FactTable facts;  // filled as the set is read: actor_of as facts name entities, files per split
};

}  // namespace

Status ImportTkg(ImportSession* s, const TkgSet& set) {
  auto clock_or = ClockFor(set.name, s->options());
  if (!clock_or.ok()) {
    s->FileError(set.dir, clock_or.status().message());
    return Status::OK();
  }
  const TkgClock clock = *clock_or;
  const std::string dataset = "tkg:" + set.name;

  std::vector<std::string> entities, relations;
  bool ok_e, ok_r;
  GEOKG_RETURN_IF_ERROR(ReadIdFile(s, set.dir + "/entity2id.txt", &entities, &ok_e));
  GEOKG_RETURN_IF_ERROR(ReadIdFile(s, set.dir + "/relation2id.txt", &relations, &ok_r));
  if (!ok_e || !ok_r) return Status::OK();  // facts cannot be read without their vocabularies

  auto facts = std::make_shared<TkgFacts>();
  FactTable& t = facts->facts;
  t.epoch = clock.epoch;
  t.unit_seconds = clock.unit_seconds;
  t.precision = clock.precision;
  t.span = clock.precision == TimePrecision::kDay ? 86400 : clock.unit_seconds;
  t.key_prefix = "event:tkg:" + set.name + ":";
  t.dataset = dataset;
  t.relations = relations;
  // Relation -> CAMEO code: the name is a code ("042") or an event name.
  t.codes.assign(relations.size(), "");
  for (size_t i = 0; i < relations.size(); ++i) {
    if (relations[i].empty()) continue;
    const Codebook& cb = Codebook::Default();
    const CameoEventCode* code = cb.Find(relations[i]);
    if (code == nullptr) code = cb.FindByName(relations[i]);
    if (code != nullptr) {
      t.codes[i] = code->code;
    } else {
      s->FileError(set.dir + "/relation2id.txt",
                   "relation " + std::to_string(i) + " \"" + relations[i] +
                       "\" is neither a CAMEO event code nor a CAMEO event name");
    }
  }
  t.actor_of.assign(entities.size(), kNoNode);
  s->ReserveActors(entities.size());
  auto actor = [&](size_t e) -> Result<NodeId> {
    if (t.actor_of[e] != kNoNode) return t.actor_of[e];
    ActorObservation obs;
    obs.name = entities[e];
    if (auto cc = Codebook::Default().CountryCodeForName(entities[e])) {
      obs.kind = ActorKind::kState;
      obs.country_cameo = *cc;
    }
    obs.external_id = ExternalId{dataset, std::to_string(e)};
    GEOKG_ASSIGN_OR_RETURN(NodeId id, s->ResolveActor(obs, dataset, ""));
    t.actor_of[e] = id;
    return id;
  };
  const uint32_t tmpl = s->AddFactTemplate(facts);

  // One record reused for every fact (its strings keep their capacity), built by the template.
  EventRecord rec;
  rec.roles = {{EdgeType::kInitiator, kNoNode}, {EdgeType::kTarget, kNoNode}};
  storage::FactRecord fact;
  fact.tmpl = tmpl;

  std::vector<std::string_view> f;
  std::string key;
  for (const std::string& split : set.splits) {
    auto opened = LineReader::Open(split);
    if (!opened.ok()) return InputError(opened.status());
    LineReader* reader = opened->get();
    if (!reader->NextEntry()) GEOKG_RETURN_IF_ERROR(InputError(reader->status()));
    const std::string file = reader->entry_name();
    fact.field[4] = static_cast<uint32_t>(t.files.size());
    t.files.push_back(ProvenanceFileName(file));
    std::string_view line;
    while (reader->NextLine(&line)) {
      if (Trim(line).empty()) continue;
      s->CountRow(*reader);
      SplitTabs(line, &f);
      const uint64_t ln = reader->line_number();
      auto col = [&](size_t i) {
        return CharColumn(line, static_cast<size_t>(f[i].data() - line.data()));
      };
      if (f.size() != 4 && f.size() != 5) {
        s->RowError(file, ln, 1, "(columns)",
                    "the row has " + std::to_string(f.size()) +
                        " tab-separated fields; expected subject, relation, object, time[, 0]");
        s->RowSkipped();
        continue;
      }
      static constexpr std::string_view kNames[4] = {"subject", "relation", "object", "time"};
      int64_t v[4];
      bool bad = false;
      for (size_t i = 0; i < 4; ++i) {
        std::string_view text = Trim(f[i]);
        if (!ParseInt64(text, &v[i]) || v[i] < 0) {
          s->RowError(file, ln, col(i), kNames[i],
                      "\"" + std::string(text) + "\" is not a non-negative integer");
          bad = true;
          continue;
        }
        const auto& vocab = i == 1 ? relations : entities;
        if (i != 3 && (static_cast<size_t>(v[i]) >= vocab.size() ||
                       vocab[static_cast<size_t>(v[i])].empty())) {
          s->RowError(file, ln, col(i), kNames[i],
                      "id " + std::to_string(v[i]) + " is not in " +
                          (i == 1 ? "relation2id.txt" : "entity2id.txt"));
          bad = true;
        } else if (i == 1 && t.codes[static_cast<size_t>(v[1])].empty()) {
          s->RowError(file, ln, col(i), kNames[i],
                      "relation " + std::to_string(v[1]) + " has no CAMEO code");
          bad = true;
        }
      }
      // The event's start, epoch + time * unit, and its end, start + span - 1, must not pass
      // kMaxTime (the epoch may be before 1970: negative).
      if (!bad && v[3] > t.MaxTime()) {
        s->RowError(file, ln, col(3), "time", "time " + std::to_string(v[3]) + " is too large");
        bad = true;
      }
      if (bad) {
        s->RowSkipped();
        continue;
      }
      GEOKG_ASSIGN_OR_RETURN(rec.roles[0].second, actor(static_cast<size_t>(v[0])));
      GEOKG_ASSIGN_OR_RETURN(rec.roles[1].second, actor(static_cast<size_t>(v[2])));
      // Ids are at most 100,000,000 (ReadIdFile); a line past 2^32 is written as a whole node.
      fact.field[0] = static_cast<uint32_t>(v[0]);
      fact.field[1] = static_cast<uint32_t>(v[1]);
      fact.field[2] = static_cast<uint32_t>(v[2]);
      fact.field[3] = static_cast<uint32_t>(ln);
      fact.wide = v[3];
      if (s->options().fact_records && ln <= UINT32_MAX) {
        // The record is all the writer needs: the key, for the id, and no node. Its event has
        // two roles, initiator and target (FactTable::ExpandEvent).
        t.KeyOf(storage::QuadOf(fact), &key);
        fact.id = MakeNodeId(NodeKind::kEvent, key);
        GEOKG_RETURN_IF_ERROR(s->AddFact(fact, 2));
        continue;
      }
      facts->Expand(fact, &rec.node);
      rec.node.id = fact.id = MakeNodeId(NodeKind::kEvent, rec.node.key);
      if (ln > UINT32_MAX) {
        rec.node.provenance[0].row = ln;
        GEOKG_RETURN_IF_ERROR(s->AddEvent(rec));
      } else {
        GEOKG_RETURN_IF_ERROR(s->AddFact(fact, rec));
      }
    }
    GEOKG_RETURN_IF_ERROR(InputError(reader->status()));
    s->FileDone(reader->file_size());
  }
  return Status::OK();
}

}  // namespace geokg::io
