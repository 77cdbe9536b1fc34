// What the planner needs to know about one dossier on one day. The services layer fills it from the
// store; core never reads the store itself.
// Thread-safety: plain value.
#pragma once

#include "gateway/core/Money.h"
#include "gateway/core/Policy.h"
#include "gateway/core/Regime.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::core {

// Something the planner asked for and the services layer carried out: a sent step (key = step id)
// or a created call task (key = the Action's key, "call:..."). Recording it is what makes
// re-planning idempotent.
struct HistoryEntry {
    std::string key;
    CivilDate date;                        // the day it was sent / created
    std::vector<Channel> channels;         // channels actually used (for the legal term's start)
    std::optional<CivilDate> receivedOn;   // NL 14-day letter: the known day of receipt, when known
};

struct Promise {
    enum class Status { Open, Kept, Broken };
    CivilDate madeOn;
    CivilDate date;       // the debtor promised to pay by this day
    Money amount;
    Status status = Status::Open;
};

struct Instalment {
    CivilDate due;
    Money amount;
    bool paid = false;
};

struct DossierState {
    Regime regime = Regime::BeB2c;
    Segment segment = Segment::Any;
    CivilDate dueDate;
    Money openAmount;                          // currency of the dossier
    std::vector<HistoryEntry> history;         // any order
    std::optional<Promise> promise;            // the latest promise, if any
    std::vector<Instalment> paymentPlan;       // empty: no active payment plan
    bool disputed = false;
    bool unappliedPayments = false;            // DESIGN rule 6: match before you chase
    std::vector<Channel> bouncedChannels;      // channels whose address bounced
    std::optional<CivilDate> lastDebtorReaction;  // reply, link opened, call answered, ...
    bool recurringSupply = false;              // BE B2C: recurring supply contract
    int remindersThisYear = 0;                 // BE B2C recurring supply: reminders sent this calendar year

    bool done(const std::string& key) const {
        for (const auto& h : history)
            if (h.key == key) return true;
        return false;
    }
};

}  // namespace duegate::core
