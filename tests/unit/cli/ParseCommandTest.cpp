// `duegate parse`: statement files are streamed (same JSON as the whole-buffer parse, nothing on
// standard output when the file is bad), other formats are read whole; bad input exits 2.
#include "gateway/cli/commands/Commands.h"
#include "parsers/bank/CodaParser.h"
#include "parsers/bank/StatementJson.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace duegate::cli;
using namespace duegate::parsers;

namespace {

struct Run {
    int status = 0;
    std::string out, err;
};

Run parse(const std::vector<std::string>& words) {
    std::istringstream in;
    std::ostringstream out, err;
    Io io{in, out, err};
    Run r;
    try {
        r.status = runParse(Args(words), io);
    } catch (const UsageError& e) {
        r.status = 2;
        r.err = e.message;
    }
    r.out = out.str();
    r.err += err.str();
    return r;
}

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A temporary file removed at the end of the test.
struct TempFile {
    fs::path path;
    explicit TempFile(const std::string& bytes)
        : path(fs::temp_directory_path() / ("duegate-parse-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++))) {
        std::ofstream(path, std::ios::binary) << bytes;
    }
    ~TempFile() { fs::remove(path); }
    static int& counter() { static int n = 0; return n; }
};

// The fixture's 0..9 group repeated until the file is larger than the 1 MiB the CLI sniffs on, so
// the streamed read crosses buffer refills.
std::string largeCoda() {
    const std::string group = read(fs::path(DUEGATE_SOURCE_DIR) / "fixtures" / "bank" / "coda_v2_structured_globalised.cod");
    std::string all;
    while (all.size() < (3u << 19)) all += group;
    return all;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parse_command)

BOOST_AUTO_TEST_CASE(a_large_statement_file_is_streamed_to_the_same_json) {
    const std::string bytes = largeCoda();
    const TempFile f(bytes);
    const Run r = parse({f.path.string()});
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
    const auto whole = bank::parseCoda(bytes);
    BOOST_REQUIRE(whole.ok());
    BOOST_TEST(r.out == bank::statementFileToJson(*whole) + "\n");
    BOOST_TEST(parse({f.path.string(), "--format", "coda"}).out == r.out);
}

BOOST_AUTO_TEST_CASE(a_bad_large_statement_file_prints_nothing_and_exits_2) {
    std::string bytes = largeCoda();
    // The last statement's new balance (record 8) no longer matches its movements.
    const auto p = bytes.rfind("\n8");
    BOOST_REQUIRE(p != std::string::npos);
    bytes[p + 50] = bytes[p + 50] == '9' ? '8' : '9';
    const TempFile f(bytes);
    const Run r = parse({f.path.string()});
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(r.err.find("coda: line ") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("record 8") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(other_formats_and_unknown_input_are_read_whole) {
    const TempFile csv(read(fs::path(DUEGATE_SOURCE_DIR) / "fixtures" / "invoice" / "bulk_sample.csv"));
    const Run ok = parse({csv.path.string()});
    BOOST_TEST(ok.status == 0, ok.err);
    BOOST_TEST(ok.out.find("\"rows\"") != std::string::npos);

    const TempFile junk(std::string(3u << 19, 'x'));
    const Run bad = parse({junk.path.string()});
    BOOST_TEST(bad.status == 2);
    BOOST_TEST(bad.out.empty());
    BOOST_TEST(bad.err.find("byte 0: field format: not a recognised format") != std::string::npos, bad.err);
}

BOOST_AUTO_TEST_SUITE_END()
