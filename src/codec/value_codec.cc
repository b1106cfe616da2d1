// Cap'n Proto <-> model values. Encoding builds a message (one segment unless it is over 8 KiB)
// and returns its bytes: nodes and edges in Cap'n Proto's packed encoding (written by
// codec/packed.h, byte for byte what capnp::writePackedMessage writes), which drops zero bytes
// (an imported event is ~420 bytes flat and ~3x smaller packed, mostly unset fields and pointer
// padding), the store info flat (an 8-byte segment table followed by the segment), so that a
// store of another format version can still be read far enough to say so. Decoding unpacks into
// word-aligned memory, or copies flat bytes there (RocksDB values carry no alignment guarantee),
// reads the message with a traversal limit proportional to its size (so a hostile value cannot
// make a read loop over shared pointers), and validates every field: stored values are input
// too. Any kj::Exception raised by a malformed message is caught here and becomes Corruption
// naming the record.

#include "codec/value_codec.h"

#include <capnp/message.h>
#include <capnp/serialize-packed.h>
#include <capnp/serialize.h>
#include <kj/exception.h>
#include <kj/io.h>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "codec/packed.h"
#include "model/vocab.h"
#include "schema/geokg.capnp.h"
#include "util/normalize.h"

namespace geokg::codec {
namespace {

namespace s = ::geokg::schema;
// The model's fact-status enum, named through a member so this file does not depend on its name.
using FactStatus = decltype(Event::status);

constexpr int kPrecisionCount = static_cast<int>(TimePrecision::kImminent) + 1;
// The deepest legal message is Node -> body -> Event -> Location (or Actor -> externalIds ->
// ExternalId); anything much deeper is not ours.
constexpr int kNestingLimit = 16;

capnp::Text::Reader AsText(const std::string& str) {
  return capnp::Text::Reader(str.data(), str.size());
}

// --- encoding --------------------------------------------------------------------------------
// Empty texts and an empty location are left as null pointers, which read back as their
// defaults: fewer words to write and to pack (most imported events set a third of the fields).

void SetInterval(s::Interval::Builder b, const Interval& v) {
  b.setStart(v.start);
  b.setEnd(v.end);
  b.setPrecision(static_cast<s::TimePrecision>(static_cast<uint16_t>(v.precision)));
  b.setOpenEnd(v.open_end);
}

void SetTextList(capnp::List<capnp::Text>::Builder b, const std::vector<std::string>& v) {
  for (size_t i = 0; i < v.size(); ++i) b.set(static_cast<unsigned>(i), AsText(v[i]));
}

void SetProvenance(capnp::List<s::Provenance>::Builder list, const std::vector<Provenance>& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    const Provenance& p = v[i];
    s::Provenance::Builder b = list[static_cast<unsigned>(i)];
    b.setSource(p.source);
    if (!p.dataset.empty()) b.setDataset(AsText(p.dataset));
    if (!p.file.empty()) b.setFile(AsText(p.file));
    b.setRow(p.row);
    if (!p.record_id.empty()) b.setRecordId(AsText(p.record_id));
    if (!p.story_id.empty()) b.setStoryId(AsText(p.story_id));
    b.setSentence(p.sentence);
    if (!p.url.empty()) b.setUrl(AsText(p.url));
    if (!p.publisher.empty()) b.setPublisher(AsText(p.publisher));
  }
}

void SetActor(s::Actor::Builder b, const Actor& a) {
  b.setKind(static_cast<s::ActorKind>(static_cast<uint16_t>(a.kind)));
  if (!a.name.empty()) b.setName(AsText(a.name));
  SetTextList(b.initAliases(static_cast<unsigned>(a.aliases.size())), a.aliases);
  if (!a.country_iso3.empty()) b.setCountryIso3(AsText(a.country_iso3));
  if (!a.country_cameo.empty()) b.setCountryCameo(AsText(a.country_cameo));
  SetTextList(b.initCameoTypes(static_cast<unsigned>(a.cameo_types.size())), a.cameo_types);
  SetTextList(b.initSectors(static_cast<unsigned>(a.sectors.size())), a.sectors);
  auto ext = b.initExternalIds(static_cast<unsigned>(a.external_ids.size()));
  for (size_t i = 0; i < a.external_ids.size(); ++i) {
    if (!a.external_ids[i].scheme.empty())
      ext[static_cast<unsigned>(i)].setScheme(AsText(a.external_ids[i].scheme));
    if (!a.external_ids[i].value.empty())
      ext[static_cast<unsigned>(i)].setValue(AsText(a.external_ids[i].value));
  }
  if (!a.description.empty()) b.setDescription(AsText(a.description));
}

void SetEvent(s::Event::Builder b, const Event& e) {
  if (!e.cameo_code.empty()) b.setCameoCode(AsText(e.cameo_code));
  if (!e.plover_type.empty()) b.setPloverType(AsText(e.plover_type));
  SetInterval(b.initTime(), e.time);
  // Coordinates come as a pair: a location with only one of them has none. A location with
  // nothing in it stays a null pointer, read back as the default.
  const Location& l = e.location;
  const bool has_coordinates = l.latitude.has_value() && l.longitude.has_value();
  if (!l.place_name.empty() || !l.admin1.empty() || !l.country_iso3.empty() || has_coordinates) {
    s::Location::Builder loc = b.initLocation();
    if (!l.place_name.empty()) loc.setPlaceName(AsText(l.place_name));
    if (!l.admin1.empty()) loc.setAdmin1(AsText(l.admin1));
    if (!l.country_iso3.empty()) loc.setCountryIso3(AsText(l.country_iso3));
    loc.setHasCoordinates(has_coordinates);
    if (has_coordinates) {
      loc.setLatitude(*l.latitude);
      loc.setLongitude(*l.longitude);
    }
  }
  b.setStatus(static_cast<s::Status>(static_cast<uint16_t>(e.status)));
  b.setConfidence(e.confidence);
  if (!e.summary.empty()) b.setSummary(AsText(e.summary));
  b.setHasGoldstein(e.goldstein.has_value());
  if (e.goldstein) b.setGoldstein(*e.goldstein);
  b.setHasQuadClass(e.quad_class.has_value());
  if (e.quad_class) b.setQuadClass(*e.quad_class);
  if (!e.participants.empty()) {
    auto list = b.initParticipants(static_cast<unsigned>(e.participants.size()));
    for (unsigned i = 0; i < list.size(); ++i) {
      list[i].setRole(static_cast<s::EdgeType>(static_cast<uint16_t>(e.participants[i].role)));
      list[i].setActor(e.participants[i].actor);
    }
  }
}

void SetSource(s::Source::Builder b, const Source& v) {
  if (!v.title.empty()) b.setTitle(AsText(v.title));
  if (!v.publisher.empty()) b.setPublisher(AsText(v.publisher));
  if (!v.url.empty()) b.setUrl(AsText(v.url));
  if (!v.language.empty()) b.setLanguage(AsText(v.language));
  SetInterval(b.initPublished(), v.published);
}

void SetStatement(s::Statement::Builder b, const Statement& v) {
  b.setSpeaker(v.speaker);
  if (!v.quote.empty()) b.setQuote(AsText(v.quote));
  if (!v.language.empty()) b.setLanguage(AsText(v.language));
  if (!v.translation.empty()) b.setTranslation(AsText(v.translation));
  SetInterval(b.initTime(), v.time);
  b.setSource(v.source);
}

void SetItem(s::Item::Builder b, const Item& v) {
  if (!v.name.empty()) b.setName(AsText(v.name));
  SetTextList(b.initAliases(static_cast<unsigned>(v.aliases.size())), v.aliases);
  if (!v.category.empty()) b.setCategory(AsText(v.category));
  if (!v.description.empty()) b.setDescription(AsText(v.description));
}

// The flat (unpacked) serialization, written straight into the string.
std::string ToBytes(capnp::MessageBuilder& message) {
  std::string out(capnp::computeSerializedSizeInWords(message) * sizeof(capnp::word), '\0');
  kj::ArrayOutputStream stream(kj::arrayPtr(reinterpret_cast<kj::byte*>(out.data()), out.size()));
  capnp::writeMessage(stream, message);
  return out;
}

// The packed serialization: what capnp::writePackedMessage writes (codec/packed.h), the segment
// table and then each segment, each packed as a piece of its own as capnp::writeMessage hands
// them to the packer.
void ToPackedBytes(capnp::MessageBuilder& message, std::string* out) {
  auto segments = message.getSegmentsForOutput();
  const size_t count = segments.size();
  // u32 segment count - 1, u32 size of each segment, padded to whole words.
  const size_t table_words = (count + 2) / 2;
  size_t words = table_words;
  for (const auto& seg : segments) words += seg.size();
  out->resize(MaxPackedBytes(words));
  uint64_t small[8] = {};  // a message of up to 15 segments, without an allocation
  std::vector<uint64_t> large(table_words > 8 ? table_words : 0, 0);
  uint64_t* table = table_words > 8 ? large.data() : small;
  auto* sizes = reinterpret_cast<capnp::_::WireValue<uint32_t>*>(table);
  sizes[0].set(static_cast<uint32_t>(count - 1));
  for (size_t i = 0; i < count; ++i) sizes[i + 1].set(static_cast<uint32_t>(segments[i].size()));
  size_t n = PackWords(table, table_words, out->data());
  for (const auto& seg : segments) n += PackWords(seg.begin(), seg.size(), out->data() + n);
  out->resize(n);
}
std::string ToPackedBytes(capnp::MessageBuilder& message) {
  std::string out;
  ToPackedBytes(message, &out);
  return out;
}

// A zeroed first segment for the builders of EncodeNode/EncodeEdge, one per thread: bulk imports
// encode one value per fact, and a fresh MallocMessageBuilder would calloc 8 KiB each time.
// MallocMessageBuilder zeroes what it used when destroyed, so the space can be reused; the
// encoders never nest, so one builder at a time uses it. Its size is the default first segment's,
// so that the bytes (segment count included) are exactly what a default builder writes.
kj::ArrayPtr<capnp::word> FirstSegment() {
  constexpr size_t kWords = capnp::SUGGESTED_FIRST_SEGMENT_WORDS;
  thread_local capnp::word space[kWords] = {};
  return kj::arrayPtr(space, kWords);
}

// --- decoding --------------------------------------------------------------------------------

// Reads one record's fields, checking each; `what_` ("node 0x...") heads every message.
class Reader {
 public:
  explicit Reader(std::string what) : what_(std::move(what)) {}

  Status Fail(std::string_view field, std::string_view problem) const {
    std::string msg = what_;
    msg += ": ";
    msg += field;
    msg += ": ";
    msg += problem;
    return Status::Corruption(std::move(msg));
  }

  Status Text(capnp::Text::Reader t, std::string_view field, std::string* out) const {
    std::string_view v(t.begin(), t.size());
    if (!IsValidUtf8(v)) return Fail(field, "invalid UTF-8");
    out->assign(v);
    return Status::OK();
  }

  Status TextList(capnp::List<capnp::Text>::Reader list, std::string_view field,
                  std::vector<std::string>* out) const {
    out->clear();
    out->reserve(list.size());
    for (capnp::Text::Reader t : list) {
      out->emplace_back();
      GEOKG_RETURN_IF_ERROR(Text(t, field, &out->back()));
    }
    return Status::OK();
  }

  template <typename E, typename CapnpEnum>
  Status Enum(CapnpEnum raw, int count, std::string_view field, E* out) const {
    const auto v = static_cast<uint16_t>(raw);
    if (v >= count) return Fail(field, "unknown enum value " + std::to_string(v));
    *out = static_cast<E>(v);
    return Status::OK();
  }

  // `kind` empty: any node kind; else the id must be of that kind. 0 is allowed when `optional`.
  Status Id(uint64_t id, std::string_view field, std::optional<NodeKind> kind,
            bool optional) const {
    if (id == kNoNode) {
      return optional ? Status::OK() : Fail(field, "missing node id");
    }
    if (!IsValidNodeId(id)) return Fail(field, Hex(id) + " is not a node id");
    if (kind && KindOf(id) != *kind) {
      return Fail(field, Hex(id) + " is not a " + std::string(NodeKindName(*kind)) + " id");
    }
    return Status::OK();
  }

  Status Confidence(float c, std::string_view field) const {
    if (std::isnan(c) || c < 0.0f || c > 1.0f) {
      return Fail(field, std::to_string(c) + " is not in [0, 1]");
    }
    return Status::OK();
  }

  Status Range(double v, double lo, double hi, std::string_view field) const {
    if (std::isnan(v) || v < lo || v > hi) {
      return Fail(field, std::to_string(v) + " is not in [" + std::to_string(lo) + ", " +
                             std::to_string(hi) + "]");
    }
    return Status::OK();
  }

  Status ReadInterval(s::Interval::Reader r, std::string_view field, Interval* out) const {
    out->start = r.getStart();
    out->end = r.getEnd();
    GEOKG_RETURN_IF_ERROR(Enum(r.getPrecision(), kPrecisionCount, std::string(field) + ".precision",
                               &out->precision));
    out->open_end = r.getOpenEnd();
    return Status::OK();
  }

  Status ReadProvenance(capnp::List<s::Provenance>::Reader list,
                        std::vector<Provenance>* out) const {
    out->clear();
    out->reserve(list.size());
    for (s::Provenance::Reader r : list) {
      Provenance& p = out->emplace_back();
      GEOKG_RETURN_IF_ERROR(Id(r.getSource(), "provenance.source", NodeKind::kSource, true));
      p.source = r.getSource();
      GEOKG_RETURN_IF_ERROR(Text(r.getDataset(), "provenance.dataset", &p.dataset));
      GEOKG_RETURN_IF_ERROR(Text(r.getFile(), "provenance.file", &p.file));
      p.row = r.getRow();
      GEOKG_RETURN_IF_ERROR(Text(r.getRecordId(), "provenance.recordId", &p.record_id));
      GEOKG_RETURN_IF_ERROR(Text(r.getStoryId(), "provenance.storyId", &p.story_id));
      p.sentence = r.getSentence();
      if (p.sentence < -1) {
        return Fail("provenance.sentence", std::to_string(p.sentence) + " is negative");
      }
      GEOKG_RETURN_IF_ERROR(Text(r.getUrl(), "provenance.url", &p.url));
      GEOKG_RETURN_IF_ERROR(Text(r.getPublisher(), "provenance.publisher", &p.publisher));
    }
    return Status::OK();
  }

  Status ReadActor(s::Actor::Reader r, Actor* a) const {
    GEOKG_RETURN_IF_ERROR(Enum(r.getKind(), kActorKindCount, "actor.kind", &a->kind));
    GEOKG_RETURN_IF_ERROR(Text(r.getName(), "actor.name", &a->name));
    GEOKG_RETURN_IF_ERROR(TextList(r.getAliases(), "actor.aliases", &a->aliases));
    GEOKG_RETURN_IF_ERROR(Text(r.getCountryIso3(), "actor.countryIso3", &a->country_iso3));
    GEOKG_RETURN_IF_ERROR(Text(r.getCountryCameo(), "actor.countryCameo", &a->country_cameo));
    GEOKG_RETURN_IF_ERROR(TextList(r.getCameoTypes(), "actor.cameoTypes", &a->cameo_types));
    GEOKG_RETURN_IF_ERROR(TextList(r.getSectors(), "actor.sectors", &a->sectors));
    a->external_ids.clear();
    for (s::ExternalId::Reader x : r.getExternalIds()) {
      ExternalId& e = a->external_ids.emplace_back();
      GEOKG_RETURN_IF_ERROR(Text(x.getScheme(), "actor.externalIds.scheme", &e.scheme));
      GEOKG_RETURN_IF_ERROR(Text(x.getValue(), "actor.externalIds.value", &e.value));
    }
    return Text(r.getDescription(), "actor.description", &a->description);
  }

  Status ReadEvent(s::Event::Reader r, Event* e) const {
    GEOKG_RETURN_IF_ERROR(Text(r.getCameoCode(), "event.cameoCode", &e->cameo_code));
    GEOKG_RETURN_IF_ERROR(Text(r.getPloverType(), "event.ploverType", &e->plover_type));
    GEOKG_RETURN_IF_ERROR(ReadInterval(r.getTime(), "event.time", &e->time));
    s::Location::Reader loc = r.getLocation();
    GEOKG_RETURN_IF_ERROR(
        Text(loc.getPlaceName(), "event.location.placeName", &e->location.place_name));
    GEOKG_RETURN_IF_ERROR(Text(loc.getAdmin1(), "event.location.admin1", &e->location.admin1));
    GEOKG_RETURN_IF_ERROR(
        Text(loc.getCountryIso3(), "event.location.countryIso3", &e->location.country_iso3));
    e->location.latitude.reset();
    e->location.longitude.reset();
    if (loc.getHasCoordinates()) {
      GEOKG_RETURN_IF_ERROR(Range(loc.getLatitude(), -90, 90, "event.location.latitude"));
      GEOKG_RETURN_IF_ERROR(Range(loc.getLongitude(), -180, 180, "event.location.longitude"));
      e->location.latitude = loc.getLatitude();
      e->location.longitude = loc.getLongitude();
    }
    GEOKG_RETURN_IF_ERROR(Enum(r.getStatus(), kStatusCount, "event.status", &e->status));
    GEOKG_RETURN_IF_ERROR(Confidence(r.getConfidence(), "event.confidence"));
    e->confidence = r.getConfidence();
    GEOKG_RETURN_IF_ERROR(Text(r.getSummary(), "event.summary", &e->summary));
    e->goldstein.reset();
    if (r.getHasGoldstein()) {
      GEOKG_RETURN_IF_ERROR(Range(r.getGoldstein(), -10, 10, "event.goldstein"));
      e->goldstein = r.getGoldstein();
    }
    e->quad_class.reset();
    if (r.getHasQuadClass()) {
      if (r.getQuadClass() < 1 || r.getQuadClass() > 4) {
        return Fail("event.quadClass", std::to_string(r.getQuadClass()) + " is not in 1..4");
      }
      e->quad_class = r.getQuadClass();
    }
    return ReadParticipants(r, &e->participants);
  }

  Status ReadParticipants(s::Event::Reader r, std::vector<Participant>* out) const {
    out->clear();
    auto list = r.getParticipants();
    out->reserve(list.size());
    for (auto p : list) {
      Participant v;
      GEOKG_RETURN_IF_ERROR(Enum(p.getRole(), kEdgeTypeCount, "event.participants.role", &v.role));
      if (!IsRole(v.role)) {
        return Fail("event.participants.role",
                    std::string(EdgeTypeName(v.role)) + " is not a role");
      }
      GEOKG_RETURN_IF_ERROR(Id(p.getActor(), "event.participants.actor", NodeKind::kActor, false));
      v.actor = p.getActor();
      if (!out->empty() && !(out->back() < v)) {
        return Fail("event.participants", "not sorted or listed twice");
      }
      out->push_back(v);
    }
    return Status::OK();
  }

  Status ReadSource(s::Source::Reader r, Source* v) const {
    GEOKG_RETURN_IF_ERROR(Text(r.getTitle(), "source.title", &v->title));
    GEOKG_RETURN_IF_ERROR(Text(r.getPublisher(), "source.publisher", &v->publisher));
    GEOKG_RETURN_IF_ERROR(Text(r.getUrl(), "source.url", &v->url));
    GEOKG_RETURN_IF_ERROR(Text(r.getLanguage(), "source.language", &v->language));
    return ReadInterval(r.getPublished(), "source.published", &v->published);
  }

  Status ReadStatement(s::Statement::Reader r, Statement* v) const {
    GEOKG_RETURN_IF_ERROR(Id(r.getSpeaker(), "statement.speaker", NodeKind::kActor, true));
    v->speaker = r.getSpeaker();
    GEOKG_RETURN_IF_ERROR(Text(r.getQuote(), "statement.quote", &v->quote));
    GEOKG_RETURN_IF_ERROR(Text(r.getLanguage(), "statement.language", &v->language));
    GEOKG_RETURN_IF_ERROR(Text(r.getTranslation(), "statement.translation", &v->translation));
    GEOKG_RETURN_IF_ERROR(ReadInterval(r.getTime(), "statement.time", &v->time));
    GEOKG_RETURN_IF_ERROR(Id(r.getSource(), "statement.source", NodeKind::kSource, true));
    v->source = r.getSource();
    return Status::OK();
  }

  Status ReadItem(s::Item::Reader r, Item* v) const {
    GEOKG_RETURN_IF_ERROR(Text(r.getName(), "item.name", &v->name));
    GEOKG_RETURN_IF_ERROR(TextList(r.getAliases(), "item.aliases", &v->aliases));
    GEOKG_RETURN_IF_ERROR(Text(r.getCategory(), "item.category", &v->category));
    return Text(r.getDescription(), "item.description", &v->description);
  }

  Status ReadNode(s::Node::Reader r, NodeId id, Node* node) const {
    node->id = id;
    GEOKG_RETURN_IF_ERROR(Text(r.getKey(), "key", &node->key));
    GEOKG_RETURN_IF_ERROR(ReadProvenance(r.getProvenance(), &node->provenance));
    auto body = r.getBody();
    switch (body.which()) {
      case s::Node::Body::ACTOR:
        GEOKG_RETURN_IF_ERROR(ReadActor(body.getActor(), &node->body.emplace<Actor>()));
        break;
      case s::Node::Body::EVENT:
        GEOKG_RETURN_IF_ERROR(ReadEvent(body.getEvent(), &node->body.emplace<Event>()));
        break;
      case s::Node::Body::SOURCE:
        GEOKG_RETURN_IF_ERROR(ReadSource(body.getSource(), &node->body.emplace<Source>()));
        break;
      case s::Node::Body::STATEMENT:
        GEOKG_RETURN_IF_ERROR(ReadStatement(body.getStatement(), &node->body.emplace<Statement>()));
        break;
      case s::Node::Body::ITEM:
        GEOKG_RETURN_IF_ERROR(ReadItem(body.getItem(), &node->body.emplace<Item>()));
        break;
      default:
        return Fail("body",
                    "unknown node kind " + std::to_string(static_cast<uint16_t>(body.which())));
    }
    if (MakeNodeId(node->kind(), node->key) != id) {
      return Fail("key", "node key does not match its id");
    }
    return Status::OK();
  }

  Status ReadRoles(s::Node::Reader r, EventRoles* out) const {
    auto body = r.getBody();
    if (body.which() != s::Node::Body::EVENT) return Status::OK();
    s::Event::Reader e = body.getEvent();
    GEOKG_RETURN_IF_ERROR(ReadInterval(e.getTime(), "event.time", &out->time));
    GEOKG_RETURN_IF_ERROR(Enum(e.getStatus(), kStatusCount, "event.status", &out->status));
    GEOKG_RETURN_IF_ERROR(Confidence(e.getConfidence(), "event.confidence"));
    out->confidence = e.getConfidence();
    return ReadParticipants(e, &out->participants);
  }

  Status ReadEdge(s::Edge::Reader r, EdgeId id, Edge* e) const {
    e->id = id;
    GEOKG_RETURN_IF_ERROR(Enum(r.getType(), kEdgeTypeCount, "type", &e->type));
    GEOKG_RETURN_IF_ERROR(Id(r.getSrc(), "src", std::nullopt, false));
    GEOKG_RETURN_IF_ERROR(Id(r.getDst(), "dst", std::nullopt, false));
    e->src = r.getSrc();
    e->dst = r.getDst();
    GEOKG_RETURN_IF_ERROR(ReadInterval(r.getValidity(), "validity", &e->validity));
    GEOKG_RETURN_IF_ERROR(Enum(r.getStatus(), kStatusCount, "status", &e->status));
    GEOKG_RETURN_IF_ERROR(Confidence(r.getConfidence(), "confidence"));
    e->confidence = r.getConfidence();
    GEOKG_RETURN_IF_ERROR(Text(r.getLabel(), "label", &e->label));
    GEOKG_RETURN_IF_ERROR(ReadProvenance(r.getProvenance(), &e->provenance));
    GEOKG_RETURN_IF_ERROR(Id(r.getOwner(), "owner", std::nullopt, true));
    e->owner = r.getOwner();
    return Text(r.getKey(), "key", &e->key);
  }

  Status ReadStoreInfo(s::StoreInfo::Reader r, StoreInfo* info) const {
    info->format_version = r.getFormatVersion();
    GEOKG_RETURN_IF_ERROR(Text(r.getCreatedBy(), "createdBy", &info->created_by));
    info->created_at = r.getCreatedAt();
    info->store_id = r.getStoreId();
    return Status::OK();
  }

  const std::string& what() const { return what_; }

 private:
  std::string what_;
};

// How a value is serialized: nodes and edges packed, the store info flat.
enum class Framing { kFlat, kPacked };

// The largest message a stored value of `packed_bytes` may claim to unpack to. A packed zero run
// expands 2 bytes into up to 2 KiB, so a few corrupt bytes could otherwise ask for an enormous
// buffer. Real values pack text about 1:1 and zeros only from struct padding and unset fields:
// any message up to 8 MiB, and larger ones (a long text) up to 16x their packed size.
size_t MaxMessageWords(size_t packed_bytes) {
  return std::max<size_t>(size_t{1} << 20, 16 * (packed_bytes / sizeof(capnp::word) + 1));
}

// Unpacks `bytes` into flat words (segment table, then segments, as writeMessage lays them out).
// It reads in the pieces the packer wrote (the table's first word, the rest of the table, then
// every segment), because a packed zero run never crosses a piece and must not be cut by a read.
// Throws kj exceptions on malformed input; the caller catches them.
Status Unpack(std::string_view bytes, const Reader& reader, kj::Array<capnp::word>* out) {
  kj::ArrayInputStream in(
      kj::arrayPtr(reinterpret_cast<const kj::byte*>(bytes.data()), bytes.size()));
  capnp::_::PackedInputStream packed(in);
  uint32_t head[2];
  packed.read(head, sizeof(head));
  const uint64_t segments = uint64_t{head[0]} + 1;
  if (segments > 512) {
    return reader.Fail("value", "segment count " + std::to_string(segments) + " is too large");
  }
  // 4 bytes of count and 4 per segment, padded to a word.
  const size_t table_words = static_cast<size_t>(segments + 2) / 2;
  std::vector<uint32_t> sizes(table_words * 2, 0);
  sizes[0] = head[0];
  sizes[1] = head[1];
  if (table_words > 1) packed.read(sizes.data() + 2, (table_words - 1) * sizeof(capnp::word));
  uint64_t total = 0;
  for (uint64_t i = 0; i < segments; ++i) total += sizes[1 + i];
  if (total == 0 || total > MaxMessageWords(bytes.size())) {
    return reader.Fail("value", "message size " + std::to_string(total) + " words is invalid");
  }
  *out = kj::heapArray<capnp::word>(table_words + static_cast<size_t>(total));
  std::memcpy(static_cast<void*>(out->begin()), sizes.data(), table_words * sizeof(capnp::word));
  packed.read(out->begin() + table_words, static_cast<size_t>(total) * sizeof(capnp::word));
  if (in.tryGetReadBuffer().size() != 0) {
    return reader.Fail("value", "trailing bytes after the message");
  }
  return Status::OK();
}

// Frames `bytes` as a message (flat or packed) and runs `read(root)`; every framing problem and
// every kj exception becomes Corruption about `reader.what()`.
template <typename Root, typename Fn>
Status ReadMessage(std::string_view bytes, Framing framing, const Reader& reader, Fn&& read) {
  if (bytes.empty()) return reader.Fail("value", "empty");
  kj::Array<capnp::word> words;
  Status status;
  kj::Maybe<kj::Exception> exception = kj::runCatchingExceptions([&]() {
    if (framing == Framing::kPacked) {
      status = Unpack(bytes, reader, &words);
      if (!status.ok()) return;
    } else {
      if (bytes.size() % sizeof(capnp::word) != 0) {
        status = reader.Fail("value",
                             "length " + std::to_string(bytes.size()) + " is not a multiple of 8");
        return;
      }
      words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
      std::memcpy(words.begin(), bytes.data(), bytes.size());
    }
    const size_t word_count = words.size();
    capnp::ReaderOptions options;
    // Each word is read about once; a few times the message size leaves room for the segment
    // table and list headers while stopping amplification through shared pointers.
    options.traversalLimitInWords = word_count * 4 + 64;
    options.nestingLimit = kNestingLimit;
    capnp::FlatArrayMessageReader message(words.asPtr(), options);
    if (message.getEnd() != words.end()) {
      status = reader.Fail("value", "trailing bytes after the message");
      return;
    }
    status = read(message.getRoot<Root>());
  });
  KJ_IF_MAYBE (e, exception) {
    return reader.Fail("value", std::string("malformed message: ") + e->getDescription().cStr());
  }
  return status;
}

}  // namespace

std::string EncodeNode(const Node& node) {
  std::string out;
  EncodeNodeTo(node, &out);
  return out;
}

void EncodeNodeTo(const Node& node, std::string* out) {
  capnp::MallocMessageBuilder message(FirstSegment());
  s::Node::Builder root = message.initRoot<s::Node>();
  root.setKey(AsText(node.key));
  SetProvenance(root.initProvenance(static_cast<unsigned>(node.provenance.size())),
                node.provenance);
  auto body = root.initBody();
  struct Visitor {
    s::Node::Body::Builder b;
    void operator()(const Actor& v) { SetActor(b.initActor(), v); }
    void operator()(const Event& v) { SetEvent(b.initEvent(), v); }
    void operator()(const Source& v) { SetSource(b.initSource(), v); }
    void operator()(const Statement& v) { SetStatement(b.initStatement(), v); }
    void operator()(const Item& v) { SetItem(b.initItem(), v); }
  };
  std::visit(Visitor{body}, node.body);
  ToPackedBytes(message, out);
}

Result<Node> DecodeNode(std::string_view bytes, NodeId id) {
  Reader reader("node " + Hex(id));
  Node node;
  GEOKG_RETURN_IF_ERROR(
      ReadMessage<s::Node>(bytes, Framing::kPacked, reader,
                           [&](s::Node::Reader r) { return reader.ReadNode(r, id, &node); }));
  return node;
}

Result<EventRoles> DecodeEventRoles(std::string_view bytes, NodeId id) {
  Reader reader("node " + Hex(id));
  EventRoles roles;
  GEOKG_RETURN_IF_ERROR(
      ReadMessage<s::Node>(bytes, Framing::kPacked, reader,
                           [&](s::Node::Reader r) { return reader.ReadRoles(r, &roles); }));
  return roles;
}

std::string EncodeEdge(const Edge& edge) {
  capnp::MallocMessageBuilder message(FirstSegment());
  s::Edge::Builder b = message.initRoot<s::Edge>();
  b.setType(static_cast<s::EdgeType>(static_cast<uint16_t>(edge.type)));
  b.setSrc(edge.src);
  b.setDst(edge.dst);
  SetInterval(b.initValidity(), edge.validity);
  b.setStatus(static_cast<s::Status>(static_cast<uint16_t>(edge.status)));
  b.setConfidence(edge.confidence);
  b.setLabel(AsText(edge.label));
  SetProvenance(b.initProvenance(static_cast<unsigned>(edge.provenance.size())), edge.provenance);
  b.setOwner(edge.owner);
  b.setKey(AsText(edge.key));
  return ToPackedBytes(message);
}

Result<Edge> DecodeEdge(std::string_view bytes, EdgeId id) {
  Reader reader("edge " + Hex(id));
  Edge edge;
  GEOKG_RETURN_IF_ERROR(
      ReadMessage<s::Edge>(bytes, Framing::kPacked, reader,
                           [&](s::Edge::Reader r) { return reader.ReadEdge(r, id, &edge); }));
  return edge;
}

std::string EncodeFactTable(const FactTable& t) {
  capnp::MallocMessageBuilder message;
  s::FactTable::Builder b = message.initRoot<s::FactTable>();
  b.setKeyPrefix(AsText(t.key_prefix));
  b.setDataset(AsText(t.dataset));
  b.setEpoch(t.epoch);
  b.setUnitSeconds(t.unit_seconds);
  b.setPrecision(static_cast<s::TimePrecision>(static_cast<uint16_t>(t.precision)));
  b.setSpan(t.span);
  SetTextList(b.initFiles(static_cast<unsigned>(t.files.size())), t.files);
  SetTextList(b.initRelations(static_cast<unsigned>(t.relations.size())), t.relations);
  SetTextList(b.initCodes(static_cast<unsigned>(t.codes.size())), t.codes);
  auto actors = b.initActorOf(static_cast<unsigned>(t.actor_of.size()));
  for (size_t i = 0; i < t.actor_of.size(); ++i)
    actors.set(static_cast<unsigned>(i), t.actor_of[i]);
  return ToBytes(message);
}

uint64_t FactTableId(std::string_view encoded) { return Hash64(encoded); }

Result<FactTable> DecodeFactTable(std::string_view bytes, uint64_t id) {
  Reader reader("fact table " + Hex(id));
  if (FactTableId(bytes) != id) return reader.Fail("value", "does not hash to its id");
  FactTable t;
  GEOKG_RETURN_IF_ERROR(ReadMessage<s::FactTable>(
      bytes, Framing::kFlat, reader, [&](s::FactTable::Reader r) -> Status {
        GEOKG_RETURN_IF_ERROR(reader.Text(r.getKeyPrefix(), "keyPrefix", &t.key_prefix));
        GEOKG_RETURN_IF_ERROR(reader.Text(r.getDataset(), "dataset", &t.dataset));
        t.epoch = r.getEpoch();
        t.unit_seconds = r.getUnitSeconds();
        GEOKG_RETURN_IF_ERROR(
            reader.Enum(r.getPrecision(), kPrecisionCount, "precision", &t.precision));
        t.span = r.getSpan();
        GEOKG_RETURN_IF_ERROR(reader.TextList(r.getFiles(), "files", &t.files));
        GEOKG_RETURN_IF_ERROR(reader.TextList(r.getRelations(), "relations", &t.relations));
        GEOKG_RETURN_IF_ERROR(reader.TextList(r.getCodes(), "codes", &t.codes));
        auto actors = r.getActorOf();
        t.actor_of.resize(actors.size());
        for (unsigned i = 0; i < actors.size(); ++i) t.actor_of[i] = actors[i];
        return Status::OK();
      }));
  if (std::string why = t.Problem(); !why.empty()) return reader.Fail("table", why);
  return t;
}

std::string EncodeStoreInfo(const StoreInfo& info) {
  capnp::MallocMessageBuilder message;
  s::StoreInfo::Builder b = message.initRoot<s::StoreInfo>();
  b.setFormatVersion(info.format_version);
  b.setCreatedBy(AsText(info.created_by));
  b.setCreatedAt(info.created_at);
  b.setStoreId(info.store_id);
  return ToBytes(message);
}

Result<StoreInfo> DecodeStoreInfo(std::string_view bytes) {
  Reader reader("store info");
  StoreInfo info;
  GEOKG_RETURN_IF_ERROR(ReadMessage<s::StoreInfo>(
      bytes, Framing::kFlat, reader,
      [&](s::StoreInfo::Reader r) { return reader.ReadStoreInfo(r, &info); }));
  return info;
}

}  // namespace geokg::codec
