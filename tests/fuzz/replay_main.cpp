// tests/fuzz/replay_main.cpp — runs LLVMFuzzerTestOneInput over corpus files
// and directories, then (with --mutations N) over N deterministic mutations
// of them: a small in-tree fuzzer for toolchains without libFuzzer, and the
// way to replay a crash input.
//
//   senml_fuzz_replay [--mutations N] [--seed S] <file-or-dir>...
//
// Exit status 0 when every input ran; a broken invariant aborts.
// Thread-safety: single-threaded program.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// xorshift64*: deterministic and good enough to pick mutations.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed | 1) {}
  std::uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 2685821657736338717ULL;
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : next() % n; }

 private:
  std::uint64_t state_;
};

// Fragments that steer mutations towards interesting JSON and SenML.
constexpr std::string_view kTokens[] = {"[",
                                        "]",
                                        "{",
                                        "}",
                                        ",",
                                        ":",
                                        "\"",
                                        "\\u0000",
                                        "\\ud800",
                                        "0",
                                        "-",
                                        "1e308",
                                        "1e-400",
                                        "1e400",
                                        ".",
                                        "null",
                                        "true",
                                        "false",
                                        "NaN",
                                        "\"bn\":",
                                        "\"bt\":",
                                        "\"bu\":",
                                        "\"bv\":",
                                        "\"bs\":",
                                        "\"bver\":",
                                        "\"n\":",
                                        "\"u\":",
                                        "\"v\":",
                                        "\"vs\":",
                                        "\"vb\":",
                                        "\"vd\":",
                                        "\"s\":",
                                        "\"t\":",
                                        "\"ut\":",
                                        "\"x_\":",
                                        "\"ts\":",
                                        "\"data\":",
                                        "268435456",
                                        "-268435456",
                                        "9223372036.854775807",
                                        "18446744073709551616",
                                        "\"2021-03-28T02:30:00\"",
                                        "\"Mon, 02 Jan 2006 15:04:05 CEST\"",
                                        "\xff",
                                        "\xc3\xa9",
                                        " "};

std::string mutate(const std::string& input, const std::vector<std::string>& corpus, Random& rng) {
  std::string out = input;
  int steps = 1 + static_cast<int>(rng.below(4));
  for (int step = 0; step < steps; ++step) {
    std::size_t pos = rng.below(out.size() + 1);
    switch (rng.below(6)) {
      case 0:  // flip a byte
        if (!out.empty()) out[rng.below(out.size())] ^= static_cast<char>(1 + rng.below(255));
        break;
      case 1:  // insert a token
        out.insert(pos, kTokens[rng.below(std::size(kTokens))]);
        break;
      case 2:  // erase a range
        out.erase(pos, rng.below(8));
        break;
      case 3:  // duplicate a range
        if (pos < out.size()) out.insert(pos, out.substr(pos, rng.below(32)));
        break;
      case 4: {  // splice in part of another input
        const std::string& other = corpus[rng.below(corpus.size())];
        std::size_t from = rng.below(other.size() + 1);
        out.insert(pos, other.substr(from, rng.below(64)));
        break;
      }
      default:  // insert a random byte
        out.insert(pos, 1, static_cast<char>(rng.below(256)));
        break;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 0;
  std::uint64_t seed = 0x5eed;
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--mutations" && i + 1 < argc) {
      mutations = std::strtol(argv[++i], nullptr, 10);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg))
        if (entry.is_regular_file()) corpus.push_back(read_file(entry.path()));
    } else if (std::filesystem::is_regular_file(arg)) {
      corpus.push_back(read_file(arg));
    } else {
      std::fprintf(stderr, "usage: %s [--mutations N] [--seed S] <file-or-dir>...\n", argv[0]);
      return 2;
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "no corpus inputs\n");
    return 2;
  }
  for (const auto& input : corpus) run(input);
  Random rng(seed);
  for (long i = 0; i < mutations; ++i) run(mutate(corpus[rng.below(corpus.size())], corpus, rng));
  std::printf("ran %zu corpus inputs and %ld mutations\n", corpus.size(), mutations);
  return 0;
}
