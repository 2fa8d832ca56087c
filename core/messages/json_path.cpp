// core/messages/json_path.cpp — find_path / copy_path over nlohmann::json.
//
// Thread-safety: pure functions.
#include "core/messages/json_path.h"

#include <utility>
#include <vector>

#include "core/messages/error_text.h"

namespace conflux::core::messages_detail {
namespace {

using nlohmann::json;

// The member names along `path`, or false when it is not there.
bool resolve_keys(const json& document, std::string_view path,
                  std::vector<std::string_view>& keys) {
  const json* node = &document;
  while (true) {
    if (!node->is_object()) return false;
    if (auto whole = node->find(path); whole != node->end()) {
      keys.push_back(path);
      return true;
    }
    auto dot = path.find('.');
    if (dot == std::string_view::npos) return false;
    auto member = node->find(path.substr(0, dot));
    if (member == node->end()) return false;
    keys.push_back(path.substr(0, dot));
    node = &*member;
    path.remove_prefix(dot + 1);
  }
}

}  // namespace

Status validate_path(std::string_view path) {
  if (path.empty()) return fail(ErrorCode::invalid_argument, "path is empty");
  if (path.front() == '.' || path.back() == '.' || path.find("..") != std::string_view::npos)
    return fail(ErrorCode::invalid_argument, "path " + error_quote(path) + " has an empty segment");
  return ok();
}

const json* find_path(const json& document, std::string_view path) {
  const json* node = &document;
  while (true) {
    if (!node->is_object()) return nullptr;
    if (auto whole = node->find(path); whole != node->end()) return &*whole;
    auto dot = path.find('.');
    if (dot == std::string_view::npos) return nullptr;
    auto member = node->find(path.substr(0, dot));
    if (member == node->end()) return nullptr;
    node = &*member;
    path.remove_prefix(dot + 1);
  }
}

json* find_path(json& document, std::string_view path) {
  return const_cast<json*>(find_path(std::as_const(document), path));
}

void copy_path(const json& source, std::string_view path, json& target) {
  std::vector<std::string_view> keys;
  if (!resolve_keys(source, path, keys)) return;
  const json* from = &source;
  json* to = &target;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    from = &*from->find(keys[i]);
    json& slot = (*to)[std::string(keys[i])];
    if (i + 1 == keys.size()) {
      slot = *from;
    } else if (!slot.is_object()) {
      slot = json::object();
    }
    to = &slot;
  }
}

}  // namespace conflux::core::messages_detail
