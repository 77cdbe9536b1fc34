// The per-connection statement cache (store/Sql.h, StatementCache): statements are compiled once
// per connection and reused by later transactions, never outlive their connection or serve another
// one, stay correct across schema changes and a server-side disconnect, and stay bounded.
#include "store/Database.h"
#include "store/Sql.h"
#include "tests/support/TestStores.h"

#include <Poco/Data/Session.h>

#include <boost/test/unit_test.hpp>

using namespace duegate;
using namespace duegate::store;
using duegate::testing::forEachBackend;
using duegate::testing::TestStore;

BOOST_AUTO_TEST_SUITE(statement_cache)

BOOST_AUTO_TEST_CASE(statements_are_kept_across_transactions_of_one_connection) {
    forEachBackend([](TestStore& s) {
        s.db->withSession([&](Poco::Data::Session& session) {
            StatementCache cache;
            {
                Tx tx(session, s.db->dialect(), &cache);
                tx.begin(true);
                BOOST_TEST(tx.queryOne("SELECT $1 + 1", {std::int64_t{41}})->integer(0) == 42);
                tx.commit();
            }
            const auto after = cache.size();
            BOOST_TEST(after == 3u);  // BEGIN, the SELECT, COMMIT
            {
                Tx tx(session, s.db->dialect(), &cache);
                tx.begin(true);
                BOOST_TEST(tx.queryOne("SELECT $1 + 1", {std::int64_t{1}})->integer(0) == 2);
                tx.commit();
            }
            BOOST_TEST(cache.size() == after);  // nothing compiled again
        });
    });
}

BOOST_AUTO_TEST_CASE(a_cache_on_another_connection_starts_over) {
    forEachBackend([](TestStore& s) {
        auto other = Database::open(s.url, 2);
        StatementCache cache;
        s.db->withSession([&](Poco::Data::Session& first) {
            Tx tx(first, s.db->dialect(), &cache);
            BOOST_TEST(tx.queryOne("SELECT 7")->integer(0) == 7);
        });
        BOOST_TEST(cache.size() == 1u);
        other->withSession([&](Poco::Data::Session& second) {
            Tx tx(second, s.db->dialect(), &cache);
            BOOST_TEST(cache.size() == 0u);  // the first connection's statements are gone
            BOOST_TEST(tx.queryOne("SELECT 7")->integer(0) == 7);
        });
    });
}

BOOST_AUTO_TEST_CASE(cached_statements_follow_schema_changes) {
    forEachBackend([](TestStore& s) {
        auto db = Database::open(s.url, 1);  // one connection: every transaction uses its cache
        db->transaction([](Tx& tx) {
            tx.exec("CREATE TABLE cache_probe (a BIGINT NOT NULL)");
            tx.exec("INSERT INTO cache_probe (a) VALUES ($1)", {std::int64_t{5}});
        });
        auto sum = [&] { return db->read([](Tx& tx) { return tx.queryOne("SELECT SUM(a) FROM cache_probe")->integer(0); }); };
        BOOST_TEST(sum() == 5);
        db->transaction([](Tx& tx) {
            tx.exec("ALTER TABLE cache_probe ADD COLUMN b BIGINT");
            tx.exec("INSERT INTO cache_probe (a, b) VALUES ($1, $2)", {std::int64_t{6}, std::int64_t{1}});
        });
        BOOST_TEST(sum() == 11);
        db->transaction([](Tx& tx) {
            tx.exec("DROP TABLE cache_probe");
            tx.exec("CREATE TABLE cache_probe (a BIGINT NOT NULL)");
            tx.exec("INSERT INTO cache_probe (a) VALUES ($1)", {std::int64_t{2}});
        });
        BOOST_TEST(sum() == 2);
    });
}

BOOST_AUTO_TEST_CASE(the_cache_is_bounded_and_stays_correct_beyond_its_capacity) {
    forEachBackend([](TestStore& s) {
        s.db->withSession([&](Poco::Data::Session& session) {
            StatementCache cache;
            Tx tx(session, s.db->dialect(), &cache);
            for (std::int64_t round = 0; round < 2; ++round)
                for (std::int64_t i = 0; i < static_cast<std::int64_t>(StatementCache::kCapacity) + 30; ++i)
                    BOOST_TEST_REQUIRE(tx.queryOne("SELECT $1 + " + std::to_string(i), {round})->integer(0) == round + i);
            BOOST_TEST(cache.size() == StatementCache::kCapacity);
        });
    });
}

// A server-side disconnect (PostgreSQL restarted, the backend killed): the pool replaces the
// connection, and the new one must not be asked for the old one's prepared statements.
BOOST_AUTO_TEST_CASE(a_killed_backend_gets_a_fresh_cache_on_postgresql) {
    forEachBackend([](TestStore& s) {
        if (s.backend != "postgresql") return;
        auto db = Database::open(s.url, 1);
        auto pidAndValue = [&](std::int64_t v) {
            return db->read([&](Tx& tx) {
                auto r = tx.queryOne("SELECT pg_backend_pid(), $1::bigint * 2", {v});
                return std::make_pair(r->integer(0), r->integer(1));
            });
        };
        const auto first = pidAndValue(3);
        BOOST_TEST(first.second == 6);
        s.db->transaction([&](Tx& tx) { tx.query("SELECT pg_terminate_backend($1::int)", {first.first}); });
        std::pair<std::int64_t, std::int64_t> second{0, 0};
        for (int attempt = 0; attempt < 50 && second.first == 0; ++attempt) {
            try {
                second = pidAndValue(4);
            } catch (const StoreError&) {
                // the termination may land between BEGIN and the query: the next call reconnects
            }
        }
        BOOST_TEST(second.first != first.first);
        BOOST_TEST(second.second == 8);
    });
}

BOOST_AUTO_TEST_SUITE_END()
