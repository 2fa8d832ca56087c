// plugins/mqtt — Paho persistence callbacks over a SessionJournal.
//
// Paho frees what `get` and `keys` return with free(): allocate with malloc.
#include "paho_persistence.h"

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

namespace conflux::mqtt {
namespace {

SessionJournal& journal_of(void* handle) { return *static_cast<SessionJournal*>(handle); }

int p_open(void** handle, const char*, const char*, void* context) {
  *handle = context;
  return 0;
}

int p_close(void*) { return 0; }

int p_put(void* handle, char* key, int bufcount, char* buffers[], int buflens[]) {
  std::vector<std::string_view> parts;
  parts.reserve(static_cast<std::size_t>(bufcount));
  for (int i = 0; i < bufcount; ++i)
    parts.emplace_back(buffers[i], static_cast<std::size_t>(buflens[i]));
  return journal_of(handle).put(key, parts) ? 0 : MQTTCLIENT_PERSISTENCE_ERROR;
}

int p_get(void* handle, char* key, char** buffer, int* buflen) {
  auto value = journal_of(handle).get(key);
  if (!value) return MQTTCLIENT_PERSISTENCE_ERROR;
  char* out = static_cast<char*>(std::malloc(value->size() ? value->size() : 1));
  if (out == nullptr) return MQTTCLIENT_PERSISTENCE_ERROR;
  std::memcpy(out, value->data(), value->size());
  *buffer = out;
  *buflen = static_cast<int>(value->size());
  return 0;
}

int p_remove(void* handle, char* key) {
  return journal_of(handle).remove(key) ? 0 : MQTTCLIENT_PERSISTENCE_ERROR;
}

int p_keys(void* handle, char*** keys, int* nkeys) {
  auto all = journal_of(handle).keys();
  *nkeys = static_cast<int>(all.size());
  *keys = nullptr;
  if (all.empty()) return 0;
  char** out = static_cast<char**>(std::malloc(sizeof(char*) * all.size()));
  if (out == nullptr) return MQTTCLIENT_PERSISTENCE_ERROR;
  for (std::size_t i = 0; i < all.size(); ++i) {
    out[i] = static_cast<char*>(std::malloc(all[i].size() + 1));
    std::memcpy(out[i], all[i].c_str(), all[i].size() + 1);
  }
  *keys = out;
  return 0;
}

int p_clear(void* handle) { return journal_of(handle).clear() ? 0 : MQTTCLIENT_PERSISTENCE_ERROR; }

int p_contains(void* handle, char* key) {
  return journal_of(handle).contains(key) ? 0 : MQTTCLIENT_PERSISTENCE_ERROR;
}

}  // namespace

MQTTClient_persistence paho_persistence(SessionJournal& journal) {
  MQTTClient_persistence p{};
  p.context = &journal;
  p.popen = p_open;
  p.pclose = p_close;
  p.pput = p_put;
  p.pget = p_get;
  p.premove = p_remove;
  p.pkeys = p_keys;
  p.pclear = p_clear;
  p.pcontainskey = p_contains;
  return p;
}

}  // namespace conflux::mqtt
