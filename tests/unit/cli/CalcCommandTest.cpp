// `duegate calc`: the subcommands' JSON for the worked examples of LEGAL.md, and exit status 2 with
// a clear message for bad input.
#include "gateway/cli/commands/Commands.h"

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace duegate::cli;

namespace {

struct Run {
    int status = 0;
    std::string out;
    std::string error;  // UsageError message, empty when none
};

Run calc(const std::vector<std::string>& words) {
    std::istringstream in;
    std::ostringstream out, err;
    Io io{in, out, err};
    Run r;
    try {
        r.status = runCalc(Args(words), io);
    } catch (const UsageError& e) {
        r.status = 2;
        r.error = e.message;
    }
    r.out = out.str();
    return r;
}

bool has(const Run& r, const std::string& needle) { return r.out.find(needle) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(calc_command)

BOOST_AUTO_TEST_CASE(damages_for_each_regime) {
    // €450 Belgian consumer: 30 + 10 % × 300 = 60.00.
    auto r = calc({"damages", "--regime", "be-b2c", "--principal", "450.00"});
    BOOST_TEST(r.status == 0);
    BOOST_TEST(has(r, "\"amount\": \"60.00\""), r.out);
    BOOST_TEST(has(r, "Art. XIX.4"));
    BOOST_TEST(has(calc({"damages", "--regime", "be-b2b", "--principal", "450.00"}), "\"amount\": \"40.00\""));
    // nl-b2c is the BIK: 15 % × 1,000 = 150 + 21 % VAT = 181.50.
    auto nl = calc({"damages", "--regime", "nl-b2c", "--principal", "1000.00", "--vat", "21"});
    BOOST_TEST(has(nl, "\"amount\": \"181.50\""), nl.out);
    BOOST_TEST(has(calc({"damages", "--regime", "nl-b2b", "--principal", "1000.00"}), "\"amount\": \"40.00\""));
}

BOOST_AUTO_TEST_CASE(interest_prints_the_periods) {
    // 1 Jul..30 Sep 2025 = 92 days at 10.5 %: 100000 × 1050 × 92 / 3650000 = 2646.58 -> 26.47.
    auto r = calc({"interest", "--regime", "be-b2b", "--principal", "1000.00", "--due", "2025-06-30", "--on",
                   "2025-09-30"});
    BOOST_TEST(r.status == 0, r.error);
    BOOST_TEST(has(r, "\"interest\": \"26.47\""), r.out);
    BOOST_TEST(has(r, "\"days\": 92"));
    BOOST_TEST(has(r, "\"rate_percent\": \"10.50\""));
    BOOST_TEST(has(r, "Art. 5 Law of 2 August 2002"));
    // No rate known is an error naming the date and the table.
    auto none = calc({"interest", "--regime", "nl-b2c", "--principal", "1000.00", "--due", "2025-12-01", "--on",
                      "2026-03-01"});
    BOOST_TEST(none.status == 2);
    BOOST_TEST(none.error.find("no rate known for 2026-01-01 in table nl-statutory") != std::string::npos, none.error);
    // be-b2c needs the end of the reminder term.
    BOOST_TEST(calc({"interest", "--regime", "be-b2c", "--principal", "1000.00", "--due", "2025-06-30", "--on",
                     "2025-09-30"}).status == 2);
    auto b2c = calc({"interest", "--regime", "be-b2c", "--principal", "1000.00", "--due", "2025-06-30", "--on",
                     "2025-07-30", "--charges-from", "2025-07-01"});
    BOOST_TEST(has(b2c, "\"interest\": \"8.63\""), b2c.out);  // LEGAL.md: 1,000 × 10.5 % × 30/365
}

BOOST_AUTO_TEST_CASE(interest_reads_an_updated_rate_file) {
    auto r = calc({"interest", "--regime", "nl-b2c", "--principal", "1000.00", "--due", "2025-12-31", "--on",
                   "2026-01-30", "--rates", std::string(DUEGATE_SOURCE_DIR) + "/config/rates/interest_rates.ini"});
    BOOST_TEST(r.status == 2);  // the shipped file has no 2026 statutory rate either
    BOOST_TEST(calc({"interest", "--regime", "be-b2b", "--principal", "1.00", "--due", "2025-06-30", "--on",
                     "2025-07-30", "--rates", "/nonexistent/rates.ini"}).status == 2);
}

BOOST_AUTO_TEST_CASE(terms_follow_the_worked_examples) {
    auto post = calc({"term", "--regime", "be-b2c", "--sent", "2025-12-05", "--medium", "post"});
    BOOST_TEST(has(post, "\"first_day\": \"2025-12-10\""), post.out);
    BOOST_TEST(has(post, "\"last_day\": \"2025-12-23\""));
    BOOST_TEST(has(post, "\"charges_from\": \"2025-12-24\""));
    BOOST_TEST(has(post, "Art. 53bis"));
    auto mail = calc({"term", "--regime", "be-b2c", "--sent", "2025-12-05", "--medium", "email"});
    BOOST_TEST(has(mail, "\"first_day\": \"2025-12-06\""));
    BOOST_TEST(has(mail, "\"last_day\": \"2025-12-19\""));
    BOOST_TEST(has(mail, "\"charges_from\": \"2025-12-20\""));
    auto nl = calc({"term", "--regime", "nl-b2c", "--sent", "2025-11-28", "--medium", "post", "--received",
                    "2025-12-01"});
    BOOST_TEST(has(nl, "\"first_day\": \"2025-12-02\""), nl.out);
    BOOST_TEST(has(nl, "\"last_day\": \"2025-12-15\""));
    BOOST_TEST(has(nl, "\"received_assumed\": false"));
    BOOST_TEST(calc({"term", "--regime", "be-b2b", "--sent", "2025-12-05", "--medium", "post"}).status == 2);
    BOOST_TEST(calc({"term", "--regime", "be-b2c", "--sent", "2025-12-05", "--medium", "pigeon"}).status == 2);
}

BOOST_AUTO_TEST_CASE(bik_and_references) {
    BOOST_TEST(has(calc({"bik", "--principal", "2500.00"}), "\"total\": \"375.00\""));
    BOOST_TEST(has(calc({"bik", "--principal", "267.00"}), "\"scale\": \"40.05\""));
    BOOST_TEST(has(calc({"ogm", "--base", "1234567890"}), "\"ogm\": \"+++123/4567/89002+++\""));
    BOOST_TEST(calc({"ogm", "--base", "123"}).status == 2);
    auto ok = calc({"ogm", "--check", "+++202/5000/12390+++"});
    BOOST_TEST(ok.status == 0);
    BOOST_TEST(has(ok, "\"valid\": true"));
    auto bad = calc({"ogm", "--check", "+++202/5000/12391+++"});
    BOOST_TEST(bad.status == 2);
    BOOST_TEST(has(bad, "\"valid\": false"));
    BOOST_TEST(has(calc({"rf", "--reference", "DUN2025000123"}), "\"rf\": \"RF95DUN2025000123\""));
    BOOST_TEST(has(calc({"rf", "--check", "RF71 2348 231"}), "\"valid\": true"));
}

BOOST_AUTO_TEST_CASE(epc_qr_payload_a_and_raw_output) {
    auto r = calc({"epc-qr", "--name", "Voorbeeld BV", "--iban", "BE68539007547034", "--amount", "123.45",
                   "--reference", "RF95DUN2025000123"});
    BOOST_TEST(r.status == 0, r.error);
    BOOST_TEST(has(r, "\"payload\": \"BCD\\n002\\n1\\nSCT\\n\\nVoorbeeld BV\\nBE68539007547034\\nEUR123.45\\n\\n"
                      "RF95DUN2025000123\""),
               r.out);
    BOOST_TEST(has(r, "\"bytes\": 73"));
    auto raw = calc({"epc-qr", "--name", "Voorbeeld BV", "--iban", "BE68539007547034", "--amount", "123.45",
                     "--reference", "+++202/5000/12390+++", "--raw"});
    BOOST_TEST(raw.out == "BCD\n002\n1\nSCT\n\nVoorbeeld BV\nBE68539007547034\nEUR123.45\n\n\n+++202/5000/12390+++");
    auto both = calc({"epc-qr", "--name", "X", "--iban", "BE68539007547034", "--amount", "1.00", "--reference",
                      "RF95DUN2025000123", "--text", "hello"});
    BOOST_TEST(both.status == 2);
}

BOOST_AUTO_TEST_CASE(calendars) {
    auto h = calc({"holidays", "--country", "be", "--year", "2025"});
    BOOST_TEST(has(h, "\"date\": \"2025-04-21\""), h.out);
    BOOST_TEST(has(h, "Easter Monday"));
    auto w = calc({"workdays", "--country", "be", "--from", "2025-12-05", "--add", "3"});
    BOOST_TEST(has(w, "\"result\": \"2025-12-10\""), w.out);
    auto xmas = calc({"workdays", "--country", "be", "--from", "2025-12-24", "--add", "1"});
    BOOST_TEST(has(xmas, "\"result\": \"2025-12-26\""));
    BOOST_TEST(has(xmas, "\"2025-12-25\""));
}

BOOST_AUTO_TEST_CASE(bad_usage_exits_two_with_a_message) {
    BOOST_TEST(calc({}).status == 2);
    BOOST_TEST(calc({"frobnicate"}).status == 2);
    auto typo = calc({"damages", "--regime", "be-b2c", "--principle", "450.00"});
    BOOST_TEST(typo.status == 2);
    BOOST_TEST(typo.error.find("--principle") != std::string::npos, typo.error);
    auto money = calc({"damages", "--regime", "be-b2c", "--principal", "450,00"});
    BOOST_TEST(money.error.find("EUR amount") != std::string::npos, money.error);
    BOOST_TEST(calc({"damages", "--regime", "fr-b2c", "--principal", "1.00"}).status == 2);
    BOOST_TEST(calc({"damages", "--regime", "be-b2c", "--principal", "-1.00"}).status == 2);
    BOOST_TEST(calc({"interest", "--regime", "be-b2b", "--principal", "1.00", "--due", "2025-13-01", "--on",
                     "2025-12-01"}).status == 2);
}

BOOST_AUTO_TEST_SUITE_END()
