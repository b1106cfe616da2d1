// What any design of the temporal-KG import pays on this stack, whatever it does before: the
// floor under `import_bench`'s figures (docs/benchmarks.md, "What parity with Kùzu's bare COPY
// would take").
//
//   import_floor_bench STORE SET_DIR [ROUNDS]
//
// STORE is a store that SET_DIR was imported into (`geokg --db STORE import SET_DIR`). Read into
// memory first (untimed), its families are then written again, each round, as the import writes
// them: SST files with the import's options (LZ4 for nodes, direct I/O), every family cut in
// halves written on two threads at once. Also timed, on one thread: encoding every node of the
// store (Cap'n Proto, packed) and parsing SET_DIR's quadruples with their event keys hashed to
// ids. Medians of ROUNDS (default 5): wall and CPU seconds.
#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>
#include <time.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "codec/key_codec.h"
#include "codec/value_codec.h"
#include "model/ids.h"
#include "storage/store.h"

namespace {

using geokg::storage::Cf;

double ThreadCpu() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

struct Family {
  Cf cf;
  std::vector<std::string> keys, values;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: import_floor_bench STORE SET_DIR [ROUNDS]\n");
    return 2;
  }
  const std::string set = argv[2];
  const int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  auto opened = geokg::storage::Store::Open(argv[1], geokg::storage::OpenOptions{});
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 2;
  }
  geokg::storage::Store* store = opened->get();
  std::vector<Family> families;
  for (Cf cf : {Cf::kNodes, Cf::kOut, Cf::kIn, Cf::kEdges, Cf::kNames, Cf::kEventIndex}) {
    Family f{cf, {}, {}};
    std::unique_ptr<rocksdb::Iterator> it(
        store->raw_db()->NewIterator(rocksdb::ReadOptions(), store->cf(cf)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      f.keys.push_back(it->key().ToString());
      f.values.push_back(it->value().ToString());
    }
    if (!f.keys.empty()) families.push_back(std::move(f));
  }
  const std::string dir = std::string(argv[1]) + "/floor-tmp";
  std::filesystem::create_directories(dir);

  std::vector<double> sst_wall, sst_cpu, encode_cpu, parse_cpu;
  for (int round = 0; round < rounds; ++round) {
    // SST files: thread t writes half t of every family.
    double cpu[2] = {0, 0};
    bool failed = false;
    auto t0 = std::chrono::steady_clock::now();
    auto half = [&](int t) {
      const double c0 = ThreadCpu();
      for (const Family& f : families) {
        rocksdb::Options o = store->raw_db()->GetOptions(store->cf(f.cf));
        o.compression = f.cf == Cf::kNodes || f.cf == Cf::kEdges ? rocksdb::kLZ4Compression
                                                                 : rocksdb::kNoCompression;
        rocksdb::EnvOptions env(o);
        env.use_direct_writes = true;
        rocksdb::SstFileWriter w(env, o, store->cf(f.cf), /*invalidate_page_cache=*/false);
        const std::string path =
            dir + "/" + std::to_string(static_cast<int>(f.cf)) + "-" + std::to_string(t) + ".sst";
        const size_t n = f.keys.size(), lo = t == 0 ? 0 : n / 2, hi = t == 0 ? n / 2 : n;
        if (lo == hi) continue;
        failed |= !w.Open(path).ok();
        for (size_t i = lo; i < hi && !failed; ++i) failed |= !w.Put(f.keys[i], f.values[i]).ok();
        failed |= !w.Finish().ok();
      }
      cpu[t] = ThreadCpu() - c0;
    };
    std::thread other(half, 1);
    half(0);
    other.join();
    sst_wall.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    sst_cpu.push_back(cpu[0] + cpu[1]);
    if (failed) {
      std::fprintf(stderr, "writing SST files in %s failed\n", dir.c_str());
      return 2;
    }

    // Encoding every node, from its decoded form.
    std::vector<geokg::Node> nodes;
    for (const Family& f : families) {
      if (f.cf != Cf::kNodes) continue;
      for (size_t i = 0; i < f.keys.size(); ++i) {
        geokg::NodeId id = geokg::kNoNode;
        geokg::codec::DecodeNodeKey(f.keys[i], &id);
        auto node = geokg::codec::DecodeNode(f.values[i], id);
        if (node.ok()) nodes.push_back(std::move(*node));
      }
    }
    std::string value;
    double c0 = ThreadCpu();
    for (const geokg::Node& n : nodes) geokg::codec::EncodeNodeTo(n, &value);
    encode_cpu.push_back(ThreadCpu() - c0);

    // Parsing the quadruples and hashing their event keys ("event:tkg:<set>:s-r-o-t").
    const std::string prefix = "event:tkg:" + std::filesystem::path(set).filename().string() + ":";
    uint64_t facts = 0, sum = 0;
    c0 = ThreadCpu();
    for (const char* split : {"train.txt", "valid.txt", "test.txt"}) {
      std::ifstream in(set + "/" + split);
      if (!in) continue;
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string text = ss.str();
      const char *p = text.data(), *end = p + text.size();
      std::string key;
      while (p < end) {
        int64_t v[4] = {0, 0, 0, 0};
        for (int64_t& x : v) {
          p = std::from_chars(p, end, x).ptr;
          while (p < end && (*p == '\t' || *p == ' ')) ++p;
        }
        while (p < end && *p != '\n') ++p;
        ++p;
        key.assign(prefix);
        for (int i = 0; i < 4; ++i) {
          char d[24];
          key.append(d, std::to_chars(d, d + sizeof(d), v[i]).ptr);
          if (i < 3) key.push_back('-');
        }
        sum += geokg::MakeNodeId(geokg::NodeKind::kEvent, key);
        ++facts;
      }
    }
    parse_cpu.push_back(ThreadCpu() - c0);
    if (round == 0) {
      std::printf("store: %zu families, %zu nodes; set: %llu facts (checksum %llx)\n",
                  families.size(), nodes.size(), static_cast<unsigned long long>(facts),
                  static_cast<unsigned long long>(sum));
    }
  }
  std::filesystem::remove_all(dir);
  std::printf(
      "sst_wall_s=%.3f sst_cpu_s=%.3f encode_cpu_s=%.3f parse_hash_cpu_s=%.3f (medians of %d)\n",
      Median(sst_wall), Median(sst_cpu), Median(encode_cpu), Median(parse_cpu), rounds);
}
