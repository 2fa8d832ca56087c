// tests/unit/plugins/http — fakes of the core interfaces the HTTP adapter
// uses, for handler tests on a FakeHost: a pipeline that holds publishes
// until the test completes them, a thing directory and an access control
// with scripted contents, a recording message reader and command bus.
//
// Thread-safety: guarded by a mutex where handlers run on worker threads.
#pragma once

#include <conflux/access.h>
#include <conflux/commands.h>
#include <conflux/message_reader.h>
#include <conflux/pipeline.h>
#include <conflux/things.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace conflux::http_adapter::testing {

class FakePipeline final : public Pipeline {
 public:
  void publish(PublishRequest request, PublishCallback done) noexcept override {
    std::lock_guard lock(mu);
    requests.push_back(std::move(request));
    callbacks.push_back(std::move(done));
  }
  Result<SubscriptionId> subscribe(SubscriptionOptions, MessageHandler) noexcept override {
    return 1;
  }
  void unsubscribe(SubscriptionId) noexcept override {}

  std::mutex mu;
  std::vector<PublishRequest> requests;
  std::vector<PublishCallback> callbacks;
};

class FakeThings final : public ThingDirectory {
 public:
  void add(ThingIdentity t) { things.push_back(std::make_shared<ThingIdentity>(std::move(t))); }
  Result<ThingRef> identify(KeyKind kind, std::string_view key) noexcept override {
    for (auto& t : things)
      if ((kind == KeyKind::internal ? t->key : t->external_key) == key && !key.empty()) return t;
    return fail(ErrorCode::unauthenticated, "unknown key");
  }
  Result<ThingRef> thing(std::string_view id) noexcept override {
    for (auto& t : things)
      if (t->id == id) return t;
    return fail(ErrorCode::not_found, "thing not found");
  }
  Result<std::vector<ThingRef>> group_things(std::string_view) noexcept override {
    return std::vector<ThingRef>{};
  }
  Result<ThingRef> find_by_metadata(std::string_view, std::string_view) noexcept override {
    return fail(ErrorCode::not_found, "none");
  }
  RegistryWatchId watch(std::function<void(const RegistryEvent&)>) noexcept override { return 1; }
  void unwatch(RegistryWatchId) noexcept override {}

  std::vector<std::shared_ptr<ThingIdentity>> things;
};

// Tokens map to principals; `grants` lists "<principal id>|<action>|<resource id>"
// that are allowed (the root admin is always allowed).
class FakeAccess final : public AccessControl {
 public:
  Result<Principal> authenticate(std::string_view authorization) noexcept override {
    std::lock_guard lock(mu);
    auto it = principals.find(std::string(authorization));
    if (it == principals.end()) return fail(ErrorCode::unauthenticated, "bad credentials");
    return it->second;
  }
  Status authorize(const Principal& p, Action action, const Resource& r) noexcept override {
    std::lock_guard lock(mu);
    if (p.root_admin) return ok();
    if (grants.contains(p.id + "|" + std::string(to_string(action)) + "|" + r.id)) return ok();
    return fail(ErrorCode::permission_denied, "not allowed");
  }
  std::mutex mu;
  std::map<std::string, Principal> principals;
  std::set<std::string> grants;
};

class FakeReader final : public MessageReader {
 public:
  Result<MessagePage> query(const MessageQuery& q) noexcept override {
    std::lock_guard lock(mu);
    queries.push_back(q);
    return page;
  }
  Result<std::uint64_t> remove(MessageFormat format, std::span<const std::string> publishers,
                               std::optional<std::int64_t> from,
                               std::optional<std::int64_t> to) noexcept override {
    std::lock_guard lock(mu);
    removes.push_back({format, {publishers.begin(), publishers.end()}, from, to});
    return 3;
  }
  Status export_rows(const MessageQuery& q, ExportFormat format,
                     const ChunkSink& sink) noexcept override {
    {
      std::lock_guard lock(mu);
      queries.push_back(q);
    }
    if (format == ExportFormat::csv) {
      sink("subtopic,publisher\n");
      sink(",p1\n");
    } else {
      sink("[]");
    }
    return ok();
  }
  Status backup(const ChunkSink& sink) noexcept override {
    for (int i = 0; i < 100; ++i)
      if (!sink(std::string(1000, static_cast<char>('a' + i % 26)))) return ok();
    return ok();
  }
  Result<std::uint64_t> restore(const ChunkSource& source) noexcept override {
    std::string all;
    char buf[4096];
    while (true) {
      auto n = source(std::span<char>(buf, sizeof buf));
      if (!n) return std::unexpected(n.error());
      if (*n == 0) break;
      all.append(buf, *n);
    }
    std::lock_guard lock(mu);
    restored = all;
    if (all.starts_with("bad")) return fail(ErrorCode::invalid_argument, "bad row at byte 0");
    return all.size();
  }

  struct Removal {
    MessageFormat format;
    std::vector<std::string> publishers;
    std::optional<std::int64_t> from, to;
  };
  std::mutex mu;
  MessagePage page;
  std::vector<MessageQuery> queries;
  std::vector<Removal> removes;
  std::string restored;
};

class FakeCommands final : public CommandBus {
 public:
  Result<std::size_t> publish(Command c) noexcept override {
    std::lock_guard lock(mu);
    published.push_back(std::move(c));
    return 1;
  }
  Result<CommandSubscriptionId> subscribe(std::string_view, CommandHandler) noexcept override {
    return 1;
  }
  void unsubscribe(CommandSubscriptionId) noexcept override {}
  std::mutex mu;
  std::vector<Command> published;
};

}  // namespace conflux::http_adapter::testing
