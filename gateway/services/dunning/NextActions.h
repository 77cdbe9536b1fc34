// The planned next steps of one dossier, with their dates (issue 10 item 8): what the timeline and
// the API's `next_action` show. The planner is run forward from today as if every planned step were
// carried out on its day and the debtor did not pay or react: a promise or an instalment is assumed
// unkept once its grace has passed. Nothing is written. An empty list: nothing is planned (paid,
// closed, disputed, every step done, or no policy for the regime).
// kind: the policy step id ("first_reminder"), "call" (a call task), "promise_check" (a promise's
// grace ends), "instalment_reminder".
// Thread-safety: like every service (its own read transaction).
#pragma once

#include "gateway/core/Planner.h"
#include "gateway/services/Context.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services::dunning {

struct NextAction {
    core::CivilDate date;
    std::string kind;
    std::vector<core::Channel> channels;  // a send: the channels it would use
    std::optional<core::CivilDate> termLastDay;  // a term-starting send: the last day of the term it opens
    std::string reason;
};

// At most `limit` actions, in date order. Throws NotFound for a dossier outside `scope`.
std::vector<NextAction> nextActions(Context& ctx, std::optional<std::int64_t> scope, std::int64_t dossierId,
                                    std::size_t limit = 5);

}  // namespace duegate::services::dunning
