// The ingest with sender_auth = spf_or_dkim: a listed sender from the domain's SPF IP is used; the
// same sender from elsewhere without DKIM is quarantined "sender not authenticated" and unanswered;
// creditors with sender_auth = none are not checked.
#include "gateway/services/AdminService.h"
#include "gateway/services/IngestService.h"
#include "gateway/services/IntakeService.h"
#include "gateway/services/SenderAuth.h"
#include "store/InboundRepository.h"
#include "tests/support/MailBuilder.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

using namespace duegate;
using namespace duegate::services;
using duegate::testing::forEachBackend;
using duegate::testing::TestStore;

namespace {

const std::string kUbl = duegate::testing::readFile(DUEGATE_SOURCE_DIR "/fixtures/intake/peppol-invoice-F2026-0042.xml");

struct AuthWorld {
    Context ctx;
    std::int64_t strict = 0, lax = 0;
    explicit AuthWorld(TestStore& s) {
        ctx.db = s.db;
        ctx.blobs = std::shared_ptr<store::BlobStore>(s.blobs.get(), [](store::BlobStore*) {});
        ctx.clock = std::make_shared<FixedClock>(Poco::Timestamp::fromEpochTime(1767603600));
        ctx.settings.linkSecret = "0123456789abcdef0123456789abcdef";
        SenderAuthOptions o;
        o.useDns = false;
        o.spfZone = {{"voorbeeld.example", "v=spf1 ip4:192.0.2.10 -all"}};
        o.dkimKeyFile = "/dev/null";
        ctx.senderAuth = std::make_shared<SenderAuthenticator>(o);
        CreditorInput a{"Brouwerij Voorbeeld", "invoices@voorbeeld.in.example", {}};
        a.settings.email = "boekhouding@voorbeeld.example";
        a.settings.iban = "BE68539007547034";
        a.settings.senderAuth = "spf_or_dkim";
        strict = addCreditor(ctx, a).id;
        CreditorInput b{"Bakkerij Anders", "facturen@anders.in.example", {}};
        b.settings.email = "boekhouding@voorbeeld.example";
        b.settings.iban = "BE68539007547034";
        lax = addCreditor(ctx, b).id;
    }
    std::string state(std::int64_t item) {
        return ctx.db->transaction([&](store::Tx& tx) { return store::inbound::byId(tx, std::nullopt, item)->state; });
    }
    std::string error(std::int64_t item) {
        return ctx.db->transaction(
            [&](store::Tx& tx) { return store::inbound::byId(tx, std::nullopt, item)->error.value_or(""); });
    }
};

std::string invoiceMail(const std::string& to, const std::string& id) {
    return duegate::testing::buildMail("Boekhouding <boekhouding@voorbeeld.example>", to, "Factuur", id,
                                       {{"F2026-0042.xml", "application/xml", kUbl}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sender_auth_ingest)

BOOST_AUTO_TEST_CASE(a_mail_from_the_domains_spf_ip_is_used_and_from_elsewhere_is_quarantined_unanswered) {
    forEachBackend([](TestStore& s) {
        AuthWorld w(s);
        const auto good = receiveMail(w.ctx, "boekhouding@voorbeeld.example", {"invoices@voorbeeld.in.example"},
                                      invoiceMail("invoices@voorbeeld.in.example", "<a@voorbeeld.example>"),
                                      "192.0.2.10:40000");
        const auto forged = receiveMail(w.ctx, "boekhouding@voorbeeld.example", {"invoices@voorbeeld.in.example"},
                                        invoiceMail("invoices@voorbeeld.in.example", "<b@voorbeeld.example>"),
                                        "203.0.113.66:40000");
        processPending(w.ctx, 10);
        BOOST_TEST(w.state(good.itemIds.at(0)) == "applied");
        BOOST_TEST(w.state(forged.itemIds.at(0)) == "quarantined");
        BOOST_TEST(w.error(forged.itemIds.at(0)).find("sender not authenticated: voorbeeld.example: SPF fail") == 0u,
                   w.error(forged.itemIds.at(0)));
        const auto replies = w.ctx.db->transaction([&](store::Tx& tx) {
            return tx.queryOne("SELECT COUNT(*) FROM outbound_messages WHERE dedupe_key = $1",
                               {std::string("quarantine:item:") + std::to_string(forged.itemIds.at(0))})
                ->integer(0);
        });
        BOOST_TEST(replies == 0);   // never answered: the forger learns nothing
    });
}

BOOST_AUTO_TEST_CASE(a_creditor_without_sender_auth_is_not_checked) {
    forEachBackend([](TestStore& s) {
        AuthWorld w(s);
        const auto r = receiveMail(w.ctx, "boekhouding@voorbeeld.example", {"facturen@anders.in.example"},
                                   invoiceMail("facturen@anders.in.example", "<c@voorbeeld.example>"),
                                   "203.0.113.66:40000");
        processPending(w.ctx, 10);
        BOOST_TEST(w.state(r.itemIds.at(0)) == "applied");
    });
}

BOOST_AUTO_TEST_SUITE_END()
