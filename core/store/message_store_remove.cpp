// core/store/message_store_remove.cpp — MessageStore::remove: deletes the
// rows of one format for some publishers (by their key ranges) or for all
// (by the time index) in [from, to), in write jobs of bounded size.
//
// Thread-safety: see message_store.h.
#include <algorithm>
#include <string>
#include <vector>

#include "core/store/message_rows.h"
#include "core/store/message_scan.h"
#include "core/store/message_store.h"

namespace conflux::core::store {
namespace {

constexpr std::size_t kRemoveRowsPerJob = 10'000;

struct Doomed {
  RowKeyParts key;
  std::size_t value_size = 0;
};

// One job's outcome; each run of the job overwrites it.
struct Step {
  std::uint64_t deleted = 0;
  std::string resume;  // lower bound for the next job
  bool finished = false;
};

}  // namespace

Result<std::uint64_t> MessageStore::run_remove(MessageFormat format,
                                               std::span<const std::string> publishers_in,
                                               std::optional<std::int64_t> from,
                                               std::optional<std::int64_t> to) {
  if (format != MessageFormat::senml && format != MessageFormat::json)
    return fail(ErrorCode::invalid_argument, "format must be senml or json");
  TimeRange range;
  if (from) range.from = *from;
  if (to) {
    range.to = *to;
    range.unbounded_to = false;
  }
  if (range.empty()) return std::uint64_t{0};
  std::vector<std::string> publishers(publishers_in.begin(), publishers_in.end());
  std::sort(publishers.begin(), publishers.end());
  publishers.erase(std::unique(publishers.begin(), publishers.end()), publishers.end());

  // One walk over [lo, hi) of `dbi`, job after job, each job resuming after
  // the last key the previous one looked at. `publisher` is null for time
  // index walks.
  auto walk = [&](Dbi dbi, std::string lo, const std::string& hi,
                  const std::string* publisher) -> Result<std::uint64_t> {
    const bool by_index = publisher == nullptr;
    std::uint64_t total = 0;
    Step step;
    while (!step.finished) {
      const std::string start = lo;
      step = Step{};
      CONFLUX_RETURN_IF_ERROR(env_.write_sync([&](WriteTxn& txn) -> Status {
        step = Step{};
        std::vector<Doomed> doomed;
        {
          CONFLUX_ASSIGN_OR_RETURN(auto cursor, txn.cursor(dbi));
          auto found = cursor.seek(start);
          for (; doomed.size() < kRemoveRowsPerJob; found = cursor.next()) {
            if (!found) return std::unexpected(found.error());
            if (!*found || (*found)->key >= hi) {
              step.finished = true;
              break;
            }
            auto key =
                by_index ? parse_index_key((*found)->key, nullptr) : parse_row_key((*found)->key);
            step.resume = std::string((*found)->key) + '\0';
            if (!key) continue;
            std::string_view value = (*found)->value;
            if (by_index) {
              CONFLUX_ASSIGN_OR_RETURN(auto row,
                                       txn.get(dbs_.rows(format), as_view(row_key_of(*key))));
              value = row ? *row : std::string_view();
            } else {
              RowView view;
              // Undecodable rows in the publisher's range are deleted too.
              if (decode_row(format, *key, value, &view) == DecodeOutcome::ok &&
                  !view.publisher_equals(*publisher))
                continue;
            }
            doomed.push_back(Doomed{*key, value.size()});
          }
        }
        CONFLUX_ASSIGN_OR_RETURN(auto state, load_state(txn, dbs_));
        CountDeltas counts;
        for (const Doomed& d : doomed)
          CONFLUX_RETURN_IF_ERROR(erase_row(txn, dbs_, format, d.key, d.value_size, state, counts));
        step.deleted = doomed.size();
        CONFLUX_RETURN_IF_ERROR(counts.apply(txn, dbs_));
        return save_state(txn, dbs_, state);
      }));
      total += step.deleted;
      rows_deleted_.inc(step.deleted);
      lo = step.resume.empty() ? hi : step.resume;
    }
    return total;
  };

  std::uint64_t deleted = 0;
  if (publishers.empty()) {
    auto [lo, hi] = index_bounds(format, range);
    CONFLUX_ASSIGN_OR_RETURN(deleted, walk(dbs_.by_time, lo, hi, nullptr));
  } else {
    for (const auto& publisher : publishers) {
      auto [lo, hi] = row_bounds(publisher_key(publisher), range);
      CONFLUX_ASSIGN_OR_RETURN(auto n, walk(dbs_.rows(format), lo, hi, &publisher));
      deleted += n;
    }
  }
  return deleted;
}

}  // namespace conflux::core::store
