// RowReader: fields read back in order; a short, over-long or rejected row is
// reported as data loss naming the row.
#include "core/store/row_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace conflux::core::store {
namespace {

std::string row() {
  std::string out;
  append_bytes(out, "id-1");
  append_i64(out, -42);
  out.push_back(static_cast<char>(3));
  append_u64(out, 7);
  return out;
}

struct Fields {
  std::string id;
  std::int64_t i = 0;
  std::uint8_t b = 0;
  std::uint64_t u = 0;
};

Result<Fields> read(std::string_view body) {
  RowReader r(body, "test row");
  Fields f;
  f.id = r.str();
  f.i = r.i64();
  f.b = r.byte();
  f.u = r.u64();
  return r.done(std::move(f));
}

TEST(RowReader, ReadsTheFieldsInOrder) {
  auto f = read(row());
  ASSERT_TRUE(f.has_value()) << f.error().message;
  EXPECT_EQ(f->id, "id-1");
  EXPECT_EQ(f->i, -42);
  EXPECT_EQ(f->b, 3);
  EXPECT_EQ(f->u, 7u);
}

TEST(RowReader, EveryTruncationIsDataLoss) {
  std::string full = row();
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto f = read(std::string_view(full).substr(0, n));
    ASSERT_FALSE(f.has_value()) << "cut at " << n;
    EXPECT_TRUE(is_data_loss(f.error()));
    EXPECT_EQ(f.error().message, "data loss: test row: truncated");
  }
}

TEST(RowReader, LeftoverBytesAreDataLoss) {
  auto f = read(row() + "x");
  ASSERT_FALSE(f.has_value());
  EXPECT_TRUE(is_data_loss(f.error()));
}

TEST(RowReader, RejectedValueIsDataLoss) {
  std::string body = row();
  RowReader r(body, "test row");
  r.str();
  r.i64();
  if (r.byte() != 4) r.reject();
  r.u64();
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.done(0).has_value());
}

}  // namespace
}  // namespace conflux::core::store
