#include "cli/table.h"

#include <algorithm>
#include <cstdint>

#include "util/normalize.h"

namespace geokg::cli {
namespace {

// Decodes one UTF-8 code point at s[*i], advancing *i; invalid bytes decode as themselves
// (one byte, one column) so that a broken cell still prints.
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len <= 1 || *i + len > s.size()) {
    ++*i;
    return b0;
  }
  uint32_t cp = b0 & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return b0;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *i += len;
  return cp;
}

// Columns of one code point, after Markus Kuhn's wcwidth(): combining marks and zero-width
// characters 0, East Asian Wide/Fullwidth and emoji 2, everything else 1.
int CodePointWidth(uint32_t cp) {
  if (cp == 0) return 0;
  if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) ||
      (cp >= 0x0591 && cp <= 0x05BD) || (cp >= 0x0610 && cp <= 0x061A) ||
      (cp >= 0x064B && cp <= 0x065F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
      (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x200B && cp <= 0x200F) ||
      (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
      (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0xFEFF) {
    return 0;
  }
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
      (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
      (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

// One line of text: line breaks and tabs become spaces, other control bytes escapes.
std::string Clean(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  return EscapeControls(s);
}

// Minimum width a column is shrunk to before its neighbours must give up space.
constexpr int kMinColumn = 6;
constexpr int kGap = 2;

}  // namespace

int DisplayWidth(std::string_view s) {
  int w = 0;
  for (size_t i = 0; i < s.size();) w += CodePointWidth(NextCodePoint(s, &i));
  return w;
}

std::string TruncateToWidth(std::string_view s, int width) {
  if (width < 1) return "";
  if (DisplayWidth(s) <= width) return std::string(s);
  // Keep code points while they fit in width - 1 columns, then add the ellipsis (1 column).
  int w = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t next = i;
    const int cw = CodePointWidth(NextCodePoint(s, &next));
    if (w + cw > width - 1) break;
    w += cw;
    i = next;
  }
  return std::string(s.substr(0, i)) + "\u2026";
}

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)), align_(headers_.size(), Align::kLeft) {}

void Table::SetAlign(size_t column, Align align) {
  if (column < align_.size()) align_[column] = align;
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (auto& c : cells) c = Clean(std::move(c));
  rows_.push_back(std::move(cells));
}

std::vector<int> Table::ColumnWidths(int max_width) const {
  const size_t n = headers_.size();
  std::vector<int> widths(n, 0);
  for (size_t c = 0; c < n; ++c) {
    widths[c] = DisplayWidth(headers_[c]);
    for (const auto& row : rows_) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  if (max_width <= 0 || n == 0) return widths;
  auto total = [&] {
    int t = kGap * static_cast<int>(n - 1);
    for (int w : widths) t += w;
    return t;
  };
  // Shrink the widest column one step at a time: narrow columns (dates, codes) stay whole and
  // long free text (summaries, titles) gives up space first.
  while (total() > max_width) {
    auto widest = std::max_element(widths.begin(), widths.end());
    if (*widest <= kMinColumn) break;
    --*widest;
  }
  return widths;
}

void Table::Print(std::ostream& out, int max_width, int indent) const {
  const std::vector<int> widths = ColumnWidths(max_width > 0 ? std::max(1, max_width - indent) : 0);
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line(indent, ' ');
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string cell = TruncateToWidth(cells[c], widths[c]);
      const int pad = widths[c] - DisplayWidth(cell);
      if (c > 0) line.append(kGap, ' ');
      if (align_[c] == Align::kRight) line.append(pad, ' ');
      line += cell;
      if (align_[c] == Align::kLeft && c + 1 < cells.size()) line.append(pad, ' ');
    }
    while (line.size() > static_cast<size_t>(indent) && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };
  print_row(headers_);
  std::vector<std::string> rule;
  for (int w : widths) rule.push_back(std::string(w, '-'));
  print_row(rule);
  for (const auto& row : rows_) print_row(row);
}

}  // namespace geokg::cli
