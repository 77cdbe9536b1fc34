// Planner scenarios over simulated months: `today` steps day by day, every Send and CallTask is
// recorded in the history as the services layer would, and the legal invariants are checked
// independently on what was sent.
#include "gateway/core/BelgianConsumerRules.h"
#include "gateway/core/DutchRules.h"
#include "gateway/core/Planner.h"
#include "gateway/core/PolicyParser.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

using namespace duegate::core;

namespace {

CivilDate d(const char* iso) { return *CivilDate::parseIso(iso); }

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Policy shipped(const std::string& name) {
    auto p = parsePolicy(readFile(std::filesystem::path(DUEGATE_SOURCE_DIR) / "config" / "policies" / (name + ".ini")));
    BOOST_TEST_REQUIRE(p.ok(), name + ": " + (p.ok() ? std::string() : p.error().toString()));
    return *p;
}

DossierState dossier(Regime regime, const char* due, std::int64_t cents = 45000) {
    DossierState s;
    s.regime = regime;
    s.dueDate = d(due);
    s.openAmount = Money::eur(cents);
    return s;
}

struct Sent {
    CivilDate date;
    Action action;
};

// Runs the planner on every day of [from, from + days) for which runsOn(day) holds and records
// what it asks for. Checks the contract on the way: at most one Send per run, no key twice,
// re-planning the same day sends nothing.
struct Simulation {
    DossierState state;
    Policy policy;
    std::vector<Sent> sends;  // Send and CallTask actions, in order
    std::vector<Action> lastPlan;

    void run(const CivilDate& from, int days, const std::function<bool(const CivilDate&)>& runsOn = nullptr) {
        for (int k = 0; k < days; ++k) {
            const CivilDate today = from.plusDays(k);
            if (runsOn && !runsOn(today)) continue;
            runOn(today);
        }
    }

    void runOn(const CivilDate& today) {
        lastPlan = plan(state, policy, today);
        BOOST_TEST_REQUIRE(!lastPlan.empty());
        int sendCount = 0;
        for (const auto& a : lastPlan) {
            BOOST_TEST_REQUIRE(!a.reason.empty());
            if (a.kind != ActionKind::Send && a.kind != ActionKind::CallTask) continue;
            BOOST_TEST_REQUIRE(!state.done(a.key), "planned twice: " + a.key + " on " + today.iso());
            BOOST_TEST_REQUIRE(a.date == today);
            if (a.kind == ActionKind::Send || !a.stepId.empty()) ++sendCount;
            state.history.push_back(HistoryEntry{a.key, today, a.channels, {}});
            sends.push_back({today, a});
        }
        BOOST_TEST_REQUIRE(sendCount <= 1);
        for (const auto& a : plan(state, policy, today))  // idempotent: nothing new the same day
            BOOST_TEST_REQUIRE((a.kind != ActionKind::Send && a.kind != ActionKind::CallTask));
    }

    std::vector<Sent> steps() const {
        std::vector<Sent> out;
        for (const auto& s : sends)
            if (!s.action.stepId.empty()) out.push_back(s);
        return out;
    }
    std::map<std::string, std::string> stepDates() const {
        std::map<std::string, std::string> out;
        for (const auto& s : steps()) out[s.action.stepId] = s.date.iso();
        return out;
    }
};

// The legal invariants, checked on a finished simulation without the planner's own reasoning.
void checkLegalInvariants(const Simulation& sim) {
    const auto steps = sim.steps();
    std::optional<CivilDate> chargesFrom;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& s = steps[i];
        if (i > 0) BOOST_TEST_REQUIRE(steps[i - 1].date < s.date);  // never two steps on one day
        if (s.action.effect != LegalEffect::None) BOOST_TEST_REQUIRE(sim.state.dueDate < s.date);
        if (regimeCountry(sim.state.regime) == Country::NL) {
            BOOST_TEST_REQUIRE(s.date.weekday() != 7);
            BOOST_TEST_REQUIRE(!isPublicHoliday(Country::NL, s.date));
        }
        if (startsLegalTerm(s.action.effect)) {
            bool post = false;
            for (Channel c : s.action.channels) post = post || c == Channel::Letter;
            const Medium m = post ? Medium::Post : Medium::Electronic;
            chargesFrom = regimeCountry(sim.state.regime) == Country::BE
                              ? BelgianConsumerRules::firstReminderTerm(s.date, m).chargesFrom
                              : DutchRules::fourteenDayTerm(DutchRules::assumedReceipt(s.date, m)).chargesFrom;
        }
        if (needsEndedTerm(s.action.effect) && isConsumerRegime(sim.state.regime)) {
            BOOST_TEST_REQUIRE(chargesFrom.has_value(), "costs without a term: " + s.action.stepId);
            BOOST_TEST_REQUIRE(*chargesFrom <= s.date, "costs before the term ended: " + s.date.iso());
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(planner)

BOOST_AUTO_TEST_CASE(belgian_consumer_policy_over_two_months_by_email) {
    // be-consumers, due Mon 3 Mar 2025:
    //  friendly_before_due  due -3              = Fri 28 Feb
    //  first_reminder       due +5              = Sat 8 Mar (e-mail: term 9..22 Mar, charges from 23 Mar)
    //  sms_nudge            previous +7         = Sat 15 Mar
    //  costs_reminder       previous +10        = Tue 25 Mar (after 23 Mar: lawful)
    //  lawyer               previous +21        = Tue 15 Apr
    //  silence calls (12 days without reaction): costs 25 Mar + 12 = 6 Apr; lawyer 15 Apr + 12 = 27 Apr
    Simulation sim{dossier(Regime::BeB2c, "2025-03-03"), shipped("be-consumers"), {}, {}};
    sim.run(d("2025-02-01"), 180);
    const std::map<std::string, std::string> expected = {{"friendly_before_due", "2025-02-28"},
                                                         {"first_reminder", "2025-03-08"},
                                                         {"sms_nudge", "2025-03-15"},
                                                         {"costs_reminder", "2025-03-25"},
                                                         {"lawyer", "2025-04-15"}};
    BOOST_TEST((sim.stepDates() == expected));
    std::vector<std::string> calls;
    for (const auto& s : sim.sends)
        if (s.action.kind == ActionKind::CallTask) calls.push_back(s.date.iso() + " " + s.action.key);
    const std::vector<std::string> expectedCalls = {"2025-04-06 call:no-reaction:costs_reminder",
                                                    "2025-04-27 call:no-reaction:lawyer"};
    BOOST_TEST(calls == expectedCalls, boost::test_tools::per_element());
    checkLegalInvariants(sim);
    // The first reminder tells the debtor its term; the costs step carries the Art. XIX.4 cap:
    // €450: 30 + 10% × 300 = €60.
    const auto steps = sim.steps();
    BOOST_TEST(steps[1].action.term->lastDay.iso() == "2025-03-22");
    BOOST_TEST(steps[1].action.maxCharge->amount.minor() == 0);
    BOOST_TEST(steps[3].action.maxCharge->amount.toDecimal() == "60.00");
    BOOST_TEST(sim.lastPlan.back().kind == ActionKind::None);
}

BOOST_AUTO_TEST_CASE(costs_wait_for_the_paper_term_to_end) {
    // be-late-payers, due Thu 4 Dec 2025: first_reminder due +1 = Fri 5 Dec by e-mail AND letter,
    // so the paper term counts: day 1 Wed 10 Dec, day 14 Tue 23 Dec, charges from Wed 24 Dec.
    // costs_reminder's own offset (previous +15 = Sat 20 Dec) is too early: it waits until 24 Dec.
    Simulation sim{dossier(Regime::BeB2c, "2025-12-04"), shipped("be-late-payers"), {}, {}};
    sim.run(d("2025-11-20"), 60);
    BOOST_TEST(sim.stepDates().at("before_due") == "2025-11-29");
    BOOST_TEST(sim.stepDates().at("first_reminder") == "2025-12-05");
    BOOST_TEST(sim.stepDates().at("costs_reminder") == "2025-12-24");
    checkLegalInvariants(sim);
    // On 20 Dec the planner says why it waits.
    auto p = plan(sim.state, sim.policy, d("2025-12-20"));
    (void)p;
}

BOOST_AUTO_TEST_CASE(waiting_names_the_legal_term) {
    DossierState st = dossier(Regime::BeB2c, "2025-12-04");
    st.history.push_back({"before_due", d("2025-11-29"), {Channel::Email}, {}});
    st.history.push_back({"first_reminder", d("2025-12-05"), {Channel::Email, Channel::Letter}, {}});
    st.lastDebtorReaction = d("2025-12-06");
    const auto actions = plan(st, shipped("be-late-payers"), d("2025-12-20"));
    BOOST_TEST_REQUIRE(actions.size() == 1u);
    BOOST_TEST((actions[0].kind == ActionKind::WaitUntil));
    BOOST_TEST(actions[0].date.iso() == "2025-12-24");
    BOOST_TEST(actions[0].reason.find("Art. XIX.2") != std::string::npos, actions[0].reason);
}

BOOST_AUTO_TEST_CASE(dutch_consumer_policy_waits_for_the_fourteen_day_term_and_rests_on_sundays) {
    // nl-consumers, due Mon 1 Dec 2025:
    //  friendly             due +2   = Wed 3 Dec
    //  fourteen_day_letter  due +10  = Thu 11 Dec by letter: receipt assumed Mon 15 Dec (2nd NL
    //                                  working day), term 16..29 Dec, charges from Tue 30 Dec
    //  costs                previous +16 = Sat 27 Dec -> too early, waits until Tue 30 Dec
    //  lawyer               previous +21 = Tue 20 Jan 2026
    Simulation sim{dossier(Regime::NlB2c, "2025-12-01"), shipped("nl-consumers"), {}, {}};
    sim.run(d("2025-11-25"), 90);
    const std::map<std::string, std::string> expected = {{"friendly", "2025-12-03"},
                                                         {"fourteen_day_letter", "2025-12-11"},
                                                         {"costs", "2025-12-30"},
                                                         {"lawyer", "2026-01-20"}};
    BOOST_TEST((sim.stepDates() == expected));
    checkLegalInvariants(sim);
    // BIK on €450: 15% = 67.50.
    BOOST_TEST(sim.steps()[2].action.maxCharge->amount.toDecimal() == "67.50");

    // Due Fri 5 Dec: the friendly reminder (due +2 = Sun 7 Dec) moves to Mon 8 Dec (Wki).
    Simulation sunday{dossier(Regime::NlB2c, "2025-12-05"), shipped("nl-consumers"), {}, {}};
    sunday.run(d("2025-12-01"), 20);
    BOOST_TEST(sunday.stepDates().at("friendly") == "2025-12-08");
}

BOOST_AUTO_TEST_CASE(a_missed_week_catches_up_with_one_step_never_a_burst) {
    // be-consumers, due Mon 3 Mar 2025; the scheduler is down from 6 to 17 March. first_reminder
    // (due 8 Mar) goes on 18 Mar; sms_nudge keeps its 7 days of spacing (25 Mar) instead of
    // following at once; costs_reminder 10 days later (4 Apr; the e-mail term ended 1 Apr).
    Simulation sim{dossier(Regime::BeB2c, "2025-03-03"), shipped("be-consumers"), {}, {}};
    sim.run(d("2025-02-20"), 120, [](const CivilDate& day) { return day < d("2025-03-06") || d("2025-03-17") < day; });
    BOOST_TEST(sim.stepDates().at("first_reminder") == "2025-03-18");
    BOOST_TEST(sim.stepDates().at("sms_nudge") == "2025-03-25");
    BOOST_TEST(sim.stepDates().at("costs_reminder") == "2025-04-04");
    checkLegalInvariants(sim);
    const auto steps = sim.steps();
    BOOST_TEST(steps[1].action.reason.find("catching up") != std::string::npos, steps[1].action.reason);

    // Down for a whole month: still one step per run, each spaced as the policy intends.
    Simulation month{dossier(Regime::BeB2c, "2025-03-03"), shipped("be-consumers"), {}, {}};
    month.run(d("2025-02-20"), 150, [](const CivilDate& day) { return day < d("2025-03-01") || d("2025-04-30") < day; });
    BOOST_TEST(month.stepDates().at("first_reminder") == "2025-05-01");
    BOOST_TEST(month.stepDates().at("sms_nudge") == "2025-05-08");
    checkLegalInvariants(month);
}

BOOST_AUTO_TEST_CASE(a_pre_due_reminder_is_skipped_once_the_due_date_has_passed) {
    // Imported on 10 Mar for a due date of 3 Mar: no "before due" mail, first_reminder at once.
    Simulation sim{dossier(Regime::BeB2c, "2025-03-03"), shipped("be-consumers"), {}, {}};
    sim.run(d("2025-03-10"), 3);
    BOOST_TEST(sim.stepDates().count("friendly_before_due") == 0u);
    BOOST_TEST(sim.stepDates().at("first_reminder") == "2025-03-10");
    BOOST_TEST(sim.steps()[0].action.reason.find("skipped friendly_before_due") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_open_promise_pauses_and_a_broken_one_calls_then_resumes) {
    Simulation sim{dossier(Regime::BeB2c, "2025-03-03"), shipped("be-consumers"), {}, {}};
    sim.run(d("2025-02-20"), 18);  // up to 9 Mar: friendly and first_reminder sent
    BOOST_TEST(sim.steps().size() == 2u);
    sim.state.promise = Promise{d("2025-03-10"), d("2025-03-20"), Money::eur(45000), Promise::Status::Open};
    sim.state.lastDebtorReaction = d("2025-03-10");
    sim.run(d("2025-03-10"), 14);  // 10..23 Mar: promise date 20 Mar + 3 days grace
    BOOST_TEST(sim.steps().size() == 2u);
    BOOST_TEST((sim.lastPlan[0].kind == ActionKind::WaitUntil));
    BOOST_TEST(sim.lastPlan[0].date.iso() == "2025-03-24");
    sim.runOn(d("2025-03-24"));  // not kept: a call task, and the policy resumes with sms_nudge
    BOOST_TEST_REQUIRE(sim.lastPlan.size() == 2u);
    BOOST_TEST((sim.lastPlan[0].kind == ActionKind::CallTask));
    BOOST_TEST(sim.lastPlan[0].key == "call:promise-broken:2025-03-20");
    BOOST_TEST(sim.lastPlan[1].stepId == "sms_nudge");
    sim.run(d("2025-03-25"), 60);
    int promiseCalls = 0;
    for (const auto& s : sim.sends) promiseCalls += s.action.key == "call:promise-broken:2025-03-20";
    BOOST_TEST(promiseCalls == 1);
    checkLegalInvariants(sim);

    // A kept promise with money still open does not pause anything.
    DossierState kept = sim.state;
    kept.promise->status = Promise::Status::Kept;
    BOOST_TEST(plan(kept, sim.policy, d("2025-03-15"))[0].reason.find("promise") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_payment_plan_pauses_per_instalment_and_a_missed_one_calls_once) {
    Simulation sim{dossier(Regime::BeB2c, "2025-03-03"), shipped("be-consumers"), {}, {}};
    sim.run(d("2025-02-20"), 18);
    sim.state.paymentPlan = {{d("2025-04-01"), Money::eur(15000), false},
                             {d("2025-05-01"), Money::eur(15000), false},
                             {d("2025-06-01"), Money::eur(15000), false}};
    sim.run(d("2025-03-10"), 26);  // until 4 Apr (1 Apr + 3 days grace)
    BOOST_TEST(sim.steps().size() == 2u);
    BOOST_TEST(sim.lastPlan[0].date.iso() == "2025-04-05");
    sim.state.paymentPlan[0].paid = true;
    sim.run(d("2025-04-05"), 30);  // to 4 May: waits for the May instalment
    BOOST_TEST(sim.steps().size() == 2u);
    BOOST_TEST(sim.lastPlan[0].date.iso() == "2025-05-05");
    sim.run(d("2025-05-05"), 20);  // May not paid: one call task, then nothing
    int calls = 0;
    for (const auto& s : sim.sends) calls += s.action.key == "call:instalment-missed:2025-05-01";
    BOOST_TEST(calls == 1);
    BOOST_TEST(sim.steps().size() == 2u);
    BOOST_TEST((sim.lastPlan[0].kind == ActionKind::None));
}

BOOST_AUTO_TEST_CASE(disputes_unapplied_payments_and_paid_dossiers_stop_the_chase) {
    const Policy p = shipped("be-consumers");
    DossierState st = dossier(Regime::BeB2c, "2025-03-03");
    st.disputed = true;
    auto a = plan(st, p, d("2025-03-20"));
    BOOST_TEST((a.size() == 1u && a[0].kind == ActionKind::None));
    BOOST_TEST(a[0].reason.find("disputes") != std::string::npos);
    st.disputed = false;
    st.unappliedPayments = true;
    a = plan(st, p, d("2025-03-20"));
    BOOST_TEST((a[0].kind == ActionKind::WaitUntil));
    st.unappliedPayments = false;
    st.openAmount = Money::eur(0);
    BOOST_TEST((plan(st, p, d("2025-03-20"))[0].kind == ActionKind::None));
    // A policy for another regime never plans anything.
    st.openAmount = Money::eur(100);
    st.regime = Regime::NlB2c;
    BOOST_TEST((plan(st, p, d("2025-03-20"))[0].kind == ActionKind::None));
}

BOOST_AUTO_TEST_CASE(bounced_channels_fall_back_and_then_call) {
    const Policy p = shipped("be-consumers");
    DossierState st = dossier(Regime::BeB2c, "2025-03-03");
    st.bouncedChannels = {Channel::Email};
    // first_reminder (e-mail) on 8 Mar falls back to a letter, so the paper term applies.
    auto a = plan(st, p, d("2025-03-08"));
    BOOST_TEST_REQUIRE((a.back().kind == ActionKind::Send));
    BOOST_TEST((a.back().channels == std::vector<Channel>{Channel::Letter}));
    BOOST_TEST(a.back().reason.find("falling back to letter") != std::string::npos, a.back().reason);
    // Sat 8 Mar by post: working days Mon 10, Tue 11, Wed 12 -> day 1 = 12 Mar, day 14 = 25 Mar.
    BOOST_TEST(a.back().term->firstDay.iso() == "2025-03-12");
    BOOST_TEST(a.back().term->lastDay.iso() == "2025-03-25");

    st.bouncedChannels = {Channel::Email, Channel::Letter, Channel::Sms};
    a = plan(st, p, d("2025-03-08"));
    BOOST_TEST_REQUIRE((a.back().kind == ActionKind::CallTask));
    BOOST_TEST(a.back().key == "call:no-channel:first_reminder");
    st.history.push_back({a.back().key, d("2025-03-08"), {}, {}});
    a = plan(st, p, d("2025-03-09"));
    BOOST_TEST((a.back().kind == ActionKind::None));
}

BOOST_AUTO_TEST_CASE(a_reaction_prevents_the_silence_call) {
    Simulation sim{dossier(Regime::BeB2c, "2025-03-03"), shipped("be-consumers"), {}, {}};
    sim.run(d("2025-02-20"), 34);  // to 25 Mar: costs_reminder sent on 25 Mar
    sim.state.lastDebtorReaction = d("2025-03-27");
    sim.run(d("2025-03-26"), 19);  // to 13 Apr: no silence call for costs_reminder
    for (const auto& s : sim.sends) BOOST_TEST(s.action.key != "call:no-reaction:costs_reminder");
}

BOOST_AUTO_TEST_CASE(recurring_supply_reminders_carry_the_fee_cap) {
    const Policy p = shipped("be-consumers");
    DossierState st = dossier(Regime::BeB2c, "2025-03-03");
    st.history.push_back({"friendly_before_due", d("2025-02-28"), {Channel::Email}, {}});
    st.recurringSupply = true;
    st.remindersThisYear = 2;
    BOOST_TEST(plan(st, p, d("2025-03-08")).back().maxCharge->amount.minor() == 0);
    st.remindersThisYear = 3;  // the 4th reminder of the year: at most €7.50 + postage
    BOOST_TEST(plan(st, p, d("2025-03-08")).back().maxCharge->amount.toDecimal() == "7.50");
}

BOOST_AUTO_TEST_CASE(plan_is_deterministic) {
    const Policy p = shipped("nl-consumers");
    DossierState st = dossier(Regime::NlB2c, "2025-12-01");
    st.history.push_back({"friendly", d("2025-12-03"), {Channel::Email}, {}});
    for (int k = 0; k < 60; ++k) {
        const auto a = plan(st, p, d("2025-12-01").plusDays(k));
        const auto b = plan(st, p, d("2025-12-01").plusDays(k));
        BOOST_TEST_REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            BOOST_TEST_REQUIRE(a[i].reason == b[i].reason);
            BOOST_TEST_REQUIRE(a[i].key == b[i].key);
            BOOST_TEST_REQUIRE(a[i].date == b[i].date);
        }
    }
}

BOOST_AUTO_TEST_CASE(property_every_shipped_policy_over_six_months_and_many_due_dates) {
    // For each shipped policy, 73 due dates spread over 2025 (holidays included), with and without a
    // bounced e-mail address and with the scheduler down on about a third of the days: no step is
    // sent twice, none before its legal term, never two on one day, at most one per run.
    int simulations = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(DUEGATE_SOURCE_DIR) / "config" / "policies")) {
        if (entry.path().extension() != ".ini") continue;
        const Policy p = shipped(entry.path().stem().string());
        for (int k = 0; k < 73; ++k) {
            for (int variant = 0; variant < 3; ++variant) {
                DossierState st = dossier(p.regime, "2025-01-02", 1000 + k * 7919);
                st.dueDate = d("2025-01-02").plusDays(k * 5);
                if (variant == 1) st.bouncedChannels = {Channel::Email};
                Simulation sim{st, p, {}, {}};
                std::function<bool(const CivilDate&)> runsOn;
                if (variant == 2)
                    runsOn = [](const CivilDate& day) { return (day.dayNumber() * 7919) % 10 >= 3; };
                sim.run(st.dueDate.plusDays(-10), 183, runsOn);
                checkLegalInvariants(sim);
                BOOST_TEST_REQUIRE(sim.steps().size() >= 2u);
                ++simulations;
            }
        }
    }
    BOOST_TEST(simulations >= 6 * 73 * 3);
}

BOOST_AUTO_TEST_SUITE_END()
