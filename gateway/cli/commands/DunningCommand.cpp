// `duegate dunning run --config FILE [--today YYYY-MM-DD]`: one run of the daily reminder job (the
// same code `serve` runs at [dunning] schedule); prints
// {"date", "dossiers", "queued", "tasks", "waiting", "paused"}.
// `duegate task list --config FILE [--assignee EMAIL] [--due-by YYYY-MM-DD]`: open tasks, one JSON
// object per line.
#include "gateway/cli/commands/Commands.h"

#include "gateway/cli/commands/Runtime.h"
#include "gateway/services/dunning/DunningRun.h"
#include "gateway/services/dunning/TaskList.h"
#include "parsers/common/JsonWriter.h"

#include <iostream>

namespace duegate::cli {

int runDunningRun(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config", "today"}); !bad.empty()) throw UsageError{"dunning run: unknown option " + bad[0]};
    std::optional<core::CivilDate> today;
    if (auto t = args.get("today")) {
        today = core::CivilDate::parseIso(*t);
        if (!today) throw UsageError{"dunning run: --today: expected YYYY-MM-DD, got '" + *t + "'"};
    }
    auto rt = openRuntime(args);
    const auto& setup = services::dunning::setupOf(rt.ctx);
    const auto day = today.value_or(core::localDate(rt.ctx.clock->now().epochTime(), setup.zone));
    const auto s = services::dunning::runDunning(rt.ctx, setup, day, &io.err);
    parsers::JsonWriter w(0);
    w.beginObject()
        .field("date", s.date.iso())
        .field("dossiers", static_cast<std::int64_t>(s.dossiers))
        .field("queued", static_cast<std::int64_t>(s.queued))
        .field("tasks", static_cast<std::int64_t>(s.tasks))
        .field("waiting", static_cast<std::int64_t>(s.waiting))
        .field("paused", static_cast<std::int64_t>(s.paused))
        .endObject();
    io.out << w.str() << "\n";
    return s.failed == 0 ? 0 : 1;
}

int runTaskList(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config", "assignee", "due-by"}); !bad.empty())
        throw UsageError{"task list: unknown option " + bad[0]};
    services::dunning::TaskQuery q;
    q.assigneeEmail = args.get("assignee");
    if (auto d = args.get("due-by")) {
        if (!core::CivilDate::parseIso(*d)) throw UsageError{"task list: --due-by: expected YYYY-MM-DD, got '" + *d + "'"};
        q.dueBy = *d;
    }
    auto rt = openRuntime(args);
    try {
        services::dunning::forEachOpenTask(rt.ctx, q, [&](const services::dunning::TaskView& v) {
            const auto& t = v.task;
            parsers::JsonWriter w(0);
            w.beginObject()
                .field("id", t.id)
                .field("creditor_id", t.creditorId)
                .field("dossier_id", t.dossierId)
                .field("dossier_reference", v.dossierReference)
                .field("kind", t.kind)
                .field("title", t.title)
                .field("details", t.details)
                .field("priority", t.priority)
                .field("due_date", t.dueDate)
                .field("assignee", v.assigneeEmail)
                .field("state", t.state)
                .field("created_at", t.createdAt)
                .endObject();
            io.out << w.str() << "\n";
        });
    } catch (const services::InputError& e) {
        throw UsageError{std::string("task list: ") + e.what()};
    }
    return 0;
}

}  // namespace duegate::cli
