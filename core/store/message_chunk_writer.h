// core/store/message_chunk_writer.h — buffers output and hands it to a
// ChunkSink in chunks of about `chunk_size` bytes, so exports and backups
// never hold more than one chunk (plus one row) in memory.
//
// Thread-safety: used by one thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "conflux/message_reader.h"

namespace conflux::core::store {

class ChunkWriter {
 public:
  static constexpr std::size_t kDefaultChunkSize = 64 * 1024;

  explicit ChunkWriter(const ChunkSink& sink, std::size_t chunk_size = kDefaultChunkSize)
      : sink_(sink), chunk_size_(chunk_size) {
    buffer_.reserve(chunk_size_);
  }

  // Appends; flushes when the buffer is full. No-op once the sink stopped.
  void append(std::string_view bytes) {
    if (stopped_) return;
    buffer_.append(bytes);
    if (buffer_.size() >= chunk_size_) flush();
  }
  void append(char c) { append(std::string_view(&c, 1)); }
  // Hands the buffered bytes to the sink.
  void flush() {
    if (stopped_ || buffer_.empty()) return;
    if (!sink_(buffer_)) stopped_ = true;
    buffer_.clear();
  }
  // True once the sink returned false: callers stop producing.
  bool stopped() const noexcept { return stopped_; }
  std::string& buffer() noexcept { return buffer_; }

 private:
  const ChunkSink& sink_;
  std::size_t chunk_size_;
  std::string buffer_;
  bool stopped_ = false;
};

}  // namespace conflux::core::store
