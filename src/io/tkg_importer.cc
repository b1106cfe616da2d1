// Temporal-KG importer. Entities are resolved to actors lazily (only those that occur in a fact
// become nodes) and once each: per fact the work is parsing four integers, hashing the fact's key
// for its id and handing the bulk writer a record, the parsing and hashing on a second thread
// (ParsePipeline). RE-Net's ICEWS18 times are hours since
// 2018-01-01 stepping by 24, i.e. days; its GDELT times are minutes stepping by 15 (stat.txt
// holds only counts; the RE-Net paper dates GDELT18 from 2018-01-01).
#include "io/tkg_importer.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
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

// The facts are read on two threads. The calling thread reads the lines into batches (LineReader
// is not thread-safe) and commits the parsed batches in file order: actors, diagnostics, progress
// and the writer are its alone (ImportSession, BulkWriter and the table's actor_of are not
// thread-safe). A worker parses the batches in between (QuadParser): fields, integers, checks,
// each good fact's key and id, and the country codes of new entities, about half of the reading's
// CPU. Commits make the same calls in the same order as one thread parsing as it goes, so the
// store and the diagnostics are the same (ImportOptions::parse_thread off does just that).

// A batch's lines: at most kBatchLines, and about kBatchBytes (a line may be far longer), so that
// the batches in flight stay small whatever the file.
constexpr size_t kBatchLines = 4096;
constexpr size_t kBatchBytes = size_t{1} << 20;

// A non-blank line of a batch, and what the worker found in it.
struct BatchRow {
  size_t end = 0;       // of its bytes in LineBatch::bytes; it starts where the row before ends
  uint64_t line = 0;    // 1-based, in its file
  uint32_t errors = 0;  // its diagnostics, next in LineBatch::problems; 0 for a good fact
  int64_t v[4] = {};    // subject, relation, object, time: checked when `errors` is 0
  NodeId id = kNoNode;  // the event's id (its key's hash) when `errors` is 0
};
// A diagnostic of a row (ImportSession::RowError's arguments but the file and line).
struct RowProblem {
  size_t column;
  std::string_view field;  // a literal
  std::string reason;
};
// An entity that a good row of the batch names first, its normalized name (NormalizeName, for
// the caller's ImportSession::ResolveActor: normalizing on the worker moves a tenth of resolving
// an actor off the caller's thread) and the country code that name is.
struct FirstNamed {
  size_t entity;
  std::string normalized;
  std::optional<std::string_view> country;
};
struct LineBatch {
  std::string bytes;
  std::vector<BatchRow> rows;
  std::vector<RowProblem> problems;  // of all rows, in their order
  std::vector<FirstNamed> first_named;
};

// Reads the next lines of `reader` into *batch (cleared first), blank ones skipped. Returns false
// at the end of the file or on error (reader->status()).
bool FillBatch(LineReader* reader, LineBatch* batch) {
  batch->bytes.clear();
  batch->rows.clear();
  batch->problems.clear();
  batch->first_named.clear();
  std::string_view line;
  while (batch->rows.size() < kBatchLines && batch->bytes.size() < kBatchBytes) {
    if (!reader->NextLine(&line)) return false;
    if (Trim(line).empty()) continue;
    batch->bytes.append(line);
    batch->rows.push_back({.end = batch->bytes.size(), .line = reader->line_number()});
  }
  return true;
}

// Checks the quadruples of a batch, computes each good fact's id and looks up the country codes
// of the entities named for the first time: the worker's part. It reads only what is complete
// before the worker starts: the vocabularies, the codebook and the table's key prefix, relation
// codes and clock (the calling thread meanwhile fills the table's actor_of and files).
class QuadParser {
 public:
  QuadParser(const FactTable& table, const std::vector<std::string>& entities,
             const std::vector<std::string>& relations)
      : table_(table),
        entities_(entities),
        relations_(relations),
        max_time_(table.MaxTime()),
        named_(entities.size(), false) {}

  void Parse(LineBatch* batch) {
    size_t start = 0;
    for (BatchRow& row : batch->rows) {
      const size_t before = batch->problems.size();
      ParseRow(std::string_view(batch->bytes).substr(start, row.end - start), &row,
               &batch->problems, &batch->first_named);
      row.errors = static_cast<uint32_t>(batch->problems.size() - before);
      start = row.end;
    }
  }

 private:
  void ParseRow(std::string_view line, BatchRow* row, std::vector<RowProblem>* problems,
                std::vector<FirstNamed>* first_named) {
    std::vector<std::string_view>& f = fields_;
    SplitTabs(line, &f);
    auto col = [&](size_t i) {
      return CharColumn(line, static_cast<size_t>(f[i].data() - line.data()));
    };
    if (f.size() != 4 && f.size() != 5) {
      problems->push_back({1, "(columns)",
                           "the row has " + std::to_string(f.size()) +
                               " tab-separated fields; expected subject, relation, object, "
                               "time[, 0]"});
      return;
    }
    static constexpr std::string_view kNames[4] = {"subject", "relation", "object", "time"};
    int64_t* v = row->v;
    bool bad = false;
    for (size_t i = 0; i < 4; ++i) {
      std::string_view text = Trim(f[i]);
      if (!ParseInt64(text, &v[i]) || v[i] < 0) {
        problems->push_back(
            {col(i), kNames[i], "\"" + std::string(text) + "\" is not a non-negative integer"});
        bad = true;
        continue;
      }
      const auto& vocab = i == 1 ? relations_ : entities_;
      if (i != 3 &&
          (static_cast<size_t>(v[i]) >= vocab.size() || vocab[static_cast<size_t>(v[i])].empty())) {
        problems->push_back({col(i), kNames[i],
                             "id " + std::to_string(v[i]) + " is not in " +
                                 (i == 1 ? "relation2id.txt" : "entity2id.txt")});
        bad = true;
      } else if (i == 1 && table_.codes[static_cast<size_t>(v[1])].empty()) {
        problems->push_back(
            {col(i), kNames[i], "relation " + std::to_string(v[1]) + " has no CAMEO code"});
        bad = true;
      }
    }
    // The event's start, epoch + time * unit, and its end, start + span - 1, must not pass
    // kMaxTime (the epoch may be before 1970: negative).
    if (!bad && v[3] > max_time_) {
      problems->push_back({col(3), "time", "time " + std::to_string(v[3]) + " is too large"});
      bad = true;
    }
    if (bad) return;
    for (size_t i : {0, 2}) {
      const size_t e = static_cast<size_t>(v[i]);
      if (named_[e]) continue;
      named_[e] = true;
      std::string normalized = NormalizeName(entities_[e]);
      const auto country = Codebook::Default().CountryCodeForNormalized(normalized);
      first_named->push_back({e, std::move(normalized), country});
    }
    // Ids are at most 100,000,000 (ReadIdFile).
    QuadFact q;
    q.subject = static_cast<uint32_t>(v[0]);
    q.relation = static_cast<uint32_t>(v[1]);
    q.object = static_cast<uint32_t>(v[2]);
    q.time = v[3];
    table_.KeyOf(q, &key_);
    row->id = MakeNodeId(NodeKind::kEvent, key_);
  }

  const FactTable& table_;
  const std::vector<std::string>& entities_;
  const std::vector<std::string>& relations_;
  const int64_t max_time_;
  std::vector<bool> named_;               // entities named by a good row so far
  std::vector<std::string_view> fields_;  // kept for their capacity
  std::string key_;
};

// Batches go round between the caller and a worker thread that parses them: the caller fills
// the free one and submits it, and takes the oldest back, parsed, in the order submitted. At most
// kBatches are in flight, so memory is bounded and whichever side is faster waits for the other.
// Without a worker (threaded false, or no thread could be started) Submit parses at once. The
// destructor stops the worker and joins it, whatever is in flight: every return path is safe.
class ParsePipeline {
 public:
  static constexpr size_t kBatches = 4;

  ParsePipeline(std::function<void(LineBatch*)> parse, bool threaded) : parse_(std::move(parse)) {
    if (!threaded) return;
    try {
      worker_ = std::thread(&ParsePipeline::Run, this);
    } catch (const std::system_error&) {  // no thread: parse inline
    }
  }
  ~ParsePipeline() {
    if (!worker_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    worker_.join();
  }
  ParsePipeline(const ParsePipeline&) = delete;
  ParsePipeline& operator=(const ParsePipeline&) = delete;

  size_t in_flight() const { return submitted_ - taken_; }
  // The batch to fill next; only while in_flight() < kBatches.
  LineBatch* Free() { return &batches_[submitted_ % kBatches]; }
  // Hands the batch Free() returned to the worker.
  void Submit() {
    if (!worker_.joinable()) {
      parse_(Free());
      ++submitted_;
      ++parsed_;
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++submitted_;
    }
    cv_.notify_one();  // the worker is the only other thread that waits
  }
  // The oldest batch submitted and not taken yet, once parsed (waits for it); the caller's until
  // it next calls Free(). Only while in_flight() > 0. Rethrows what the parse threw.
  LineBatch* Take() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return parsed_ > taken_ || error_ != nullptr; });
    if (parsed_ == taken_) std::rethrow_exception(error_);
    return &batches_[taken_++ % kBatches];
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || parsed_ < submitted_; });
      if (stop_) return;
      LineBatch* batch = &batches_[parsed_ % kBatches];
      lock.unlock();
      try {
        parse_(batch);
      } catch (...) {  // handed to the caller's thread (Take), not lost with this one
        lock.lock();
        error_ = std::current_exception();
        cv_.notify_one();
        return;
      }
      lock.lock();
      ++parsed_;
      cv_.notify_one();
    }
  }

  const std::function<void(LineBatch*)> parse_;
  LineBatch batches_[kBatches];
  std::mutex mu_;
  std::condition_variable cv_;  // parsed_, submitted_, error_ or stop_ changed
  uint64_t submitted_ = 0;      // written by the caller only, under mu_ when there is a worker
  uint64_t parsed_ = 0;         // under mu_
  uint64_t taken_ = 0;          // the caller's
  std::exception_ptr error_;    // under mu_
  bool stop_ = false;           // under mu_
  std::thread worker_;          // last: it starts once the rest is set up
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
  // Each entity's country code, set by the commit of the batch that names it first (FirstNamed),
  // before its rows resolve their actors.
  std::vector<std::optional<std::string_view>> country_of(entities.size());
  std::vector<std::string> normalized_of(entities.size());  // likewise, its normalized name
  auto actor = [&](size_t e) -> Result<NodeId> {
    if (t.actor_of[e] != kNoNode) return t.actor_of[e];
    ActorObservation obs;
    obs.name = entities[e];
    if (const auto& cc = country_of[e]) {
      obs.kind = ActorKind::kState;
      obs.country_cameo = *cc;
    }
    obs.external_id = ExternalId{dataset, std::to_string(e)};
    obs.spelling_cached = true;  // in t.actor_of
    obs.normalized = normalized_of[e];
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

  // Commits a parsed batch, row by row in line order. Progress reads the reader, which may be
  // a few batches ahead.
  LineReader* reader = nullptr;  // the split's
  std::string file;
  auto commit = [&](LineBatch& batch) -> Status {
    for (FirstNamed& n : batch.first_named) {
      country_of[n.entity] = n.country;
      normalized_of[n.entity] = std::move(n.normalized);
    }
    const RowProblem* problem = batch.problems.data();
    for (const BatchRow& row : batch.rows) {
      s->CountRow(*reader);
      const uint64_t ln = row.line;
      if (row.errors > 0) {
        for (uint32_t i = 0; i < row.errors; ++i, ++problem) {
          s->RowError(file, ln, problem->column, problem->field, problem->reason);
        }
        s->RowSkipped();
        continue;
      }
      const int64_t* v = row.v;
      GEOKG_ASSIGN_OR_RETURN(rec.roles[0].second, actor(static_cast<size_t>(v[0])));
      GEOKG_ASSIGN_OR_RETURN(rec.roles[1].second, actor(static_cast<size_t>(v[2])));
      // Ids are at most 100,000,000 (ReadIdFile); a line past 2^32 is written as a whole node.
      fact.field[0] = static_cast<uint32_t>(v[0]);
      fact.field[1] = static_cast<uint32_t>(v[1]);
      fact.field[2] = static_cast<uint32_t>(v[2]);
      fact.field[3] = static_cast<uint32_t>(ln);
      fact.wide = v[3];
      if (s->options().fact_records && ln <= UINT32_MAX) {
        // The record is all the writer needs: the id, of the key the worker built with the
        // table, and no node. Its event has two roles, initiator and target
        // (FactTable::ExpandEvent).
        fact.id = row.id;
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
    return Status::OK();
  };

  QuadParser parser(t, entities, relations);
  ParsePipeline pipeline([&parser](LineBatch* batch) { parser.Parse(batch); },
                         s->options().parse_thread);
  for (const std::string& split : set.splits) {
    auto opened = LineReader::Open(split);
    if (!opened.ok()) return InputError(opened.status());
    reader = opened->get();
    if (!reader->NextEntry()) GEOKG_RETURN_IF_ERROR(InputError(reader->status()));
    file = reader->entry_name();
    fact.field[4] = static_cast<uint32_t>(t.files.size());
    t.files.push_back(ProvenanceFileName(file));
    // Batches are filled while up to kBatches - 1 others are parsed; a file's last ones are
    // committed before the next file starts (its name, progress and FileDone are per file).
    for (bool more = true; more;) {
      if (pipeline.in_flight() == ParsePipeline::kBatches) {
        GEOKG_RETURN_IF_ERROR(commit(*pipeline.Take()));
      }
      more = FillBatch(reader, pipeline.Free());
      pipeline.Submit();
    }
    while (pipeline.in_flight() > 0) GEOKG_RETURN_IF_ERROR(commit(*pipeline.Take()));
    GEOKG_RETURN_IF_ERROR(InputError(reader->status()));
    s->FileDone(reader->file_size());
  }
  return Status::OK();
}

}  // namespace geokg::io
