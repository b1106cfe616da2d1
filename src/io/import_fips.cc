// FIPS 10-4 country code -> ISO 3166-1 alpha-3, for GDELT geo fields (which use FIPS).
// Generated from ../shared/data/cameo/fips_countries.py-gdelt.json (RBozydar/py-gdelt @ 6d1becc);
// sorted by FIPS code for binary search.
#include <algorithm>
#include <iterator>

#include "io/import_session.h"

namespace geokg::io {
namespace {
struct FipsIso {
  const char* fips;
  const char* iso3;
};
constexpr FipsIso kFips[] = {
    {"AA", "ABW"}, {"AC", "ATG"}, {"AE", "ARE"}, {"AF", "AFG"}, {"AG", "DZA"}, {"AJ", "AZE"},
    {"AL", "ALB"}, {"AM", "ARM"}, {"AN", "AND"}, {"AO", "AGO"}, {"AQ", "ASM"}, {"AR", "ARG"},
    {"AS", "AUS"}, {"AU", "AUT"}, {"AV", "AIA"}, {"AY", "ATA"}, {"BA", "BHR"}, {"BB", "BRB"},
    {"BC", "BWA"}, {"BD", "BMU"}, {"BE", "BEL"}, {"BF", "BHS"}, {"BG", "BGD"}, {"BH", "BLZ"},
    {"BK", "BIH"}, {"BL", "BOL"}, {"BM", "MMR"}, {"BN", "BEN"}, {"BO", "BLR"}, {"BP", "SLB"},
    {"BR", "BRA"}, {"BT", "BTN"}, {"BU", "BGR"}, {"BV", "BVT"}, {"BX", "BRN"}, {"BY", "BDI"},
    {"CA", "CAN"}, {"CB", "KHM"}, {"CD", "TCD"}, {"CE", "LKA"}, {"CF", "COG"}, {"CG", "COD"},
    {"CH", "CHN"}, {"CI", "CHL"}, {"CJ", "CYM"}, {"CK", "CCK"}, {"CM", "CMR"}, {"CN", "COM"},
    {"CO", "COL"}, {"CQ", "MNP"}, {"CS", "CRI"}, {"CT", "CAF"}, {"CU", "CUB"}, {"CV", "CPV"},
    {"CW", "COK"}, {"CY", "CYP"}, {"DA", "DNK"}, {"DJ", "DJI"}, {"DO", "DMA"}, {"DR", "DOM"},
    {"EC", "ECU"}, {"EG", "EGY"}, {"EI", "IRL"}, {"EK", "GNQ"}, {"EN", "EST"}, {"ER", "ERI"},
    {"ES", "SLV"}, {"ET", "ETH"}, {"EZ", "CZE"}, {"FG", "GUF"}, {"FI", "FIN"}, {"FJ", "FJI"},
    {"FK", "FLK"}, {"FM", "FSM"}, {"FO", "FRO"}, {"FP", "PYF"}, {"FR", "FRA"}, {"FS", "ATF"},
    {"GA", "GMB"}, {"GB", "GAB"}, {"GG", "GEO"}, {"GH", "GHA"}, {"GI", "GIB"}, {"GJ", "GRD"},
    {"GK", "GGY"}, {"GL", "GRL"}, {"GM", "DEU"}, {"GP", "GLP"}, {"GQ", "GUM"}, {"GR", "GRC"},
    {"GT", "GTM"}, {"GV", "GIN"}, {"GY", "GUY"}, {"HA", "HTI"}, {"HK", "HKG"}, {"HM", "HMD"},
    {"HO", "HND"}, {"HR", "HRV"}, {"HU", "HUN"}, {"IC", "ISL"}, {"ID", "IDN"}, {"IM", "IMN"},
    {"IN", "IND"}, {"IO", "IOT"}, {"IR", "IRN"}, {"IS", "ISR"}, {"IT", "ITA"}, {"IV", "CIV"},
    {"IZ", "IRQ"}, {"JA", "JPN"}, {"JE", "JEY"}, {"JM", "JAM"}, {"JO", "JOR"}, {"KE", "KEN"},
    {"KG", "KGZ"}, {"KN", "PRK"}, {"KR", "KIR"}, {"KS", "KOR"}, {"KT", "CXR"}, {"KU", "KWT"},
    {"KV", "XKX"}, {"KZ", "KAZ"}, {"LA", "LAO"}, {"LE", "LBN"}, {"LG", "LVA"}, {"LH", "LTU"},
    {"LI", "LBR"}, {"LO", "SVK"}, {"LS", "LIE"}, {"LT", "LSO"}, {"LU", "LUX"}, {"LY", "LBY"},
    {"MA", "MDG"}, {"MB", "MTQ"}, {"MC", "MAC"}, {"MD", "MDA"}, {"MF", "MYT"}, {"MG", "MNG"},
    {"MH", "MSR"}, {"MI", "MWI"}, {"MJ", "MNE"}, {"MK", "MKD"}, {"ML", "MLI"}, {"MN", "MCO"},
    {"MO", "MAR"}, {"MP", "MUS"}, {"MR", "MRT"}, {"MT", "MLT"}, {"MU", "OMN"}, {"MV", "MDV"},
    {"MX", "MEX"}, {"MY", "MYS"}, {"MZ", "MOZ"}, {"NC", "NCL"}, {"NE", "NIU"}, {"NF", "NFK"},
    {"NG", "NER"}, {"NH", "VUT"}, {"NI", "NGA"}, {"NL", "NLD"}, {"NN", "SXM"}, {"NO", "NOR"},
    {"NP", "NPL"}, {"NR", "NRU"}, {"NS", "SUR"}, {"NT", "ANT"}, {"NU", "NIC"}, {"NZ", "NZL"},
    {"OD", "SSD"}, {"PA", "PRY"}, {"PC", "PCN"}, {"PE", "PER"}, {"PK", "PAK"}, {"PL", "POL"},
    {"PM", "PAN"}, {"PO", "PRT"}, {"PP", "PNG"}, {"PS", "PLW"}, {"PU", "GNB"}, {"QA", "QAT"},
    {"RE", "REU"}, {"RI", "SRB"}, {"RM", "MHL"}, {"RN", "MAF"}, {"RO", "ROU"}, {"RP", "PHL"},
    {"RQ", "PRI"}, {"RS", "RUS"}, {"RW", "RWA"}, {"SA", "SAU"}, {"SB", "SPM"}, {"SC", "KNA"},
    {"SE", "SYC"}, {"SF", "ZAF"}, {"SG", "SEN"}, {"SH", "SHN"}, {"SI", "SVN"}, {"SL", "SLE"},
    {"SM", "SMR"}, {"SN", "SGP"}, {"SO", "SOM"}, {"SP", "ESP"}, {"ST", "LCA"}, {"SU", "SDN"},
    {"SV", "SJM"}, {"SW", "SWE"}, {"SX", "SGS"}, {"SY", "SYR"}, {"SZ", "CHE"}, {"TB", "BLM"},
    {"TD", "TTO"}, {"TH", "THA"}, {"TI", "TJK"}, {"TK", "TCA"}, {"TL", "TKL"}, {"TN", "TON"},
    {"TO", "TGO"}, {"TP", "STP"}, {"TS", "TUN"}, {"TT", "TLS"}, {"TU", "TUR"}, {"TV", "TUV"},
    {"TW", "TWN"}, {"TX", "TKM"}, {"TZ", "TZA"}, {"UC", "CUW"}, {"UG", "UGA"}, {"UK", "GBR"},
    {"UP", "UKR"}, {"US", "USA"}, {"UV", "BFA"}, {"UY", "URY"}, {"UZ", "UZB"}, {"VC", "VCT"},
    {"VE", "VEN"}, {"VI", "VGB"}, {"VM", "VNM"}, {"VQ", "VIR"}, {"VT", "VAT"}, {"WA", "NAM"},
    {"WE", "PSE"}, {"WF", "WLF"}, {"WI", "ESH"}, {"WS", "WSM"}, {"WZ", "SWZ"}, {"YI", "SCG"},
    {"YM", "YEM"}, {"ZA", "ZMB"}, {"ZI", "ZWE"},
};
}  // namespace

std::string_view FipsToIso3(std::string_view fips) {
  auto it = std::lower_bound(std::begin(kFips), std::end(kFips), fips,
                             [](const FipsIso& e, std::string_view k) { return e.fips < k; });
  if (it == std::end(kFips) || it->fips != fips) return {};
  return it->iso3;
}

}  // namespace geokg::io
