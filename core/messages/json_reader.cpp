// core/messages/json_reader.cpp — parse_json_document(): nlohmann's
// (iterative) SAX parser feeding its DOM builder, with a depth counter in
// between.
//
// Thread-safety: pure functions.
#include "core/messages/json_reader.h"

#include <utility>

#include "core/messages/error_text.h"

namespace conflux::core::messages_detail {
namespace {

using nlohmann::json;

// Forwards SAX events to nlohmann's DOM builder, refusing to open a container
// beyond kMaxJsonDepth and capturing the parser's error text.
class DepthLimitedDomBuilder {
 public:
  explicit DepthLimitedDomBuilder(json& root) : dom_(root, /*allow_exceptions=*/false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(json::number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(json::number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(json::number_float_t value, const json::string_t& text) {
    return dom_.number_float(value, text);
  }
  bool string(json::string_t& value) { return dom_.string(value); }
  bool binary(json::binary_t& value) { return dom_.binary(value); }
  bool key(json::string_t& value) { return dom_.key(value); }
  bool start_object(std::size_t size) { return enter() && dom_.start_object(size); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t size) { return enter() && dom_.start_array(size); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) {
    error_ = "is not valid JSON: " + describe_parse_error(error);
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  bool enter() {
    if (++depth_ <= kMaxJsonDepth) return true;
    error_ = "nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::size_t depth_ = 0;
  std::string error_;
};

}  // namespace

std::string describe_parse_error(const std::exception& error) {
  std::string_view text = error.what();
  if (text.starts_with("[json.exception.")) {
    if (auto end = text.find("] "); end != std::string_view::npos) text.remove_prefix(end + 2);
  }
  // The parser quotes the bytes it last read, which may be anything.
  return error_safe(text, 200);
}

Result<nlohmann::json> parse_json_document(std::string_view text, std::string_view what) {
  json root;
  DepthLimitedDomBuilder builder(root);
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const json::exception& e) {
    return fail(ErrorCode::invalid_argument,
                std::string(what) + " is not valid JSON: " + describe_parse_error(e));
  }
  if (!ok) return fail(ErrorCode::invalid_argument, std::string(what) + " " + builder.error());
  return root;
}

}  // namespace conflux::core::messages_detail
