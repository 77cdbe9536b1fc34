// Payments on SQLite and PostgreSQL (tests/support/TestStores.h): statement import exactly once,
// the effects of a match, undo and reversal, manual work and its conflicts, the payout.
#include "gateway/services/FileIntake.h"
#include "gateway/services/payments/PaymentService.h"
#include "gateway/services/payments/PayoutService.h"
#include "gateway/core/Money.h"
#include "store/ChargeRepository.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/OutboxRepository.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace duegate;
namespace pay = services::payments;

namespace {

const std::string kAgency = "BE62539007540061";
const std::string kCreditorIban = "BE09001123450057";
const std::string kPayer = "BE71096123456769";

struct Entry {
    std::int64_t cents = 0;  // signed
    std::string ref, ustrd, svcr, currency = "EUR";
    bool reversal = false;
    std::string e2e = "NOTPROVIDED";
};

std::string amount(std::int64_t c) {
    if (c < 0) c = -c;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(c / 100), static_cast<long long>(c % 100));
    return buf;
}

std::string camt(const std::string& iban, const std::string& id, const std::vector<Entry>& entries,
                 std::int64_t opening = 0, bool notification = false) {
    std::int64_t closing = opening;
    for (const auto& e : entries) closing += e.cents;
    const std::string ccy = entries.empty() ? "EUR" : entries.front().currency;
    std::ostringstream x;
    const char* root = notification ? "BkToCstmrDbtCdtNtfctn" : "BkToCstmrStmt";
    const char* stmt = notification ? "Ntfctn" : "Stmt";
    x << "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:" << (notification ? "camt.054.001.08" : "camt.053.001.08")
      << "\"><" << root << "><GrpHdr><MsgId>" << id << "</MsgId><CreDtTm>2026-01-05T18:00:00</CreDtTm></GrpHdr><" << stmt
      << "><Id>" << id << "</Id><CreDtTm>2026-01-05T18:00:00</CreDtTm><Acct><Id><IBAN>" << iban
      << "</IBAN></Id><Ccy>" << ccy << "</Ccy></Acct>";
    if (!notification) {
        x << "<Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy=\"" << ccy << "\">" << amount(opening)
          << "</Amt><CdtDbtInd>" << (opening >= 0 ? "CRDT" : "DBIT") << "</CdtDbtInd><Dt><Dt>2026-01-04</Dt></Dt></Bal>";
        x << "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"" << ccy << "\">" << amount(closing)
          << "</Amt><CdtDbtInd>" << (closing >= 0 ? "CRDT" : "DBIT") << "</CdtDbtInd><Dt><Dt>2026-01-05</Dt></Dt></Bal>";
    }
    for (const auto& e : entries) {
        x << "<Ntry><Amt Ccy=\"" << e.currency << "\">" << amount(e.cents) << "</Amt><CdtDbtInd>"
          << (e.cents > 0 ? "CRDT" : "DBIT") << "</CdtDbtInd>" << (e.reversal ? "<RvslInd>true</RvslInd>" : "")
          << "<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-01-05</Dt></BookgDt><ValDt><Dt>2026-01-05</Dt></ValDt>";
        if (!e.svcr.empty()) x << "<AcctSvcrRef>" << e.svcr << "</AcctSvcrRef>";
        x << "<NtryDtls><TxDtls><Refs><EndToEndId>" << e.e2e << "</EndToEndId></Refs><RltdPties><Dbtr><Pty><Nm>De Hoek BV</Nm></Pty>"
          << "</Dbtr><DbtrAcct><Id><IBAN>" << kPayer << "</IBAN></Id></DbtrAcct></RltdPties>";
        if (!e.ref.empty())
            x << "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>" << e.ref
              << "</Ref></CdtrRefInf></Strd></RmtInf>";
        else if (!e.ustrd.empty())
            x << "<RmtInf><Ustrd>" << e.ustrd << "</Ustrd></RmtInf>";
        x << "</TxDtls></NtryDtls></Ntry>";
    }
    x << "</" << stmt << "></" << root << "></Document>";
    return x.str();
}

struct World {
    testing::TestStore& s;
    services::Context ctx;
    std::shared_ptr<services::FixedClock> clock;
    std::int64_t creditor = 0, ownCreditor = 0, debtor = 0;

    explicit World(testing::TestStore& store) : s(store) {
        clock = std::make_shared<services::FixedClock>(Poco::Timestamp::fromEpochTime(1767603600));  // 2026-01-05 09:00
        ctx.db = s.db;
        ctx.blobs = std::shared_ptr<store::BlobStore>(s.blobs.get(), [](store::BlobStore*) {});
        ctx.clock = clock;
        ctx.settings.agencyName = "Duegate Incasso";
        ctx.settings.agencyIban = kAgency;
        ctx.settings.agencyBic = "GEBABEBB";
        s.db->transaction([&](store::Tx& tx) {
            store::CreditorRecord a;
            a.name = "Agency Client";
            a.intakeAddress = "a@intake.test";
            a.email = "finance@a.test";
            a.iban = "BE68539007547034";
            a.collectTo = "agency";
            a.feeBasisPoints = 250;  // 2.5 %
            creditor = store::creditors::insert(tx, a, "hash-a", ctx.now());
            store::CreditorRecord b;
            b.name = "Own Account";
            b.intakeAddress = "b@intake.test";
            b.iban = kCreditorIban;
            b.collectTo = "creditor";
            ownCreditor = store::creditors::insert(tx, b, "hash-b", ctx.now());
            store::creditors::addIban(tx, ownCreditor, kCreditorIban, std::nullopt, ctx.now());
            store::DebtorRecord d;
            d.creditorId = creditor;
            d.matchKey = "vat:BE0987654321";
            d.name = "De Hoek BV";
            d.email = "els@dehoek.example";
            debtor = store::dossiers::upsertDebtor(tx, d, ctx.now());
        });
    }

    // A dossier of `creditorId` with OGM base `n` and `open` cents.
    std::pair<std::int64_t, std::string> dossier(int n, std::int64_t open, std::optional<std::int64_t> creditorId = {}) {
        const std::int64_t base = 1000000000LL + n;
        const std::int64_t check = base % 97 == 0 ? 97 : base % 97;
        char digits[16];
        std::snprintf(digits, sizeof digits, "%010lld%02lld", static_cast<long long>(base), static_cast<long long>(check));
        const std::string d(digits);
        const std::string ogm = "+++" + d.substr(0, 3) + "/" + d.substr(3, 4) + "/" + d.substr(7, 5) + "+++";
        const auto id = s.db->transaction([&](store::Tx& tx) {
            const auto cid = creditorId.value_or(creditor);
            std::int64_t debtorId = debtor;
            if (cid != creditor) {
                store::DebtorRecord db;
                db.creditorId = cid;
                db.matchKey = "name:Other";
                db.name = "Other Debtor";
                debtorId = store::dossiers::upsertDebtor(tx, db, ctx.now());
            }
            store::DossierRecord r;
            r.creditorId = cid;
            r.debtorId = debtorId;
            r.reference = "D2026-" + std::to_string(n);
            r.status = "active";
            r.currency = "EUR";
            r.openMinor = open;
            r.ogm = d;
            r.createdAt = r.updatedAt = ctx.now();
            r.paymentReference = ogm;
            r.payeeIban = cid == creditor ? kAgency : kCreditorIban;
            return store::dossiers::insertDossier(tx, r);
        });
        return {id, d};
    }

    services::FileOutcome import(const std::string& bytes, std::optional<std::int64_t> by = {},
                                 const std::string& door = "cli") {
        return services::importFile(ctx, by, door, "statement.xml", bytes);
    }

    store::DossierRecord get(std::int64_t id) {
        return *s.db->transaction([&](store::Tx& tx) { return store::dossiers::dossier(tx, std::nullopt, id); });
    }
    std::int64_t count(const std::string& sql) {
        return s.db->transaction([&](store::Tx& tx) { return tx.queryOne(sql)->integer(0); });
    }
};

services::Principal staff() { return services::Principal{std::nullopt, std::int64_t(1), "ops@agency.test"}; }

}  // namespace

BOOST_AUTO_TEST_CASE(the_same_statement_twice_stores_each_line_once) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [id, ogm] = w.dossier(1, 10000);
        const auto file = camt(kAgency, "S-1", {{10000, ogm, "", "R-1"}, {2500, "", "donation", "R-2"}});
        auto first = w.import(file);
        BOOST_TEST(first.applied);
        BOOST_TEST(first.json ==
                   "{\"file\":\"statement.xml\",\"kind\":\"statement\",\"statements\":1,\"entries\":2,\"duplicates\":0,"
                   "\"matched\":1,\"suggested\":0,\"unmatched\":1}");
        auto second = w.import(file);
        BOOST_TEST(second.json ==
                   "{\"file\":\"statement.xml\",\"kind\":\"statement\",\"statements\":1,\"entries\":2,\"duplicates\":2,"
                   "\"matched\":0,\"suggested\":0,\"unmatched\":0}");
        BOOST_TEST(w.count("SELECT COUNT(*) FROM statement_lines") == 2);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM statements") == 1);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM payment_matches") == 1);
        BOOST_TEST(w.get(id).paidMinor == 10000);
    });
}

BOOST_AUTO_TEST_CASE(an_intraday_notification_then_the_days_statement_adds_nothing_twice) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [id, ogm] = w.dossier(2, 5000);
        auto n = w.import(camt(kAgency, "N-1", {{5000, ogm, "", "BANKREF-77"}}, 0, true));
        BOOST_TEST(n.applied);
        auto st = w.import(camt(kAgency, "S-2", {{5000, ogm, "", "BANKREF-77"}, {700, "", "other", "BANKREF-78"}}));
        BOOST_TEST(st.json.find("\"entries\":2,\"duplicates\":1") != std::string::npos, st.json);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM statement_lines") == 2);
        BOOST_TEST(w.get(id).paidMinor == 5000);
        BOOST_TEST(w.get(id).status == "paid");
    });
}

BOOST_AUTO_TEST_CASE(overlapping_statements_without_bank_references_add_each_entry_once) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        // No AcctSvcrRef: the content of the entry and its occurrence that day are the key.
        w.import(camt(kAgency, "S-A", {{1000, "", "rent", ""}, {1000, "", "rent", ""}}));
        auto b = w.import(camt(kAgency, "S-B", {{1000, "", "rent", ""}, {1000, "", "rent", ""}, {1000, "", "rent", ""}}));
        BOOST_TEST(b.json.find("\"entries\":3,\"duplicates\":2") != std::string::npos, b.json);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM statement_lines") == 3);
    });
}

BOOST_AUTO_TEST_CASE(an_unknown_account_rejects_the_whole_file) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto out = w.import(camt("BE71096123456769", "X", {{1000, "", "x", "X-1"}}));
        BOOST_TEST(out.quarantined);
        BOOST_TEST(out.error.find("neither the agency's account nor a registered IBAN") != std::string::npos, out.error);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM statement_lines") == 0);
        // Through a creditor's door, only its own accounts: the agency's account is refused too.
        auto viaApi = w.import(camt(kAgency, "Y", {{1000, "", "x", "Y-1"}}), w.ownCreditor, "api");
        BOOST_TEST(viaApi.quarantined);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM statement_lines") == 0);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM inbound_items WHERE state = 'quarantined'") == 1);
        // A broken file imports nothing and says where.
        auto broken = w.import(camt(kAgency, "Z", {{1000, "", "x", "Z-1"}}).substr(0, 700));
        BOOST_TEST(broken.quarantined);
        BOOST_TEST(broken.error.find("line") != std::string::npos, broken.error);
    });
}

BOOST_AUTO_TEST_CASE(a_creditors_own_account_pays_only_its_dossiers) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [mine, ogm] = w.dossier(3, 4000, w.ownCreditor);
        auto out = w.import(camt(kCreditorIban, "B-1", {{4000, ogm, "", "B-1"}}), w.ownCreditor, "api");
        BOOST_TEST(out.applied, out.error);
        BOOST_TEST(w.get(mine).status == "paid");
        BOOST_TEST(w.count("SELECT COUNT(*) FROM statement_lines WHERE account_owner = 'creditor:" +
                           std::to_string(w.ownCreditor) + "' AND creditor_id = " + std::to_string(w.ownCreditor)) == 1);
    });
}

BOOST_AUTO_TEST_CASE(a_full_payment_pays_the_dossier_cancels_its_reminders_and_tells_both_sides) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [id, ogm] = w.dossier(4, 12345);
        s.db->transaction([&](store::Tx& tx) {
            store::OutboundMessageRecord m;
            m.creditorId = w.creditor;
            m.dossierId = id;
            m.dedupeKey = "reminder:1";
            m.channel = "email";
            m.purpose = "reminder";
            m.recipient = "els@dehoek.example";
            m.subject = "Reminder";
            m.body = "Please pay";
            m.nextAttemptAt = w.ctx.now();
            store::outbox::enqueue(tx, m, w.ctx.now());
        });
        BOOST_TEST(!s.db->transaction([&](store::Tx& tx) { return pay::hasUnmatchedWork(tx, w.creditor); }));
        w.import(camt(kAgency, "S-4", {{12345, ogm, "", "R-4"}}));
        const auto d = w.get(id);
        BOOST_TEST(d.status == "paid");
        BOOST_TEST(d.openMinor == 0);
        BOOST_TEST(d.paidMinor == 12345);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'reminder' AND state = 'failed' AND "
                           "last_error LIKE 'cancelled%'") == 1);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'payment_thanks' AND state = 'planned'") == 1);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'payment_received'") == 1);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM events WHERE kind = 'payment_matched'") == 1);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM events WHERE kind = 'dossier_paid'") == 1);
    });
}

BOOST_AUTO_TEST_CASE(an_overpayment_keeps_the_surplus_as_a_credit_with_a_review_task) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [id, ogm] = w.dossier(5, 10000);
        w.import(camt(kAgency, "S-5", {{15000, ogm, "", "R-5"}}));
        BOOST_TEST(w.get(id).paidMinor == 10000);
        BOOST_TEST(w.get(id).openMinor == 0);
        BOOST_TEST(w.count("SELECT COALESCE(SUM(amount_minor), 0) FROM debtor_credits WHERE state = 'open'") == 5000);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM tasks WHERE kind = 'payment_review'") == 1);
    });
}

BOOST_AUTO_TEST_CASE(another_currency_is_never_applied_and_makes_a_review_task) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [id, ogm] = w.dossier(6, 10000);
        Entry e{10000, ogm, "", "R-6"};
        e.currency = "USD";
        w.import(camt(kAgency, "S-6", {e}));
        BOOST_TEST(w.get(id).paidMinor == 0);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM statement_lines WHERE state = 'review'") == 1);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM tasks WHERE kind = 'payment_review'") == 1);
    });
}

BOOST_AUTO_TEST_CASE(a_reversal_undoes_the_match_and_reopens_the_dossier) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [id, ogm] = w.dossier(7, 8000);
        Entry pay{8000, ogm, "", "R-7"};
        pay.e2e = "E2E-7";
        w.import(camt(kAgency, "S-7", {pay}));
        BOOST_TEST(w.get(id).status == "paid");
        Entry back{-8000, ogm, "", "R-8"};
        back.reversal = true;
        back.e2e = "E2E-7";
        w.import(camt(kAgency, "S-8", {back}, 8000));
        const auto d = w.get(id);
        BOOST_TEST(d.status == "active");
        BOOST_TEST(d.openMinor == 8000);
        BOOST_TEST(d.paidMinor == 0);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM events WHERE kind = 'payment_unmatched'") == 1);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM statement_lines WHERE state = 'reversed'") == 1);
    });
}

BOOST_AUTO_TEST_CASE(a_coda_amount_with_three_decimals_is_never_applied_automatically) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [id, ogm] = w.dossier(8, 10000);
        // A stored line whose amount has 3 decimals (as the CODA reader gives 100.005).
        s.db->transaction([&](store::Tx& tx) {
            store::payments::StatementRecord st;
            st.accountOwner = "agency";
            st.accountIban = kAgency;
            st.currency = "EUR";
            st.statementKey = "k";
            st.kind = "statement";
            st.format = "coda";
            st.fileSha256 = "x";
            const auto sid = store::payments::insertStatement(tx, st, w.ctx.now()).id;
            store::payments::LineRecord l;
            l.statementId = sid;
            l.accountOwner = "agency";
            l.accountIban = kAgency;
            l.lineKey = "ref:C-1";
            l.bookingDate = "2026-01-05";
            l.amountMinor = 100005;
            l.exponent = 3;
            l.currency = "EUR";
            l.referenceKind = "ogm";
            l.reference = ogm;
            store::payments::insertLines(tx, {l}, w.ctx.now());
        });
        BOOST_TEST(s.db->transaction([&](store::Tx& tx) { return pay::hasUnmatchedWork(tx, w.creditor); }));
        pay::matchPending(w.ctx);
        BOOST_TEST(w.get(id).paidMinor == 0);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM statement_lines WHERE state IN ('review', 'suggested')") == 1);
        BOOST_TEST(!s.db->transaction([&](store::Tx& tx) { return pay::hasUnmatchedWork(tx, w.creditor); }));
    });
}

BOOST_AUTO_TEST_CASE(manual_work_is_checked_and_recorded) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [a, ogmA] = w.dossier(9, 3000);
        auto [b, ogmB] = w.dossier(10, 4000);
        auto [other, ogmO] = w.dossier(11, 4000, w.ownCreditor);
        w.import(camt(kAgency, "S-9", {{7000, "", "two invoices", "R-9"}}));
        const auto line = w.count("SELECT MIN(id) FROM statement_lines");
        const auto who = staff();
        BOOST_CHECK_THROW(pay::matchByHand(w.ctx, who, line, {{a, 3000}, {b, 4001}}), pay::Conflict);  // > open
        BOOST_CHECK_THROW(pay::matchByHand(w.ctx, who, line, {{a, 3000}, {b, 4000}, {b, 1}}), pay::Conflict);  // > line
        // A creditor cannot reach another creditor's dossier, nor a line it has nothing to do with.
        services::Principal own{w.ownCreditor, std::nullopt, "api"};
        BOOST_CHECK_THROW(pay::matchByHand(w.ctx, own, line, {{other, 1000}}), services::NotFound);
        pay::matchByHand(w.ctx, who, line, {{a, 3000}, {b, 4000}});  // split over two dossiers
        BOOST_TEST(w.get(a).status == "paid");
        BOOST_TEST(w.get(b).status == "paid");
        BOOST_TEST(w.count("SELECT COUNT(*) FROM payment_actions WHERE action = 'match' AND actor LIKE 'user:1 %'") == 1);
        BOOST_CHECK_THROW(pay::undoLine(w.ctx, who, line, ""), services::InputError);
        pay::undoLine(w.ctx, who, line, "wrong debtor");
        BOOST_TEST(w.get(a).status == "active");
        BOOST_TEST(w.get(b).openMinor == 4000);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM events WHERE kind = 'payment_unmatched' AND summary LIKE '%wrong debtor%'") == 2);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM dossiers d WHERE d.paid_minor <> (SELECT COALESCE(SUM(m.amount_minor), 0) "
                           "FROM payment_matches m WHERE m.dossier_id = d.id AND m.undone_at IS NULL)") == 0);
        pay::markLine(w.ctx, who, line, "not_ours", "belongs to another agency");
        const auto item = pay::payment(w.ctx, who, line);
        BOOST_TEST(item->state == "not_ours");
        const auto queue = pay::listPayments(w.ctx, who, {"unmatched"});
        BOOST_TEST(queue.empty());
    });
}

BOOST_AUTO_TEST_CASE(a_payout_pays_what_was_collected_minus_the_fee_once) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [id1, ogm1] = w.dossier(12, 10000);
        auto [id2, ogm2] = w.dossier(13, 20000);
        w.import(camt(kAgency, "S-12", {{10000, ogm1, "", "R-12"}, {20000, ogm2, "", "R-13"}}));
        const auto dir = s.dir + "/payout";
        const auto date = *parsers::CivilDate::parseIso("2026-01-05");
        const auto run = pay::runPayout(w.ctx, dir, date);
        BOOST_REQUIRE(run.payouts.size() == 1u);
        BOOST_TEST(run.payouts[0].creditorId == w.creditor);
        BOOST_TEST(run.payouts[0].amountMinor == 30000 - 750);  // 2.5 % fee
        BOOST_TEST(run.payouts[0].payments == 2u);
        BOOST_REQUIRE(run.file.has_value());
        std::ifstream in(*run.file);
        std::string xml((std::istreambuf_iterator<char>(in)), {});
        BOOST_TEST(xml.find("<InstdAmt Ccy=\"EUR\">292.50</InstdAmt>") != std::string::npos);
        BOOST_TEST(pay::payoutJson(run).find("\"amount\":\"292.50\"") != std::string::npos);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM events WHERE kind = 'payout_made'") == 1);
        // Again for the same day, and for a later day with nothing new: nothing.
        BOOST_TEST(pay::runPayout(w.ctx, dir, date).payouts.empty());
        BOOST_TEST(pay::runPayout(w.ctx, dir, date.plusDays(7)).payouts.empty());
        // A match undone after it was paid out is taken back from the next payout.
        auto [id3, ogm3] = w.dossier(14, 50000);
        w.import(camt(kAgency, "S-14", {{50000, ogm3, "", "R-14"}}, 30000));
        const auto first = w.count("SELECT MIN(id) FROM statement_lines");
        pay::undoLine(w.ctx, staff(), first, "booked to the wrong dossier");
        const auto next = pay::runPayout(w.ctx, dir, date.plusDays(8));
        BOOST_REQUIRE(next.payouts.size() == 1u);
        BOOST_TEST(next.payouts[0].amountMinor == (50000 - 10000) - 1000);  // fee 2.5 % of 400.00
        BOOST_TEST(w.count("SELECT COUNT(*) FROM dossiers d WHERE d.paid_minor <> (SELECT COALESCE(SUM(m.amount_minor), 0) "
                           "FROM payment_matches m WHERE m.dossier_id = d.id AND m.undone_at IS NULL)") == 0);
    });
}

// ---- costs, interest and what the agency keeps (issue 9, item 6; migration 0017) ----

namespace {

// What one keep setting makes of the same story: EUR 100.00 principal, EUR 40.00 costs (the B2B
// compensation) and EUR 5.00 interest claimed; the debtor (Belgian) pays 60.00 then 130.00
// (15.00 too much). Imputation (art. 5.215 BW): 60.00 = 40.00 costs + 5.00 interest + 15.00
// principal; 130.00 = 85.00 principal + 45.00 surplus (a credit). Fee 2.5 % of gross - kept.
struct KeepCase {
    std::string keep;
    std::int64_t kept, fee, net;
};

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

void checkKeep(const KeepCase& k) {
    testing::forEachBackend([&](testing::TestStore& s) {
        World w(s);
        s.db->transaction([&](store::Tx& tx) {
            auto c = *store::creditors::byId(tx, w.creditor);
            c.payoutKeep = k.keep;
            store::creditors::update(tx, c);
        });
        auto [id, ogm] = w.dossier(21, 10000);
        s.db->transaction([&](store::Tx& tx) {
            BOOST_TEST(store::charges::claim(tx, {0, w.creditor, id, "costs", 4000, "EUR", "costs",
                                                  "art. 6 Law of 2 August 2002", w.ctx.now()}));
            // The same step claiming again changes nothing.
            BOOST_TEST(!store::charges::claim(tx, {0, w.creditor, id, "costs", 4000, "EUR", "costs",
                                                   "art. 6 Law of 2 August 2002", w.ctx.now()}));
            BOOST_TEST(store::charges::claim(tx, {0, w.creditor, id, "interest", 500, "EUR", "interest:2026-01-05",
                                                  "Law of 2 August 2002, art. 5", w.ctx.now()}));
        });
        BOOST_TEST(w.get(id).openMinor == 14500);
        w.import(camt(kAgency, "S-21", {{6000, ogm, "", "R-21a"}, {13000, ogm, "", "R-21b"}}));
        BOOST_TEST(w.get(id).status == "paid");
        BOOST_TEST(w.count("SELECT COUNT(*) FROM payment_matches WHERE costs_minor = 4000 AND interest_minor = 500 AND "
                           "amount_minor = 6000") == 1);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM payment_matches WHERE costs_minor = 0 AND interest_minor = 0 AND "
                           "amount_minor = 8500") == 1);
        BOOST_TEST(w.count("SELECT COALESCE(SUM(amount_minor), 0) FROM debtor_credits WHERE state = 'open'") == 4500);

        const auto dir = s.dir + "/payout";
        const auto date = *parsers::CivilDate::parseIso("2026-01-05");
        const auto run = pay::runPayout(w.ctx, dir, date);
        BOOST_REQUIRE(run.payouts.size() == 1u);
        BOOST_TEST(run.payouts[0].amountMinor == k.net);
        BOOST_TEST(14500 - k.fee - k.kept == k.net);
        const auto xml = readFile(*run.file);
        const std::string instd = "<InstdAmt Ccy=\"EUR\">" + core::Money(k.net, "EUR").toDecimal() + "</InstdAmt>";
        BOOST_TEST(xml.find(instd) != std::string::npos);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM payouts WHERE kept_minor = " + std::to_string(k.kept) +
                           " AND fee_minor = " + std::to_string(k.fee) + " AND amount_minor = " +
                           std::to_string(k.net) + " AND gross_minor = 14500") == 1);
        // The statement: per payment its imputation and what was kept; totals that add up.
        std::string csv;
        for (const auto& e : std::filesystem::directory_iterator(dir))
            if (e.path().extension() == ".csv") csv = readFile(e.path().string());
        BOOST_TEST(csv.find("dossier,invoices,booked,payer,kind,amount,principal,interest,costs,kept,currency") == 0u);
        const std::string kept1 = k.keep == "none" ? "0.00" : k.keep == "costs" ? "40.00" : "45.00";
        BOOST_TEST(csv.find(",paid,60.00,15.00,5.00,40.00," + kept1 + ",EUR") != std::string::npos, csv);
        BOOST_TEST(csv.find(",paid,85.00,85.00,0.00,0.00,0.00,EUR") != std::string::npos, csv);
        BOOST_TEST(csv.find(",,,,gross,145.00,100.00,5.00,40.00," + core::Money(k.kept, "EUR").toDecimal() + ",EUR") !=
                       std::string::npos,
                   csv);
        BOOST_TEST(csv.find(",,,,fee," + core::Money(-k.fee, "EUR").toDecimal() + ",") != std::string::npos, csv);
        BOOST_TEST(csv.find(",,,,paid out," + core::Money(k.net, "EUR").toDecimal() + ",") != std::string::npos, csv);
        // The event names the parts.
        const auto data = s.db->transaction([&](store::Tx& tx) {
            return tx.queryOne("SELECT data FROM events WHERE kind = 'payout_made'")->text(0);
        });
        BOOST_TEST(data.find("\"keep\":\"" + k.keep + "\"") != std::string::npos, data);
        BOOST_TEST(data.find("\"kept\":\"" + core::Money(k.kept, "EUR").toDecimal() + "\"") != std::string::npos, data);
        BOOST_TEST(data.find("\"costs\":\"40.00\"") != std::string::npos, data);
        BOOST_TEST(data.find("\"interest\":\"5.00\"") != std::string::npos, data);
        BOOST_TEST(data.find("\"principal\":\"100.00\"") != std::string::npos, data);
        // A period already paid out pays nothing again.
        BOOST_TEST(pay::runPayout(w.ctx, dir, date).payouts.empty());

        // The 60.00 is undone after the payout; meanwhile the setting changed to none. The next
        // payout takes back exactly what was paid out of it (60.00 - what was kept then) and the
        // fee on that, whatever the setting is now.
        s.db->transaction([&](store::Tx& tx) {
            auto c = *store::creditors::byId(tx, w.creditor);
            c.payoutKeep = "none";
            store::creditors::update(tx, c);
        });
        auto [id2, ogm2] = w.dossier(22, 50000);
        w.import(camt(kAgency, "S-22", {{50000, ogm2, "", "R-22"}}, 19000));
        const auto first = w.count("SELECT MIN(id) FROM statement_lines");
        pay::undoLine(w.ctx, staff(), first, "booked to the wrong dossier");
        BOOST_TEST(w.get(id).openMinor == 6000);
        const auto next = pay::runPayout(w.ctx, dir, date.plusDays(7));
        BOOST_REQUIRE(next.payouts.size() == 1u);
        const std::int64_t kept1Minor = k.keep == "none" ? 0 : k.keep == "costs" ? 4000 : 4500;
        const std::int64_t base = 50000 - (6000 - kept1Minor);
        const std::int64_t fee = (base * 250 + 5000) / 10000;
        BOOST_TEST(next.payouts[0].amountMinor == 50000 - 6000 - fee + kept1Minor);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM payout_items WHERE kind = 'clawback' AND kept_minor = " +
                           std::to_string(-kept1Minor) + " AND costs_minor = -4000 AND interest_minor = -500") == 1);
        // Over both payouts: the creditor got what was collected minus fees minus what was kept.
        BOOST_TEST(w.count("SELECT SUM(gross_minor - fee_minor - kept_minor - amount_minor) FROM payouts") == 0);
    });
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_payout_keeps_nothing_of_the_recoverable_amounts_by_default) {
    checkKeep({"none", 0, 363, 14500 - 363});  // fee 2.5 % of 145.00 = 3.625 -> 3.63
}

BOOST_AUTO_TEST_CASE(a_payout_keeps_the_costs) {
    checkKeep({"costs", 4000, 263, 14500 - 263 - 4000});  // fee 2.5 % of 105.00 = 2.625 -> 2.63
}

BOOST_AUTO_TEST_CASE(a_payout_keeps_the_costs_and_the_interest) {
    checkKeep({"costs_and_interest", 4500, 250, 14500 - 250 - 4500});  // fee 2.5 % of 100.00
}

BOOST_AUTO_TEST_CASE(a_dutch_debtors_payment_goes_to_costs_then_interest_then_principal) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        s.db->transaction([&](store::Tx& tx) {
            auto d = *store::dossiers::debtor(tx, std::nullopt, w.debtor);
            tx.exec("UPDATE debtors SET country = 'NL' WHERE id = $1", {d.id});
        });
        auto [id, ogm] = w.dossier(31, 100000);
        s.db->transaction([&](store::Tx& tx) {
            store::charges::claim(tx, {0, w.creditor, id, "costs", 15000, "EUR", "bik", "art. 6:96 BW", w.ctx.now()});
            store::charges::claim(tx, {0, w.creditor, id, "interest", 1234, "EUR", "int", "art. 6:119 BW", w.ctx.now()});
        });
        w.import(camt(kAgency, "S-31", {{10000, ogm, "", "R-31a"}, {50000, ogm, "", "R-31b"}}));
        BOOST_TEST(w.count("SELECT COUNT(*) FROM payment_matches WHERE amount_minor = 10000 AND costs_minor = 10000 AND "
                           "interest_minor = 0") == 1);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM payment_matches WHERE amount_minor = 50000 AND costs_minor = 5000 AND "
                           "interest_minor = 1234") == 1);
        BOOST_TEST(w.get(id).openMinor == 116234 - 60000);
        const auto o = s.db->transaction([&](store::Tx& tx) { return store::charges::outstanding(tx, id); });
        BOOST_TEST(o.costs == 0);
        BOOST_TEST(o.interest == 0);
        // The timeline and the creditor's mail name the imputation and its source.
        BOOST_TEST(w.count("SELECT COUNT(*) FROM events WHERE kind = 'payment_matched' AND summary LIKE "
                           "'%imputed EUR 50.00 costs, EUR 12.34 interest, EUR 437.66 principal (art. 6:44 BW)%' AND "
                           "data LIKE '%\"costs\":5000%'") == 1);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'payment_received' AND body LIKE "
                           "'%It was imputed EUR 100.00 costs, EUR 0.00 interest, EUR 0.00 principal (art. 6:44 BW).%'") == 1);
    });
}

// The import books in batches (BatchBooking.h), a hand match one by one (applyAllocation): both
// split over claimed costs, interest and principal alike, and neither mails the contact address of
// a creditor with portal users (their notification settings decide).
BOOST_AUTO_TEST_CASE(batch_and_one_by_one_split_alike_and_leave_portal_creditors_to_their_notifications) {
    testing::forEachBackend([](testing::TestStore& s) {
        World w(s);
        auto [x, ogmX] = w.dossier(41, 10000);
        auto [y, ogmY] = w.dossier(42, 10000);
        (void)ogmY;
        s.db->transaction([&](store::Tx& tx) {
            for (auto id : {x, y}) {
                store::charges::claim(tx, {0, w.creditor, id, "costs", 4000, "EUR", "costs", "art. 6 Law of 2 August 2002",
                                           w.ctx.now()});
                store::charges::claim(tx, {0, w.creditor, id, "interest", 500, "EUR", "interest", "art. 5",
                                           w.ctx.now()});
            }
            tx.exec("INSERT INTO users (creditor_id, email, name, role, password_hash, created_at) "
                    "VALUES ($1, 'boss@creditor.example', 'Boss', 'creditor', 'x', $2)",
                    {w.creditor, w.ctx.now()});
        });
        w.import(camt(kAgency, "S-41", {{6000, ogmX, "", "R-41"}, {6000, "", "for the other one", "R-42"}}));
        BOOST_TEST(w.count("SELECT COUNT(*) FROM payment_matches WHERE dossier_id = " + std::to_string(x) +
                           " AND amount_minor = 6000 AND costs_minor = 4000 AND interest_minor = 500") == 1);
        const auto line = w.count("SELECT MAX(id) FROM statement_lines");
        pay::matchByHand(w.ctx, staff(), line, {{y, 6000}});
        BOOST_TEST(w.count("SELECT COUNT(*) FROM payment_matches WHERE dossier_id = " + std::to_string(y) +
                           " AND amount_minor = 6000 AND costs_minor = 4000 AND interest_minor = 500") == 1);
        BOOST_TEST(w.get(x).openMinor == w.get(y).openMinor);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM events WHERE kind = 'payment_matched' AND summary LIKE "
                           "'%; imputed EUR 40.00 costs, EUR 5.00 interest, EUR 15.00 principal (%); EUR 85.00 open' AND "
                           "data LIKE '%\"principal\":1500,\"interest\":500,\"costs\":4000}'") == 2);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'payment_received'") == 0);
        BOOST_TEST(w.count("SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'payment_thanks'") == 2);
    });
}
