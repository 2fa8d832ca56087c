// core/config — building a Config (file, text, defaults) and the queries over
// its document structure. Section validation lives in section.cpp.
//
// Thread-safety: a loaded Config is immutable; const methods are thread-safe.
#include "core/config/config.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "core/config/config_impl.h"
#include "core/config/suggest.h"

namespace conflux::core {
namespace {

Result<std::string> read_file(const std::filesystem::path& file) {
  std::error_code ec;
  auto status = std::filesystem::status(file, ec);
  if (!std::filesystem::exists(status)) {
    return fail(ErrorCode::not_found, "config file '" + file.string() + "' does not exist");
  }
  if (std::filesystem::is_directory(status)) {
    return fail(ErrorCode::invalid_argument, "config file '" + file.string() + "' is a directory");
  }
  std::FILE* stream = std::fopen(file.c_str(), "rb");
  if (stream == nullptr) {
    return fail(ErrorCode::invalid_argument,
                "cannot read config file '" + file.string() + "': " + std::strerror(errno));
  }
  std::string text;
  char buffer[8192];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, stream)) > 0) text.append(buffer, n);
  bool failed = std::ferror(stream) != 0;
  int error = errno;
  std::fclose(stream);
  if (failed) {
    return fail(ErrorCode::invalid_argument,
                "cannot read config file '" + file.string() + "': " + std::strerror(error));
  }
  return text;
}

}  // namespace

Result<const toml::table*> Config::Impl::table_at(std::string_view path) const {
  const toml::table* table = &root;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t dot = path.find('.', start);
    std::size_t end = dot == std::string_view::npos ? path.size() : dot;
    const toml::node* node = table->get(path.substr(start, end - start));
    if (node == nullptr) return nullptr;
    table = node->as_table();
    if (table == nullptr) {
      return fail(ErrorCode::invalid_argument,
                  "'" + std::string(path.substr(0, end)) + "' must be a table");
    }
    start = end + 1;
  }
  return table;
}

Config::Config(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;
Config::~Config() = default;

Result<Config> Config::load_file(const std::filesystem::path& file, Environment env) {
  CONFLUX_ASSIGN_OR_RETURN(std::string text, read_file(file));
  return parse(text, file.string(), std::move(env));
}

Result<Config> Config::parse(std::string_view toml, std::string source, Environment env) {
  auto impl = std::make_unique<Impl>();
  try {
    impl->root = toml::parse(toml, source);
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    return fail(ErrorCode::invalid_argument, source + ":" + std::to_string(begin.line) + ":" +
                                                 std::to_string(begin.column) + ": " +
                                                 std::string(error.description()));
  }
  impl->source = std::move(source);
  impl->env = std::move(env);
  return Config(std::move(impl));
}

Config Config::defaults(Environment env) {
  auto impl = std::make_unique<Impl>();
  impl->source = "(defaults)";
  impl->env = std::move(env);
  return Config(std::move(impl));
}

bool Config::has_table(std::string_view path) const {
  auto table = impl_->table_at(path);
  return table && *table != nullptr;
}

std::vector<std::string> Config::plugin_sections() const {
  std::vector<std::string> names;
  auto plugins = impl_->table_at("plugins");
  if (!plugins || *plugins == nullptr) return names;
  for (const auto& [key, node] : **plugins) {
    if (node.is_table()) names.emplace_back(key.str());
  }
  return names;
}

Status Config::check_top_level(std::span<const std::string_view> known) const {
  for (const auto& [key, node] : impl_->root) {
    std::string_view name = key.str();
    bool is_known = false;
    for (std::string_view k : known) is_known = is_known || k == name;
    if (is_known) continue;
    std::string message = "unknown section '" + std::string(name) + "'";
    if (std::string suggestion = closest_match(name, known); !suggestion.empty()) {
      message += " (did you mean '" + suggestion + "'?)";
    }
    if (const auto& begin = key.source().begin; begin.line != 0) {
      message += " at " + impl_->source + ":" + std::to_string(begin.line);
    }
    return fail(ErrorCode::invalid_argument, std::move(message));
  }
  return ok();
}

const std::string& Config::source() const noexcept { return impl_->source; }

}  // namespace conflux::core
