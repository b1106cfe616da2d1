// ImportSession. Actor resolution order: this import's own cache (raw spelling, then normalized
// name), then the store's name index (loaded whole at Begin() when it is small enough, else one
// FindByName per distinct name), then a new actor keyed "actor:<slug>". Stored actors are never
// renamed or re-kinded: an import only appends sectors, type codes, external ids and one
// provenance entry per data set, and fills a country left empty.
#include "io/import_session.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "codec/key_codec.h"
#include "codec/value_codec.h"
#include "io/json_line.h"
#include "model/vocab.h"
#include "storage/index_entries.h"
#include "util/normalize.h"

namespace geokg::io {

namespace {
constexpr size_t kMaxCachedNames = 4'000'000;
// Events QueueEvent holds back. Repeated rows of real files are neighbours (GDELT writes an
// event again right after itself, with or without SOURCEURL); a few thousand records of a few
// hundred bytes each.
constexpr size_t kRepeatWindow = 4096;
constexpr uint64_t kProgressEvery = 1 << 16;

void AddUnique(std::vector<std::string>* v, std::string_view s) {
  if (s.empty()) return;
  for (const auto& x : *v) {
    if (x == s) return;
  }
  v->emplace_back(s);
}
void AddUniqueId(std::vector<ExternalId>* v, const ExternalId& id) {
  if (id.value.empty()) return;
  for (const auto& x : *v) {
    if (x == id) return;
  }
  v->push_back(id);
}

// Merges what `add` says into `into` without replacing anything `into` already says.
bool MergeActor(Actor* into, const Actor& add) {
  Actor before = *into;
  if (into->kind == ActorKind::kUnknown) into->kind = add.kind;
  if (into->country_cameo.empty()) into->country_cameo = add.country_cameo;
  if (into->country_iso3.empty()) into->country_iso3 = add.country_iso3;
  for (const auto& s : add.sectors) AddUnique(&into->sectors, s);
  for (const auto& s : add.cameo_types) AddUnique(&into->cameo_types, s);
  for (const auto& x : add.external_ids) AddUniqueId(&into->external_ids, x);
  return !(before == *into);
}
}  // namespace

void SplitTabs(std::string_view line, std::vector<std::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      fields->push_back(line.substr(start));
      return;
    }
    fields->push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

size_t CharColumn(std::string_view line, size_t byte_offset) {
  size_t column = 1;
  for (size_t i = 0; i < std::min(byte_offset, line.size()); ++i) {
    column += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
  }
  return column;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s, size_t min_len, size_t max_len) {
  if (s.size() < min_len || s.size() > max_len) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  if (s.front() == '+') {  // from_chars takes no '+'; one is enough ("+-5" is no number)
    s.remove_prefix(1);
    if (s.empty() || s.front() == '-') return false;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(*out);
}

std::string ProvenanceFileName(std::string_view entry_name) {
  size_t colon = entry_name.rfind(':');
  size_t slash = entry_name.rfind('/');
  // "archive.zip:member" (a colon after the last slash belongs to the member separator)
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    entry_name.remove_prefix(colon + 1);
  }
  std::string name = BaseName(entry_name);
  for (std::string_view suffix : {".gz", ".bz2", ".xz", ".zst", ".lz4", ".Z"}) {
    if (name.size() > suffix.size() &&
        std::string_view(name).substr(name.size() - suffix.size()) == suffix) {
      name.resize(name.size() - suffix.size());
      break;
    }
  }
  return name;
}

Status InputError(const Status& reader_status) {
  return reader_status.IsIOError() ? Status::InvalidArgument(reader_status.message())
                                   : reader_status;
}

std::string Utf8Problem(std::string_view field) {
  if (IsValidUtf8(field)) return "";
  // Where the longest valid prefix ends: one pass (testing every prefix took quadratic time, and
  // minutes on one long field).
  size_t good = FirstInvalidUtf8(field);
  if (good == std::string_view::npos) good = 0;  // the two validators agree; defensive
  char buf[80];
  std::snprintf(buf, sizeof(buf), "invalid UTF-8 (byte 0x%02x at offset %zu of the field)",
                static_cast<unsigned char>(field[std::min(good, field.size() - 1)]), good);
  return buf;
}

NodeIdIndex::NodeIdIndex(size_t max_entries) {
  slots_.assign(16, {kNoNode, 0});
  mask_ = 15;
  Reserve(max_entries);
}

void NodeIdIndex::Reserve(size_t max_entries) {
  size_t n = slots_.size();
  while (n < 2 * max_entries) n *= 2;
  if (n != slots_.size()) Rehash(n);
}

void NodeIdIndex::Rehash(size_t slots) {
  std::vector<std::pair<NodeId, uint64_t>> old(slots, {kNoNode, 0});
  old.swap(slots_);
  mask_ = slots - 1;
  size_ = 0;
  for (const auto& [k, v] : old) {
    if (k != kNoNode) Insert(k, v);
  }
}

const uint64_t* NodeIdIndex::Find(NodeId id) const {
  for (size_t i = id & mask_;; i = (i + 1) & mask_) {
    if (slots_[i].first == id) return &slots_[i].second;
    if (slots_[i].first == kNoNode) return nullptr;
  }
}

void NodeIdIndex::Insert(NodeId id, uint64_t value) {
  if (2 * (size_ + 1) > slots_.size()) Rehash(2 * slots_.size());
  ++size_;
  size_t i = id & mask_;
  while (slots_[i].first != kNoNode) i = (i + 1) & mask_;
  slots_[i] = {id, value};
}

void NodeIdIndex::Erase(NodeId id) {
  size_t i = id & mask_;
  while (slots_[i].first != id) i = (i + 1) & mask_;
  // Backward shift: move later entries of the probe sequence into the hole when their home slot
  // does not lie (cyclically) between the hole and them.
  for (size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
    if (slots_[j].first == kNoNode) break;
    const size_t home = slots_[j].first & mask_;
    if (((j - home) & mask_) >= ((j - i) & mask_)) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = {kNoNode, 0};
  --size_;
}

ImportSession::ImportSession(storage::Store* store, const ImportOptions& options)
    : store_(store),
      options_(options),
      queued_at_(kRepeatWindow + 1),
      start_(std::chrono::steady_clock::now()) {}

ImportSession::~ImportSession() = default;

Status ImportSession::Begin(uint64_t bytes_total) {
  bytes_total_ = bytes_total;
  storage::BulkOptions bo;
  bo.memory_budget = options_.memory_budget;
  bo.writer_threads = options_.writer_threads;
  bo.direct_writes = options_.direct_writes;
  GEOKG_ASSIGN_OR_RETURN(writer_, storage::BulkWriter::Create(store_, bo));
  // Ids carry their kind, so only a stored actor can hold a fresh actor's id: with none in the
  // store, ResolveActor need not look each new id up. A scan that fails (a damaged node) counts
  // as finding one.
  bool any_actor = false;
  Status scan = store_->ScanNodes(NodeKind::kActor, [&](const Node&) {
    any_actor = true;
    return false;
  });
  store_has_actors_ = any_actor || !scan.ok();
  size_t n = 0;
  names_cached_ = true;
  GEOKG_RETURN_IF_ERROR(store_->ScanNames([&](std::string_view norm, NodeId id) {
    if (++n > kMaxCachedNames) {
      names_cached_ = false;
      return false;
    }
    stored_names_[std::string(norm)].push_back(id);
    return true;
  }));
  if (!names_cached_) stored_names_.clear();
  return Status::OK();
}

void ImportSession::ReserveActors(size_t names) {
  slot_by_name_.reserve(names);
  slot_by_raw_.reserve(names);
  used_ids_.Reserve(names);
}

Result<NodeId> ImportSession::ResolveActor(const ActorObservation& obs, std::string_view dataset,
                                           std::string_view /*file*/) {
  // Each map operation costs a cache miss or two: one lookup by spelling (unless the caller
  // caches spellings), then one insertion by name (ICEWS18's 23k actors: 32 -> 24 ms, against a
  // lookup and an insertion in each map). The insertion's key is built in the arena first, so a
  // new spelling of a known name leaves its bytes there: once per distinct spelling.
  size_t idx;
  const auto raw = obs.spelling_cached ? slot_by_raw_.end() : slot_by_raw_.find(obs.name);
  std::string normalized;
  std::string_view norm;
  if (raw == slot_by_raw_.end()) {
    norm = obs.normalized;
    if (norm.empty()) norm = normalized = NormalizeName(obs.name);
    if (norm.empty()) return Status::InvalidArgument("the actor name has no letters or digits");
  }
  auto [found, fresh] =
      raw != slot_by_raw_.end()
          ? std::pair(slot_by_name_.end(), false)
          : slot_by_name_.try_emplace(std::pmr::string(norm, &arena_), slots_.size());
  if (raw != slot_by_raw_.end()) {
    idx = raw->second;
  } else if (!fresh) {
    idx = found->second;
    if (!obs.spelling_cached) slot_by_raw_.emplace(obs.name, idx);
  } else {
    // The new slot's entry is in slot_by_name_ already: an error removes it.
    struct Undo {
      SlotMap* map;
      SlotMap::iterator it;
      ~Undo() {
        if (map != nullptr) map->erase(it);
      }
    } undo{&slot_by_name_, found};
    ActorSlot slot;
    std::vector<NodeId> candidates;
    if (names_cached_) {
      if (!stored_names_.empty()) {
        auto it = stored_names_.find(std::string(norm));
        if (it != stored_names_.end()) candidates = it->second;
      }
    } else {
      GEOKG_ASSIGN_OR_RETURN(candidates, store_->FindByName(norm));
    }
    std::vector<NodeId> actors;
    for (NodeId id : candidates) {
      if (KindOf(id) == NodeKind::kActor) actors.push_back(id);
    }
    if (!actors.empty()) {
      std::sort(actors.begin(), actors.end());
      slot.id = actors.front();
      slot.stored = true;
      ++summary_.actors_matched;
      if (actors.size() > 1) ++summary_.ambiguous_names;
    } else {
      // A fresh key; the slug is injective on normalized names, so a clash means a stored node
      // that has this key under another name (then a suffix keeps both).
      std::string base = "actor:" + SlugOfNormalized(norm);
      std::string key = base;
      NodeId id;
      for (int n = 2;; ++n) {
        // Taken when this import handed out its id or a stored node has it (that node's key
        // is this one, or, after a hash collision, another: either way the id is in use).
        id = MakeNodeId(NodeKind::kActor, key);
        bool taken = used_ids_.Find(id) != nullptr;
        if (!taken && store_has_actors_) {
          GEOKG_ASSIGN_OR_RETURN(auto existing,
                                 writer_->GetStored(storage::Cf::kNodes, codec::NodeKey(id)));
          taken = existing.has_value();
        }
        if (!taken) break;
        key = base + "-" + std::to_string(n);
      }
      used_ids_.Insert(id, 0);
      slot.id = id;
      slot.key = std::move(key);
      slot.actor.name = std::string(obs.name);
      ++summary_.actors_created;
    }
    idx = slots_.size();
    slots_.push_back(std::move(slot));
    undo.map = nullptr;
    if (!obs.spelling_cached) slot_by_raw_.emplace(obs.name, idx);
  }
  ActorSlot& slot = slots_[idx];
  slot.touched = true;
  Actor& a = slot.actor;
  if (a.kind == ActorKind::kUnknown) a.kind = obs.kind;
  if (a.country_cameo.empty()) a.country_cameo = std::string(obs.country_cameo);
  for (auto s : obs.sectors) AddUnique(&a.sectors, s);
  for (auto s : obs.cameo_types) AddUnique(&a.cameo_types, s);
  if (obs.external_id) AddUniqueId(&a.external_ids, *obs.external_id);
  bool have = false;
  for (const auto& p : slot.provenance) have = have || p.dataset == dataset;
  if (!have) {
    Provenance p;
    p.dataset = std::string(dataset);
    slot.provenance.push_back(std::move(p));
  }
  return slot.id;
}

Status ImportSession::AddEvent(EventRecord& record) { return WriteEvent(nullptr, record); }

Status ImportSession::AddFact(const storage::FactRecord& fact, EventRecord& record) {
  return WriteEvent(options_.fact_records ? &fact : nullptr, record);
}

Status ImportSession::AddFact(const storage::FactRecord& fact, size_t roles) {
  if (failed()) return Status::OK();  // kFail: keep validating, write nothing
  GEOKG_RETURN_IF_ERROR(writer_->PutFact(fact));
  summary_.role_edges += roles;
  return Status::OK();
}

uint32_t ImportSession::AddFactTemplate(std::shared_ptr<const storage::FactTemplate> tmpl) {
  return writer_->AddFactTemplate(std::move(tmpl));
}

Status ImportSession::WriteEvent(const storage::FactRecord* fact, EventRecord& record) {
  if (failed()) return Status::OK();  // kFail: keep validating, write nothing
  Node& node = record.node;
  auto& ev = std::get<Event>(node.body);
  ev.participants.clear();
  for (const auto& [role, actor] : record.roles) {
    if (!IsRole(role)) {
      return Status::InvalidArgument("an event's " + std::string(EdgeTypeName(role)) +
                                     " edge is not a role");
    }
    ev.participants.push_back({role, actor});
  }
  std::sort(ev.participants.begin(), ev.participants.end());
  ev.participants.erase(std::unique(ev.participants.begin(), ev.participants.end()),
                        ev.participants.end());
  // Compared with the stored version (if any) when the writer merges: added, unchanged (not
  // written) or updated, the stale entries of the stored version deleted.
  // The node's entries include its participants' `out` entries.
  GEOKG_RETURN_IF_ERROR(fact ? writer_->PutFact(*fact, node) : writer_->PutNode(node));
  summary_.role_edges += ev.participants.size();
  return Status::OK();
}

Status ImportSession::QueueEvent(EventRecord&& record) {
  if (failed()) return Status::OK();  // kFail: keep validating, write nothing
  const NodeId id = record.node.id;
  if (const uint64_t* seq = queued_at_.Find(id)) {
    queued_[*seq - queued_base_] = std::move(record);  // the last row wins
    ++repeats_queued_;
    return Status::OK();
  }
  queued_at_.Insert(id, queued_base_ + queued_.size());
  queued_.push_back(std::move(record));
  if (queued_.size() > kRepeatWindow) return WriteOldestQueued();
  return Status::OK();
}

Status ImportSession::WriteOldestQueued() {
  EventRecord record = std::move(queued_.front());
  queued_.pop_front();
  queued_at_.Erase(record.node.id);
  ++queued_base_;
  return AddEvent(record);
}

void ImportSession::Report(const std::string& message, std::string_view field) {
  ++summary_.errors;
  ++summary_.errors_by_field[std::string(field)];
  if (options_.on_diagnostic) options_.on_diagnostic(message);
}

void ImportSession::RowError(std::string_view file, uint64_t line, size_t column,
                             std::string_view field, const std::string& reason) {
  std::string msg = std::string(file) + ":" + std::to_string(line) + ":" + std::to_string(column) +
                    ": field '" + std::string(field) + "': " + reason;
  Report(msg, field);
}

void ImportSession::FileError(std::string_view file, const std::string& reason) {
  Report(std::string(file) + ": " + reason, "(file)");
}

void ImportSession::CountRow(const LineReader& reader) {
  if (++summary_.rows >= next_progress_) {
    next_progress_ = summary_.rows + kProgressEvery;
    current_file_ = reader.entry_name();
    EmitProgress(&reader);
  }
}

void ImportSession::FileDone(uint64_t file_size) {
  bytes_done_ += file_size;
  ++summary_.files;
  EmitProgress(nullptr);
}

void ImportSession::EmitProgress(const LineReader* reader, ImportProgress::Phase phase) {
  if (!options_.on_progress) return;
  ImportProgress p;
  p.phase = phase;
  p.rows = summary_.rows;
  p.bytes_done = bytes_done_ + (reader ? reader->bytes_consumed() : 0);
  p.bytes_total = bytes_total_;
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  p.current = current_file_;
  options_.on_progress(p);
}

Status ImportSession::WriteActors() {
  for (ActorSlot& slot : slots_) {
    if (!slot.touched) continue;
    if (!slot.stored) {
      // Written once, at the end: the slot's record moves into the node.
      Node n;
      n.id = slot.id;
      n.key = std::move(slot.key);
      n.provenance = std::move(slot.provenance);
      n.body = std::move(slot.actor);
      slot.touched = false;
      GEOKG_RETURN_IF_ERROR(writer_->PutNode(n));
      continue;
    }
    GEOKG_ASSIGN_OR_RETURN(auto stored, store_->GetNode(slot.id));
    if (!stored) continue;  // the name index named a node that is gone: leave it
    Node n = std::move(*stored);
    auto* actor = std::get_if<Actor>(&n.body);
    if (actor == nullptr) continue;
    bool changed = MergeActor(actor, slot.actor);
    for (const auto& p : slot.provenance) {
      bool have = false;
      for (const auto& q : n.provenance) have = have || (q.dataset == p.dataset && q.source == 0);
      if (!have) {
        n.provenance.push_back(p);
        changed = true;
      }
    }
    if (changed) {
      GEOKG_RETURN_IF_ERROR(writer_->PutNode(n));
      ++summary_.actors_updated;
    }
  }
  return Status::OK();
}

Result<ImportSummary> ImportSession::Finish() {
  while (!queued_.empty() && !failed()) GEOKG_RETURN_IF_ERROR(WriteOldestQueued());
  if (failed()) {
    writer_->Abort();
    summary_.written = false;
  } else {
    writer_->PrepareFacts();  // sorted on another core while the actors are written
    GEOKG_RETURN_IF_ERROR(WriteActors());
    EmitProgress(nullptr, ImportProgress::Phase::kWriting);
    GEOKG_RETURN_IF_ERROR(writer_->Finish());
    summary_.written = true;
  }
  summary_.bulk = writer_->stats();
  // The writer compared each event's last version with the store's. Nodes are put once per key
  // except events repeated further apart than QueueEvent's window (nearer repeats never reach
  // the writer), which the writer collapses and counts.
  summary_.events_added = summary_.bulk.events_added;
  summary_.events_updated = summary_.bulk.events_updated;
  summary_.events_unchanged = summary_.bulk.events_unchanged;
  summary_.role_edges -= std::min(summary_.role_edges, summary_.bulk.unwritten_roles);
  const uint64_t written_twice =
      summary_.bulk.duplicates_by_cf[static_cast<int>(storage::Cf::kNodes)];
  summary_.events_repeated = written_twice + repeats_queued_;
  summary_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return summary_;
}

}  // namespace geokg::io
