#include "gateway/services/dunning/DossierFacts.h"

#include "gateway/services/dunning/MessageFields.h"

#include <map>

namespace duegate::services::dunning {
namespace {

namespace sd = store::dunning;

bool escalating(const std::string& effect) {
    return effect == "first_free_reminder" || effect == "formal_notice" || effect == "claim_costs" ||
           effect == "lawyer_handover";
}

bool has(const std::optional<std::string>& s) { return s && !s->empty(); }

}  // namespace

std::string joinChannels(const std::vector<core::Channel>& channels) {
    std::string out;
    for (auto c : channels) out += (out.empty() ? "" : ",") + std::string(core::channelName(c));
    return out;
}

std::vector<core::Channel> splitChannels(const std::string& text) {
    std::vector<core::Channel> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto comma = text.find(',', pos);
        if (comma == std::string::npos) comma = text.size();
        if (auto c = core::parseChannel(text.substr(pos, comma - pos))) out.push_back(*c);
        pos = comma + 1;
    }
    return out;
}

std::vector<DossierFacts> loadFacts(store::Tx& tx, std::vector<sd::Candidate> page, std::int64_t fromId,
                                    const core::CivilDate& today) {
    std::vector<DossierFacts> out;
    if (page.empty()) return out;
    const std::int64_t toId = page.back().dossierId;
    std::map<std::int64_t, std::size_t> at;
    out.reserve(page.size());
    for (auto& c : page) {
        at[c.dossierId] = out.size();
        DossierFacts f;
        f.dossier = std::move(c);
        f.history.debtorId = f.dossier.debtorId;
        out.push_back(std::move(f));
    }
    auto each = [&](std::int64_t id, auto&& fn) {
        auto it = at.find(id);
        if (it != at.end()) fn(out[it->second]);
    };
    for (auto& s : sd::stepsInRange(tx, fromId, toId)) each(s.dossierId, [&](DossierFacts& f) { f.steps.push_back(s); });
    for (auto& p : sd::latestPromisesInRange(tx, fromId, toId)) each(p.dossierId, [&](DossierFacts& f) { f.promise = p; });
    for (auto& p : sd::activePlansInRange(tx, fromId, toId)) each(p.dossierId, [&](DossierFacts& f) { f.plan = p; });
    for (auto& [id, ch] : sd::bouncedInRange(tx, fromId, toId))
        each(id, [&](DossierFacts& f) { f.bouncedChannels.push_back(ch); });
    for (auto& [id, day] : sd::reactionsInRange(tx, fromId, toId)) each(id, [&](DossierFacts& f) { f.lastReaction = day; });
    for (auto id : sd::pausedInRange(tx, fromId, toId, today.iso())) each(id, [&](DossierFacts& f) { f.paused = true; });
    std::map<std::int64_t, sd::PayerHistory> hist;
    for (auto& h : sd::payerHistoryInRange(tx, fromId, toId)) hist[h.debtorId] = h;
    for (auto& f : out)
        if (auto it = hist.find(f.dossier.debtorId); it != hist.end()) f.history = it->second;
    return out;
}

std::optional<DossierFacts> loadFacts(store::Tx& tx, std::optional<std::int64_t> scope, std::int64_t dossierId,
                                      const core::CivilDate& today) {
    auto c = sd::candidate(tx, scope, dossierId);
    if (!c) return std::nullopt;
    std::vector<sd::Candidate> one{*c};
    auto facts = loadFacts(tx, std::move(one), dossierId - 1, today);
    return facts.front();
}

core::Segment segmentOf(const DossierFacts& f) {
    if (f.dossier.debtorKind != "consumer") return core::Segment::Businesses;
    bool thisEscalated = false;
    for (const auto& s : f.steps) thisEscalated = thisEscalated || escalating(s.effect);
    const auto escalatedOthers = f.history.escalatedDossiers - (thisEscalated ? 1 : 0);
    if (escalatedOthers >= 2) return core::Segment::LatePayers;
    if (f.history.paidDossiers >= 2 && escalatedOthers == 0) return core::Segment::ReliablePayers;
    return core::Segment::Consumers;
}

const core::Policy* choosePolicy(const DunningSetup& setup, const DossierFacts& f,
                                 const std::optional<std::string>& creditorPolicy) {
    const auto regime = regimeOf(f.dossier);
    for (const auto& s : f.steps)
        if (!s.policy.empty())
            if (const auto* p = policyByName(setup, s.policy); p && p->regime == regime) return p;
    if (creditorPolicy && !creditorPolicy->empty())
        if (const auto* p = policyByName(setup, *creditorPolicy); p && p->regime == regime) return p;
    const std::string creditor = std::to_string(f.dossier.creditorId);
    const auto segment = segmentOf(f);
    const auto base = f.dossier.debtorKind == "consumer" ? core::Segment::Consumers : core::Segment::Businesses;
    for (auto s : {segment, base, core::Segment::Any})
        if (const auto* p = core::selectPolicy(setup.policies, creditor, s, regime)) return p;
    return nullptr;
}

core::DossierState stateOf(const DossierFacts& f, const core::Policy& policy, const core::CivilDate& today) {
    const auto& d = f.dossier;
    core::DossierState st;
    st.regime = regimeOf(d);
    st.segment = policy.segment;
    st.dueDate = dueDateOf(d, today);
    // The legal amounts (BIK scale, Book XIX cap) are computed on the principal still open, not on
    // the costs claimed before.
    st.openAmount = core::Money(d.openMinor - d.chargesOwedMinor, d.currency);
    for (const auto& s : f.steps) {
        core::HistoryEntry h;
        h.key = s.step;
        h.date = core::CivilDate::parseIso(s.runDate).value_or(today);
        h.channels = splitChannels(s.channels);
        if (s.receivedOn) h.receivedOn = core::CivilDate::parseIso(*s.receivedOn);
        st.history.push_back(std::move(h));
    }
    if (f.promise && (f.promise->state == "open" || f.promise->state == "broken")) {
        core::Promise p;
        p.madeOn = core::CivilDate::parseIso(f.promise->madeOn).value_or(today);
        p.date = core::CivilDate::parseIso(f.promise->promisedDate).value_or(today);
        p.amount = core::Money(f.promise->amountMinor.value_or(d.openMinor), d.currency);
        p.status = f.promise->state == "open" ? core::Promise::Status::Open : core::Promise::Status::Broken;
        st.promise = p;
    }
    if (f.plan) {
        // Paid so far under the plan: what the open amount went down by since the plan started.
        std::int64_t paid = f.plan->openAtStartMinor - d.openMinor, cumulative = 0;
        for (const auto& i : f.plan->instalments) {
            cumulative += i.amountMinor;
            st.paymentPlan.push_back(core::Instalment{core::CivilDate::parseIso(i.dueDate).value_or(today),
                                                      core::Money(i.amountMinor, d.currency), paid >= cumulative});
        }
    }
    st.disputed = d.status == "disputed";
    auto unusable = [&](core::Channel c) {
        for (auto b : st.bouncedChannels)
            if (b == c) return;
        st.bouncedChannels.push_back(c);
    };
    for (const auto& b : f.bouncedChannels)
        if (auto c = core::parseChannel(b)) unusable(*c);
    if (!has(d.debtorEmail)) unusable(core::Channel::Email);
    if (!has(d.debtorPhone) || d.smsOff) unusable(core::Channel::Sms);
    if (!has(d.debtorStreet) || !has(d.debtorCity)) unusable(core::Channel::Letter);
    if (f.lastReaction) st.lastDebtorReaction = core::CivilDate::parseIso(*f.lastReaction);
    // A promise is a reaction on the day it was made, whatever clock wrote its event.
    if (st.promise && (!st.lastDebtorReaction || *st.lastDebtorReaction < st.promise->madeOn))
        st.lastDebtorReaction = st.promise->madeOn;
    return st;
}

}  // namespace duegate::services::dunning
