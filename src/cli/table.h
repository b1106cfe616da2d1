#pragma once
// An aligned text table for the CLI's `--format table` output. Column widths come from the cells'
// display width (UTF-8 aware: combining marks take no column, East Asian wide characters two).
// When a maximum line width is given (stdout is a terminal), the widest columns are shrunk and
// their cells cut with "…" so that lines fit; otherwise nothing is ever truncated. Value type.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace geokg::cli {

// Columns `s` takes on a terminal. Invalid UTF-8 bytes count one column each.
int DisplayWidth(std::string_view s);
// The longest prefix of `s` (on character boundaries) that fits `width` columns, ending in "…"
// when something was cut. `width` < 1 gives "".
std::string TruncateToWidth(std::string_view s, int width);

class Table {
 public:
  enum class Align { kLeft, kRight };

  explicit Table(std::vector<std::string> headers);

  // Right-aligns column `column` (numbers).
  void SetAlign(size_t column, Align align);
  // Adds a row; missing cells are empty, extra cells are dropped. Newlines and tabs in cells
  // print as spaces.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }

  // Prints the header, a rule, and the rows, columns separated by two spaces, without trailing
  // spaces, each line prefixed by `indent` spaces. max_width > 0 caps every line (indent
  // included) at that many columns: the widest columns shrink first, none below a few characters.
  void Print(std::ostream& out, int max_width = 0, int indent = 0) const;

 private:
  std::vector<int> ColumnWidths(int max_width) const;

  std::vector<std::string> headers_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace geokg::cli
