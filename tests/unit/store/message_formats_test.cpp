// tests/unit/store/message_formats_test.cpp — CSV/JSON export rendering,
// chunked output, and the backup stream format (framing and rejection of
// malformed or foreign streams), without LMDB.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/store/message_backup_format.h"
#include "core/store/message_export.h"

namespace conflux::core::store {
namespace {

constexpr std::string_view kPub = "33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e";

TEST(MessageExport, SecondsAreExactDecimals) {
  EXPECT_EQ(format_seconds(1'276'020'076'001'000'000), "1276020076.001");
  EXPECT_EQ(format_seconds(1'276'020'076'000'000'000), "1276020076");
  EXPECT_EQ(format_seconds(1), "0.000000001");
  EXPECT_EQ(format_seconds(0), "0");
  EXPECT_EQ(format_seconds(-1'500'000'000), "-1.5");
  EXPECT_EQ(format_seconds(std::numeric_limits<std::int64_t>::min()), "-9223372036.854775808");
}

struct Rendered {
  std::string text;
  std::size_t chunks = 0;
};

// Encodes `record` and renders it alone.
std::string render(ExportFormat format, const SenmlRecord& record, std::string_view subtopic) {
  std::string value;
  encode_senml_row(value, RowHeader{kPub, "m1", subtopic, "http", record.time}, record);
  RowView row;
  EXPECT_EQ(decode_row(MessageFormat::senml, RowKeyParts{publisher_key(kPub), record.time, 1},
                       value, &row),
            DecodeOutcome::ok);
  std::string out;
  ChunkSink sink = [&](std::string_view c) {
    out.append(c);
    return true;
  };
  ChunkWriter writer(sink);
  RowExporter exporter(format, MessageFormat::senml, writer);
  exporter.begin();
  exporter.row(row);
  exporter.end();
  return out;
}

SenmlRecord voltage() {
  SenmlRecord r;
  r.name = "some-base-name:voltage";
  r.unit = "V";
  r.value = 120.1;
  r.time = 1'276'020'076'001'000'000;
  return r;
}

TEST(MessageExport, SenmlCsvHeaderAndColumns) {
  EXPECT_EQ(render(ExportFormat::csv, voltage(), ""),
            "subtopic,publisher,protocol,name,unit,value,string_value,bool_value,data_value,sum,"
            "time,update_time\n"
            ",33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e,http,some-base-name:voltage,V,120.1,,,,,"
            "1276020076.001,0\n");
  SenmlRecord r;
  r.name = "note";
  r.string_value = "a,\"b\"\nc";
  r.bool_value = true;
  r.sum = 2.5;
  r.update_time = 1.25;
  r.time = 2'000'000'000;
  auto csv = render(ExportFormat::csv, r, "room.1");
  EXPECT_EQ(csv.substr(csv.find('\n') + 1),
            "room.1,33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e,http,note,,,\"a,\"\"b\"\"\nc\",true,,"
            "2.5,2,1.25\n");
}

TEST(MessageExport, SenmlJsonIsAValidArrayShapedLikeTheReader) {
  auto text = render(ExportFormat::json, voltage(), "");
  auto doc = nlohmann::json::parse(text);
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.size(), 1u);
  EXPECT_EQ(doc[0]["publisher"], kPub);
  EXPECT_EQ(doc[0]["protocol"], "http");
  EXPECT_EQ(doc[0]["name"], "some-base-name:voltage");
  EXPECT_EQ(doc[0]["unit"], "V");
  EXPECT_DOUBLE_EQ(doc[0]["time"].get<double>(), 1276020076.001);
  EXPECT_DOUBLE_EQ(doc[0]["value"].get<double>(), 120.1);
  EXPECT_FALSE(doc[0].contains("subtopic"));
  EXPECT_FALSE(doc[0].contains("string_value"));
}

TEST(MessageExport, JsonRowsCsvAndJson) {
  std::string value;
  std::string docs = R"({"temperature":20.5,"unit":"°C"})";
  encode_json_row(value, RowHeader{kPub, "m1", "a", "mqtt", 1'700'000'000'000'000'000}, docs);
  RowView row;
  ASSERT_EQ(decode_row(MessageFormat::json,
                       RowKeyParts{publisher_key(kPub), 1'700'000'000'000'000'000, 1}, value, &row),
            DecodeOutcome::ok);
  for (auto format : {ExportFormat::csv, ExportFormat::json}) {
    std::string out;
    ChunkSink sink = [&](std::string_view c) {
      out.append(c);
      return true;
    };
    ChunkWriter writer(sink);
    RowExporter exporter(format, MessageFormat::json, writer);
    exporter.begin();
    exporter.row(row);
    exporter.row(row);
    exporter.end();
    if (format == ExportFormat::csv) {
      const std::string line =
          "1700000000000000000,a,33eb28c3-4ca2-45c3-b1c5-d5d049c6c24e,mqtt,"
          "\"{\"\"temperature\"\":20.5,\"\"unit\"\":\"\"°C\"\"}\"\n";
      EXPECT_EQ(out, "created,subtopic,publisher,protocol,payload\n" + line + line);
    } else {
      auto doc = nlohmann::json::parse(out);
      ASSERT_EQ(doc.size(), 2u);
      EXPECT_EQ(doc[1]["created"], 1'700'000'000'000'000'000);
      EXPECT_EQ(doc[1]["payload"]["temperature"], 20.5);
      EXPECT_EQ(doc[1]["subtopic"], "a");
    }
  }
}

TEST(MessageChunkWriter, FlushesInChunksAndStopsWhenTheSinkDoes) {
  std::vector<std::size_t> sizes;
  ChunkSink sink = [&](std::string_view c) {
    sizes.push_back(c.size());
    return sizes.size() < 3;
  };
  ChunkWriter writer(sink, 100);
  for (int i = 0; i < 100; ++i) writer.append(std::string(30, 'x'));
  writer.flush();
  EXPECT_EQ(sizes.size(), 3u);
  EXPECT_TRUE(writer.stopped());
  for (auto s : sizes) EXPECT_LT(s, 130u);
}

// A stream built by BackupWriter from `rows` value/key pairs.
std::string make_backup(int rows, bool end = true) {
  std::string out;
  ChunkSink sink = [&](std::string_view c) {
    out.append(c);
    return true;
  };
  ChunkWriter writer(sink, 64);
  BackupWriter backup(writer);
  backup.begin();
  for (int i = 0; i < rows; ++i) {
    SenmlRecord r;
    r.name = "n" + std::to_string(i);
    r.value = i;
    r.time = i * 1000;
    std::string value;
    encode_senml_row(value, RowHeader{kPub, "m", "", "http", r.time}, r);
    backup.row(MessageFormat::senml, RowKeyParts{publisher_key(kPub), r.time, 7}, value);
  }
  if (end) {
    backup.end();
  } else {
    writer.flush();
  }
  return out;
}

// A source handing out `stream` in pieces of `piece` bytes.
ChunkSource source_of(const std::string& stream, std::size_t piece) {
  auto pos = std::make_shared<std::size_t>(0);
  return [&stream, pos, piece](std::span<char> buf) -> Result<std::size_t> {
    std::size_t n = std::min({piece, buf.size(), stream.size() - *pos});
    std::copy_n(stream.data() + *pos, n, buf.data());
    *pos += n;
    return n;
  };
}

Result<int> read_all(const std::string& stream, std::size_t piece = 7) {
  auto source = source_of(stream, piece);
  BackupReader reader(source, 16);
  int rows = 0;
  while (true) {
    CONFLUX_ASSIGN_OR_RETURN(auto row, reader.next());
    if (!row) return rows;
    EXPECT_EQ(row->key.time, rows * 1000);
    EXPECT_EQ(row->format, MessageFormat::senml);
    ++rows;
  }
}

TEST(MessageBackupFormat, RoundTripsInSmallPieces) {
  auto stream = make_backup(50);
  EXPECT_TRUE(stream.starts_with(kBackupMagic));
  for (std::size_t piece : {1u, 7u, 4096u}) EXPECT_EQ(read_all(stream, piece), 50);
  EXPECT_EQ(read_all(make_backup(0)), 0);
}

TEST(MessageBackupFormat, RejectsForeignTruncatedAndTamperedStreams) {
  auto stream = make_backup(3);
  auto expect_bad = [](const std::string& s, std::string_view needle) {
    auto r = read_all(s);
    ASSERT_FALSE(r) << needle;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(r.error().message.find(needle), std::string::npos) << r.error().message;
  };
  expect_bad("", "not a Conflux message backup");
  expect_bad("[{\"publisher\":\"x\"}]", "at byte 0: not a Conflux message backup");
  expect_bad("CONFLUX-MESSAGES-BACKUP 2\n", "unsupported backup version");
  expect_bad(make_backup(3, false), "no end frame");
  expect_bad(stream.substr(0, stream.size() - 20), "truncated");
  expect_bad(stream + "x", "data after the end frame");
  std::string tampered = stream;
  tampered[kBackupMagic.size()] = 'Q';
  expect_bad(tampered, "byte 26: unknown frame");
  // Unknown value version in the first row (after tag, length, format, key).
  tampered = stream;
  tampered[kBackupMagic.size() + 5 + 25] = 9;
  expect_bad(tampered, "unknown version");
  // A wrong end count.
  tampered = stream;
  tampered[tampered.size() - 1] = 4;
  expect_bad(tampered, "end frame counts 4 rows");
}

TEST(MessageBackupFormat, SourceErrorsPassThrough) {
  ChunkSource broken = [](std::span<char>) -> Result<std::size_t> {
    return fail(ErrorCode::unavailable, "client went away");
  };
  BackupReader reader(broken);
  auto r = reader.next();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
}

}  // namespace
}  // namespace conflux::core::store
