// Group commit of intake (IntakeBatcher): many threads deliver at once, each gets its own result,
// duplicates and per-mail failures stay separate, blobs and rows are there afterwards. Every case
// runs with blobs as files, in the database, and mixed (small mails in the database with their
// rows, large ones as files: the SQLite default), on every backend.
#include "gateway/services/AdminService.h"
#include "gateway/services/IntakeBatcher.h"
#include "gateway/services/IntakeService.h"
#include "store/InboundRepository.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <thread>

using namespace duegate;
using namespace duegate::services;
using duegate::testing::TestStore;

namespace {

enum class Home { files, database, mixed };
const char* name(Home h) { return h == Home::files ? "files" : h == Home::database ? "database" : "mixed"; }
// The mixed home's threshold here: the tests' ordinary mails are under it, their long ones over it.
constexpr std::size_t kSmall = 1024;

struct World {
    Context ctx;
    std::int64_t creditorId = 0;

    World(TestStore& s, Home home) {
        ctx.db = s.db;
        if (home == Home::files)
            ctx.blobs = std::shared_ptr<store::BlobStore>(s.blobs.get(), [](store::BlobStore*) {});
        else if (home == Home::database)
            ctx.blobs = std::make_shared<store::BlobStore>(s.db);
        else
            ctx.blobs = std::make_shared<store::BlobStore>(s.dir + "/blobs", s.db, kSmall);
        ctx.clock = std::make_shared<FixedClock>(Poco::Timestamp::fromEpochTime(1767603600));
        ctx.settings.linkSecret = "0123456789abcdef0123456789abcdef";
        CreditorInput in{"Brouwerij Voorbeeld", "invoices@voorbeeld.in.example", {}};
        creditorId = addCreditor(ctx, in).id;
    }

    std::int64_t itemCount() {
        return ctx.db->transaction(
            [](store::Tx& tx) { return tx.queryOne("SELECT COUNT(*) FROM inbound_items")->integer(0); });
    }
};

std::string mail(int n, const std::string& body = "hello") {
    return "From: a@voorbeeld.example\r\nTo: invoices@voorbeeld.in.example\r\nSubject: mail " + std::to_string(n) +
           "\r\nMessage-ID: <m" + std::to_string(n) + "@voorbeeld.example>\r\n\r\n" + body + "\r\n";
}

const std::vector<std::string> kRcpt{"invoices@voorbeeld.in.example"};
const std::string kFrom = "a@voorbeeld.example";
const std::string kPeer = "127.0.0.1:1";

// Every case on SQLite and PostgreSQL (when configured), in every blob home.
void forEachSetup(const std::function<void(TestStore&, Home)>& fn) {
    for (const auto& backend : duegate::testing::backends()) {
        for (Home home : {Home::files, Home::database, Home::mixed}) {
            BOOST_TEST_CONTEXT("backend " << backend << ", blobs in " << name(home)) {
                auto s = duegate::testing::makeStore(backend);
                fn(*s, home);
            }
        }
    }
}

std::size_t tempFilesUnder(const std::string& dir) {
    std::size_t n = 0;
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) return 0;
    for (auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
        if (e.path().filename().string().rfind(".tmp-", 0) == 0) ++n;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_batcher)

BOOST_AUTO_TEST_CASE(many_threads_each_get_their_own_durable_item_and_share_commits) {
    forEachSetup([](TestStore& s, Home home) {
        World w(s, home);
        std::atomic<bool> first{true};
        IntakeBatcher::Options o;
        // The first mail's commit is slow, so the others queue up behind it and form groups.
        o.beforeInsert = [&](std::string_view) {
            if (first.exchange(false)) std::this_thread::sleep_for(std::chrono::milliseconds(150));
        };
        IntakeBatcher batcher(o);
        constexpr int kThreads = 24, kEach = 4;
        std::vector<std::string> raws;
        // Every third mail is long: in the mixed home a group holds files and database blobs.
        for (int i = 0; i < kThreads * kEach; ++i) raws.push_back(i % 3 == 0 ? mail(i, std::string(2 * kSmall, 'x')) : mail(i));
        std::vector<ReceivedMail> results(raws.size());
        std::vector<std::string> errors(raws.size());
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                for (int k = 0; k < kEach; ++k) {
                    const auto i = static_cast<std::size_t>(t * kEach + k);
                    try {
                        results[i] = batcher.receive(w.ctx, MailIn{kFrom, kRcpt, raws[i], kPeer});
                    } catch (const std::exception& e) {
                        errors[i] = e.what();
                    }
                }
            });
        for (auto& t : threads) t.join();

        std::set<std::int64_t> ids;
        for (std::size_t i = 0; i < raws.size(); ++i) {
            BOOST_TEST(errors[i] == "");
            BOOST_TEST_REQUIRE(results[i].itemIds.size() == 1u);
            BOOST_TEST(!results[i].duplicate);
            BOOST_TEST(results[i].sha256 == store::BlobStore::sha256Hex(raws[i]));
            ids.insert(results[i].itemIds[0]);
            // The caller's own item: its row names its own bytes, and the bytes are there.
            auto item = w.ctx.db->transaction(
                [&](store::Tx& tx) { return store::inbound::byId(tx, w.creditorId, results[i].itemIds[0]); });
            BOOST_TEST_REQUIRE(item.has_value());
            BOOST_TEST(item->sha256 == results[i].sha256);
            BOOST_TEST(w.ctx.blobs->get(results[i].sha256).value_or("") == raws[i]);
            if (home == Home::mixed) {  // small ones committed with their rows, large ones as files
                const auto& sha = results[i].sha256;
                const bool file = std::filesystem::exists(s.dir + "/blobs/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) + "/" + sha);
                BOOST_TEST(file == (raws[i].size() >= kSmall));
            }
        }
        BOOST_TEST(ids.size() == raws.size());
        BOOST_TEST(w.itemCount() == static_cast<std::int64_t>(raws.size()));
        const auto st = batcher.stats();
        BOOST_TEST(st.mails == raws.size());
        BOOST_TEST(st.largestGroup > 1u);  // commits were shared
        BOOST_TEST(st.groups < raws.size());
        BOOST_TEST(tempFilesUnder(s.dir + "/blobs") == 0u);
    });
}

BOOST_AUTO_TEST_CASE(the_same_mail_twice_in_one_group_is_one_item) {
    forEachSetup([](TestStore& s, Home home) {
        World w(s, home);
        std::atomic<int> calls{0};
        IntakeBatcher::Options o;
        o.beforeInsert = [&](std::string_view) {
            if (calls++ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(150));
        };
        IntakeBatcher batcher(o);
        const std::string blocker = mail(1000), same = mail(7);
        std::thread lead([&] { batcher.receive(w.ctx, MailIn{kFrom, kRcpt, blocker, kPeer}); });
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        ReceivedMail a, b;
        std::thread ta([&] { a = batcher.receive(w.ctx, MailIn{kFrom, kRcpt, same, kPeer}); });
        std::thread tb([&] { b = batcher.receive(w.ctx, MailIn{kFrom, kRcpt, same, kPeer}); });
        lead.join();
        ta.join();
        tb.join();
        BOOST_TEST_REQUIRE(a.itemIds.size() == 1u);
        BOOST_TEST_REQUIRE(b.itemIds.size() == 1u);
        BOOST_TEST(a.itemIds[0] == b.itemIds[0]);
        BOOST_TEST(a.duplicate != b.duplicate);  // exactly one of them is the duplicate
        BOOST_TEST(w.itemCount() == 2);          // the blocker and the one mail
        // And later, alone, it is still the same item.
        const auto again = receiveMail(w.ctx, kFrom, kRcpt, same, kPeer);
        BOOST_TEST(again.duplicate);
        BOOST_TEST(again.itemIds == a.itemIds);
    });
}

BOOST_AUTO_TEST_CASE(a_failing_mail_fails_only_its_own_caller) {
    forEachSetup([](TestStore& s, Home home) {
        World w(s, home);
        std::atomic<bool> first{true};
        IntakeBatcher::Options o;
        o.beforeInsert = [&](std::string_view raw) {
            if (first.exchange(false)) std::this_thread::sleep_for(std::chrono::milliseconds(200));
            if (raw.find("POISON") != std::string_view::npos) throw store::StoreError("poisoned mail");
        };
        IntakeBatcher batcher(o);
        constexpr int kMails = 12;
        std::vector<std::string> raws;
        for (int i = 0; i < kMails; ++i) raws.push_back(mail(i, i == 5 || i == 9 ? "POISON" : "fine"));
        std::vector<ReceivedMail> results(kMails);
        std::vector<std::string> errors(kMails);
        std::vector<std::thread> threads;
        for (int i = 0; i < kMails; ++i) {
            threads.emplace_back([&, i] {
                try {
                    results[i] = batcher.receive(w.ctx, MailIn{kFrom, kRcpt, raws[i], kPeer});
                } catch (const std::exception& e) {
                    errors[i] = e.what();
                }
            });
            if (i == 0) std::this_thread::sleep_for(std::chrono::milliseconds(30));  // 0 leads alone
        }
        for (auto& t : threads) t.join();
        for (int i = 0; i < kMails; ++i) {
            if (i == 5 || i == 9) {
                BOOST_TEST(errors[i] == "poisoned mail");
                BOOST_TEST(results[i].itemIds.empty());
            } else {
                BOOST_TEST(errors[i] == "");
                BOOST_TEST(results[i].itemIds.size() == 1u);
            }
        }
        BOOST_TEST(w.itemCount() == kMails - 2);
        BOOST_TEST(batcher.stats().largestGroup > 2u);  // the poisoned ones shared a group with good ones
        BOOST_TEST(tempFilesUnder(s.dir + "/blobs") == 0u);
        // A blob that goes in with its rows is rolled back with them.
        if (home != Home::files) BOOST_TEST(!w.ctx.blobs->get(store::BlobStore::sha256Hex(raws[5])).has_value());
    });
}

BOOST_AUTO_TEST_CASE(a_failing_commit_fails_the_whole_group_and_nothing_is_stored) {
    forEachSetup([](TestStore& s, Home home) {
        World w(s, home);
        IntakeBatcher batcher;
        // A mail to nobody's intake address is no failure: it is stored for nobody.
        const auto nobody = batcher.receive(w.ctx, MailIn{kFrom, {"x@elsewhere.example"}, mail(1), kPeer});
        BOOST_TEST(nobody.itemIds.empty());
        BOOST_TEST(!nobody.duplicate);
        BOOST_TEST(w.itemCount() == 0);
        // The store is gone: the caller hears it (the listener answers 4xx), nothing half-stored.
        w.ctx.db->transaction([](store::Tx& tx) { tx.exec("ALTER TABLE inbound_items RENAME TO inbound_items_gone"); });
        BOOST_CHECK_THROW(batcher.receive(w.ctx, MailIn{kFrom, kRcpt, mail(2), kPeer}), std::exception);
        BOOST_TEST(tempFilesUnder(s.dir + "/blobs") == 0u);
    });
}

BOOST_AUTO_TEST_SUITE_END()
