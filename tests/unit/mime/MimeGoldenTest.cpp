// Golden files: fixtures/mime/<name>.eml -> exactly fixtures/mime/<name>.json (toJson output).
// DUEGATE_UPDATE_GOLDEN=1 rewrites the .json files instead of comparing.
#include "parsers/mime/MimeJson.h"
#include "parsers/mime/MimeMessage.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace duegate::parsers::mime;

namespace {
std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_mime_fixture_matches_its_golden_json) {
    const fs::path dir = fs::path(DUEGATE_SOURCE_DIR) / "fixtures" / "mime";
    const bool update = std::getenv("DUEGATE_UPDATE_GOLDEN") != nullptr;
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() != ".eml") continue;
        auto r = parseMime(slurp(e.path()));
        BOOST_TEST_REQUIRE(r.ok(), e.path().filename() << ": " << (r.ok() ? "" : r.error().toString()));
        const std::string json = toJson(*r) + "\n";
        fs::path golden = e.path();
        golden.replace_extension(".json");
        if (update) {
            std::ofstream(golden, std::ios::binary) << json;
        } else {
            BOOST_TEST_REQUIRE(fs::exists(golden), golden << " missing (run with DUEGATE_UPDATE_GOLDEN=1)");
            BOOST_TEST(json == slurp(golden), e.path().filename() << " differs from its golden file");
        }
        ++n;
    }
    BOOST_TEST(n >= 6);
}
