#include "gateway/core/Planner.h"

#include "gateway/core/BelgianBusinessRules.h"
#include "gateway/core/BelgianConsumerRules.h"
#include "gateway/core/DutchRules.h"

#include <algorithm>

namespace duegate::core {
namespace {

Medium mediumOf(const std::vector<Channel>& channels) {
    // Sent both on paper and electronically: the paper term starts later, so it is the safe one.
    for (Channel c : channels)
        if (c == Channel::Letter) return Medium::Post;
    return Medium::Electronic;
}

std::string channelList(const std::vector<Channel>& channels) {
    std::string out;
    for (Channel c : channels) {
        if (!out.empty()) out += ", ";
        out += channelName(c);
    }
    return out;
}

// Each step's nominal offset from the due date, walking "previous +N" steps from the one before.
std::vector<int> dueOffsets(const Policy& p) {
    std::vector<int> out;
    for (const auto& s : p.steps)
        out.push_back(s.anchor == Anchor::DueDate || out.empty() ? s.offsetDays : out.back() + s.offsetDays);
    return out;
}

const HistoryEntry* findEntry(const DossierState& st, const std::string& key) {
    const HistoryEntry* found = nullptr;
    for (const auto& h : st.history)
        if (h.key == key && (!found || found->date < h.date)) found = &h;
    return found;
}

bool isWkiRestDay(const CivilDate& d) { return d.weekday() == 7 || isPublicHoliday(Country::NL, d); }

std::optional<LegalAmount> maxChargeFor(const DossierState& st, LegalEffect effect) {
    if (st.openAmount.currency() != "EUR") return std::nullopt;  // the legal scales are in EUR
    const bool costs = needsEndedTerm(effect);
    switch (st.regime) {
        case Regime::BeB2c:
            if (costs) {
                auto cap = BelgianConsumerRules::damagesCap(st.openAmount);
                if (cap) return *cap;
                return std::nullopt;
            }
            return BelgianConsumerRules::reminderFeeCap(st.recurringSupply, st.remindersThisYear,
                                                        effect == LegalEffect::FirstFreeReminder);
        case Regime::NlB2c:
            if (costs) {
                auto bik = DutchRules::bik(st.openAmount);
                if (bik) return LegalAmount{bik->scale, bik->basis};
                return std::nullopt;
            }
            return LegalAmount{Money::eur(0), "Art. 6:96(6) BW: no collection costs before the 14-day term has ended"};
        case Regime::BeB2b:
            if (effect == LegalEffect::None) return std::nullopt;
            return BelgianBusinessRules::fixedCompensation();
        case Regime::NlB2b:
            if (effect == LegalEffect::None) return std::nullopt;
            return DutchRules::commercialMinimumCompensation();
    }
    return std::nullopt;
}

struct ChannelChoice {
    std::vector<Channel> channels;  // empty: nothing usable
    std::string note;
};

ChannelChoice chooseChannels(const PolicyStep& step, const DossierState& st) {
    auto bounced = [&](Channel c) {
        return std::find(st.bouncedChannels.begin(), st.bouncedChannels.end(), c) != st.bouncedChannels.end();
    };
    const bool needsDurable = startsLegalTerm(step.effect) || needsEndedTerm(step.effect);
    ChannelChoice out;
    std::vector<Channel> dropped;
    for (Channel c : step.channels) (bounced(c) ? dropped : out.channels).push_back(c);
    bool durable = false;
    for (Channel c : out.channels) durable = durable || isDurableMedium(c);
    if (!out.channels.empty() && (!needsDurable || durable)) {
        if (!dropped.empty()) out.note = "; bounced channel(s) left out: " + channelList(dropped);
        return out;
    }
    // Fall back to another channel: paper first (it reaches a postal address even when e-mail and
    // phone fail), then e-mail, then SMS where no durable medium is needed.
    std::vector<Channel> fallbacks = {Channel::Letter, Channel::Email};
    if (!needsDurable) fallbacks.push_back(Channel::Sms);
    for (Channel c : fallbacks) {
        if (bounced(c)) continue;
        out.channels.push_back(c);
        out.note = "; " + (dropped.empty() ? std::string("no durable medium in the step") : channelList(dropped) +
                                                                                            " bounced") +
                   ", falling back to " + std::string(channelName(c));
        return out;
    }
    out.channels.clear();
    return out;
}

Action makeAction(ActionKind kind, const CivilDate& date, std::string key, std::string reason) {
    Action a;
    a.kind = kind;
    a.date = date;
    a.key = std::move(key);
    a.reason = std::move(reason);
    return a;
}

}  // namespace

std::string_view actionKindName(ActionKind k) {
    switch (k) {
        case ActionKind::Send: return "send";
        case ActionKind::CallTask: return "call_task";
        case ActionKind::WaitUntil: return "wait_until";
        case ActionKind::None: return "none";
    }
    return "?";
}

LegalTerm termOpenedBy(const HistoryEntry& entry, Regime regime) {
    const Medium medium = mediumOf(entry.channels);
    if (regimeCountry(regime) == Country::BE) return BelgianConsumerRules::firstReminderTerm(entry.date, medium);
    const CivilDate received = entry.receivedOn.value_or(DutchRules::assumedReceipt(entry.date, medium));
    LegalTerm t = DutchRules::fourteenDayTerm(received);
    if (!entry.receivedOn)
        t.basis += "; receipt assumed on " + received.iso() +
                   " (e-mail: the day of sending; post: 2nd working day after sending; our assumption)";
    return t;
}

std::vector<Action> plan(const DossierState& st, const Policy& policy, const CivilDate& today) {
    std::vector<Action> out;
    auto finish = [&](ActionKind kind, const CivilDate& date, std::string reason) {
        out.push_back(makeAction(kind, date, "", std::move(reason)));
        return out;
    };

    if (policy.regime != st.regime)
        return finish(ActionKind::None, today,
                      "policy " + policy.name + " is for " + std::string(regimeName(policy.regime)) +
                          " but the dossier is " + std::string(regimeName(st.regime)) + ": nothing planned");
    if (st.openAmount.minor() <= 0) return finish(ActionKind::None, today, "nothing is open on the dossier");
    if (st.unappliedPayments)
        return finish(ActionKind::WaitUntil, today.plusDays(1),
                      "unapplied payments: match before you chase; re-plan once they are applied");
    if (st.disputed)
        return finish(ActionKind::None, today,
                      "the debtor disputes the debt: reminders are paused until the dispute is resolved");

    // A promise: pause until its date + grace; broken -> call task, then the steps resume.
    if (st.promise && st.promise->status != Promise::Status::Kept) {
        const auto& pr = *st.promise;
        const CivilDate deadline = pr.date.plusDays(policy.promiseGraceDays);
        if (pr.status == Promise::Status::Open && today <= deadline)
            return finish(ActionKind::WaitUntil, deadline.plusDays(1),
                          "promise to pay " + pr.amount.toString() + " by " + pr.date.iso() + ": reminders paused until " +
                              deadline.iso() + " (promise date + " + std::to_string(policy.promiseGraceDays) +
                              " days grace)");
        const std::string key = "call:promise-broken:" + pr.date.iso();
        if (!st.done(key))
            out.push_back(makeAction(ActionKind::CallTask, today, key,
                                     "promise to pay " + pr.amount.toString() + " by " + pr.date.iso() +
                                         " was not kept: call the debtor"));
    }

    // A payment plan: pause per instalment; a missed instalment -> call task; steps stay paused.
    if (!st.paymentPlan.empty()) {
        std::vector<Instalment> instalments = st.paymentPlan;
        std::stable_sort(instalments.begin(), instalments.end(),
                         [](const Instalment& a, const Instalment& b) { return a.due < b.due; });
        const Instalment* next = nullptr;
        for (const auto& i : instalments)
            if (!i.paid) { next = &i; break; }
        if (!next)
            return finish(ActionKind::None, today,
                          "every instalment of the payment plan is paid but an amount is still open: "
                          "waiting for the payments to be matched");
        const CivilDate deadline = next->due.plusDays(policy.instalmentGraceDays);
        if (today <= deadline)
            return finish(ActionKind::WaitUntil, deadline.plusDays(1),
                          "payment plan active: instalment of " + next->amount.toString() + " due " + next->due.iso() +
                              " (grace until " + deadline.iso() + "); no reminders meanwhile");
        const std::string key = "call:instalment-missed:" + next->due.iso();
        if (!st.done(key)) {
            out.push_back(makeAction(ActionKind::CallTask, today, key,
                                     "instalment of " + next->amount.toString() + " due " + next->due.iso() +
                                         " was not paid: call the debtor"));
            return out;
        }
        return finish(ActionKind::None, today,
                      "instalment due " + next->due.iso() + " missed and a call task was created; reminders stay "
                      "paused while the payment plan is active (cancel the plan to resume the policy)");
    }

    // Where the policy stands: the furthest step already sent.
    const auto offsets = dueOffsets(policy);
    int lastIdx = -1;
    const HistoryEntry* lastEntry = nullptr;
    for (std::size_t i = 0; i < policy.steps.size(); ++i)
        if (const auto* e = findEntry(st, policy.steps[i].id)) {
            lastIdx = static_cast<int>(i);
            lastEntry = e;
        }

    // The debtor stayed silent after the last send: a call task, once per step.
    if (lastEntry && policy.callAfterSilenceDays > 0 &&
        daysBetween(lastEntry->date, today) >= policy.callAfterSilenceDays &&
        (!st.lastDebtorReaction || *st.lastDebtorReaction < lastEntry->date)) {
        const std::string key = "call:no-reaction:" + lastEntry->key;
        if (!st.done(key))
            out.push_back(makeAction(ActionKind::CallTask, today, key,
                                     "no reaction from the debtor " + std::to_string(policy.callAfterSilenceDays) +
                                         " days after step " + lastEntry->key + " (sent " + lastEntry->date.iso() +
                                         "): call the debtor"));
    }

    // The next step; reminders meant for before the due date are pointless once it has passed.
    std::size_t i = static_cast<std::size_t>(lastIdx + 1);
    std::string skipped;
    while (i < policy.steps.size() && policy.steps[i].anchor == Anchor::DueDate && policy.steps[i].offsetDays <= 0 &&
           policy.steps[i].effect == LegalEffect::None && st.dueDate < today) {
        skipped += (skipped.empty() ? "" : ", ") + policy.steps[i].id;
        ++i;
    }
    if (i >= policy.steps.size())
        return finish(ActionKind::None, today,
                      lastEntry ? "every step of policy " + policy.name + " is done; the last, " + lastEntry->key +
                                      ", was sent on " + lastEntry->date.iso()
                                : "policy " + policy.name + " has no step left to send");
    const PolicyStep& step = policy.steps[i];

    // The earliest day the step may go out, and why.
    CivilDate earliest = step.anchor == Anchor::DueDate ? st.dueDate.plusDays(step.offsetDays)
                                                        : (lastEntry ? lastEntry->date : st.dueDate).plusDays(step.offsetDays);
    std::string why = step.anchor == Anchor::DueDate
                          ? "policy: due date " + st.dueDate.iso() + (step.offsetDays < 0 ? " " : " +") +
                                std::to_string(step.offsetDays) + " days"
                          : "policy: " + std::to_string(step.offsetDays) + " days after " +
                                (lastEntry ? "step " + lastEntry->key : std::string("the due date"));
    if (lastEntry) {
        // Catch-up without a burst: keep the intended spacing from the day the last step really went.
        const int gap = std::max(1, offsets[i] - offsets[static_cast<std::size_t>(lastIdx)]);
        const CivilDate spaced = lastEntry->date.plusDays(gap);
        if (earliest < spaced) {
            earliest = spaced;
            why = "spacing: " + std::to_string(gap) + " days after step " + lastEntry->key + " was sent on " +
                  lastEntry->date.iso();
        }
    }
    if (step.effect != LegalEffect::None && !(st.dueDate < earliest)) {
        earliest = st.dueDate.plusDays(1);
        why = "a step with a legal effect only after the due date";
    }
    std::optional<LegalTerm> runningTerm;
    if (needsEndedTerm(step.effect) && isConsumerRegime(st.regime)) {
        const HistoryEntry* termEntry = nullptr;
        for (const auto& s : policy.steps)
            if (startsLegalTerm(s.effect))
                if (const auto* e = findEntry(st, s.id); e && (!termEntry || termEntry->date < e->date)) termEntry = e;
        if (!termEntry)
            return finish(ActionKind::None, today,
                          "step " + step.id + " (" + std::string(legalEffectName(step.effect)) +
                              ") needs a first free reminder or 14-day letter whose term has ended, and none was "
                              "sent: not planned");
        runningTerm = termOpenedBy(*termEntry, st.regime);
        if (earliest < runningTerm->chargesFrom) {
            earliest = runningTerm->chargesFrom;
            why = "legal term of step " + termEntry->key + " (sent " + termEntry->date.iso() + ") runs until " +
                  runningTerm->lastDay.iso() + "; " + runningTerm->basis;
        }
    }
    CivilDate sendDay = std::max(earliest, today);
    if (regimeCountry(st.regime) == Country::NL && isWkiRestDay(sendDay)) {
        while (isWkiRestDay(sendDay)) sendDay = sendDay.plusDays(1);
        why += "; no contact on Sundays or Dutch public holidays (Wki conduct rules, LEGAL.md 6)";
    }
    if (today < sendDay)
        return finish(ActionKind::WaitUntil, sendDay, "next step " + step.id + " on " + sendDay.iso() + " (" + why + ")");

    // Due: send it, on the channels that still work.
    const ChannelChoice choice = chooseChannels(step, st);
    if (choice.channels.empty()) {
        const std::string key = "call:no-channel:" + step.id;
        if (!st.done(key)) {
            out.push_back(makeAction(ActionKind::CallTask, today, key,
                                     "step " + step.id + " is due but every channel bounced (" +
                                         channelList(st.bouncedChannels) + "): find new contact details"));
            return out;
        }
        return finish(ActionKind::None, today,
                      "step " + step.id + " is due but every channel bounced; waiting for new contact details");
    }
    Action a = makeAction(choice.channels.size() == 1 && choice.channels[0] == Channel::Call ? ActionKind::CallTask
                                                                                             : ActionKind::Send,
                          today, step.id, "");
    a.stepId = step.id;
    a.channels = choice.channels;
    a.templateName = step.templateName;
    a.effect = step.effect;
    if (startsLegalTerm(step.effect)) a.term = termOpenedBy(HistoryEntry{step.id, today, a.channels, {}}, st.regime);
    a.maxCharge = maxChargeFor(st, step.effect);
    a.reason = "step " + step.id + " (" + std::string(legalEffectName(step.effect)) + ") due on " + earliest.iso() +
               " (" + why + ")" + choice.note;
    if (earliest < today)
        a.reason += "; " + std::to_string(daysBetween(earliest, today)) +
                    " days late: catching up with this one step only";
    if (!skipped.empty()) a.reason += "; skipped " + skipped + " (meant for before the due date, which has passed)";
    out.push_back(std::move(a));
    return out;
}

}  // namespace duegate::core
