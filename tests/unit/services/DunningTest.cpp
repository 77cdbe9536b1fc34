// The dunning engine against a real store (SQLite; PostgreSQL when DUEGATE_TEST_PG_URL is set):
// the daily run's idempotency and catch-up, pauses (promise, plan), payment stop, tasks, the
// contact window, next actions, and each regime's legally required mentions in each language.
#include "channels/SmsSegments.h"
#include "gateway/core/templates/TemplateRenderer.h"
#include "gateway/services/AdminService.h"
#include "gateway/services/dunning/DunningRun.h"
#include "store/ChargeRepository.h"
#include "gateway/services/dunning/MessageFields.h"
#include "gateway/services/dunning/NextActions.h"
#include "gateway/services/dunning/Pauses.h"
#include "store/ContactRepository.h"
#include "store/DossierRepository.h"
#include "store/DunningRepository.h"
#include "store/OutboxRepository.h"
#include "store/TaskRepository.h"
#include "store/Time.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

using namespace duegate;
using namespace duegate::services;
using duegate::testing::forEachBackend;
using duegate::testing::TestStore;
namespace dn = duegate::services::dunning;
using core::CivilDate;

namespace {

CivilDate day(const char* iso) { return *CivilDate::parseIso(iso); }

struct World {
    Context ctx;
    std::shared_ptr<FixedClock> clock;
    std::int64_t creditorId = 0;
    dn::DunningSetup setup = dn::loadDunningSetup("", "", core::TimeZone::EuropeBrussels);

    explicit World(TestStore& s) {
        clock = std::make_shared<FixedClock>(Poco::Timestamp::fromEpochTime(1767603600));  // 2026-01-05 09:00 UTC
        ctx.db = s.db;
        ctx.blobs = std::shared_ptr<store::BlobStore>(s.blobs.get(), [](store::BlobStore*) {});
        ctx.clock = clock;
        ctx.settings.linkSecret = "0123456789abcdef0123456789abcdef";
        ctx.settings.baseUrl = "http://portal.test";
        ctx.settings.agencyName = "Incasso Test";
        CreditorInput in{"Brouwerij Voorbeeld", "invoices@voorbeeld.in.example", {}};
        in.settings.email = "boekhouding@voorbeeld.example";
        in.settings.iban = "BE68539007547034";
        creditorId = addCreditor(ctx, in).id;
        ctx.db->transaction([&](store::Tx& tx) { store::dunning::setEnterpriseNumberIfEmpty(tx, creditorId, "0123.456.749"); });
    }

    // A dossier of `minor` cents due on `due` for a debtor in `country` of `kind`.
    std::int64_t dossier(const std::string& key, const std::string& country, const std::string& kind,
                         std::int64_t minor, const std::string& due, bool phone = false) {
        return ctx.db->transaction([&](store::Tx& tx) {
            store::DebtorRecord d;
            d.creditorId = creditorId;
            d.matchKey = "t:" + key;
            d.name = "Debtor " + key;
            d.email = key + "@debtor.example";
            if (phone) d.phone = "+32470123456";
            d.street = "Markt 1";
            d.postcode = country == "NL" ? "1011 AB" : "8000";
            d.city = country == "NL" ? "Amsterdam" : "Brugge";
            d.country = country;
            d.kind = kind;
            const auto debtorId = store::dossiers::upsertDebtor(tx, d, ctx.now());
            store::DossierRecord r;
            r.creditorId = creditorId;
            r.debtorId = debtorId;
            r.reference = "D-" + key;
            r.status = "active";
            r.currency = "EUR";
            r.openMinor = minor;
            r.ogm = "202500012390";
            r.createdAt = r.updatedAt = ctx.now();
            r.payeeName = "Brouwerij Voorbeeld";
            r.payeeIban = "BE68539007547034";
            r.paymentReference = "+++202/5000/12390+++";
            const auto id = store::dossiers::insertDossier(tx, r);
            store::InvoiceRecord i;
            i.creditorId = creditorId;
            i.dossierId = id;
            i.documentType = "Invoice";
            i.number = "F-" + key;
            i.amountMinor = minor;
            i.currency = "EUR";
            i.issueDate = "2026-01-01";
            i.dueDate = due;
            store::dossiers::insertInvoice(tx, i, ctx.now());
            return id;
        });
    }

    dn::RunStats run(const char* iso) { return dn::runDunning(ctx, setup, day(iso)); }

    std::vector<store::OutboundMessageRecord> messages(std::int64_t dossierId) {
        return ctx.db->transaction([&](store::Tx& tx) { return store::outbox::forDossier(tx, dossierId); });
    }
    std::vector<store::TaskRecord> tasks(std::int64_t dossierId) {
        return ctx.db->transaction([&](store::Tx& tx) {
            store::tasks::Filter f;
            f.dossierId = dossierId;
            f.state.reset();
            return store::tasks::list(tx, std::nullopt, f);
        });
    }
    std::string status(std::int64_t dossierId) {
        return ctx.db->transaction([&](store::Tx& tx) { return store::dossiers::dossier(tx, std::nullopt, dossierId)->status; });
    }
};

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(dunning)

BOOST_AUTO_TEST_CASE(a_friendly_reminder_goes_before_the_due_date_and_the_first_reminder_after_it) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.dossier("a", "BE", "consumer", 123450, "2026-02-04");
        auto r = w.run("2026-01-31");  // due -4: nothing yet (be-consumers: due -3)
        BOOST_TEST(r.queued == 0u);
        BOOST_TEST(r.waiting == 1u);
        r = w.run("2026-02-01");
        BOOST_TEST(r.queued == 1u);
        auto m = w.messages(id);
        BOOST_REQUIRE(m.size() == 1u);
        BOOST_TEST(m[0].channel == "email");
        BOOST_TEST(m[0].recipient == "a@debtor.example");
        BOOST_TEST(contains(*m[0].subject, "Herinnering"));  // Brugge: Dutch
        BOOST_TEST(contains(m[0].body, "1.234,50\xC2\xA0\xE2\x82\xAC"));
        BOOST_TEST(contains(m[0].body, "04-02-2026"));
        r = w.run("2026-02-09");  // due +5: the Book XIX first reminder
        BOOST_TEST(r.queued == 1u);
        m = w.messages(id);
        BOOST_REQUIRE(m.size() == 2u);
        BOOST_TEST(contains(*m[1].subject, "Eerste kosteloze herinnering"));
        BOOST_TEST(contains(m[1].body, "0123.456.749"));
        BOOST_TEST(contains(m[1].body, "101,72"));  // Art. XIX.4 cap for EUR 1,234.50: 65 + 5 % of 734.50, rounded down
    });
}

BOOST_AUTO_TEST_CASE(running_a_day_twice_queues_nothing_new_and_a_missed_month_catches_up_with_one_step) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.dossier("b", "BE", "consumer", 50000, "2026-02-04");
        auto r = w.run("2026-03-10");  // five weeks late: one step only
        BOOST_TEST(r.queued == 1u);
        r = w.run("2026-03-10");
        BOOST_TEST(r.queued == 0u);
        BOOST_TEST(r.tasks == 0u);
        const auto m = w.messages(id);
        BOOST_REQUIRE(m.size() == 1u);
        BOOST_TEST(contains(*m[0].subject, "Eerste kosteloze herinnering"));  // the friendly one was skipped
        const auto steps = w.ctx.db->transaction([&](store::Tx& tx) { return store::dunning::steps(tx, id); });
        BOOST_REQUIRE(steps.size() == 1u);
        BOOST_TEST(steps[0].step == "first_reminder");
        BOOST_TEST(steps[0].policy == "be-consumers");
        BOOST_TEST(steps[0].termLastDay.value_or("") == "2026-03-24");  // e-mail: day 1 = 11 March, day 14 = 24 March
        r = w.run("2026-03-11");
        BOOST_TEST(r.queued == 0u);  // spacing: never two steps on consecutive days after a catch-up
    });
}

BOOST_AUTO_TEST_CASE(a_promise_pauses_until_its_grace_ends_then_a_call_task_and_the_policy_resumes) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.dossier("c", "BE", "consumer", 20000, "2026-02-04");
        w.run("2026-02-09");
        BOOST_TEST(w.messages(id).size() == 1u);
        dn::recordPromise(w.ctx, w.setup, w.creditorId, dn::PromiseInput{id, day("2026-02-20"), std::nullopt, "phone"},
                          day("2026-02-10"));
        BOOST_TEST(w.status(id) == "promised");
        BOOST_TEST(w.messages(id).size() == 2u);  // the promise confirmation
        BOOST_TEST(w.messages(id).back().purpose == "promise_confirmation");
        for (const char* d : {"2026-02-16", "2026-02-20", "2026-02-23"}) {
            auto r = w.run(d);
            BOOST_TEST(r.queued == 0u);
            BOOST_TEST(r.paused == 1u);
        }
        auto r = w.run("2026-02-24");  // 20 Feb + 3 days grace has passed
        BOOST_TEST(r.tasks == 1u);
        const auto t = w.tasks(id);
        BOOST_REQUIRE(t.size() == 1u);
        BOOST_TEST(t[0].kind == "promise_broken");
        BOOST_TEST(t[0].priority == 1);
        BOOST_TEST(w.status(id) == "active");
        r = w.run("2026-02-24");
        BOOST_TEST(r.tasks == 0u);
        BOOST_TEST(r.queued == 0u);
    });
}

BOOST_AUTO_TEST_CASE(a_payment_stops_everything_and_cancels_planned_messages) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.dossier("d", "NL", "consumer", 100000, "2026-02-04");
        w.run("2026-02-06");  // nl-consumers: friendly at due +2
        auto m = w.messages(id);
        BOOST_REQUIRE(m.size() == 1u);
        BOOST_TEST(m[0].state == "planned");
        BOOST_TEST(contains(*m[0].subject, "Betalingsherinnering"));
        dn::markPaid(w.ctx, w.setup, w.creditorId, id, day("2026-02-07"));
        BOOST_TEST(w.status(id) == "paid");
        m = w.messages(id);
        BOOST_TEST(m[0].state == "failed");
        BOOST_TEST(m[0].lastError.value_or("").rfind("cancelled", 0) == 0u);
        BOOST_TEST(m.back().purpose == "thanks");
        const auto r = w.run("2026-02-20");
        BOOST_TEST(r.dossiers == 0u);
        BOOST_TEST(w.messages(id).size() == 2u);
    });
}

BOOST_AUTO_TEST_CASE(a_payment_plan_within_the_policy_is_approved_reminds_per_instalment_and_a_missed_one_escalates) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.dossier("e", "BE", "consumer", 30000, "2026-02-04");
        auto res = dn::requestPlan(w.ctx, w.setup, w.creditorId, dn::PlanInput{id, 3, day("2026-02-15"), "debtor_page"},
                                   day("2026-02-05"));
        BOOST_TEST(res.state == "active");
        BOOST_TEST(w.status(id) == "plan");
        BOOST_TEST(w.messages(id).back().purpose == "plan_confirmation");
        BOOST_TEST(contains(w.messages(id).back().body, "15-03-2026"));
        auto r = w.run("2026-02-11");
        BOOST_TEST(r.queued == 0u);
        BOOST_TEST(r.paused == 1u);
        r = w.run("2026-02-12");  // 3 days before the first instalment
        BOOST_TEST(r.queued == 1u);
        BOOST_TEST(w.messages(id).back().purpose == "instalment_reminder");
        // The first instalment is paid (open 300.00 -> 200.00); the second is not.
        w.ctx.db->transaction([&](store::Tx& tx) { store::dossiers::transition(tx, id, "plan", "plan", w.ctx.now(), {20000, std::nullopt}); });
        r = w.run("2026-02-19");
        BOOST_TEST(r.tasks == 0u);
        r = w.run("2026-03-12");
        BOOST_TEST(r.queued == 1u);  // reminder of instalment 2
        r = w.run("2026-03-19");  // 15 March + 3 days grace passed: missed
        BOOST_TEST(r.tasks == 1u);
        BOOST_TEST(w.tasks(id).at(0).kind == "instalment_missed");
        BOOST_TEST(w.status(id) == "active");
        // A plan outside the policy's limits waits for a person.
        const auto id2 = w.dossier("f", "BE", "consumer", 30000, "2026-02-04");
        res = dn::requestPlan(w.ctx, w.setup, w.creditorId, dn::PlanInput{id2, 12, day("2026-02-15"), "debtor_page"},
                              day("2026-02-05"));
        BOOST_TEST(res.state == "requested");
        BOOST_TEST(w.tasks(id2).at(0).kind == "plan_request");
        res = dn::approvePlan(w.ctx, w.setup, w.creditorId, res.planId, "els@agency.example", day("2026-02-06"));
        BOOST_TEST(res.state == "active");
        BOOST_TEST(w.status(id2) == "plan");
    });
}

BOOST_AUTO_TEST_CASE(sms_waits_for_the_contact_window_and_skips_sundays_and_holidays) {
    const auto setup = dn::loadDunningSetup("", "", core::TimeZone::EuropeBrussels);  // the policy lives in it
    const auto& policy = *dn::policyByName(setup, "be-consumers");
    // Sunday 8 Feb 2026 23:30 Brussels (22:30 UTC) -> Monday 9 Feb 08:00 Brussels (07:00 UTC).
    const auto sunday = Poco::Timestamp::fromEpochTime(1770589800);
    BOOST_TEST(dn::notBeforeFor(core::Channel::Sms, policy, core::Country::BE, core::TimeZone::EuropeBrussels,
                                sunday.epochTime()) == "2026-02-09T07:00:00.000000Z");
    BOOST_TEST(dn::notBeforeFor(core::Channel::Email, policy, core::Country::BE, core::TimeZone::EuropeBrussels,
                                sunday.epochTime()) == store::formatInstant(sunday));
    // Easter Monday 6 April 2026 is a holiday: Saturday 4 April 21:00 -> Tuesday 7 April 08:00 (CEST, 06:00 UTC).
    BOOST_TEST(dn::notBeforeFor(core::Channel::Sms, policy, core::Country::BE, core::TimeZone::EuropeBrussels,
                                1775329200) == "2026-04-07T06:00:00.000000Z");
}

BOOST_AUTO_TEST_CASE(next_actions_name_the_next_step_and_its_date) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.dossier("g", "BE", "consumer", 10000, "2026-01-20");  // clock: 5 Jan 2026
        const auto next = dn::nextActions(w.ctx, w.creditorId, id, 3);
        BOOST_REQUIRE(next.size() >= 2u);
        BOOST_TEST(next[0].kind == "friendly_before_due");
        BOOST_TEST(next[0].date == day("2026-01-17"));
        BOOST_TEST(next[1].kind == "first_reminder");
        BOOST_TEST(next[1].date == day("2026-01-25"));
        BOOST_TEST(next[1].termLastDay.has_value());
        BOOST_CHECK_THROW(dn::nextActions(w.ctx, w.creditorId + 1, id, 3), NotFound);
    });
}

BOOST_AUTO_TEST_CASE(queued_messages_are_on_the_timeline_with_their_outbound_row) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.dossier("h", "BE", "business", 10000, "2026-01-20");
        w.run("2026-01-23");  // be-businesses: reminder at due +3
        const auto m = w.messages(id);
        BOOST_REQUIRE(m.size() == 1u);
        const auto events = w.ctx.db->transaction([&](store::Tx& tx) { return store::events::forDossier(tx, std::nullopt, id); });
        bool queued = false, step = false;
        for (const auto& e : events) {
            queued = queued || (e.kind == "message_queued" &&
                                contains(e.data.value_or(""), "\"outbound_message_id\":" + std::to_string(m[0].id)));
            step = step || e.kind == "dunning_step";
        }
        BOOST_TEST(queued);
        BOOST_TEST(step);
    });
}

BOOST_AUTO_TEST_CASE(the_sms_step_fits_two_gsm_segments_with_the_link_and_waits_for_the_contact_window) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.dossier("s", "BE", "consumer", 123450, "2026-02-04", true);
        w.run("2026-02-09");
        auto r = w.run("2026-02-16");  // be-consumers: SMS nudge 7 days after the first reminder
        BOOST_TEST(r.queued == 1u);
        const auto m = w.messages(id).back();
        BOOST_TEST(m.channel == "sms");
        BOOST_TEST(m.recipient == "+32470123456");
        BOOST_TEST(contains(m.body, "http://portal.test/d/"));
        const auto count = channels::countSmsSegments(m.body);
        BOOST_TEST(count.segments <= 2u);
        // The clock says Monday 5 January 2026 09:00 UTC (10:00 Brussels): inside the window.
        BOOST_TEST(m.nextAttemptAt <= w.ctx.now());
    });
}

BOOST_AUTO_TEST_CASE(an_open_pause_holds_the_dossier_until_its_date) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.dossier("p", "BE", "consumer", 10000, "2026-02-04");
        w.ctx.db->transaction([&](store::Tx& tx) {
            store::contact::insertPause(tx, store::contact::Pause{0, w.creditorId, id, "reply", std::string("2026-02-10"), ""},
                                        w.ctx.now());
        });
        auto r = w.run("2026-02-09");
        BOOST_TEST(r.paused == 1u);
        BOOST_TEST(r.queued == 0u);
        r = w.run("2026-02-11");  // the pause ended on the 10th: the first reminder goes
        BOOST_TEST(r.queued == 1u);
    });
}

BOOST_AUTO_TEST_CASE(a_creditor_overrides_a_template_from_the_configured_directory) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto dir = s.dir + "/templates";
        std::filesystem::create_directories(dir + "/" + std::to_string(w.creditorId) + "/nl");
        std::filesystem::create_directories(dir + "/nl");
        std::ofstream(dir + "/" + std::to_string(w.creditorId) + "/nl/be_friendly_before_due.mustache")
            << "Subject: Onze eigen herinnering {{invoice_number}}\n\nDag {{debtor_name}}, {{open_amount}}.\n";
        std::ofstream(dir + "/nl/be_friendly_before_due.mustache") << "Subject: Voor iedereen\n\nx\n";
        w.setup = dn::loadDunningSetup("", dir, core::TimeZone::EuropeBrussels);
        const auto id = w.dossier("o", "BE", "consumer", 10000, "2026-02-04");
        w.run("2026-02-01");
        const auto m = w.messages(id);
        BOOST_REQUIRE(m.size() == 1u);
        BOOST_TEST(*m[0].subject == "Onze eigen herinnering F-o");
        BOOST_TEST(m[0].body == "Dag Debtor o, 100,00\xC2\xA0\xE2\x82\xAC.\n");
        // Another creditor gets the directory-wide text; a name with a path in it is never read.
        const auto set = dn::templatesFor(w.setup, w.creditorId + 1);
        BOOST_TEST(set.find(core::Language::Nl, "be_friendly_before_due").value_or("").rfind("Subject: Voor iedereen", 0) == 0u);
        BOOST_TEST(!set.override(core::Language::Nl, "../nl/be_friendly_before_due").has_value());
    });
}

BOOST_AUTO_TEST_SUITE_END()

// ---- each regime's required mentions (LEGAL.md), in each language ----
BOOST_AUTO_TEST_SUITE(dunning_texts)

namespace {

dn::DossierTexts textsFor(const std::string& country, const std::string& kind, std::int64_t minor) {
    dn::DossierTexts t;
    auto& d = t.dossier;
    d.dossierId = 7;
    d.reference = "D2026-000007";
    d.status = "active";
    d.currency = "EUR";
    d.openMinor = d.invoicedMinor = minor;
    d.dueDate = "2026-02-04";
    d.debtorName = "Jan Peeters";
    d.debtorKind = kind;
    d.debtorCountry = country;
    d.payeeName = "Brouwerij Voorbeeld";
    d.payeeIban = "BE68539007547034";
    d.paymentReference = "+++202/5000/12390+++";
    t.creditorName = "Brouwerij Voorbeeld BV";
    t.creditorEnterpriseNumber = "0123.456.749";
    t.invoices.push_back(store::dunning::InvoiceLine{"Invoice", "F2026-0042", "2026-01-05", "EUR", std::string("2026-02-04"),
                                                     std::string("Vat Tripel 20 l"), minor});
    t.agencyName = "Incasso Test";
    t.link = "http://portal.test/d/abc";
    return t;
}

core::RenderedText render(const dn::DossierTexts& t, core::Language l, const core::Policy& policy, const std::string& stepId,
                          const CivilDate& today) {
    const auto* step = policy.step(stepId);
    core::Action a;
    a.kind = core::ActionKind::Send;
    a.key = a.stepId = stepId;
    a.date = today;
    a.channels = step->channels;
    a.templateName = step->templateName;
    a.effect = step->effect;
    const auto regime = dn::regimeOf(t.dossier);
    if (core::startsLegalTerm(a.effect))
        a.term = core::termOpenedBy(core::HistoryEntry{stepId, today, a.channels, std::nullopt}, regime);
    auto data = dn::dossierFields(t, l, today);
    dn::addStepFields(data, t, l, a, std::nullopt);
    auto r = core::renderMessage(core::TemplateSet{}, l, a.templateName, data);
    if (!r.ok()) BOOST_FAIL(r.error().toString());
    BOOST_TEST(r->body.find("{{") == std::string::npos);
    return *r;
}

const core::Policy& shipped(const char* name) {
    static const auto setup = dn::loadDunningSetup("", "", core::TimeZone::EuropeBrussels);
    return *dn::policyByName(setup, name);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_book_xix_first_reminder_has_every_mandatory_mention_in_each_language) {
    // Art. XIX.2: (1) balance and the damages that will be claimed, (2) creditor name + enterprise
    // number, (3) what the debt is for and its due date, (4) the >= 14-day term before costs.
    const auto t = textsFor("BE", "consumer", 123450);
    struct Expect { core::Language l; const char* balance; const char* damages; const char* due; const char* end; const char* free; };
    for (const auto& e : {Expect{core::Language::Nl, "1.234,50", "101,72", "04-02-2026", "23-02-2026", "kosteloos"},
                          Expect{core::Language::Fr, "1.234,50", "101,72", "04/02/2026", "23/02/2026", "gratuit"},
                          Expect{core::Language::En, "€1,234.50", "€101.72", "4 February 2026", "23 February 2026", "free of charge"}}) {
        BOOST_TEST_CONTEXT(core::languageCode(e.l)) {
            const auto r = render(t, e.l, shipped("be-consumers"), "first_reminder", day("2026-02-09"));
            for (const char* needle : {e.balance, e.damages, e.due, e.end, e.free, "Brouwerij Voorbeeld BV",
                                       "0123.456.749", "F2026-0042", "Vat Tripel 20 l", "14", "XIX.2",
                                       "+++202/5000/12390+++", "BE68539007547034", "http://portal.test/d/abc"})
                BOOST_TEST(contains(r.body, needle), needle);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_dutch_fourteen_day_letter_states_the_term_and_the_bik_amount_in_each_language) {
    // Art. 6:96(6) BW: 14 days from the day after receipt (HR 25-11-2016 wording), the BIK amount.
    const auto t = textsFor("NL", "consumer", 100000);  // BIK of EUR 1,000: EUR 150
    struct Expect { core::Language l; const char* term; const char* bik; const char* total; };
    for (const auto& e : {Expect{core::Language::Nl, "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd",
                                 "150,00", "1.150,00"},
                          Expect{core::Language::Fr, "dans les quatorze jours à compter du jour suivant la remise", "150,00",
                                 "1.150,00"},
                          Expect{core::Language::En, "within fourteen days from the day after this letter was delivered",
                                 "€150.00", "€1,150.00"}}) {
        BOOST_TEST_CONTEXT(core::languageCode(e.l)) {
            const auto r = render(t, e.l, shipped("nl-consumers"), "fourteen_day_letter", day("2026-02-16"));
            for (const char* needle : {e.term, e.bik, e.total, "6:96", "F2026-0042"}) BOOST_TEST(contains(r.body, needle), needle);
        }
    }
}

BOOST_AUTO_TEST_CASE(business_formal_notices_claim_the_forty_euro_compensation_in_each_language) {
    for (const char* country : {"BE", "NL"}) {
        const auto t = textsFor(country, "business", 50000);
        const auto& policy = shipped(std::string(country) == "BE" ? "be-businesses" : "nl-businesses");
        for (auto l : {core::Language::Nl, core::Language::Fr, core::Language::En}) {
            BOOST_TEST_CONTEXT(country << " " << core::languageCode(l)) {
                const auto r = render(t, l, policy, "formal_notice", day("2026-02-18"));
                BOOST_TEST(contains(r.body, l == core::Language::En ? "€40.00" : "40,00\xC2\xA0\xE2\x82\xAC"));
                BOOST_TEST(contains(r.body, l == core::Language::En ? "€500.00" : "500,00"));
                BOOST_TEST(!r.subject.empty());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(every_template_exists_in_every_language_and_renders_without_leftovers) {
    const auto nl = core::builtinTemplateNames(core::Language::Nl);
    BOOST_TEST(nl == core::builtinTemplateNames(core::Language::Fr));
    BOOST_TEST(nl == core::builtinTemplateNames(core::Language::En));
    const auto t = textsFor("BE", "consumer", 123450);
    for (auto l : {core::Language::Nl, core::Language::Fr, core::Language::En})
        for (const auto& name : nl) {
            if (name[0] == '_') continue;
            BOOST_TEST_CONTEXT(core::languageCode(l) << "/" << name) {
                auto r = core::renderMessage(core::TemplateSet{}, l, name, dn::dossierFields(t, l, day("2026-02-09")));
                BOOST_TEST(r.ok());
                if (r) {
                    BOOST_TEST(r->body.find("{{") == std::string::npos);
                    BOOST_TEST(r->body.size() > 40u);
                }
            }
        }
    // Every template a shipped policy names exists.
    for (const auto& p : dn::loadDunningSetup("", "", core::TimeZone::EuropeBrussels).policies)
        for (const auto& s : p.steps)
            BOOST_TEST(core::builtinTemplate(core::Language::En, s.templateName).has_value(), p.name << "/" << s.id);
}

BOOST_AUTO_TEST_SUITE_END()

// Issue 9 item 6: the costs a step claims are stored as owed on the dossier (0017 dossier_charges)
// and raise its open amount, once: a later step never claims them again.
BOOST_AUTO_TEST_SUITE(dunning_charges)

BOOST_AUTO_TEST_CASE(the_costs_step_stores_what_it_claims_once_and_the_open_amount_grows_by_it) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.dossier("costs", "BE", "business", 100000, "2026-02-04");
        auto charged = [&] {
            return w.ctx.db->transaction([&](store::Tx& tx) { return store::charges::forDossier(tx, id); });
        };
        auto open = [&] {
            return w.ctx.db->transaction(
                [&](store::Tx& tx) { return store::dossiers::dossier(tx, std::nullopt, id)->openMinor; });
        };
        auto d = day("2026-02-05");
        for (int i = 0; i < 90 && charged().empty(); ++i, d = d.plusDays(1)) dn::runDunning(w.ctx, w.setup, d);
        const auto c = charged();
        BOOST_REQUIRE(c.size() == 1u);
        BOOST_TEST(c[0].kind == "costs");
        BOOST_TEST(c[0].amountMinor > 0);
        BOOST_TEST(!c[0].basis.empty());
        BOOST_TEST(open() == 100000 + c[0].amountMinor);
        // The step's message states the same amount as the debtor's extra.
        const auto m = w.messages(id);
        BOOST_REQUIRE(!m.empty());
        // Later runs (the lawyer handover) claim nothing more and the open amount stays.
        for (int i = 0; i < 60; ++i, d = d.plusDays(1)) dn::runDunning(w.ctx, w.setup, d);
        BOOST_TEST(charged().size() == 1u);
        BOOST_TEST(open() == 100000 + c[0].amountMinor);
    });
}

BOOST_AUTO_TEST_SUITE_END()
