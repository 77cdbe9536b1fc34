// Golden files: every fixtures/bank/<name>.<ext> is read through the format registry (sniffed by
// content, as `duegate parse` does) and its canonical JSON compared with <name>.json; every
// fixtures/bank/bad/<name>.<ext> must be rejected with exactly the one-line error in <name>.error.
// DUEGATE_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.
#include "parsers/bank/BankFormats.h"
#include "parsers/common/FormatRegistry.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace duegate::parsers;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

bool updating() {
    const char* v = std::getenv("DUEGATE_UPDATE_GOLDEN");
    return v && std::string(v) == "1";
}

std::vector<fs::path> inputs(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const auto ext = e.path().extension().string();
        if (e.is_regular_file() && ext != ".json" && ext != ".error") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// First differing line, so a failure says where to look.
std::string firstDifference(const std::string& want, const std::string& got) {
    std::istringstream a(want), b(got);
    std::string la, lb;
    for (int n = 1;; ++n) {
        const bool ea = !std::getline(a, la), eb = !std::getline(b, lb);
        if (ea && eb) return "identical";
        if (ea || eb || la != lb)
            return "line " + std::to_string(n) + ":\n  expected: " + (ea ? "<end>" : la) + "\n  actual:   " + (eb ? "<end>" : lb);
    }
}

const FormatRegistry& registry() {
    static const FormatRegistry r = [] {
        FormatRegistry x;
        registerBankFormats(x);
        return x;
    }();
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(golden)

BOOST_AUTO_TEST_CASE(every_fixture_parses_to_its_expected_canonical_json) {
    const fs::path dir = fs::path(DUEGATE_SOURCE_DIR) / "fixtures" / "bank";
    int n = 0;
    for (const auto& input : inputs(dir)) {
        BOOST_TEST_CONTEXT(input.filename().string()) {
            const std::string bytes = slurp(input);
            const Format* f = registry().sniff(bytes);
            BOOST_REQUIRE_MESSAGE(f, "not sniffed as a bank format");
            auto json = f->toJson(bytes);
            BOOST_REQUIRE_MESSAGE(json.ok(), (json.ok() ? std::string() : json.error().toString()));
            fs::path expected = input;
            expected.replace_extension(".json");
            if (updating()) {
                spit(expected, *json + "\n");
            } else {
                BOOST_REQUIRE_MESSAGE(fs::exists(expected), "missing " + expected.string() + " (run with DUEGATE_UPDATE_GOLDEN=1)");
                const std::string want = slurp(expected);
                BOOST_TEST(want == *json + "\n", "golden mismatch for " << input.filename() << " at " << firstDifference(want, *json + "\n"));
            }
            ++n;
        }
    }
    BOOST_TEST(n >= 7);
}

BOOST_AUTO_TEST_CASE(every_bad_fixture_is_rejected_with_its_expected_located_error) {
    const fs::path dir = fs::path(DUEGATE_SOURCE_DIR) / "fixtures" / "bank" / "bad";
    int n = 0;
    for (const auto& input : inputs(dir)) {
        BOOST_TEST_CONTEXT(input.filename().string()) {
            const std::string bytes = slurp(input);
            const Format* f = registry().sniff(bytes);
            BOOST_REQUIRE_MESSAGE(f, "not sniffed as a bank format");
            auto json = f->toJson(bytes);
            BOOST_REQUIRE_MESSAGE(!json.ok(), "accepted, but must be rejected");
            const auto& e = json.error();
            BOOST_TEST((e.line > 0 || e.offset != Error::npos), "error is not located: " << e.toString());
            BOOST_TEST(!e.field.empty(), "error names no field: " << e.toString());
            fs::path expected = input;
            expected.replace_extension(".error");
            const std::string got = f->name + ": " + e.toString() + "\n";
            if (updating()) spit(expected, got);
            else BOOST_TEST(slurp(expected) == got);
            ++n;
        }
    }
    BOOST_TEST(n >= 10);
}

BOOST_AUTO_TEST_SUITE_END()
