// core/store/outbox_queues.cpp — OutboxQueues: enqueue (also inside a
// caller's job), claim with in-memory leases, complete, retry / dead
// letters, stats; plus the per-plugin facades and subscription grants.
// Thread-safety: see outbox_queues.h.
#include "core/store/outbox_queues.h"

#include <fmt/format.h>

#include "core/store/kv_namespace.h"
#include "core/store/outbox_codec.h"
#include "core/store/outbox_leases.h"
#include "core/store/plugin_outbox.h"

namespace conflux::core::store {
namespace {

Result<OutboxMeta> read_meta(const Txn& txn, Dbi meta, std::string_view queue) {
  CONFLUX_ASSIGN_OR_RETURN(auto value, txn.get(meta, queue));
  if (!value) return OutboxMeta{};
  return decode_outbox_meta(*value);
}

Status not_found(std::string_view queue, std::uint64_t id) {
  return fail(ErrorCode::not_found, fmt::format("outbox {}: no item {}", queue, id));
}

}  // namespace

std::string subscription_queue(std::string_view subscription_name) {
  return fmt::format("subscription:{}", subscription_name);
}

std::string plugin_queue(std::string_view plugin, std::string_view queue) {
  return fmt::format("{}/{}", plugin, queue);
}

OutboxQueues::OutboxQueues(LmdbEnv& env, Clock& clock, Dbs dbs)
    : env_(env), clock_(clock), dbs_(dbs), leases_(std::make_unique<OutboxLeases>()) {}

OutboxQueues::~OutboxQueues() = default;

Result<std::unique_ptr<OutboxQueues>> OutboxQueues::open(LmdbEnv& env, Clock& clock) {
  Dbs dbs;
  CONFLUX_ASSIGN_OR_RETURN(dbs.items, env.database("outbox_items"));
  CONFLUX_ASSIGN_OR_RETURN(dbs.due, env.database("outbox_due"));
  CONFLUX_ASSIGN_OR_RETURN(dbs.dead, env.database("outbox_dead"));
  CONFLUX_ASSIGN_OR_RETURN(dbs.meta, env.database("outbox_meta"));
  return std::unique_ptr<OutboxQueues>(new OutboxQueues(env, clock, dbs));
}

Result<conflux::Outbox*> OutboxQueues::plugin(std::string_view plugin_name) {
  CONFLUX_RETURN_IF_ERROR(check_plugin_name(plugin_name));
  std::lock_guard lock(mu_);
  auto it = plugins_.find(plugin_name);
  if (it == plugins_.end()) {
    it = plugins_
             .emplace(std::string(plugin_name),
                      std::make_unique<PluginOutbox>(*this, std::string(plugin_name)))
             .first;
  }
  return static_cast<conflux::Outbox*>(it->second.get());
}

void OutboxQueues::grant_subscription(std::string_view plugin_name,
                                      std::string_view subscription_name) {
  std::lock_guard lock(mu_);
  grants_.emplace(std::string(plugin_name), std::string(subscription_name));
}

void OutboxQueues::revoke_subscription(std::string_view plugin_name,
                                       std::string_view subscription_name) {
  std::lock_guard lock(mu_);
  grants_.erase(std::make_pair(std::string(plugin_name), std::string(subscription_name)));
}

bool OutboxQueues::granted(std::string_view plugin_name, std::string_view subscription_name) const {
  std::lock_guard lock(mu_);
  return grants_.contains(std::make_pair(std::string(plugin_name), std::string(subscription_name)));
}

Result<std::uint64_t> OutboxQueues::enqueue_in(WriteTxn& txn, std::string_view queue,
                                               std::string_view payload, std::int64_t due_ns) {
  CONFLUX_RETURN_IF_ERROR(check_queue_name(queue));
  const std::int64_t now = clock_.now_ns();
  CONFLUX_ASSIGN_OR_RETURN(auto meta, read_meta(txn, dbs_.meta, queue));
  OutboxItem item;
  item.id = meta.next_id++;
  item.created = now;
  item.due = due_ns == 0 ? now : due_ns;
  item.payload = std::string(payload);
  ++meta.pending;
  CONFLUX_RETURN_IF_ERROR(
      txn.put(dbs_.items, outbox_item_key(queue, item.id), encode_outbox_item(item)));
  CONFLUX_RETURN_IF_ERROR(txn.put(dbs_.due, outbox_due_key(queue, item.due, item.id), {}));
  CONFLUX_RETURN_IF_ERROR(txn.put(dbs_.meta, queue, encode_outbox_meta(meta)));
  return item.id;
}

void OutboxQueues::enqueue(std::string queue, std::string payload, std::int64_t due,
                           std::function<void(Result<std::uint64_t>)> done) {
  auto id = std::make_shared<std::uint64_t>(0);
  env_.write(
      [this, queue = std::move(queue), payload = std::move(payload), due,
       id](WriteTxn& txn) -> Status {
        CONFLUX_ASSIGN_OR_RETURN(*id, enqueue_in(txn, queue, payload, due));
        return ok();
      },
      [id, done = std::move(done)](Status s) {
        if (!done) return;
        if (s) {
          done(*id);
        } else {
          done(std::unexpected(std::move(s).error()));
        }
      });
}

Result<std::vector<OutboxItem>> OutboxQueues::claim(std::string_view queue, std::size_t max,
                                                    std::chrono::milliseconds lease) {
  CONFLUX_RETURN_IF_ERROR(check_queue_name(queue));
  std::vector<OutboxItem> items;
  if (max == 0) return items;
  const std::int64_t now = clock_.now_ns();
  const auto mono = clock_.monotonic();
  OutboxLeases::Queue& leases = leases_->queue(queue);
  std::lock_guard lock(leases.mu);  // held across the snapshot: see outbox_leases.h
  leases.sweep(mono);
  CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
  CONFLUX_ASSIGN_OR_RETURN(auto cur, txn.cursor(dbs_.due));
  const std::string prefix = outbox_queue_prefix(queue);
  for (auto e = cur.seek(prefix); items.size() < max; e = cur.next()) {
    if (!e) return std::unexpected(std::move(e).error());
    if (!*e || !(*e)->key.starts_with(prefix)) break;
    CONFLUX_ASSIGN_OR_RETURN(auto due_id, parse_due_key((*e)->key, prefix.size()));
    const auto [due, id] = due_id;
    if (due > now) break;
    if (leases.leased(id, mono)) continue;
    CONFLUX_ASSIGN_OR_RETURN(auto value, txn.get(dbs_.items, outbox_item_key(queue, id)));
    if (!value) continue;  // index without item: skipped
    CONFLUX_ASSIGN_OR_RETURN(auto item, decode_outbox_item(id, *value));
    leases.by_id[id] = mono + lease;
    items.push_back(std::move(item));
  }
  return items;
}

void OutboxQueues::complete(std::string queue, std::uint64_t id, std::function<void(Status)> done) {
  env_.write(
      [this, queue, id](WriteTxn& txn) -> Status {
        CONFLUX_RETURN_IF_ERROR(check_queue_name(queue));
        const std::string key = outbox_item_key(queue, id);
        CONFLUX_ASSIGN_OR_RETURN(auto value, txn.get(dbs_.items, key));
        if (!value) return not_found(queue, id);
        CONFLUX_ASSIGN_OR_RETURN(auto item, decode_outbox_item(id, *value));
        CONFLUX_ASSIGN_OR_RETURN(auto meta, read_meta(txn, dbs_.meta, queue));
        CONFLUX_RETURN_IF_ERROR(txn.del(dbs_.items, key));
        CONFLUX_RETURN_IF_ERROR(txn.del(dbs_.due, outbox_due_key(queue, item.due, id)));
        if (meta.pending > 0) --meta.pending;
        return txn.put(dbs_.meta, queue, encode_outbox_meta(meta));
      },
      [this, queue, id, done = std::move(done)](Status s) {
        leases_->release(queue, id);
        if (done) done(std::move(s));
      });
}

void OutboxQueues::retry(std::string queue, std::uint64_t id, std::int64_t due, std::string error,
                         bool give_up, std::function<void(Status)> done) {
  env_.write(
      [this, queue, id, due, error = std::move(error), give_up](WriteTxn& txn) -> Status {
        CONFLUX_RETURN_IF_ERROR(check_queue_name(queue));
        const std::string key = outbox_item_key(queue, id);
        CONFLUX_ASSIGN_OR_RETURN(auto value, txn.get(dbs_.items, key));
        if (!value) return not_found(queue, id);
        CONFLUX_ASSIGN_OR_RETURN(auto item, decode_outbox_item(id, *value));
        CONFLUX_RETURN_IF_ERROR(txn.del(dbs_.due, outbox_due_key(queue, item.due, id)));
        ++item.attempts;
        item.last_error = error;
        const std::int64_t now = clock_.now_ns();
        if (give_up) {
          CONFLUX_ASSIGN_OR_RETURN(auto meta, read_meta(txn, dbs_.meta, queue));
          item.due = now;  // dead letters keep the time they died
          CONFLUX_RETURN_IF_ERROR(txn.del(dbs_.items, key));
          CONFLUX_RETURN_IF_ERROR(txn.put(dbs_.dead, key, encode_outbox_item(item)));
          if (meta.pending > 0) --meta.pending;
          ++meta.dead;
          return txn.put(dbs_.meta, queue, encode_outbox_meta(meta));
        }
        item.due = due == 0 ? now : due;
        CONFLUX_RETURN_IF_ERROR(txn.put(dbs_.items, key, encode_outbox_item(item)));
        return txn.put(dbs_.due, outbox_due_key(queue, item.due, id), {});
      },
      [this, queue, id, done = std::move(done)](Status s) {
        leases_->release(queue, id);
        if (done) done(std::move(s));
      });
}

Result<OutboxStats> OutboxQueues::stats(std::string_view queue) {
  CONFLUX_RETURN_IF_ERROR(check_queue_name(queue));
  CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
  CONFLUX_ASSIGN_OR_RETURN(auto meta, read_meta(txn, dbs_.meta, queue));
  OutboxStats stats;
  stats.pending = meta.pending;
  stats.dead = meta.dead;
  CONFLUX_ASSIGN_OR_RETURN(auto cur, txn.cursor(dbs_.due));
  const std::string prefix = outbox_queue_prefix(queue);
  CONFLUX_ASSIGN_OR_RETURN(auto first, cur.seek(prefix));
  if (first && first->key.starts_with(prefix)) {
    CONFLUX_ASSIGN_OR_RETURN(auto due_id, parse_due_key(first->key, prefix.size()));
    stats.oldest_due = due_id.first;
  }
  return stats;
}

Result<std::vector<OutboxItem>> OutboxQueues::dead_letters(std::string_view queue,
                                                           std::size_t max) {
  CONFLUX_RETURN_IF_ERROR(check_queue_name(queue));
  std::vector<OutboxItem> items;
  CONFLUX_ASSIGN_OR_RETURN(auto txn, env_.read());
  CONFLUX_ASSIGN_OR_RETURN(auto cur, txn.cursor(dbs_.dead));
  const std::string prefix = outbox_queue_prefix(queue);
  for (auto e = cur.seek(prefix); items.size() < max; e = cur.next()) {
    if (!e) return std::unexpected(std::move(e).error());
    if (!*e || !(*e)->key.starts_with(prefix) || (*e)->key.size() != prefix.size() + 8) break;
    std::string_view id_bytes = (*e)->key.substr(prefix.size());
    std::uint64_t id = 0;
    for (char c : id_bytes) id = (id << 8) | static_cast<unsigned char>(c);
    CONFLUX_ASSIGN_OR_RETURN(auto item, decode_outbox_item(id, (*e)->value));
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace conflux::core::store
