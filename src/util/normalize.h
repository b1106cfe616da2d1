#pragma once
// Name normalization, the one rule by which names and aliases are matched everywhere (curated
// data, importers, the CLI): Unicode NFKD, combining marks removed, case folded, every run of
// characters that are not letters or digits (spaces, hyphens, apostrophes, dots, ...) turned into
// one space, trimmed. So "Kim Jong-Un", "KIM JONG UN" and "kim  jong un" all give "kim jong un",
// and "Dmitri Peskov" and "Dmitrï Péskov" agree. Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace geokg {

// The match key of `name` (UTF-8 in, UTF-8 out). Invalid UTF-8 sequences are dropped.
std::string NormalizeName(std::string_view name);

// Whether NormalizeName(name) is not empty (the name has a letter or a digit), without building
// it for an ASCII name.
bool HasNameContent(std::string_view name);

// `s` with ASCII letters in lower case, every other byte as it is (names of columns, codes).
std::string AsciiLower(std::string_view s);

// `s` safe to print on a terminal: each ASCII control byte (0x00-0x1F, 0x7F: escape sequences,
// carriage returns, tabs) written as a C escape (\t, \r, \n, else \xNN); every other byte as it
// is. For messages that quote input verbatim.
std::string EscapeControls(std::string_view s);

// A URL- and key-friendly form: NormalizeName with spaces turned into '-' ("kim-jong-un").
std::string Slugify(std::string_view name);
// The same of a name already normalized (NormalizeName's result), without normalizing it again.
std::string SlugOfNormalized(std::string_view normalized);

// True if `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

// Edit distance (Levenshtein, on bytes) between two normalized names, capped at `limit` + 1.
int EditDistance(std::string_view a, std::string_view b, int limit);

}  // namespace geokg
