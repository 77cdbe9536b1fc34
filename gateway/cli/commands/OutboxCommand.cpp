// `duegate outbox list|release|mark-sent --config FILE`: a person's review of parked messages,
// whose send's outcome is unknown (no reply to SMTP's final dot, a process killed mid-send).
//   list                                   one JSON object per parked message, oldest first
//   release --id ID --by WHO [--note TEXT]  send it again (the dispatcher of a running serve does)
//   mark-sent --id ID --by WHO [--note TEXT] it did go out (e.g. the relay's log shows it)
// docs/operations.md "Parked outbound messages" says how to decide.
#include "gateway/cli/commands/Commands.h"

#include "gateway/cli/commands/Runtime.h"
#include "gateway/services/OutboxService.h"
#include "parsers/common/JsonWriter.h"

#include <iostream>

namespace duegate::cli {
namespace {

std::int64_t idOf(const Args& args, const std::string& command) {
    const auto id = args.get("id");
    if (!id) throw UsageError{"outbox " + command + ": --id ID is required"};
    try {
        std::size_t used = 0;
        const auto n = std::stoll(*id, &used);
        if (used == id->size() && n > 0) return n;
    } catch (const std::exception&) {
    }
    throw UsageError{"outbox " + command + ": --id: expected a message number, got '" + *id + "'"};
}

int decide(const Args& args, Io& io, const std::string& command, bool resend) {
    if (auto bad = args.unknown({"config", "id", "by", "note"}); !bad.empty())
        throw UsageError{"outbox " + command + ": unknown option " + bad[0]};
    const auto id = idOf(args, command);
    const auto by = args.getOr("by", "");
    if (by.empty()) throw UsageError{"outbox " + command + ": --by WHO is required (it is kept with the decision)"};
    auto rt = openRuntime(args);
    std::string state = "sent";
    try {
        if (resend) state = services::releaseParked(rt.ctx, id, by, args.getOr("note", ""));
        else services::markParkedSent(rt.ctx, id, by, args.getOr("note", ""));
    } catch (const services::NotFound& e) {
        throw UsageError{"outbox " + command + ": " + e.what()};
    } catch (const services::InputError& e) {
        throw UsageError{"outbox " + command + ": " + e.what()};
    }
    parsers::JsonWriter w(0);
    w.beginObject().field("id", id).field("state", state).endObject();
    io.out << w.str() << "\n";
    return 0;
}

}  // namespace

int runOutboxList(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config"}); !bad.empty()) throw UsageError{"outbox list: unknown option " + bad[0]};
    auto rt = openRuntime(args);
    for (const auto& m : services::listParked(rt.ctx)) {
        parsers::JsonWriter w(0);
        w.beginObject()
            .field("id", m.id)
            .field("creditor_id", m.creditorId)
            .field("dossier_id", m.dossierId)
            .field("channel", m.channel)
            .field("purpose", m.purpose)
            .field("recipient", m.recipient)
            .field("subject", m.subject)
            .field("message_id", m.messageId)
            .field("attempts", m.attempts)
            .field("parked_at", m.parkedAt)
            .field("reason", m.reason)
            .endObject();
        io.out << w.str() << "\n";
    }
    return 0;
}

int runOutboxRelease(const Args& args, Io& io) { return decide(args, io, "release", true); }
int runOutboxMarkSent(const Args& args, Io& io) { return decide(args, io, "mark-sent", false); }

}  // namespace duegate::cli
