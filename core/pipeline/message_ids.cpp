// core/pipeline — message ids (see message_ids.h). Thread-safe.
#include "core/pipeline/message_ids.h"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace conflux::core {

std::string new_message_id() {
  thread_local boost::uuids::random_generator_mt19937 generator;
  return boost::uuids::to_string(generator());
}

}  // namespace conflux::core
