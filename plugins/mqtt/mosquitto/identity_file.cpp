// plugins/mqtt/mosquitto — IdentityFile.
#include "identity_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

namespace conflux::mosquitto_auth {
namespace {

std::string line_of(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string put_line(std::string_view client_id, const Identity& identity) {
  return line_of({{"c", client_id},
                  {"u", identity.username},
                  {"t", identity.thing_id},
                  {"s", identity.superuser}});
}

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    auto n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Applies one line to `map`; false when it does not parse.
bool apply_line(std::string_view line, Identities& map) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  auto c = j.find("c");
  if (c == j.end() || !c->is_string()) return false;
  auto u = j.find("u");
  if (u == j.end()) {
    map.erase(c->get<std::string>());
    return true;
  }
  auto t = j.find("t");
  auto s = j.find("s");
  if (!u->is_string() || t == j.end() || !t->is_string() || s == j.end() || !s->is_boolean())
    return false;
  map[c->get<std::string>()] =
      Identity{s->get<bool>(), u->get<std::string>(), t->get<std::string>()};
  return true;
}

int open_append(const std::filesystem::path& path) {
  return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

}  // namespace

std::unique_ptr<IdentityFile> IdentityFile::open(const std::filesystem::path& path,
                                                 Identities& loaded, std::string& error) {
  loaded.clear();
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) apply_line(line, loaded);
  }
  int fd = open_append(path);
  if (fd < 0) {
    error = path.string() + ": " + std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<IdentityFile> file(new IdentityFile(path, fd, 0));
  if (!file->rewrite(loaded)) {
    error = path.string() + ": cannot rewrite: " + std::strerror(errno);
    return nullptr;
  }
  return file;
}

IdentityFile::~IdentityFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool IdentityFile::put(std::string_view client_id, const Identity& identity,
                       const Identities& live) {
  return append(put_line(client_id, identity), live);
}

bool IdentityFile::append(const std::string& line, const Identities& live) {
  if (lines_ + 1 > 2 * live.size() + 1024) return rewrite(live);
  if (fd_ < 0 || !write_all(fd_, line)) return false;
  ++lines_;
  return true;
}

bool IdentityFile::rewrite(const Identities& live) {
  std::string data;
  for (const auto& [client, identity] : live) data += put_line(client, identity);
  auto tmp = path_;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = write_all(fd, data) && ::fdatasync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path_.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  auto parent = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  if (int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  int reopened = open_append(path_);
  if (reopened < 0) return false;
  if (fd_ >= 0) ::close(fd_);
  fd_ = reopened;
  lines_ = live.size();
  return true;
}

}  // namespace conflux::mosquitto_auth
