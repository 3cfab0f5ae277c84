#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

// The one reader of JSON that comes from outside: request bodies (http::Request::Json) and
// event envelopes (messaging::ParseEnvelope). It accepts RFC 8259 text and refuses, as a value,
// what nlohmann::json would accept silently or turn into an exception far from the input:
// a repeated name in an object (nlohmann keeps the last), a number beyond a double's range
// (an out_of_range exception, not a parse error), nesting deeper than a limit (every later
// recursive walk of the document — dump, comparison — would be a stack hazard), and invalid
// UTF-8. A refusal names the JSON path of the value it concerns, so a client is told which field.
namespace microstore::wire {

struct JsonLimits {
  std::size_t max_depth = 64;  // objects and arrays nested inside one another
};

struct JsonDefect {
  enum class Kind {
    kSyntax,            // not JSON: a missing bracket, trailing bytes, a control character in a string
    kTooDeep,           // nested deeper than JsonLimits::max_depth
    kDuplicateName,     // an object names the same field twice
    kNumberOutOfRange,  // a number whose magnitude no double holds (1e400)
    kInvalidUtf8,       // a string or field name that is not valid UTF-8 (or a lone surrogate escape)
  };
  Kind kind = Kind::kSyntax;
  // The JSON path of the value concerned, in the API's field notation ("items[0].quantity");
  // empty for the document as a whole. Names from the input are echoed through core::EchoedName.
  std::string field;
  // What is wrong, phrased after the field ("is given more than once"); for kSyntax the
  // parser's reason ("syntax error while parsing value - unexpected end of input; ...").
  std::string message;
  std::size_t byte = 0;  // where the parser stopped, for syntax errors and numbers; else 0

  // True for the kinds that concern one value of otherwise well-formed JSON: the API answers
  // those as a validation failure (422) naming the field, the others as malformed JSON (400).
  bool ConcernsAValue() const;
  // One sentence for a log or a problem's detail, to follow "the body is ": "not valid JSON (at
  // byte 9): syntax error ...", "not valid JSON: items[0].quantity is a number out of range".
  std::string Describe() const;
};

std::variant<nlohmann::json, JsonDefect> ReadJson(std::string_view text, const JsonLimits& limits = {});

// "items[0].quantity", "address.city", or "" — the notation JsonDefect::field and the services'
// field errors share. `name` is echoed through core::EchoedName.
std::string FieldPath(std::string_view parent, std::string_view name);
std::string ElementPath(std::string_view parent, std::size_t index);

}  // namespace microstore::wire
