// Test support: a fresh, migrated store on every backend the test run has.
//
// SQLite always (a temp file); PostgreSQL when DUEGATE_TEST_PG_URL is set (scripts/test.sh starts
// a throwaway cluster and sets it): each TestStore gets its own schema, dropped at the end, so
// tests never see each other's rows. forEachBackend(fn) runs fn once per backend and names the
// backend in failure messages via BOOST_TEST_CONTEXT.
#pragma once

#include "store/BlobStore.h"
#include "store/Database.h"
#include "store/Migrations.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>

namespace duegate::testing {

struct TestStore {
    std::string backend;
    std::string url;
    std::string dir;  // temp dir for SQLite file and blobs
    std::shared_ptr<store::Database> db;
    std::unique_ptr<store::BlobStore> blobs;
    std::string pgSchema;

    ~TestStore() {
        if (!pgSchema.empty() && db) {
            try {
                db->transaction([&](store::Tx& tx) {
                    tx.exec("SET LOCAL client_min_messages = warning");
                    tx.exec("DROP SCHEMA " + pgSchema + " CASCADE");
                });
            } catch (...) {
            }
        }
        db.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

inline std::string randomSuffix() {
    static std::mt19937_64 rng{std::random_device{}()};
    return std::to_string(rng() % 1000000000000ULL);
}

inline std::unique_ptr<TestStore> makeStore(const std::string& backend) {
    auto s = std::make_unique<TestStore>();
    s->backend = backend;
    s->dir = (std::filesystem::temp_directory_path() / ("duegate-test-" + randomSuffix())).string();
    std::filesystem::create_directories(s->dir);
    if (backend == "sqlite") {
        s->url = "sqlite:" + s->dir + "/test.db";
    } else {
        const char* base = std::getenv("DUEGATE_TEST_PG_URL");
        s->pgSchema = "t" + randomSuffix();
        auto admin = store::Database::open(base, 1);
        admin->transaction([&](store::Tx& tx) { tx.exec("CREATE SCHEMA " + s->pgSchema); });
        s->url = std::string(base) + "?options=-csearch_path%3D" + s->pgSchema;
    }
    s->db = store::Database::open(s->url, 4);
    store::migrate(*s->db);
    s->blobs = std::make_unique<store::BlobStore>(s->dir + "/blobs");
    return s;
}

inline std::vector<std::string> backends() {
    std::vector<std::string> out{"sqlite"};
    const char* pg = std::getenv("DUEGATE_TEST_PG_URL");
    if (pg && *pg) out.push_back("postgresql");
    else BOOST_TEST_MESSAGE("DUEGATE_TEST_PG_URL not set: PostgreSQL cases skipped (scripts/test.sh sets it)");
    return out;
}

inline void forEachBackend(const std::function<void(TestStore&)>& fn) {
    for (const auto& b : backends()) {
        BOOST_TEST_CONTEXT("backend " << b) {
            auto s = makeStore(b);
            fn(*s);
        }
    }
}

}  // namespace duegate::testing
