// Issue 9 item 8: the PostgreSQL COPY path of the statement import (store/PgCopy.h) and the keys
// of a statement's lines (store/PaymentBatchRepository.h): what COPY writes reads back as the
// multi-row INSERT wrote it, a COPY not waited for still aborts the transaction when it fails, and
// "a new file's lines" (StoredKeys::Unlikely) refuses a stored key instead of adding it twice.
#include "store/PaymentBatchRepository.h"
#include "store/PgCopy.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

using namespace duegate;
using namespace duegate::store;
using duegate::testing::forEachBackend;
using duegate::testing::TestStore;

namespace {

const std::string kNow = "2026-01-05T10:00:00.000000Z";

std::int64_t addStatement(Tx& tx, const std::string& key) {
    payments::StatementRecord s;
    s.accountOwner = "agency";
    s.accountIban = "BE62539007540061";
    s.currency = "EUR";
    s.statementKey = key;
    s.kind = "statement";
    s.format = "camt";
    s.fileSha256 = "sha";
    return payments::insertStatement(tx, s, kNow).id;
}

payments::LineRecord line(std::int64_t statementId, const std::string& key, std::int64_t amount) {
    payments::LineRecord l;
    l.statementId = statementId;
    l.accountOwner = "agency";
    l.accountIban = "BE62539007540061";
    l.lineKey = key;
    l.bookingDate = "2026-01-05";
    l.amountMinor = amount;
    l.currency = "EUR";
    l.counterpartyName = "Tab\there, back\\slash, new\nline";
    l.remittance = "";  // stored as NULL, as the multi-row INSERT stores it
    return l;
}

std::int64_t count(TestStore& s, const std::string& sql) {
    return s.db->transaction([&](Tx& tx) { return tx.queryOne(sql)->integer(0); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pg_copy)

BOOST_AUTO_TEST_CASE(lines_are_stored_once_by_key_with_their_text_as_given) {
    forEachBackend([](TestStore& s) {
        const auto first = s.db->transaction([&](Tx& tx) {
            const auto st = addStatement(tx, "S-1");
            // The same key twice in one batch: the first line is kept, as ON CONFLICT DO NOTHING keeps it.
            return payments::insertLinesReturning(
                tx, {line(st, "ref:1", 100), line(st, "ref:2", 200), line(st, "ref:1", 999)}, kNow,
                payments::StoredKeys::Unlikely);
        });
        BOOST_TEST(first.size() == 2u);
        BOOST_TEST(first[0].first == 0u);
        BOOST_TEST(first[1].first == 1u);
        BOOST_TEST(first[0].second < first[1].second);  // ids ascending in input order
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM statement_lines") == 2);
        BOOST_TEST(count(s, "SELECT amount_minor FROM statement_lines WHERE line_key = 'ref:1'") == 100);
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM statement_lines WHERE remittance IS NULL") == 2);
        s.db->transaction([&](Tx& tx) {
            BOOST_TEST(tx.queryOne("SELECT counterparty_name FROM statement_lines WHERE line_key = 'ref:2'")->text(0) ==
                       "Tab\there, back\\slash, new\nline");
        });

        // Skip: stored keys are left alone, the new one is added.
        const auto second = s.db->transaction([&](Tx& tx) {
            const auto st = addStatement(tx, "S-2");
            return payments::insertLinesReturning(tx, {line(st, "ref:2", 200), line(st, "ref:3", 300)}, kNow);
        });
        BOOST_TEST(second.size() == 1u);
        BOOST_TEST(second[0].first == 1u);
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM statement_lines") == 3);
    });
}

BOOST_AUTO_TEST_CASE(a_stored_key_refuses_a_new_files_lines_and_rolls_everything_back) {
    forEachBackend([](TestStore& s) {
        s.db->transaction([&](Tx& tx) {
            payments::insertLinesReturning(tx, {line(addStatement(tx, "S-1"), "ref:1", 100)}, kNow);
        });
        bool refused = false;
        try {
            s.db->transaction([&](Tx& tx) {
                const auto st = addStatement(tx, "S-2");
                payments::insertLinesReturning(tx, {line(st, "ref:9", 900), line(st, "ref:1", 100)}, kNow,
                                               payments::StoredKeys::Unlikely);
                // PostgreSQL: the COPY's error comes with the next statement.
                tx.queryOne("SELECT 1");
            });
        } catch (const payments::LineKeyTaken&) {
            refused = true;
        }
        BOOST_TEST(refused);
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM statement_lines") == 1);
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM statements") == 1);
    });
}

// 0023: a line reserved first is written once, with its state; reserving writes nothing and hands
// out ids that do not collide over chunks.
BOOST_AUTO_TEST_CASE(a_reserved_line_is_written_once_with_its_state) {
    forEachBackend([](TestStore& s) {
        s.db->transaction([&](Tx& tx) {
            payments::insertLinesReturning(tx, {line(addStatement(tx, "S-1"), "ref:1", 100)}, kNow);
        });
        s.db->transaction([&](Tx& tx) {
            const auto st = addStatement(tx, "S-2");
            std::vector<payments::LineRecord> lines;
            for (int i = 0; i < 2500; ++i) lines.push_back(line(st, "ref:" + std::to_string(i), 100 + i));
            const auto reserved = payments::reserveLines(tx, lines);  // ref:1 is stored: skipped
            BOOST_TEST(reserved.size() == 2499u);
            BOOST_TEST(tx.queryOne("SELECT COUNT(*) FROM statement_lines")->integer(0) == 1);
            std::vector<payments::LineRecord> fresh;
            fresh.reserve(reserved.size());
            for (std::size_t n = 0; n < reserved.size(); ++n) {
                if (n) BOOST_TEST(reserved[n].second > reserved[n - 1].second);
                fresh.push_back(lines[reserved[n].first]);
                fresh.back().id = reserved[n].second;
            }
            std::vector<payments::LineWithState> rows;
            for (const auto& l : fresh)
                rows.push_back({&l, payments::LineState{l.id, l.amountMinor % 2 ? "unmatched" : "suggested", "rule_x",
                                                        "why", l.amountMinor % 2 ? "" : "[]", 0}});
            payments::insertReservedLines(tx, rows, kNow);
        });
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM statement_lines") == 2500);
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM statement_lines WHERE state = 'new'") == 1);
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM statement_lines WHERE state = 'suggested' AND suggestions = '[]' "
                            "AND rule = 'rule_x'") == 1250);
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM statement_lines WHERE state = 'unmatched' AND suggestions IS NULL") ==
                   1249);
        s.db->transaction([&](Tx& tx) {
            const auto st = payments::state(tx, payments::newLines(tx, "agency", 10).at(0).id);
            BOOST_TEST(st.has_value());
            BOOST_TEST(st->state == "new");
        });
    });
}

BOOST_AUTO_TEST_CASE(a_copy_not_waited_for_that_fails_aborts_the_transaction) {
    forEachBackend([](TestStore& s) {
        if (s.backend != "postgresql") return;
        bool failed = false;
        try {
            s.db->transaction([&](Tx& tx) {
                pgcopy::Rows rows;
                rows.text("x").text("not a number");
                rows.endRow();
                pgcopy::copyIn(tx, "COPY counters (name, value) FROM STDIN", rows, pgcopy::Wait::Later);
                tx.exec("INSERT INTO counters (name, value) VALUES ('after', 1)");  // reads the COPY's error first
            });
        } catch (const StoreError&) {
            failed = true;
        }
        BOOST_TEST(failed);
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM counters WHERE name IN ('x', 'after')") == 0);
        // The connection is usable again.
        s.db->transaction([&](Tx& tx) { tx.exec("INSERT INTO counters (name, value) VALUES ('later', 1)"); });
        BOOST_TEST(count(s, "SELECT COUNT(*) FROM counters WHERE name = 'later'") == 1);
    });
}

BOOST_AUTO_TEST_SUITE_END()
