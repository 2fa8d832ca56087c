// tests/unit/http_client/test_certs.cpp — make_self_signed_cert via the
// openssl CLI.
//
// Thread-safety: plain functions; each call writes its own files.
#include "tests/unit/http_client/test_certs.h"

#include <cstdlib>
#include <filesystem>

namespace conflux::test {

TestCert make_self_signed_cert(const std::string& common_name, const std::string& alt_names) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "conflux-http-client-XXXXXX").string();
  if (!mkdtemp(pattern.data())) return {};
  TestCert cert{pattern + "/cert.pem", pattern + "/key.pem"};
  std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=" + common_name +
                        " -addext subjectAltName=" + alt_names + " -days 1 -keyout " +
                        cert.key_file + " -out " + cert.cert_file + " >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) return {};
  return cert;
}

}  // namespace conflux::test
