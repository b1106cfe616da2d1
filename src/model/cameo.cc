// The bundled CAMEO codebook, parsed once from the files embedded by tools/embed_codebook.cmake.
//
// Sources and how they are merged (facts from shared/data/README.md, checked against the files):
// - CAMEO.eventcodes.txt / CAMEO.goldsteinscale.txt (GDELT): `CODE<TAB>VALUE` with a header, 311
//   codes. They give `description` and `goldstein`.
// - icews_cameo_codes.csv (ICEWS): a quoted CSV (R's write.csv: "" escapes, NA for missing) with
//   columns "",eventtype_ID,name,code,goldstein,...; free-text columns hold stray non-UTF-8 bytes,
//   which we never keep. It gives `icews_name`, and `icews_goldstein` where ICEWS's value differs
//   (016, 022, 164, 165). ICEWS also has one code GDELT lacks, 1213 "Reject judicial
//   cooperation", which occurs in ICEWS data (and in ICEWS18); it is kept, with ICEWS's name as
//   its description and ICEWS's Goldstein value, so that such rows are not rejected.
// - CAMEO2PLOVER-2021.txt: `CODE: TYPE, mode, context  # comment`; mode and context may be blank,
//   a context may list several ("crime; corruption"). Root 08 is listed twice (CONCEDE and
//   RETREAT: PLOVER splits CAMEO's "yield"), so code 08 itself gets no PLOVER type; its sub-codes
//   each have one. Roots 01 and 02 (statements, appeals) have no PLOVER event type.
// - CAMEO.type.txt, CAMEO.country.txt: `CODE<TAB>LABEL` with a header; the first label of a
//   repeated code wins.
// The embedded text is build input, not user input; lines that do not parse are skipped, and the
// tests check the resulting counts against the raw files.

#include "model/cameo.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <string>

#include "util/normalize.h"

namespace geokg::model::internal {
extern const std::string_view kEventCodes, kGoldstein, kActorTypes, kCountries, kKnownGroups,
    kPlover, kIcewsCodes;
}  // namespace geokg::model::internal

namespace geokg {
namespace {

namespace data = ::geokg::model::internal;

std::string_view Trim(std::string_view s) {
  const char* ws = " \t\r\n";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// `CODE<TAB>VALUE` rows after a header line.
std::vector<std::pair<std::string, std::string>> TabPairs(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<std::string_view> lines = Lines(text);
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t tab = lines[i].find('\t');
    if (tab == std::string_view::npos) continue;
    std::string_view code = Trim(lines[i].substr(0, tab));
    std::string_view value = Trim(lines[i].substr(tab + 1));
    if (code.empty()) continue;
    rows.emplace_back(std::string(code), std::string(value));
  }
  return rows;
}

bool IsCodeShape(std::string_view code) {
  return code.size() >= 2 && code.size() <= 4 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<float> ParseFloat(std::string_view s) {
  s = Trim(s);
  float v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Splits RFC 4180 CSV into records of fields: quoted fields may hold commas, newlines and ""
// (an escaped quote); CR before LF is dropped.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool field_started = false;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    if (!(record.size() == 1 && record[0].empty())) records.push_back(std::move(record));
    record.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        if (!field_started)
          in_quotes = true;
        else
          field.push_back(c);  // a stray quote inside an unquoted field: keep it
        field_started = true;
        break;
      case ',':
        end_field();
        break;
      case '\r':
        break;
      case '\n':
        end_record();
        break;
      default:
        field.push_back(c);
        field_started = true;
    }
  }
  if (field_started || !record.empty()) end_record();
  return records;
}

struct PloverEntry {
  std::string type, mode, context;
  bool ambiguous = false;
};

std::map<std::string, PloverEntry> ParsePlover(std::string_view text) {
  std::map<std::string, PloverEntry> out;
  for (std::string_view line : Lines(text)) {
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view code = Trim(line.substr(0, colon));
    if (!IsCodeShape(code)) continue;
    std::string_view rest = line.substr(colon + 1);
    std::string_view parts[3];
    for (int k = 0; k < 3; ++k) {
      size_t comma = k < 2 ? rest.find(',') : std::string_view::npos;
      parts[k] = Trim(rest.substr(0, comma));
      if (comma == std::string_view::npos) {
        rest = {};
      } else {
        rest.remove_prefix(comma + 1);
      }
    }
    if (parts[0].empty()) continue;
    PloverEntry entry{std::string(parts[0]), std::string(parts[1]), std::string(parts[2])};
    auto [it, inserted] = out.emplace(std::string(code), entry);
    if (!inserted && it->second.type != entry.type) it->second.ambiguous = true;
  }
  return out;
}

// A candidate of FindByName's tie-breaking: an exact match beats a case-insensitive one, an
// ICEWS name beats a GDELT description (event names in ICEWS data, and so in ICEWS18, are ICEWS
// names, and the two tables disagree on 105-108), and among equals the longer code wins. That
// last rule matters because ICEWS names a root in capitals and its "not specified" code in
// sentence case ("DEMAND" 10, "Demand" 100); ICEWS data uses the latter.
int MatchRank(bool exact, bool icews) { return (exact ? 0 : 2) + (icews ? 0 : 1); }

}  // namespace

const Codebook& Codebook::Default() {
  static const Codebook* const codebook = new Codebook();
  return *codebook;
}

Codebook::Codebook() {
  std::map<std::string, float> goldstein;
  for (const auto& [code, value] : TabPairs(data::kGoldstein)) {
    if (auto v = ParseFloat(value)) goldstein[code] = *v;
  }

  struct IcewsRow {
    std::string name;
    std::optional<float> goldstein;
  };
  std::map<std::string, IcewsRow> icews;
  std::vector<std::vector<std::string>> csv = ParseCsv(data::kIcewsCodes);
  if (!csv.empty()) {
    const std::vector<std::string>& header = csv[0];
    auto column = [&](std::string_view name) -> size_t {
      auto it = std::find(header.begin(), header.end(), name);
      return static_cast<size_t>(it - header.begin());
    };
    const size_t name_col = column("name"), code_col = column("code");
    const size_t gold_col = column("goldstein");
    for (size_t i = 1; i < csv.size(); ++i) {
      const std::vector<std::string>& row = csv[i];
      if (code_col >= row.size() || name_col >= row.size()) continue;
      std::string_view code = Trim(row[code_col]);
      std::string_view name = Trim(row[name_col]);
      if (!IsCodeShape(code) || !IsValidUtf8(name)) continue;
      IcewsRow r{std::string(name), std::nullopt};
      if (gold_col < row.size()) r.goldstein = ParseFloat(row[gold_col]);
      icews.emplace(std::string(code), std::move(r));
    }
  }

  std::map<std::string, PloverEntry> plover = ParsePlover(data::kPlover);

  auto add = [&](std::string_view code, std::string description, std::optional<float> gold) {
    CameoEventCode c;
    c.code = std::string(code);
    c.description = std::move(description);
    c.root = c.code.substr(0, 2);
    c.base = c.code.substr(0, 3);
    c.quad_class = QuadClassOfRoot(c.root);
    if (auto it = icews.find(c.code); it != icews.end()) {
      c.icews_name = it->second.name;
      if (it->second.goldstein && gold && *it->second.goldstein != *gold) {
        c.icews_goldstein = it->second.goldstein;
      }
      if (!gold) gold = it->second.goldstein;
    }
    c.goldstein = gold.value_or(0.0f);
    if (auto it = plover.find(c.code); it != plover.end() && !it->second.ambiguous) {
      c.plover_type = it->second.type;
      c.plover_mode = it->second.mode;
      c.plover_context = it->second.context;
    }
    codes_.push_back(std::move(c));
  };

  for (const auto& [code, description] : TabPairs(data::kEventCodes)) {
    if (!IsCodeShape(code)) continue;
    auto g = goldstein.find(code);
    add(code, description, g == goldstein.end() ? std::nullopt : std::optional<float>(g->second));
  }
  std::sort(codes_.begin(), codes_.end(),
            [](const CameoEventCode& a, const CameoEventCode& b) { return a.code < b.code; });
  std::vector<std::pair<std::string, std::string>> icews_only;
  for (const auto& [code, row] : icews) {
    if (Find(code) == nullptr && QuadClassOfRoot(code.substr(0, 2)) != 0) {
      icews_only.emplace_back(code, row.name);
    }
  }
  for (const auto& [code, name] : icews_only) add(code, name, std::nullopt);
  std::sort(codes_.begin(), codes_.end(),
            [](const CameoEventCode& a, const CameoEventCode& b) { return a.code < b.code; });

  auto load_labels = [](std::string_view text,
                        std::vector<std::pair<std::string, std::string>>* out) {
    for (auto& row : TabPairs(text)) {
      if (row.second.empty()) continue;
      out->push_back(std::move(row));
    }
    // Stable, so the first label of a repeated code comes first and is kept.
    std::stable_sort(out->begin(), out->end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    out->erase(std::unique(out->begin(), out->end(),
                           [](const auto& a, const auto& b) { return a.first == b.first; }),
               out->end());
  };
  load_labels(data::kActorTypes, &actor_types_);
  load_labels(data::kCountries, &countries_);
  for (size_t i = 0; i < countries_.size(); ++i) {
    country_names_.emplace_back(NormalizeName(countries_[i].second), i);
  }
  std::stable_sort(country_names_.begin(), country_names_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

const CameoEventCode* Codebook::Find(std::string_view code) const {
  auto it =
      std::lower_bound(codes_.begin(), codes_.end(), code,
                       [](const CameoEventCode& c, std::string_view k) { return c.code < k; });
  return it != codes_.end() && it->code == code ? &*it : nullptr;
}

const CameoEventCode* Codebook::FindByName(std::string_view name) const {
  name = Trim(name);
  if (name.empty()) return nullptr;
  const std::string lower = AsciiLower(name);
  const CameoEventCode* best = nullptr;
  int best_rank = 4;
  auto consider = [&](const CameoEventCode& c, std::string_view candidate, bool icews) {
    if (candidate.empty()) return;
    int rank;
    if (candidate == name) {
      rank = MatchRank(true, icews);
    } else if (candidate.size() == lower.size() && AsciiLower(candidate) == lower) {
      rank = MatchRank(false, icews);
    } else {
      return;
    }
    if (rank < best_rank || (rank == best_rank && c.code.size() > best->code.size())) {
      best = &c;
      best_rank = rank;
    }
  };
  for (const CameoEventCode& c : codes_) {
    consider(c, c.icews_name, true);
    consider(c, c.description, false);
  }
  return best;
}

int Codebook::QuadClassOfRoot(std::string_view root) {
  if (root.size() != 2 || root[0] < '0' || root[0] > '2' || root[1] < '0' || root[1] > '9') {
    return 0;
  }
  const int r = (root[0] - '0') * 10 + (root[1] - '0');
  if (r >= 1 && r <= 5) return 1;
  if (r >= 6 && r <= 9) return 2;
  if (r >= 10 && r <= 14) return 3;
  if (r >= 15 && r <= 20) return 4;
  return 0;
}

std::string_view Codebook::QuadClassName(int quad_class) {
  switch (quad_class) {
    case 1:
      return "verbal cooperation";
    case 2:
      return "material cooperation";
    case 3:
      return "verbal conflict";
    case 4:
      return "material conflict";
    default:
      return "unknown";
  }
}

namespace {
std::optional<std::string_view> LookUp(const std::vector<std::pair<std::string, std::string>>& v,
                                       std::string_view code) {
  auto it = std::lower_bound(v.begin(), v.end(), code,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  if (it == v.end() || it->first != code) return std::nullopt;
  return std::string_view(it->second);
}
}  // namespace

std::optional<std::string_view> Codebook::ActorTypeLabel(std::string_view code) const {
  return LookUp(actor_types_, code);
}

std::optional<std::string_view> Codebook::CountryLabel(std::string_view cameo_code) const {
  return LookUp(countries_, cameo_code);
}

std::optional<std::string_view> Codebook::CountryCodeForName(std::string_view name) const {
  return CountryCodeForNormalized(NormalizeName(name));
}

std::optional<std::string_view> Codebook::CountryCodeForNormalized(std::string_view key) const {
  if (key.empty()) return std::nullopt;
  auto it = std::lower_bound(country_names_.begin(), country_names_.end(), key,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  if (it == country_names_.end() || it->first != key) return std::nullopt;
  return std::string_view(countries_[it->second].first);
}

}  // namespace geokg
