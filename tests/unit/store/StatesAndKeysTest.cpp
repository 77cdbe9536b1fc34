// Issue 13: dossier status changes through the one guarded repository function, dossier numbers
// from a sequence that never waits for another transaction, and the tenant keys on PostgreSQL.
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/Migrations.h"
#include "store/TenantKeys.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>

using namespace duegate;
using namespace duegate::store;
using duegate::testing::forEachBackend;
using duegate::testing::TestStore;

namespace {

const std::string kNow = "2026-01-05T10:00:00.000000Z";

std::int64_t addCreditor(Tx& tx, const std::string& name) {
    CreditorRecord c;
    c.name = name;
    c.intakeAddress = "in@" + name + ".example";
    c.email = "books@" + name + ".example";
    return creditors::insert(tx, c, "hash-" + name, kNow);
}

std::int64_t addDossier(Tx& tx, std::int64_t creditorId, const std::string& reference, const std::string& status) {
    DebtorRecord d;
    d.creditorId = creditorId;
    d.matchKey = "email:debtor@" + reference;
    d.name = "Debtor " + reference;
    const auto debtorId = dossiers::upsertDebtor(tx, d, kNow);
    DossierRecord dos{0, creditorId, debtorId, reference, status, "EUR", 12345, std::nullopt, kNow, kNow};
    return dossiers::insertDossier(tx, dos);
}

std::string statusOf(TestStore& s, std::int64_t id) {
    return s.db->transaction([&](Tx& tx) { return dossiers::dossier(tx, std::nullopt, id)->status; });
}

bool isPostgres(const TestStore& s) { return s.backend == "postgresql"; }

}  // namespace

BOOST_AUTO_TEST_SUITE(states_and_keys)

BOOST_AUTO_TEST_CASE(a_dossier_moves_only_along_the_transition_table) {
    forEachBackend([](TestStore& s) {
        const auto id = s.db->transaction([](Tx& tx) { return addDossier(tx, addCreditor(tx, "acme"), "D1", "active"); });
        // Not in the table: draft is where dossiers start, never where they go back to.
        BOOST_CHECK_THROW(s.db->transaction([&](Tx& tx) { dossiers::transition(tx, id, "active", "draft", kNow); }),
                          std::logic_error);
        BOOST_CHECK_THROW(s.db->transaction([&](Tx& tx) { dossiers::transition(tx, id, "active", "nonsense", kNow); }),
                          std::logic_error);
        BOOST_TEST(statusOf(s, id) == "active");
        s.db->transaction([&](Tx& tx) { dossiers::transition(tx, id, "active", "paid", kNow, {0, 12345}); });
        s.db->transaction([&](Tx& tx) {
            auto d = dossiers::dossier(tx, std::nullopt, id);
            BOOST_TEST(d->status == "paid");
            BOOST_TEST(d->openMinor == 0);
            BOOST_TEST(d->paidMinor == 12345);
        });
        // from == to: the amounts change, the status stays (still fenced by it).
        s.db->transaction([&](Tx& tx) { dossiers::transition(tx, id, "paid", "paid", kNow, {0, 12000}); });
        BOOST_TEST(s.db->transaction([&](Tx& tx) { return dossiers::dossier(tx, std::nullopt, id)->paidMinor; }) == 12000);
    });
}

BOOST_AUTO_TEST_CASE(a_status_changed_by_another_transaction_is_detected_not_overwritten) {
    forEachBackend([](TestStore& s) {
        const auto id = s.db->transaction([](Tx& tx) { return addDossier(tx, addCreditor(tx, "acme"), "D1", "active"); });
        // A service read 'active'; meanwhile another transaction marked the dossier paid.
        const auto seen = statusOf(s, id);
        s.db->transaction([&](Tx& tx) { dossiers::transition(tx, id, "active", "paid", kNow, {0, 12345}); });
        // The service's legal move (active -> promised) finds no row in 'active': StaleState, and
        // its transaction rolls back (the event it wrote first is gone too).
        BOOST_CHECK_THROW(s.db->transaction([&](Tx& tx) {
            events::append(tx, EventRecord{0, dossiers::dossier(tx, std::nullopt, id)->creditorId, id, kNow,
                                           "promise_recorded", std::nullopt, "promise", std::nullopt});
            dossiers::transition(tx, id, seen, "promised", kNow);
        }),
                          StaleState);
        BOOST_TEST(statusOf(s, id) == "paid");
        BOOST_TEST(s.db->transaction([&](Tx& tx) { return events::forDossier(tx, std::nullopt, id).size(); }) == 0u);
        // An unknown dossier is no row either.
        BOOST_CHECK_THROW(s.db->transaction([&](Tx& tx) { dossiers::transition(tx, id + 1000, "active", "paid", kNow); }),
                          StaleState);
    });
}

BOOST_AUTO_TEST_CASE(two_transactions_racing_on_one_dossier_move_it_once) {
    forEachBackend([](TestStore& s) {
        if (!isPostgres(s)) return;  // SQLite has one writer: no race to lose
        const auto id = s.db->transaction([](Tx& tx) { return addDossier(tx, addCreditor(tx, "acme"), "D1", "active"); });
        std::promise<void> moved;
        std::promise<void> release;
        auto first = std::async(std::launch::async, [&] {
            s.db->transaction([&](Tx& tx) {
                dossiers::transition(tx, id, "active", "disputed", kNow);
                moved.set_value();
                release.get_future().wait();
            });
        });
        moved.get_future().wait();
        // The second waits for the first's row lock, then finds 'disputed', not 'active'.
        auto second = std::async(std::launch::async, [&] {
            s.db->transaction([&](Tx& tx) { dossiers::transition(tx, id, "active", "promised", kNow); });
        });
        BOOST_TEST((second.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout));
        release.set_value();
        first.get();
        BOOST_CHECK_THROW(second.get(), StaleState);
        BOOST_TEST(statusOf(s, id) == "disputed");
    });
}

BOOST_AUTO_TEST_CASE(dossier_numbers_are_distinct_and_never_wait_for_another_transaction) {
    forEachBackend([](TestStore& s) {
        const auto first = s.db->transaction([](Tx& tx) { return dossiers::nextDossierNumber(tx); });
        BOOST_TEST(first == 1);  // a fresh store starts at 1: D<year>-000001
        BOOST_TEST(s.db->transaction([](Tx& tx) { return dossiers::nextPaymentNumber(tx); }) == 1);
        if (!isPostgres(s)) {
            BOOST_TEST(s.db->transaction([](Tx& tx) { return dossiers::nextDossierNumber(tx); }) == 2);
            return;
        }
        // PostgreSQL: a transaction holds its number (and stays open); another transaction takes
        // the next one at once instead of waiting for the first to commit.
        std::promise<std::int64_t> taken;
        std::promise<void> release;
        auto holder = std::async(std::launch::async, [&] {
            s.db->transaction([&](Tx& tx) {
                taken.set_value(dossiers::nextDossierNumber(tx));
                release.get_future().wait();
                throw std::runtime_error("rolled back on purpose");  // a failed apply: its number is a gap
            });
        });
        const auto held = taken.get_future().get();
        auto other = std::async(std::launch::async,
                                [&] { return s.db->transaction([](Tx& tx) { return dossiers::nextDossierNumber(tx); }); });
        const bool quick = other.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
        BOOST_TEST(quick, "a second apply waited for the first one's transaction");
        release.set_value();
        BOOST_CHECK_THROW(holder.get(), std::runtime_error);
        const auto next = other.get();
        BOOST_TEST(held != next);
        // Never handed out again, not even the rolled-back one.
        const auto after = s.db->transaction([](Tx& tx) { return dossiers::nextDossierNumber(tx); });
        BOOST_TEST((after != held && after != next && after > 1));
    });
}

BOOST_AUTO_TEST_CASE(numbers_continue_after_the_counters_an_older_store_used) {
    forEachBackend([](TestStore& s) {
        // An older store numbered with per-year counters; migration 0019 starts after the largest.
        s.db->transaction([](Tx& tx) {
            tx.exec("DELETE FROM schema_migrations WHERE name LIKE '0019%'");
            tx.exec("DELETE FROM counters");
            tx.exec("INSERT INTO counters (name, value) VALUES ('dossier_reference:2025', 41), "
                    "('dossier_reference:2026', 7), ('payment_reference', 48)");
            if (tx.dialect() == Dialect::PostgreSQL)
            {
                tx.exec("DROP SEQUENCE dossier_number_seq");
                tx.exec("DROP SEQUENCE payment_reference_seq");
            }
        });
        migrate(*s.db);
        BOOST_TEST(s.db->transaction([](Tx& tx) { return dossiers::nextDossierNumber(tx); }) == 42);
        BOOST_TEST(s.db->transaction([](Tx& tx) { return dossiers::nextPaymentNumber(tx); }) == 49);
    });
}

BOOST_AUTO_TEST_CASE(on_postgresql_every_tenant_key_carries_creditor_id_and_a_later_migration_is_covered) {
    forEachBackend([](TestStore& s) {
        if (!isPostgres(s)) return;
        auto keysWithoutCreditor = [&] {
            return s.db->transaction([](Tx& tx) {
                // Primary keys, UNIQUE constraints and unique indexes of tables with creditor_id NOT
                // NULL, and foreign keys into such tables, that lack creditor_id.
                return tx.queryOne(
                             "SELECT COUNT(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                             "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
                             "AND a.attname = 'creditor_id' AND a.attnotnull WHERE n.nspname = current_schema() "
                             "AND i.indisunique AND NOT (a.attnum = ANY (i.indkey::int2[]))")
                           ->integer(0) +
                       tx.queryOne("SELECT COUNT(*) FROM pg_constraint f JOIN pg_class c ON c.oid = f.confrelid "
                                   "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON "
                                   "a.attrelid = c.oid AND a.attname = 'creditor_id' AND a.attnotnull "
                                   "WHERE f.contype = 'f' AND n.nspname = current_schema() "
                                   "AND NOT (a.attnum = ANY (f.confkey))")
                           ->integer(0);
            });
        };
        BOOST_TEST(keysWithoutCreditor() == 0);
        // Idempotent: a second run finds nothing to change.
        BOOST_TEST(!s.db->transaction([](Tx& tx) { return tenancy::needsWork(tx); }));
        BOOST_TEST(s.db->transaction([](Tx& tx) { return tenancy::apply(tx).statements.size(); }) == 0u);
        // A later migration written the usual way (REFERENCES t(id), UNIQUE without creditor_id).
        auto files = embeddedMigrations();
        files.push_back(MigrationFile{"9999_later.sql",
                                      "CREATE TABLE later_notes (id {{ID}}, creditor_id BIGINT NOT NULL REFERENCES "
                                      "creditors(id), dossier_id BIGINT NOT NULL REFERENCES dossiers(id), "
                                      "event_id BIGINT REFERENCES events(id), slug TEXT NOT NULL, UNIQUE (slug));\n"
                                      "CREATE UNIQUE INDEX later_notes_by_dossier ON later_notes (dossier_id, slug);\n"});
        BOOST_TEST(migrate(*s.db, files) == std::vector<std::string>{"9999_later.sql"});
        BOOST_TEST(keysWithoutCreditor() == 0);
        s.db->transaction([](Tx& tx) {
            // No helper index left behind, and the composite foreign key holds across creditors.
            BOOST_TEST(tx.queryOne("SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                   "WHERE n.nspname = current_schema() AND c.relname LIKE '%\\_id\\_compat'")
                           ->integer(0) == 0);
            const auto a = addCreditor(tx, "acme");
            addCreditor(tx, "bolt");
            const auto dossierOfA = addDossier(tx, a, "D1", "active");
            tx.exec("INSERT INTO later_notes (creditor_id, dossier_id, slug) VALUES ($1, $2, 'x')", {a, dossierOfA});
        });
        // A row of creditor B pointing at creditor A's dossier is refused by the database.
        BOOST_CHECK_THROW(s.db->transaction([](Tx& tx) {
            const auto a = tx.queryOne("SELECT id FROM creditors WHERE name = 'acme'")->integer(0);
            const auto b = tx.queryOne("SELECT id FROM creditors WHERE name = 'bolt'")->integer(0);
            const auto dossierOfA = tx.queryOne("SELECT id FROM dossiers WHERE creditor_id = $1", {a})->integer(0);
            tx.exec("INSERT INTO later_notes (creditor_id, dossier_id, slug) VALUES ($1, $2, 'y')", {b, dossierOfA});
        }),
                          StoreError);
    });
}

BOOST_AUTO_TEST_SUITE_END()
