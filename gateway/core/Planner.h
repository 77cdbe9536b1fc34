// The dunning planner: plan(dossier state, policy, today) -> the actions due for that dossier.
//
// Contract:
//  - Pure and deterministic: the same inputs give the same actions; time is only `today`.
//  - Idempotent: every Send and CallTask carries a `key` (the step id, or "call:<cause>:<date>");
//    once the services layer records it in DossierState::history, re-planning never returns it again.
//  - At most one Send per call, and never two sends on the same day: after a missed run the planner
//    catches up with the one next step; the step after it keeps its intended spacing from the
//    actual send (never a burst).
//  - Pauses: nothing is sent while payments are unapplied, a dispute is open, a promise is open
//    (until its date + grace) or a payment plan is active (until each instalment's date + grace).
//  - Escalation: a call task when a promise is broken, an instalment is missed, the debtor stays
//    silent `callAfterSilenceDays` after a send, or every channel of a step bounced.
//  - Law: a step is never planned before its legal preconditions hold: no step with a legal
//    effect on or before the due date; for consumers no claim_costs / lawyer_handover before the
//    term of the latest term-starting step has ended (Art. XIX.2 CEL; art. 6:96(6) BW); in the
//    Netherlands no send on a Sunday or public holiday (Wki conduct rules, LEGAL.md §6).
//  - Every action carries `reason`, a sentence for the timeline and the case manager.
// The returned vector is never empty: when nothing is to be done it holds one WaitUntil (with the
// next date worth re-planning) or one None (nothing will happen without new facts).
// Thread-safety: pure function.
#pragma once

#include "gateway/core/DossierState.h"
#include "gateway/core/Policy.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace duegate::core {

enum class ActionKind { Send, CallTask, WaitUntil, None };
std::string_view actionKindName(ActionKind k);  // "send" | "call_task" | "wait_until" | "none"
inline std::ostream& operator<<(std::ostream& os, ActionKind k) { return os << actionKindName(k); }

struct Action {
    ActionKind kind = ActionKind::None;
    std::string key;                      // Send / CallTask: record this in history once done
    CivilDate date;                       // Send / CallTask: the day it is due (today); WaitUntil: re-plan on
    // Send only:
    std::string stepId;
    std::vector<Channel> channels;        // after bounce fallback
    std::string templateName;
    LegalEffect effect = LegalEffect::None;
    std::optional<LegalTerm> term;        // for a term-starting step: the term if sent on `date`
    std::optional<LegalAmount> maxCharge; // the most this step may charge (fee or costs), with its basis
    std::string reason;
};

std::vector<Action> plan(const DossierState& state, const Policy& policy, const CivilDate& today);

// The legal term opened by a history entry of a term-starting step under `regime`.
LegalTerm termOpenedBy(const HistoryEntry& entry, Regime regime);

}  // namespace duegate::core
