#include "catalog/domain/search.hpp"

#include <unordered_set>

#include "platform/core/text.hpp"
#include "catalog/domain/utf8.hpp"

namespace microstore::catalog {
namespace {

// Non-ASCII code points that are spaces or punctuation rather than letters.
bool IsSeparator(char32_t c) {
  return (c >= 0x80 && c <= 0xBF && c != 0xAA && c != 0xB5 && c != 0xBA) ||  // Latin-1 controls, signs
         c == 0xD7 || c == 0xF7 ||                                           // × ÷
         (c >= 0x2000 && c <= 0x206F) ||                                     // General Punctuation
         (c >= 0x3000 && c <= 0x3003) ||                                     // CJK space and marks
         c == 0xFEFF || c == 0xFFFD;                                         // BOM, replacement
}

}  // namespace

std::vector<std::string> SearchWords(std::string_view text) {
  std::vector<std::string> words;
  std::unordered_set<std::string> seen;
  std::string word;
  const auto finish_word = [&] {
    if (!word.empty() && seen.insert(word).second) words.push_back(word);
    word.clear();
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word.push_back(c);
      ++pos;
    } else if (c >= 'A' && c <= 'Z') {
      word.push_back(static_cast<char>(c - 'A' + 'a'));
      ++pos;
    } else if (static_cast<unsigned char>(c) < 0x80) {
      finish_word();
      ++pos;
    } else {
      const std::size_t start = pos;
      const auto code_point = core::NextCodePoint(text, pos);
      if (!code_point || IsSeparator(*code_point)) {
        finish_word();
      } else {
        word.append(text.substr(start, pos - start));
      }
    }
  }
  finish_word();
  return words;
}

}  // namespace microstore::catalog
