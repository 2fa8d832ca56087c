// plugins/mqtt/mosquitto — IdentityFile: the auth plugin's map of client id
// → identity (who authenticated last with that client id), kept on disk so
// that it survives a broker restart.
//
// Why: Mosquitto checks the read ACL of an offline persistent session when
// it queues a message for it (e.g. a command for a device that is not
// connected). Without its identity the plugin must refuse, and the message
// is dropped. Mosquitto restores the sessions from its own persistence at
// start-up; this file restores the identities that go with them.
//
// Format: one JSON object per line, appended as identities change:
//   {"c":"<client id>","u":"<username>","t":"<thing id>","s":<superuser>}
//   {"c":"<client id>"}                       the client id is forgotten
// No secrets are stored (no passwords or keys): the ACL answers still come
// from Conflux, for the stored thing id. A line that does not parse (a torn
// tail after a crash) is skipped. At open the live identities are written
// to a new file which replaces the old one atomically (write, fsync,
// rename), and again whenever the appended lines outnumber the live ones
// by 2:1 (plus 1024). Appends are write(2) without fsync: they survive a
// kill -9 of the broker; a power cut may lose the last ones (Mosquitto's
// own persistence is written at `autosave_interval` and at shutdown).
// The file is created with mode 0600.
//
// Thread-safety: none; the owner (AuthClient) serialises calls.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace conflux::mosquitto_auth {

struct Identity {
  bool superuser = false;
  std::string username;
  std::string thing_id;
  bool operator==(const Identity&) const = default;
};

using Identities = std::unordered_map<std::string, Identity>;

class IdentityFile {
 public:
  // Reads `path` (missing = empty) into `loaded`, rewrites it compacted and
  // opens it for appending. nullptr with `error` set when that fails.
  static std::unique_ptr<IdentityFile> open(const std::filesystem::path& path, Identities& loaded,
                                            std::string& error);
  ~IdentityFile();
  IdentityFile(const IdentityFile&) = delete;
  IdentityFile& operator=(const IdentityFile&) = delete;

  // Record that `client_id` now has `identity`. `live` is the whole map
  // after the change (used when the file is compacted). False when the
  // write failed (the identity is then only in memory).
  bool put(std::string_view client_id, const Identity& identity, const Identities& live);
  // Replaces the file with `live` (atomically).
  bool rewrite(const Identities& live);

 private:
  IdentityFile(std::filesystem::path path, int fd, std::size_t lines)
      : path_(std::move(path)), fd_(fd), lines_(lines) {}
  bool append(const std::string& line, const Identities& live);

  std::filesystem::path path_;
  int fd_ = -1;
  std::size_t lines_ = 0;  // lines in the file
};

}  // namespace conflux::mosquitto_auth
