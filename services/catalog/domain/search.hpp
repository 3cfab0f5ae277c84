#pragma once

#include <string>
#include <string_view>
#include <vector>

// The user's search text as words for PostgreSQL full-text search.
namespace microstore::catalog {

// Splits `text` into words: runs of ASCII letters and digits and of non-ASCII characters (so
// Cyrillic and other scripts are words), lower-cased in ASCII, duplicates dropped, in order of
// first appearance. Everything else separates words: ASCII punctuation and spaces (so none of
// the tsquery operators & | ! ( ) : * < > ' \ can reach a query), Unicode spaces and
// punctuation of the Latin-1 and General Punctuation blocks, and invalid UTF-8 bytes. The words
// are therefore valid UTF-8 built only of letters and digits. Empty when the text has no word.
std::vector<std::string> SearchWords(std::string_view text);

}  // namespace microstore::catalog
