// core/config (internal) — "did you mean" suggestions for misspelled names.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace conflux::core {

// The candidate closest to `name` by edit distance when it is close enough to
// be a plausible typo (at most 2 edits and fewer edits than `name` has
// characters), otherwise an empty string.
std::string closest_match(std::string_view name, std::span<const std::string_view> candidates);

}  // namespace conflux::core
