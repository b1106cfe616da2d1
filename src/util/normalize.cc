// Name normalization with ICU. The pipeline per name: decode UTF-8 (invalid bytes dropped),
// NFKD, full case fold, NFKD again (folding can yield decomposable characters, e.g. U+0130
// folds to "i" + U+0307), drop combining marks, turn each run of non-word code points into one
// space, trim, and finally NFC so that scripts whose letters NFKD splits apart without marks
// (Hangul syllables into jamo) come back in their usual composed form. The result is a fixed
// point: NormalizeName(NormalizeName(x)) == NormalizeName(x). Pure-ASCII input (the common
// case: importer data) takes a byte loop that gives the same answer without touching ICU.

#include "util/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace geokg {
namespace {

// Decodes one strict UTF-8 sequence at s[i]; returns its length and sets *cp, or returns 0 if
// the bytes at i do not start a valid sequence (overlong, surrogate, > U+10FFFF, truncated).
size_t DecodeUtf8(std::string_view s, size_t i, UChar32* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  UChar32 c;
  UChar32 min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, c = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, c = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, c = b0 & 0x07, min = 0x10000;
  } else {
    return 0;  // continuation byte, 0xC0/0xC1 (always overlong) or 0xF5..0xFF
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *cp = c;
  return len;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool IsAsciiWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string NormalizeAscii(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool pending_space = false;
  for (char c : name) {
    if (!IsAsciiWordChar(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

// Letters and numbers make up words; so do spacing marks (Mc), which several Indic scripts use
// inside words and which carry combining class 0.
bool IsWordCodePoint(UChar32 c) {
  const uint32_t mask = U_GET_GC_MASK(c);
  return (mask & (U_GC_L_MASK | U_GC_N_MASK | U_GC_MC_MASK)) != 0;
}

bool IsDroppedMark(UChar32 c) {
  return u_getCombiningClass(c) != 0 || (U_GET_GC_MASK(c) & (U_GC_MN_MASK | U_GC_ME_MASK)) != 0;
}

std::string NormalizeUnicode(std::string_view name) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(err);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  if (U_FAILURE(err)) return NormalizeAscii(name);  // ICU data missing: degrade, never crash

  icu::UnicodeString in;
  for (size_t i = 0; i < name.size();) {
    UChar32 cp;
    size_t n = DecodeUtf8(name, i, &cp);
    if (n == 0) {
      ++i;  // drop the bad byte and resynchronize on the next one
      continue;
    }
    in.append(cp);
    i += n;
  }

  icu::UnicodeString s = nfkd->normalize(in, err);
  if (U_FAILURE(err)) return NormalizeAscii(name);
  s.foldCase(U_FOLD_CASE_DEFAULT);
  s = nfkd->normalize(s, err);
  if (U_FAILURE(err)) return NormalizeAscii(name);

  icu::UnicodeString words;
  bool pending_space = false;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (IsDroppedMark(c)) continue;
    if (!IsWordCodePoint(c)) {
      pending_space = !words.isEmpty();
      continue;
    }
    if (pending_space) words.append(static_cast<UChar>(u' '));
    pending_space = false;
    words.append(c);
  }

  icu::UnicodeString composed = nfc->normalize(words, err);
  if (U_FAILURE(err)) composed = words;
  std::string out;
  composed.toUTF8String(out);
  return out;
}

}  // namespace

std::string NormalizeName(std::string_view name) {
  if (IsAscii(name)) return NormalizeAscii(name);
  return NormalizeUnicode(name);
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string EscapeControls(std::string_view s) {
  auto is_control = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; };
  if (std::none_of(s.begin(), s.end(), is_control)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    if (!is_control(c)) {
      out.push_back(c);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto b = static_cast<unsigned char>(c);
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    }
  }
  return out;
}

bool HasNameContent(std::string_view name) {
  if (!IsAscii(name)) return !NormalizeUnicode(name).empty();
  return std::any_of(name.begin(), name.end(), IsAsciiWordChar);
}

std::string Slugify(std::string_view name) { return SlugOfNormalized(NormalizeName(name)); }

std::string SlugOfNormalized(std::string_view normalized) {
  std::string s(normalized);
  std::replace(s.begin(), s.end(), ' ', '-');
  return s;
}

bool IsValidUtf8(std::string_view s) {
  // Importers check every field of every row: skip ASCII eight bytes at a time.
  size_t i = 0;
  for (uint64_t w; i + 8 <= s.size(); i += 8) {
    std::memcpy(&w, s.data() + i, 8);
    if ((w & 0x8080808080808080ULL) != 0) break;
  }
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    UChar32 cp;
    size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Classic two-row dynamic programme; stops early once every entry of a row exceeds `limit`,
// since distances along any path never decrease.
int EditDistance(std::string_view a, std::string_view b, int limit) {
  if (limit < 0) limit = 0;
  const int cap = limit + 1;
  const size_t la = a.size();
  const size_t lb = b.size();
  const size_t diff = la > lb ? la - lb : lb - la;
  if (diff > static_cast<size_t>(limit)) return cap;
  std::vector<int> prev(lb + 1), cur(lb + 1);
  for (size_t j = 0; j <= lb; ++j) prev[j] = static_cast<int>(std::min<size_t>(j, cap));
  for (size_t i = 1; i <= la; ++i) {
    cur[0] = static_cast<int>(std::min<size_t>(i, cap));
    int row_min = cur[0];
    for (size_t j = 1; j <= lb; ++j) {
      const int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({sub, prev[j] + 1, cur[j - 1] + 1, cap});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min >= cap) return cap;
    std::swap(prev, cur);
  }
  return std::min(prev[lb], cap);
}

}  // namespace geokg
