// Import benchmark: bulk-imports data sets into a fresh store N times, then waits for RocksDB's
// background compactions as `geokg import` does, and reports facts/s (on import + wait) and
// peak RSS; every run is verified (event and actor counts read back from the store must equal
// what the importer reported, and the event count must equal the facts given) before its time
// counts. Peers (SQLite, Kùzu) run in bench/run_import_bench.sh on the same facts.
//
//   import_bench [--runs N] [--memory-mb M] [--writer-threads T] [--buffered-writes]
//   [--no-fact-records] [--no-parse-thread]
//                [--expect-facts F] [--dir DIR] PATH...
//
// Output: one line per run, then "median" and "peak_rss_mb", as key=value pairs for the driver.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "io/import.h"
#include "storage/store.h"

namespace {

// CPU seconds of the whole process (every thread, RocksDB's included) and of the calling thread:
// on a shared two-core machine they are steadier than wall time.
double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long PeakRssKb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

int Usage() {
  std::fprintf(stderr,
               "usage: import_bench [--runs N] [--memory-mb M] [--writer-threads T] "
               "[--buffered-writes] [--no-fact-records] [--no-parse-thread] [--expect-facts F] "
               "[--dir DIR] PATH...\n");
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  size_t memory_mb = 64;
  int writer_threads = 2;
  long long expect = -1;
  std::string dir = "/tmp/geokg-import-bench";
  bool direct_writes = true;
  bool fact_records = true;
  bool parse_thread = true;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--runs") {
      const char* v = next();
      if (!v) return Usage();
      runs = std::atoi(v);
    } else if (a == "--memory-mb") {
      const char* v = next();
      if (!v) return Usage();
      memory_mb = static_cast<size_t>(std::atol(v));
    } else if (a == "--expect-facts") {
      const char* v = next();
      if (!v) return Usage();
      expect = std::atoll(v);
    } else if (a == "--writer-threads") {
      const char* v = next();
      if (!v) return Usage();
      writer_threads = std::atoi(v);
    } else if (a == "--buffered-writes") {
      direct_writes = false;
    } else if (a == "--no-fact-records") {
      fact_records = false;
    } else if (a == "--no-parse-thread") {
      parse_thread = false;
    } else if (a == "--dir") {
      const char* v = next();
      if (!v) return Usage();
      dir = v;
    } else if (!a.empty() && a[0] == '-') {
      return Usage();
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty() || runs < 1) return Usage();

  std::vector<double> rates;
  for (int run = 0; run < runs; ++run) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    geokg::storage::OpenOptions oo;
    oo.create_if_missing = true;
    auto store = geokg::storage::Store::Open(dir, oo);
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      return 2;
    }
    geokg::io::ImportOptions options;
    options.memory_budget = memory_mb << 20;
    options.writer_threads = writer_threads;
    options.direct_writes = direct_writes;
    options.fact_records = fact_records;
    options.parse_thread = parse_thread;
    options.on_diagnostic = [](const std::string& m) { std::fprintf(stderr, "%s\n", m.c_str()); };
    double cpu0 = ProcessCpuSeconds(), main0 = ThreadCpuSeconds();
    auto t0 = std::chrono::steady_clock::now();
    auto summary = geokg::io::Import(store->get(), paths, options);
    auto t1 = std::chrono::steady_clock::now();
    double import_secs = std::chrono::duration<double>(t1 - t0).count();
    if (!summary.ok()) {
      std::fprintf(stderr, "%s\n", summary.status().ToString().c_str());
      return 2;
    }
    // What `geokg import` does before it exits: the store is left with nothing to compact.
    if (auto s = (*store)->WaitForCompactions(); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 2;
    }
    auto t2 = std::chrono::steady_clock::now();
    double compact_secs = std::chrono::duration<double>(t2 - t1).count();
    double secs = std::chrono::duration<double>(t2 - t0).count();
    double cpu = ProcessCpuSeconds() - cpu0, main_cpu = ThreadCpuSeconds() - main0;
    // Verify before the time counts.
    auto stats = (*store)->ComputeStats();
    if (!stats.ok()) {
      std::fprintf(stderr, "%s\n", stats.status().ToString().c_str());
      return 2;
    }
    uint64_t events = stats->nodes_by_kind[static_cast<int>(geokg::NodeKind::kEvent)];
    uint64_t actors = stats->nodes_by_kind[static_cast<int>(geokg::NodeKind::kActor)];
    bool ok = events == summary->events_added && actors == summary->actors_created &&
              stats->edges() == summary->role_edges &&
              (expect < 0 || events == static_cast<uint64_t>(expect));
    if (!ok) {
      std::fprintf(stderr,
                   "verification failed: store has %llu events, %llu actors, %llu edges; "
                   "import reported %llu, %llu, %llu; expected %lld facts\n",
                   (unsigned long long)events, (unsigned long long)actors,
                   (unsigned long long)stats->edges(), (unsigned long long)summary->events_added,
                   (unsigned long long)summary->actors_created,
                   (unsigned long long)summary->role_edges, expect);
      return 3;
    }
    double rate = summary->rows / secs;
    rates.push_back(rate);
    const auto& b = summary->bulk;
    std::printf(
        "run=%d facts=%llu seconds=%.3f import_s=%.3f compact_wait_s=%.3f facts_per_s=%.0f "
        "cpu_s=%.3f main_cpu_s=%.3f sort_cpu_s=%.3f write_cpu_s=%.3f merge_cpu_s=%.3f "
        "wait_s=%.3f ingest_s=%.3f runs=%llu run_mb=%.1f sst_files=%llu direct=%llu sst_mb=%.1f\n",
        run + 1, (unsigned long long)summary->rows, secs, import_secs, compact_secs, rate, cpu,
        main_cpu, b.sort_seconds, b.write_seconds, b.merge_seconds, b.wait_seconds,
        b.ingest_seconds, (unsigned long long)b.runs, b.run_bytes / 1e6,
        (unsigned long long)b.files, (unsigned long long)b.direct_files, b.file_bytes / 1e6);
    std::fflush(stdout);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("median_facts_per_s=%.0f peak_rss_mb=%.1f\n", rates[rates.size() / 2],
              PeakRssKb() / 1024.0);
  return 0;
}
