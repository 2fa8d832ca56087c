// core/scripting — ScriptStore: row codecs and reads (see script_store.h).
// Thread-safety: see script_store.h.
#include "core/scripting/script_store.h"

#include <algorithm>

#include "core/store/key_codec.h"
#include "core/store/row_reader.h"
#include "core/store/value_version.h"

namespace conflux::core::scripting {

using store::append_bytes;
using store::append_i64;
using store::append_u64;
using store::RowReader;

std::string ScriptRowCodec::encode(const ScriptInfo& s) {
  std::string out;
  store::append_version(out, 1);
  append_bytes(out, s.group_id);
  append_bytes(out, s.name);
  append_bytes(out, s.description);
  append_bytes(out, s.source);
  append_u64(out, s.timeout_ms);
  append_u64(out, s.memory_bytes);
  out.push_back(static_cast<char>(s.policy));
  append_i64(out, s.created);
  append_i64(out, s.updated);
  append_u64(out, s.revision);
  append_bytes(out, s.id);
  return out;
}

Result<ScriptInfo> ScriptRowCodec::decode(std::string_view value) {
  CONFLUX_ASSIGN_OR_RETURN(auto body, store::unversioned(value, 1, "scripts row"));
  RowReader r(body, "scripts row");
  ScriptInfo s;
  s.group_id = r.str();
  s.name = r.str();
  s.description = r.str();
  s.source = r.str();
  s.timeout_ms = static_cast<std::uint32_t>(r.u64());
  s.memory_bytes = r.u64();
  auto policy = r.byte();
  if (policy > 1) r.reject();
  s.policy = static_cast<ScriptPolicy>(policy);
  s.created = r.i64();
  s.updated = r.i64();
  s.revision = r.u64();
  s.id = r.str();
  return r.done(std::move(s));
}

std::string binding_prefix(ScriptTarget target, std::string_view target_id) {
  std::string k;
  k.push_back(target == ScriptTarget::thing ? 't' : 'p');
  k.append(target_id);
  k.push_back('\0');
  return k;
}

std::string BindingCodec::key(const Binding& b) {
  return binding_prefix(b.target, b.target_id) + b.script_id;
}

std::string BindingCodec::encode(const Binding& b) {
  std::string out;
  store::append_version(out, 2);
  out.push_back(b.target == ScriptTarget::thing ? 't' : 'p');
  append_bytes(out, b.target_id);
  append_bytes(out, b.script_id);
  append_i64(out, b.assigned);
  out.push_back(static_cast<char>(b.origin));
  return out;
}

Result<Binding> BindingCodec::decode(std::string_view value) {
  constexpr std::string_view what = "script_bindings row";
  CONFLUX_ASSIGN_OR_RETURN(auto version, store::value_version(value, what));
  if (version != 1 && version != 2)
    return std::unexpected(
        store::data_loss(std::string(what) + ": unknown version " + std::to_string(version)));
  auto body = value.substr(1);
  if (body.empty() || (body[0] != 't' && body[0] != 'p'))
    return std::unexpected(store::data_loss("script_bindings row: bad target kind"));
  Binding b;
  b.target = body[0] == 't' ? ScriptTarget::thing : ScriptTarget::profile;
  RowReader r(body.substr(1), what);
  b.target_id = r.str();
  b.script_id = r.str();
  b.assigned = r.i64();
  if (version == 1) {
    // Thing bindings were only ever made through assign; a profile's may
    // also have come from its config.
    b.origin = b.target == ScriptTarget::thing ? kBoundByAssign : kBoundUnclassified;
  } else {
    b.origin = r.byte();
    if (b.origin == kBoundUnclassified || b.origin > (kBoundByAssign | kBoundByConfig)) r.reject();
  }
  return r.done(std::move(b));
}

Result<ScriptStore> ScriptStore::open(store::LmdbEnv& env) {
  CONFLUX_ASSIGN_OR_RETURN(
      auto scripts,
      Scripts::open(env, "scripts",
                    {{"group", false,
                      [](const ScriptInfo& s) { return std::vector<std::string>{s.group_id}; }},
                     {"group_name", true, [](const ScriptInfo& s) {
                        return std::vector<std::string>{s.group_id + std::string(1, '\0') + s.name};
                      }}}));
  CONFLUX_ASSIGN_OR_RETURN(
      auto bindings,
      Bindings::open(env, "script_bindings", {{"script", false, [](const Binding& b) {
                                                 return std::vector<std::string>{b.script_id};
                                               }}}));
  return ScriptStore(std::move(scripts), std::move(bindings));
}

namespace {

template <class T, class Codec>
Result<std::vector<T>> decode_page(const store::Page& page) {
  std::vector<T> out;
  out.reserve(page.rows.size());
  for (const auto& row : page.rows) {
    CONFLUX_ASSIGN_OR_RETURN(T v, Codec::decode(row.value));
    out.push_back(std::move(v));
  }
  return out;
}

// Every row of a scan or index lookup, page after page.
template <class T, class Codec, class Fetch>
Result<std::vector<T>> collect(Fetch fetch) {
  std::vector<T> out;
  store::PageRequest req;
  req.limit = 1000;
  for (;;) {
    CONFLUX_ASSIGN_OR_RETURN(auto page, fetch(req));
    CONFLUX_ASSIGN_OR_RETURN(auto rows, (decode_page<T, Codec>(page)));
    for (auto& r : rows) out.push_back(std::move(r));
    if (page.next.empty()) break;
    req.after = page.next;
  }
  return out;
}

void by_assignment(std::vector<Binding>& b) {
  std::stable_sort(b.begin(), b.end(),
                   [](const Binding& x, const Binding& y) { return x.assigned < y.assigned; });
}

}  // namespace

Result<std::vector<ScriptInfo>> ScriptStore::all(const store::Txn& txn) const {
  return collect<ScriptInfo, ScriptRowCodec>(
      [&](const store::PageRequest& req) { return scripts_.raw().scan(txn, req); });
}

Result<std::vector<Binding>> ScriptStore::all_bindings(const store::Txn& txn) const {
  auto r = collect<Binding, BindingCodec>(
      [&](const store::PageRequest& req) { return bindings_.raw().scan(txn, req); });
  if (r) by_assignment(*r);
  return r;
}

Result<std::vector<Binding>> ScriptStore::bindings_of(const store::Txn& txn, ScriptTarget target,
                                                      std::string_view target_id) const {
  auto prefix = binding_prefix(target, target_id);
  auto r = collect<Binding, BindingCodec>(
      [&](const store::PageRequest& req) { return bindings_.raw().scan(txn, req, prefix); });
  if (r) by_assignment(*r);
  return r;
}

Result<std::vector<Binding>> ScriptStore::bindings_of_script(const store::Txn& txn,
                                                             std::string_view script_id) const {
  return collect<Binding, BindingCodec>([&](const store::PageRequest& req) {
    return bindings_.raw().by_index(txn, "script", script_id, req);
  });
}

}  // namespace conflux::core::scripting
