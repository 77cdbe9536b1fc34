// The daily dunning run (issue 10 item 1): plan every open dossier with its policy and carry out
// what is due today, one transaction per dossier. `duegate dunning run` and the `serve` job at
// `[dunning] schedule` both call runDunning().
//
// What it does for each dossier with status active, promised or plan (draft, paid, closed,
// disputed and legal ones are never looked at), streamed in keyset pages of `pageSize` ids:
//  - match before chase: a creditor for whom awaitingMatch() is true is skipped entirely (paused);
//    so is a dossier with an open pause (dossier_pauses: a reply, ...) until it ends;
//  - chooses the policy and builds the planner state (DossierFacts.h), calls core::plan();
//  - Send: records the step in dunning_steps (UNIQUE (creditor, dossier, step): if another run got
//    there first, nothing happens), renders the step's template per channel in the debtor's
//    language with a fresh personal link, queues one outbound message per channel (dedupe key
//    "dunning:<dossier>:<step>:<channel>"; SMS not before the policy's contact window opens) and
//    appends a `dunning_step` event with the reason and the legal term it opens;
//  - CallTask: records the key the same way and opens a task (call, promise_broken,
//    instalment_missed, bounce) due on the next contact day, assigned to the case manager; a broken
//    promise sets the dossier back to active, a missed instalment ends the plan (broken) and sets
//    the dossier back to active so the policy resumes;
//  - payment plans: the instalment reminder `instalmentReminderDays` before each unpaid instalment.
// A missed day catches up with one step (the planner's rule); a second run for the same day finds
// every step recorded and queues nothing. A dossier whose transaction fails is logged and left for
// the next run; the others go on.
//
// Counters (what `dunning run` prints): dossiers looked at; messages queued; tasks created;
// waiting = dossiers with nothing due today; paused = dossiers held by a promise, a payment plan or
// match-before-chase that got nothing today.
// Thread-safety: several runs (threads or processes) may overlap; the UNIQUE constraints keep them
// from doing a step twice.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "store/Sql.h"

#include <cstdint>
#include <ostream>

namespace duegate::services::dunning {

struct RunStats {
    core::CivilDate date;
    std::size_t dossiers = 0, queued = 0, tasks = 0, waiting = 0, paused = 0, failed = 0;
};

RunStats runDunning(Context& ctx, const DunningSetup& setup, const core::CivilDate& today,
                    std::ostream* log = nullptr);

// Match before chase (DESIGN.md rule 6): true while the creditor has bank statement lines the
// matcher has not looked at yet. The payments capability provides the store call; until it is on
// main this returns false (the lead wires it at merge).
bool awaitingMatch(store::Tx& tx, std::int64_t creditorId);

// The UTC instant in store format at which a message on `channel` may go out for a dossier in
// `country`: e-mail and letters at once (`nowUnix`), SMS at the first instant from `nowUnix` inside
// the policy's contact window. The window is applied to the real clock: a run for another day
// (`dunning run --today`, a catch-up) plans its SMS against the time it actually runs.
std::string notBeforeFor(core::Channel channel, const core::Policy& policy, core::Country country,
                         core::TimeZone zone, std::int64_t nowUnix);

}  // namespace duegate::services::dunning
