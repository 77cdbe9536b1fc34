// Tasks: work for people (calls, replies, disputes, plan requests, bounces, reviews). One task per
// decision: (creditor_id, dedupe_key) is UNIQUE, so a second run or a second process that reaches
// the same decision adds nothing. Reads take the creditor scope (std::nullopt = agency staff).
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::store::tasks {

using Scope = std::optional<std::int64_t>;

// The new task's id, or std::nullopt when the creditor already has a task with this dedupe key.
std::optional<std::int64_t> insert(Tx& tx, const TaskRecord& t, const std::string& now);

struct Filter {
    std::optional<std::string> state = std::string("open");  // none = every state
    std::optional<std::int64_t> assigneeId;
    std::optional<std::string> dueBy;                         // due_date <= this day
    std::optional<std::string> kind;
    std::optional<std::int64_t> dossierId;
    std::size_t limit = 1000;
    std::int64_t afterId = 0;
};
// Oldest due first, then by id.
std::vector<TaskRecord> list(Tx& tx, Scope scope, const Filter& f);
std::optional<TaskRecord> byId(Tx& tx, Scope scope, std::int64_t id);

// Moves an open task to 'done' or 'cancelled'; false when it is not open (or not in scope).
bool close(Tx& tx, Scope scope, std::int64_t id, const std::string& state, std::optional<std::int64_t> userId,
           const std::string& now);
// Cancels every open task of a dossier of one kind (e.g. the review task once a person decided).
std::size_t cancelOpen(Tx& tx, std::int64_t dossierId, const std::string& kind, const std::string& now);
bool assign(Tx& tx, Scope scope, std::int64_t id, std::optional<std::int64_t> userId);

}  // namespace duegate::store::tasks
