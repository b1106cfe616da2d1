// CSR construction. Both sides are built with a stable counting sort of the arc list by source
// (out) and by target (in): two passes over the arcs, no comparisons. Out-lists keep the order
// arcs were added in (the store's key order: type, time, neighbour); in-lists are by source.
// NodeIds map to indices through an open-addressing table keyed by the id's low bits, which are
// already a hash.
#include "graph/csr.h"

#include <algorithm>
#include <future>
#include <limits>
#include <system_error>

#include "model/cameo.h"
#include "storage/store.h"

namespace geokg::graph {
namespace {

// Fills one side from arcs given as (key vertex, other vertex); `order` receives, for each
// position of the side, the index of the arc placed there.
void CountingSort(uint32_t n, const std::vector<uint32_t>& key, std::vector<uint64_t>* offsets,
                  std::vector<uint64_t>* order) {
  offsets->assign(static_cast<size_t>(n) + 1, 0);
  for (uint32_t k : key) ++(*offsets)[k + 1];
  for (uint32_t v = 0; v < n; ++v) (*offsets)[v + 1] += (*offsets)[v];
  std::vector<uint64_t> cursor(offsets->begin(), offsets->end() - 1);
  order->resize(key.size());
  for (uint64_t j = 0; j < key.size(); ++j) (*order)[cursor[key[j]]++] = j;
}

template <typename T>
std::vector<T> Permute(const std::vector<T>& src, const std::vector<uint64_t>& order) {
  std::vector<T> out(order.size());
  for (uint64_t i = 0; i < order.size(); ++i) out[i] = src[order[i]];
  return out;
}

// Builds both sides from index arcs. Consumes nothing; the caller frees its inputs after.
void BuildSides(uint32_t n, const std::vector<uint32_t>& src, const std::vector<uint32_t>& dst,
                const std::vector<uint8_t>& type, const std::vector<Time>& time,
                const std::vector<uint8_t>& status, const std::vector<EdgeId>& edge, CsrArrays* a) {
  std::vector<uint64_t> order;
  CountingSort(n, src, &a->out.offsets, &order);
  a->out.neighbor = Permute(dst, order);
  a->out.type = Permute(type, order);
  a->out.time = Permute(time, order);
  a->out.status = Permute(status, order);
  a->out.edge = Permute(edge, order);
  // The in side is sorted from the arcs in out-side order, so each in-list is ordered by source:
  // a pull over in-arcs (PageRank, bottom-up BFS) then reads its sources' state in address order.
  std::vector<uint32_t> dst_by_src = Permute(dst, order);
  std::vector<uint64_t> in_order;
  CountingSort(n, dst_by_src, &a->in.offsets, &in_order);
  for (uint64_t& j : in_order) j = order[j];
  a->in.neighbor = Permute(src, in_order);
  a->in.type = Permute(type, in_order);
  a->in.time = Permute(time, in_order);
  a->in.status = Permute(status, in_order);
  a->in.edge = Permute(edge, in_order);
}

// NodeId -> index, for ids known to be in the table.
class IdTable {
 public:
  explicit IdTable(const std::vector<NodeId>& ids) {
    size_t cap = 16;
    while (cap < ids.size() * 2) cap <<= 1;
    mask_ = cap - 1;
    keys_.assign(cap, kNoNode);
    vals_.resize(cap);
    for (uint32_t i = 0; i < ids.size(); ++i) {
      size_t h = Slot(ids[i]);
      while (keys_[h] != kNoNode) h = (h + 1) & mask_;
      keys_[h] = ids[i];
      vals_[h] = i;
    }
  }
  uint32_t Find(NodeId id) const {
    size_t h = Slot(id);
    while (keys_[h] != id) {
      if (keys_[h] == kNoNode) return kNoVertex;
      h = (h + 1) & mask_;
    }
    return vals_[h];
  }

 private:
  size_t Slot(NodeId id) const { return (id * 0x9E3779B97F4A7C15ull >> 17) & mask_; }
  size_t mask_ = 0;
  std::vector<NodeId> keys_;
  std::vector<uint32_t> vals_;
};

// Reductions written as fixed-width blocks of independent lanes: GCC's -O2 vectorizer (cheap cost
// model) turns a block with a constant trip count into SIMD, while a plain loop over a span with
// an unknown trip count stays scalar. Validation of a 10 M-arc snapshot is memory-bound this way.
constexpr uint64_t kParallelValidateArcs = uint64_t{1} << 20;

template <typename T>
bool AllBelow(std::span<const T> a, T limit) {
  constexpr size_t kLanes = 64 / sizeof(T);
  const T* p = a.data();
  const size_t n = a.size();
  T bad = 0;
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    T block = 0;
    for (size_t k = 0; k < kLanes; ++k) block |= static_cast<T>(p[i + k] >= limit);
    bad |= block;
  }
  for (; i < n; ++i) bad |= static_cast<T>(p[i] >= limit);
  return bad == 0;
}

// True if a[i] <= a[i + 1] for every i.
bool NonDecreasing(std::span<const uint64_t> a) {
  constexpr size_t kLanes = 16;
  const uint64_t* p = a.data();
  const size_t n = a.size();
  uint64_t bad = 0;
  size_t i = 0;
  for (; i + kLanes + 1 <= n; i += kLanes) {
    for (size_t k = 0; k < kLanes; ++k) bad |= p[i + k + 1] < p[i + k];
  }
  for (; i + 1 < n; ++i) bad |= p[i + 1] < p[i];
  return bad == 0;
}

// True if ids are strictly increasing, each is a valid id, and kinds[i] is the kind it encodes.
bool IdsValid(std::span<const uint64_t> ids, std::span<const uint8_t> kinds) {
  uint64_t bad = 0;
  const size_t n = ids.size();
  for (size_t i = 0; i < n; ++i) {
    const uint64_t id = ids[i];
    bad |= (i > 0 && id <= ids[i - 1]);
    bad |= !IsValidNodeId(id);
    bad |= kinds[i] != static_cast<uint8_t>(KindOf(id));
  }
  return bad == 0;
}

}  // namespace

uint32_t PackCode(std::string_view code) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    uint8_t c = i < code.size() ? static_cast<uint8_t>(code[i]) : 0;
    v = (v << 8) | c;
  }
  return v;
}

std::string UnpackCode(uint32_t packed) {
  std::string s;
  for (int i = 3; i >= 0; --i) {
    char c = static_cast<char>((packed >> (8 * i)) & 0xff);
    if (c == 0) break;
    s.push_back(c);
  }
  return s;
}

CsrGraph CsrGraph::FromArrays(CsrArrays arrays) {
  auto owned = std::make_shared<CsrArrays>(std::move(arrays));
  const CsrArrays& a = *owned;
  Views v;
  v.node_ids = a.node_ids;
  v.kinds = a.kinds;
  v.codes = a.codes;
  v.goldstein = a.goldstein;
  v.quad_class = a.quad_class;
  auto side = [](const CsrArrays::Side& s) {
    return CsrSide{s.offsets, s.neighbor, s.type, s.time, s.status, s.edge};
  };
  v.out = side(a.out);
  v.in = side(a.in);
  return FromViews(v, std::move(owned));
}

CsrGraph CsrGraph::FromViews(Views views, std::shared_ptr<const void> owner) {
  CsrGraph g;
  g.v_ = views;
  g.owner_ = std::move(owner);
  return g;
}

VertexIndex CsrGraph::KindBegin(NodeKind kind) const {
  auto it = std::lower_bound(v_.node_ids.begin(), v_.node_ids.end(), FirstIdOfKind(kind));
  return static_cast<VertexIndex>(it - v_.node_ids.begin());
}

VertexIndex CsrGraph::KindEnd(NodeKind kind) const {
  auto it = std::lower_bound(v_.node_ids.begin(), v_.node_ids.end(), EndIdOfKind(kind));
  return static_cast<VertexIndex>(it - v_.node_ids.begin());
}

std::optional<VertexIndex> CsrGraph::IndexOf(NodeId id) const {
  auto it = std::lower_bound(v_.node_ids.begin(), v_.node_ids.end(), id);
  if (it == v_.node_ids.end() || *it != id) return std::nullopt;
  return static_cast<VertexIndex>(it - v_.node_ids.begin());
}

Status CsrGraph::Validate() const {
  const uint64_t n = v_.node_ids.size();
  if (n >= kNoVertex) return Status::Corruption("graph: too many vertices");
  if (v_.kinds.size() != n || v_.codes.size() != n || v_.goldstein.size() != n ||
      v_.quad_class.size() != n) {
    return Status::Corruption("graph: per-vertex arrays differ in length");
  }
  // Every check is a branch-free reduction (the first failing index is searched for only when
  // one failed): this is the whole cost of opening a snapshot, so it must run at memory speed.
  if (!IdsValid(v_.node_ids, v_.kinds)) {
    for (uint64_t i = 0; i < n; ++i) {
      if ((i > 0 && v_.node_ids[i] <= v_.node_ids[i - 1]) || !IsValidNodeId(v_.node_ids[i]) ||
          v_.kinds[i] != static_cast<uint8_t>(KindOf(v_.node_ids[i]))) {
        return Status::Corruption("graph: vertex " + std::to_string(i) +
                                  " has a bad id or kind, or ids are not strictly increasing");
      }
    }
  }
  auto side_ok = [&](const CsrSide* s) -> Status {
    const char* name = s == &v_.out ? "out" : "in";
    const uint64_t m = s->neighbor.size();
    if (s->offsets.size() != n + 1 || s->type.size() != m || s->time.size() != m ||
        s->status.size() != m || s->edge.size() != m) {
      return Status::Corruption(std::string("graph: ") + name + " arrays differ in length");
    }
    if (s->offsets[0] != 0 || s->offsets[n] != m) {
      return Status::Corruption(std::string("graph: ") + name + " offsets do not span the arcs");
    }
    if (!NonDecreasing(s->offsets)) {
      return Status::Corruption(std::string("graph: ") + name + " offsets decrease");
    }
    if (!AllBelow(s->neighbor, static_cast<uint32_t>(n))) {
      return Status::Corruption(std::string("graph: an ") + name +
                                " arc's neighbour is out of range");
    }
    if (!AllBelow(s->type, static_cast<uint8_t>(kEdgeTypeCount)) ||
        !AllBelow(s->status, static_cast<uint8_t>(kStatusCount))) {
      return Status::Corruption(std::string("graph: an ") + name + " arc has a bad type or status");
    }
    return Status::OK();
  };
  // Large graphs check the in side on a second thread: the scan is memory-bound per core.
  // If no thread can be started, one checks both.
  std::future<Status> in_ok;
  if (v_.in.neighbor.size() >= kParallelValidateArcs) {
    try {
      in_ok = std::async(std::launch::async, side_ok, &v_.in);
    } catch (const std::system_error&) {
    }
  }
  Status out_status = side_ok(&v_.out);
  Status in_status = in_ok.valid() ? in_ok.get() : side_ok(&v_.in);
  GEOKG_RETURN_IF_ERROR(out_status);
  GEOKG_RETURN_IF_ERROR(in_status);
  if (v_.in.neighbor.size() != v_.out.neighbor.size()) {
    return Status::Corruption("graph: in and out arc counts differ");
  }
  return Status::OK();
}

void CsrBuilder::AddArc(NodeId src, NodeId dst, EdgeType type, Time time, FactStatus status,
                        EdgeId edge) {
  src_.push_back(src);
  dst_.push_back(dst);
  type_.push_back(static_cast<uint8_t>(type));
  time_.push_back(time);
  status_.push_back(static_cast<uint8_t>(status));
  edge_.push_back(edge);
}

void CsrBuilder::SetEventAttrs(NodeId id, std::string_view cameo_code,
                               std::optional<float> goldstein, uint8_t quad_class) {
  attrs_.push_back({id, PackCode(cameo_code),
                    goldstein ? *goldstein : std::numeric_limits<float>::quiet_NaN(), quad_class});
}

Result<CsrGraph> CsrBuilder::Build() {
  CsrArrays a;
  std::vector<NodeId> ids;
  ids.reserve(extra_nodes_.size() + src_.size() / 2);
  ids.insert(ids.end(), extra_nodes_.begin(), extra_nodes_.end());
  ids.insert(ids.end(), src_.begin(), src_.end());
  ids.insert(ids.end(), dst_.begin(), dst_.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (NodeId id : ids) {
    if (!IsValidNodeId(id))
      return Status::InvalidArgument("graph: invalid node id " + std::to_string(id));
  }
  if (ids.size() >= kNoVertex) return Status::InvalidArgument("graph: too many vertices");
  const uint32_t n = static_cast<uint32_t>(ids.size());
  IdTable table(ids);
  std::vector<uint32_t> s(src_.size()), d(dst_.size());
  for (size_t j = 0; j < src_.size(); ++j) {
    s[j] = table.Find(src_[j]);
    d[j] = table.Find(dst_[j]);
  }
  BuildSides(n, s, d, type_, time_, status_, edge_, &a);
  a.kinds.resize(n);
  for (uint32_t i = 0; i < n; ++i) a.kinds[i] = static_cast<uint8_t>(KindOf(ids[i]));
  a.codes.assign(n, 0);
  a.goldstein.assign(n, std::numeric_limits<float>::quiet_NaN());
  a.quad_class.assign(n, 0);
  for (const Attr& at : attrs_) {
    uint32_t v = table.Find(at.id);
    if (v == kNoVertex) continue;
    a.codes[v] = at.code;
    a.goldstein[v] = at.goldstein;
    a.quad_class[v] = at.quad;
  }
  a.node_ids = std::move(ids);
  *this = CsrBuilder();
  return CsrGraph::FromArrays(std::move(a));
}

Result<CsrGraph> BuildCsrFromStore(const storage::Store& store) {
  CsrBuilder b;
  GEOKG_RETURN_IF_ERROR(
      store.ScanAllAdjacency(storage::Direction::kOut, [&](const storage::AdjEntry& e) {
        b.AddArc(e.node, e.neighbor, e.type, e.time, e.status, e.edge);
        return true;
      }));
  GEOKG_RETURN_IF_ERROR(store.ScanNodes(NodeKind::kActor, [&](const Node& node) {
    b.AddNode(node.id);
    return true;
  }));
  const Codebook& codebook = Codebook::Default();
  GEOKG_RETURN_IF_ERROR(store.ScanNodes(NodeKind::kEvent, [&](const Node& node) {
    const auto* ev = std::get_if<Event>(&node.body);
    if (ev == nullptr) return true;
    std::optional<float> goldstein = ev->goldstein;
    uint8_t quad = ev->quad_class.value_or(0);
    if (const CameoEventCode* c = codebook.Find(ev->cameo_code)) {
      if (!goldstein) goldstein = c->goldstein;
      if (quad == 0) quad = static_cast<uint8_t>(c->quad_class);
    }
    b.SetEventAttrs(node.id, ev->cameo_code, goldstein, quad);
    return true;
  }));
  return b.Build();
}

Result<CsrGraph> BuildCsrFromPairs(uint32_t n,
                                   std::span<const std::pair<uint32_t, uint32_t>> pairs) {
  if (n >= kNoVertex) return Status::InvalidArgument("graph: too many vertices");
  CsrArrays a;
  std::vector<uint32_t> s(pairs.size()), d(pairs.size());
  for (size_t j = 0; j < pairs.size(); ++j) {
    if (pairs[j].first >= n || pairs[j].second >= n) {
      return Status::InvalidArgument("graph: pair " + std::to_string(j) +
                                     " has an endpoint >= " + std::to_string(n));
    }
    s[j] = pairs[j].first;
    d[j] = pairs[j].second;
  }
  std::vector<uint8_t> type(pairs.size(), static_cast<uint8_t>(EdgeType::kRelatedTo));
  std::vector<Time> time(pairs.size(), 0);
  std::vector<uint8_t> status(pairs.size(), static_cast<uint8_t>(FactStatus::kOccurred));
  std::vector<EdgeId> edge(pairs.size());
  for (size_t j = 0; j < pairs.size(); ++j) edge[j] = j + 1;
  BuildSides(n, s, d, type, time, status, edge, &a);
  a.node_ids.resize(n);
  for (uint32_t i = 0; i < n; ++i) a.node_ids[i] = FirstIdOfKind(NodeKind::kActor) + i + 1;
  a.kinds.assign(n, static_cast<uint8_t>(NodeKind::kActor));
  a.codes.assign(n, 0);
  a.goldstein.assign(n, std::numeric_limits<float>::quiet_NaN());
  a.quad_class.assign(n, 0);
  return CsrGraph::FromArrays(std::move(a));
}

}  // namespace geokg::graph
