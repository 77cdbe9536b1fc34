#include "store/TaskRepository.h"

namespace duegate::store::tasks {
namespace {

const char* kColumns =
    "id, creditor_id, dossier_id, kind, title, details, priority, due_date, assignee_id, state, dedupe_key, "
    "created_at, closed_at";

TaskRecord taskFrom(const Row& r) {
    TaskRecord t;
    t.id = r.integer(0);
    t.creditorId = r.integer(1);
    t.dossierId = r.optInteger(2);
    t.kind = r.text(3);
    t.title = r.text(4);
    t.details = r.optText(5);
    t.priority = r.integer(6);
    t.dueDate = r.text(7);
    t.assigneeId = r.optInteger(8);
    t.state = r.text(9);
    t.dedupeKey = r.text(10);
    t.createdAt = r.text(11);
    t.closedAt = r.optText(12);
    return t;
}

std::string param(std::vector<Value>& params, Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
}

}  // namespace

std::optional<std::int64_t> insert(Tx& tx, const TaskRecord& t, const std::string& now) {
    auto r = tx.queryOne(
        "INSERT INTO tasks (creditor_id, dossier_id, kind, title, details, priority, due_date, assignee_id, state, "
        "dedupe_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10) "
        "ON CONFLICT (creditor_id, dedupe_key) DO NOTHING RETURNING id",
        {t.creditorId, optionalInt(t.dossierId), t.kind, t.title, optionalText(t.details), t.priority, t.dueDate,
         optionalInt(t.assigneeId), t.dedupeKey, now});
    if (!r) return std::nullopt;
    return r->integer(0);
}

std::vector<TaskRecord> list(Tx& tx, Scope scope, const Filter& f) {
    std::vector<Value> params;
    std::string sql = std::string("SELECT ") + kColumns + " FROM tasks WHERE id > " + param(params, f.afterId);
    if (scope) sql += " AND creditor_id = " + param(params, *scope);
    if (f.state) sql += " AND state = " + param(params, *f.state);
    if (f.assigneeId) sql += " AND assignee_id = " + param(params, *f.assigneeId);
    if (f.dueBy) sql += " AND due_date <= " + param(params, *f.dueBy);
    if (f.kind) sql += " AND kind = " + param(params, *f.kind);
    if (f.dossierId) sql += " AND dossier_id = " + param(params, *f.dossierId);
    sql += " ORDER BY due_date, priority, id LIMIT " + param(params, static_cast<std::int64_t>(f.limit));
    std::vector<TaskRecord> out;
    for (const auto& r : tx.query(sql, params)) out.push_back(taskFrom(r));
    return out;
}

std::optional<TaskRecord> byId(Tx& tx, Scope scope, std::int64_t id) {
    std::vector<Value> params{id};
    std::string sql = std::string("SELECT ") + kColumns + " FROM tasks WHERE id = $1";
    if (scope) sql += " AND creditor_id = " + param(params, *scope);
    auto r = tx.queryOne(sql, params);
    if (!r) return std::nullopt;
    return taskFrom(*r);
}

bool close(Tx& tx, Scope scope, std::int64_t id, const std::string& state, std::optional<std::int64_t> userId,
           const std::string& now) {
    std::vector<Value> params{id, state, optionalInt(userId), now};
    std::string sql =
        "UPDATE tasks SET state = $2, closed_by = $3, closed_at = $4 WHERE id = $1 AND state = 'open'";
    if (scope) sql += " AND creditor_id = " + param(params, *scope);
    return tx.exec(sql, params) == 1;
}

std::size_t cancelOpen(Tx& tx, std::int64_t dossierId, const std::string& kind, const std::string& now) {
    return tx.exec("UPDATE tasks SET state = 'cancelled', closed_at = $3 "
                   "WHERE dossier_id = $1 AND kind = $2 AND state = 'open'",
                   {dossierId, kind, now});
}

bool assign(Tx& tx, Scope scope, std::int64_t id, std::optional<std::int64_t> userId) {
    std::vector<Value> params{id, optionalInt(userId)};
    std::string sql = "UPDATE tasks SET assignee_id = $2 WHERE id = $1";
    if (scope) sql += " AND creditor_id = " + param(params, *scope);
    return tx.exec(sql, params) == 1;
}

}  // namespace duegate::store::tasks
