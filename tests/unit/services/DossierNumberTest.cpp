// Issue 13: two applies of invoices at once on PostgreSQL get distinct dossier references and OGMs
// without one waiting for the other's transaction (the numbers come from sequences, not from a
// counters row locked until commit). On SQLite (one writer at a time) the applies are serial and
// the numbers distinct.
#include "gateway/services/AdminService.h"
#include "gateway/services/InvoiceApply.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/Time.h"
#include "tests/support/MailBuilder.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <set>

using namespace duegate;
using namespace duegate::services;
using duegate::testing::forEachBackend;
using duegate::testing::TestStore;

namespace {

const std::string kUbl = duegate::testing::readFile(DUEGATE_SOURCE_DIR "/fixtures/intake/peppol-invoice-F2026-0042.xml");

struct World {
    Context ctx;
    std::int64_t creditorId = 0;

    explicit World(TestStore& s) {
        ctx.db = s.db;
        ctx.blobs = std::shared_ptr<store::BlobStore>(s.blobs.get(), [](store::BlobStore*) {});
        ctx.clock = std::make_shared<FixedClock>(Poco::Timestamp::fromEpochTime(1767603600));  // 2026-01-05 09:00 UTC
        ctx.settings.linkSecret = "0123456789abcdef0123456789abcdef";
        ctx.settings.baseUrl = "http://portal.test";
        CreditorInput in{"Brouwerij Voorbeeld", "invoices@voorbeeld.in.example", {}};
        in.settings.email = "boekhouding@voorbeeld.example";
        in.settings.iban = "BE68539007547034";
        creditorId = addCreditor(ctx, in).id;
    }

    // The fixture invoice under another number, for another debtor.
    ParsedUbl invoice(int n) const {
        auto u = parsers::invoice::parseUbl(kUbl);
        BOOST_TEST_REQUIRE(static_cast<bool>(u));
        ParsedUbl doc{UblFile{"invoice-" + std::to_string(n) + ".xml", kUbl}, std::move(u).value(),
                      std::string(64, static_cast<char>('a' + n)), {}};
        doc.invoice.number = "CONC-" + std::to_string(n);
        doc.invoice.buyer.vatId = "BE0" + std::to_string(100000000 + n);
        doc.invoice.buyer.companyId.clear();
        doc.invoice.buyer.name = "Debtor " + std::to_string(n);
        return doc;
    }

    void apply(store::Tx& tx, int n) {
        const auto creditor = store::creditors::byId(tx, creditorId);
        InvoiceApplied out;
        applyUblInvoice(ctx, tx, creditorId, std::nullopt, *creditor, invoice(n), "boekhouding@voorbeeld.example",
                        "email", out);
        BOOST_TEST(out.created == 1u);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(dossier_numbers)

BOOST_AUTO_TEST_CASE(concurrent_applies_get_distinct_numbers_without_waiting_for_each_other) {
    forEachBackend([](TestStore& s) {
        World w(s);
        // A first invoice settles what every apply may touch once (the creditor's enterprise number).
        w.ctx.db->transaction([&](store::Tx& tx) { w.apply(tx, 0); });
        if (s.backend == "postgresql") {
            std::promise<void> applied;
            std::promise<void> release;
            auto first = std::async(std::launch::async, [&] {
                w.ctx.db->transaction([&](store::Tx& tx) {
                    w.apply(tx, 1);
                    applied.set_value();
                    release.get_future().wait();  // the first apply's transaction stays open
                });
            });
            applied.get_future().wait();
            auto second = std::async(std::launch::async,
                                     [&] { w.ctx.db->transaction([&](store::Tx& tx) { w.apply(tx, 2); }); });
            const bool quick = second.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
            BOOST_TEST(quick, "the second apply waited for the first one's transaction");
            release.set_value();
            first.get();
            second.get();
        } else {
            for (int n = 1; n <= 2; ++n) w.ctx.db->transaction([&](store::Tx& tx) { w.apply(tx, n); });
        }
        w.ctx.db->transaction([&](store::Tx& tx) {
            const auto all = store::dossiers::list(tx, w.creditorId, 10);
            BOOST_TEST_REQUIRE(all.size() == 3u);
            std::set<std::string> references, ogms;
            for (const auto& d : all) {
                references.insert(d.reference);
                ogms.insert(d.ogm.value_or(""));
                // The visible format stays: D<issue year>-<six digits>.
                BOOST_TEST(d.reference.size() == 12u);
                BOOST_TEST(d.reference.rfind("D2026-", 0) == 0u, d.reference);
            }
            BOOST_TEST(references.size() == 3u);
            BOOST_TEST(ogms.size() == 3u);
            BOOST_TEST(references.count("D2026-000001") == 1u);
        });
    });
}

BOOST_AUTO_TEST_SUITE_END()
