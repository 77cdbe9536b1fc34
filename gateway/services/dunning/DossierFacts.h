// Everything the planner needs to know about one open dossier, read from the store, and the two
// decisions made from it before planning: which policy the dossier follows and its DossierState.
//
// Policy choice, in order: the policy the dossier already follows (recorded with its first step,
// so a dossier never switches policy half-way); the creditor's chosen policy (creditors.policy,
// `creditor set --policy`) when it is for the dossier's regime; else selectPolicy() over the
// setup's policies for the creditor id, the segment and the regime, trying the payer-history
// segment, then consumers/businesses, then any.
// Segment: businesses for business debtors; for consumers, late_payers when at least two of the
// debtor's other dossiers needed a step with a legal effect, reliable_payers when at least two
// were paid and none needed one, else consumers.
// Channels the planner must not use: bounced ones, SMS after the debtor's STOP, and those the
// debtor has no address for (no e-mail, no phone, no postal address), so the planner falls back to
// the next channel. A dossier with an open pause (dossier_pauses: a reply, ...) is `paused`.
// Thread-safety: plain values and functions of their arguments (load* take the caller's Tx).
#pragma once

#include "gateway/core/DossierState.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "store/DunningRepository.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::services::dunning {

struct DossierFacts {
    store::dunning::Candidate dossier;
    std::vector<store::dunning::StepRow> steps;
    std::optional<store::dunning::PromiseRow> promise;
    std::optional<store::dunning::PlanRow> plan;        // the active plan
    std::vector<std::string> bouncedChannels;
    std::optional<std::string> lastReaction;            // 'YYYY-MM-DD'
    store::dunning::PayerHistory history;
    bool paused = false;  // an open dossier_pauses row (a reply, ...): nothing is sent or created
};

// The facts of a page of candidates (as openPage returned them, ascending ids), in a few queries.
std::vector<DossierFacts> loadFacts(store::Tx& tx, std::vector<store::dunning::Candidate> page, std::int64_t fromId,
                                    const core::CivilDate& today);
// The facts of one dossier in a creditor scope; std::nullopt when not found.
std::optional<DossierFacts> loadFacts(store::Tx& tx, std::optional<std::int64_t> scope, std::int64_t dossierId,
                                      const core::CivilDate& today);

core::Segment segmentOf(const DossierFacts& f);
const core::Policy* choosePolicy(const DunningSetup& setup, const DossierFacts& f,
                                 const std::optional<std::string>& creditorPolicy);
core::DossierState stateOf(const DossierFacts& f, const core::Policy& policy, const core::CivilDate& today);

// "email,letter" <-> channels.
std::string joinChannels(const std::vector<core::Channel>& channels);
std::vector<core::Channel> splitChannels(const std::string& text);

}  // namespace duegate::services::dunning
