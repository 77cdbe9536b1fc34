// Golden files: every fixtures/invoice/<name>.{xml,pdf,csv,xlsx} is sniffed through the format
// registry (as `duegate parse` does) and must print exactly <name>.json.
// DUEGATE_UPDATE_GOLDEN=1 rewrites the .json files instead of comparing.
#include "parsers/common/FormatRegistry.h"
#include "parsers/invoice/InvoiceFormats.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
using namespace duegate::parsers;

namespace {
std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_invoice_fixture_is_sniffed_right_and_matches_its_golden_json) {
    FormatRegistry registry;
    registerInvoiceFormats(registry);
    const std::map<std::string, std::string> formatOf = {{".xml", "ubl"}, {".pdf", "pdf"}, {".csv", "csv"}, {".xlsx", "xlsx"}};
    const fs::path dir = fs::path(DUEGATE_SOURCE_DIR) / "fixtures" / "invoice";
    const bool update = std::getenv("DUEGATE_UPDATE_GOLDEN") != nullptr;
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        const auto it = formatOf.find(e.path().extension().string());
        if (it == formatOf.end()) continue;
        const std::string bytes = slurp(e.path());
        const Format* f = registry.sniff(bytes);
        BOOST_TEST_REQUIRE(f != nullptr, e.path().filename() << " not sniffed");
        BOOST_TEST(f->name == it->second, e.path().filename());
        auto json = f->toJson(bytes);
        BOOST_TEST_REQUIRE(json.ok(), e.path().filename() << ": " << (json.ok() ? "" : json.error().toString()));
        fs::path golden = e.path();
        golden.replace_extension(".json");
        if (update) {
            std::ofstream(golden, std::ios::binary) << *json << "\n";
        } else {
            BOOST_TEST_REQUIRE(fs::exists(golden), golden << " missing (run with DUEGATE_UPDATE_GOLDEN=1)");
            BOOST_TEST(*json + "\n" == slurp(golden), e.path().filename() << " differs from its golden file");
        }
        ++n;
    }
    BOOST_TEST(n >= 8);
}
