#include "platform/wire/json_reader.hpp"

#include <vector>

#include "platform/core/text.hpp"

namespace microstore::wire {
namespace {

using Json = nlohmann::json;

// Builds the document like nlohmann's own DOM parser, but keeps enough of where it is (the open
// containers and the field being read) to refuse a defect with the path of the value concerned.
class StrictBuilder final : public nlohmann::json_sax<Json> {
 public:
  explicit StrictBuilder(const JsonLimits& limits) : limits_(limits) {}

  Json& document() { return document_; }
  JsonDefect& defect() { return defect_; }

  bool null() override { return Put(nullptr) != nullptr; }
  bool boolean(bool value) override { return Put(value) != nullptr; }
  bool number_integer(number_integer_t value) override { return Put(value) != nullptr; }
  bool number_unsigned(number_unsigned_t value) override { return Put(value) != nullptr; }
  bool number_float(number_float_t value, const string_t&) override { return Put(value) != nullptr; }
  bool string(string_t& value) override { return Put(std::move(value)) != nullptr; }
  bool binary(binary_t&) override { return Fail(JsonDefect::Kind::kSyntax, CurrentPath(), "is not JSON text"); }

  bool start_object(std::size_t) override { return Open(Json::object()); }
  bool start_array(std::size_t) override { return Open(Json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& name) override {
    Frame& frame = open_.back();
    if (frame.container->contains(name)) {
      return Fail(JsonDefect::Kind::kDuplicateName, FieldPath(PathOf(open_.size()), name),
                  "is given more than once");
    }
    frame.name = std::move(name);
    frame.awaiting_value = true;
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    const std::string what = error.what();
    defect_.byte = position;
    if (error.id == 406) {
      return Fail(JsonDefect::Kind::kNumberOutOfRange, CurrentPath(), "is a number out of range");
    }
    const bool bad_text = what.find("ill-formed UTF-8") != std::string::npos ||
                          what.find("surrogate U+") != std::string::npos;
    const bool in_name = what.find("while parsing object key") != std::string::npos;
    if (bad_text && in_name) {
      return Fail(JsonDefect::Kind::kInvalidUtf8, PathOf(open_.size()), "has a field name that is not valid UTF-8");
    }
    if (bad_text) return Fail(JsonDefect::Kind::kInvalidUtf8, CurrentPath(), "is not valid UTF-8");
    // nlohmann's message after its "parse error at line 1, column 9: " prefix.
    const auto colon = what.find(": ");
    const std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    return Fail(JsonDefect::Kind::kSyntax, CurrentPath(), core::EchoedName(reason));
  }

 private:
  struct Frame {
    Json* container = nullptr;
    std::string name;             // objects: the field being read
    bool awaiting_value = false;  // objects: a name was read, its value not yet
  };

  // Places a finished value (or a new, empty container) where the parser is; null after a defect.
  Json* Put(Json value) {
    if (open_.empty()) {
      document_ = std::move(value);
      return &document_;
    }
    Frame& frame = open_.back();
    if (frame.container->is_array()) {
      frame.container->push_back(std::move(value));
      return &frame.container->back();
    }
    frame.awaiting_value = false;
    return &((*frame.container)[frame.name] = std::move(value));
  }

  bool Open(Json empty) {
    if (open_.size() >= limits_.max_depth) {
      return Fail(JsonDefect::Kind::kTooDeep, CurrentPath(),
                  "nests objects and arrays deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    Json* container = Put(std::move(empty));
    open_.push_back({container, {}, false});
    return true;
  }

  bool Close() {
    open_.pop_back();
    return true;
  }

  // The path of the container open_[depth - 1], i.e. of the value that holds the first `depth`
  // open containers; "" for the document.
  std::string PathOf(std::size_t depth) const {
    std::string path;
    for (std::size_t i = 0; i + 1 < depth; ++i) path = Child(path, open_[i]);
    return path;
  }

  // Where the value being read goes: the open container's next element or awaited field.
  std::string CurrentPath() const {
    if (open_.empty()) return "";
    const Frame& frame = open_.back();
    const std::string parent = PathOf(open_.size());
    if (frame.container->is_array()) return ElementPath(parent, frame.container->size());
    return frame.awaiting_value ? FieldPath(parent, frame.name) : parent;
  }

  // The path of the child of `frame` currently being read, below `parent`.
  static std::string Child(const std::string& parent, const Frame& frame) {
    if (frame.container->is_array()) return ElementPath(parent, frame.container->size() - 1);
    return FieldPath(parent, frame.name);
  }

  bool Fail(JsonDefect::Kind kind, std::string field, std::string message) {
    defect_.kind = kind;
    defect_.field = std::move(field);
    defect_.message = std::move(message);
    return false;
  }

  const JsonLimits& limits_;
  Json document_;
  std::vector<Frame> open_;
  JsonDefect defect_;
};

}  // namespace

bool JsonDefect::ConcernsAValue() const {
  return kind == Kind::kDuplicateName || kind == Kind::kNumberOutOfRange || kind == Kind::kInvalidUtf8;
}

std::string JsonDefect::Describe() const {
  if (kind == Kind::kSyntax) {
    return "not valid JSON (at byte " + std::to_string(byte) + (field.empty() ? "" : ", in " + field) + "): " + message;
  }
  return "not valid JSON: " + (field.empty() ? "the document" : field) + " " + message;
}

std::variant<Json, JsonDefect> ReadJson(std::string_view text, const JsonLimits& limits) {
  StrictBuilder builder(limits);
  const bool complete = Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::json::input_format_t::json,
                                        /*strict=*/true, /*ignore_comments=*/false);
  if (!complete) {
    // A handler that refused (duplicate name, depth) stops the parser without its parse_error.
    JsonDefect defect = std::move(builder.defect());
    return defect;
  }
  return std::move(builder.document());
}

std::string FieldPath(std::string_view parent, std::string_view name) {
  std::string echoed = core::EchoedName(name);
  return parent.empty() ? echoed : std::string(parent) + "." + echoed;
}

std::string ElementPath(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

}  // namespace microstore::wire
