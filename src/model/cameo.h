#pragma once
// The CAMEO codebook bundled with geokg (data/cameo/, embedded at build time): event codes with
// their descriptions, Goldstein scores, QuadClass and PLOVER mapping; actor type codes; CAMEO
// country codes. Codes are strings: leading zeros matter ("043" != "43"). The default codebook is
// built once, on first use, and is immutable and thread-safe afterwards.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace geokg {

struct CameoEventCode {
  std::string code;         // "0431"
  std::string description;  // GDELT's description: "Host a visit"
  std::string icews_name;   // ICEWS's event name ("Host a visit"), empty if ICEWS has none
  std::string root;         // "04"
  std::string base;         // first three digits ("043"), == code for 2- and 3-digit codes
  float goldstein = 0;      // GDELT's Goldstein scale value
  std::optional<float> icews_goldstein;  // ICEWS's value where it differs (016, 022, 164, 165)
  int quad_class = 0;  // 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
  std::string plover_type;  // "CONSULT"; empty where the PLOVER table has no entry
  std::string plover_mode;  // "visit"
  std::string plover_context;
};

class Codebook {
 public:
  // The bundled codebook.
  static const Codebook& Default();

  // The entry for `code`, or nullptr if it is not a CAMEO event code.
  const CameoEventCode* Find(std::string_view code) const;
  bool IsValidEventCode(std::string_view code) const { return Find(code) != nullptr; }
  // The code named `name`, ignoring case and surrounding spaces; nullptr if none. Matches rank:
  // exact case before case-folded, ICEWS names before GDELT descriptions, then the longer code,
  // because that is how ICEWS data uses the names ("Make an appeal or request" -> "020",
  // "Consult" -> "040", while "DEMAND" in capitals is the root "10").
  const CameoEventCode* FindByName(std::string_view name) const;
  // All codes, ordered by code string.
  const std::vector<CameoEventCode>& EventCodes() const { return codes_; }
  // QuadClass of a root "01".."20" (by the fixed rule 01-05:1, 06-09:2, 10-14:3, 15-20:4);
  // 0 for anything else.
  static int QuadClassOfRoot(std::string_view root);
  static std::string_view QuadClassName(int quad_class);  // "verbal cooperation", ...

  // Actor type codes (GOV, MIL, REB, ...) and CAMEO country codes (RUS, PRK, ...): the label,
  // or nullopt when the code is unknown.
  std::optional<std::string_view> ActorTypeLabel(std::string_view code) const;
  std::optional<std::string_view> CountryLabel(std::string_view cameo_code) const;
  // The CAMEO country code for a country name ("North Korea" -> "PRK"), ignoring case.
  std::optional<std::string_view> CountryCodeForName(std::string_view name) const;
  // The same for a name already normalized (NormalizeName).
  std::optional<std::string_view> CountryCodeForNormalized(std::string_view normalized) const;

 private:
  Codebook();
  std::vector<CameoEventCode> codes_;
  std::vector<std::pair<std::string, std::string>> actor_types_;  // sorted by code
  std::vector<std::pair<std::string, std::string>> countries_;    // sorted by code
  // NormalizeName(label) -> index into countries_, sorted by name: CountryCodeForName runs per
  // imported row, so labels are normalized once here.
  std::vector<std::pair<std::string, size_t>> country_names_;
};

}  // namespace geokg
