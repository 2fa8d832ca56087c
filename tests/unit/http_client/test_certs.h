// tests/unit/http_client/test_certs.h — self-signed certificates for the TLS
// tests, made with the openssl CLI in a fresh temporary directory.
//
// Thread-safety: plain functions; each call writes its own files.
#pragma once

#include <string>

namespace conflux::test {

struct TestCert {
  std::string cert_file;  // PEM certificate (also usable as a CA file)
  std::string key_file;   // PEM private key
};

// A self-signed certificate for `common_name` with the given subjectAltName
// (e.g. "DNS:localhost,IP:127.0.0.1"), valid for one day. Returns empty paths
// when openssl failed.
TestCert make_self_signed_cert(const std::string& common_name, const std::string& alt_names);

}  // namespace conflux::test
