// ParseAhead: the statement parser on a thread of its own hands over every entry's lines and every
// statement end in order, returns the parser's result, and stops cleanly when the consumer throws.
#include "gateway/services/payments/ParseAhead.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

namespace bank = duegate::parsers::bank;
namespace sp = duegate::store::payments;
using duegate::parsers::Error;
using duegate::services::payments::AheadCallbacks;
using duegate::services::payments::parseAhead;

namespace {

// A fake parser: `statements` statements of `entries` entries each; entry n's amount is n. Fails
// with a located error after `failAfter` entries, or throws after `throwAfter`.
struct FakeParse {
    int statements = 3, entries = 1000;
    int failAfter = -1, throwAfter = -1;
    std::atomic<int>* produced = nullptr;

    std::optional<Error> operator()(const bank::StatementCallbacks& cb) const {
        int n = 0;
        for (int s = 0; s < statements; ++s) {
            bank::Statement st;
            st.number = std::to_string(s);
            st.account.iban = "BE62539007540061";
            for (int e = 0; e < entries; ++e, ++n) {
                if (n == failAfter) return Error{"entry", "broken at " + std::to_string(n), 0, Error::npos, ""};
                if (n == throwAfter) throw std::runtime_error("parser broke");
                bank::Entry entry;
                entry.amount = n;
                entry.booked = n % 7 != 0;  // some entries make no line
                if (produced) ++*produced;
                cb.onEntry(st, std::move(entry));
            }
            cb.onStatement(std::move(st));
        }
        return std::nullopt;
    }
};

struct Seen {
    std::vector<std::string> log;  // "S<number>" at a statement end, "L<amount>" per line, "E" per entry
    AheadCallbacks callbacks(bool throwAtSecondStatement = false) {
        AheadCallbacks cb;
        cb.prepare = [](const bank::Statement&, const bank::Entry& e, std::vector<sp::LineRecord>& out) {
            if (!e.booked) return;
            sp::LineRecord l;
            l.amountMinor = e.amount;
            out.push_back(l);
        };
        cb.onLines = [this, throwAtSecondStatement](const bank::Statement& h, std::vector<sp::LineRecord>&& lines) {
            if (throwAtSecondStatement && h.number == "1") throw std::runtime_error("account unknown");
            log.push_back("E");
            for (const auto& l : lines) log.push_back("L" + std::to_string(l.amountMinor));
        };
        cb.onStatement = [this](bank::Statement&& s) { log.push_back("S" + s.number); };
        return cb;
    }
};

std::vector<std::string> expected(int statements, int entries, int upTo = -1) {
    std::vector<std::string> out;
    int n = 0;
    for (int s = 0; s < statements; ++s) {
        for (int e = 0; e < entries; ++e, ++n) {
            if (n == upTo) return out;
            out.push_back("E");
            if (n % 7 != 0) out.push_back("L" + std::to_string(n));
        }
        out.push_back("S" + std::to_string(s));
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parse_ahead)

BOOST_AUTO_TEST_CASE(hands_over_every_line_and_statement_end_in_order) {
    Seen seen;
    const auto result = parseAhead(FakeParse{}, seen.callbacks());
    BOOST_TEST(!result.has_value());
    BOOST_TEST(seen.log == expected(3, 1000), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_parse_error_comes_after_everything_before_it) {
    Seen seen;
    FakeParse parse;
    parse.failAfter = 1500;
    const auto result = parseAhead(parse, seen.callbacks());
    BOOST_REQUIRE(result.has_value());
    BOOST_TEST(result->toString().find("broken at 1500") != std::string::npos);
    BOOST_TEST(seen.log == expected(3, 1000, 1500), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_exception_of_the_parser_is_rethrown_here) {
    Seen seen;
    FakeParse parse;
    parse.throwAfter = 10;
    BOOST_CHECK_THROW(parseAhead(parse, seen.callbacks()), std::runtime_error);
    BOOST_TEST(seen.log == expected(3, 1000, 10), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_exception_of_the_consumer_stops_the_parser_early) {
    Seen seen;
    std::atomic<int> produced{0};
    FakeParse parse;
    parse.statements = 100;  // 100,000 entries: the parser must not read them all
    parse.produced = &produced;
    BOOST_CHECK_THROW(parseAhead(parse, seen.callbacks(true)), std::runtime_error);
    BOOST_TEST(seen.log == expected(1, 1000), boost::test_tools::per_element());
    BOOST_TEST(produced.load() < 10000);  // stopped within a few chunks of the failure
}

BOOST_AUTO_TEST_SUITE_END()
