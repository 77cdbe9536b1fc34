// `duegate reprocess --config FILE (--item ID | --quarantined)`: puts quarantined inbound items
// back in the queue; the ingest worker of a running `duegate serve` (or this command, with
// --now) parses them again.
#include "gateway/cli/commands/Commands.h"

#include "gateway/cli/commands/Runtime.h"
#include "gateway/services/IngestService.h"

#include <iostream>

namespace duegate::cli {

int runReprocess(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config", "item", "quarantined", "now"}); !bad.empty())
        throw UsageError{"reprocess: unknown option " + bad[0]};
    const auto item = args.get("item");
    const bool all = args.flag("quarantined");
    if (item.has_value() == all) throw UsageError{"reprocess: give exactly one of --item ID and --quarantined"};
    auto rt = openRuntime(args);
    try {
        if (item) {
            services::reprocessItem(rt.ctx, std::nullopt, std::stoll(*item));
            io.err << "duegate: reprocess: item " << *item << " queued again\n";
        } else {
            io.err << "duegate: reprocess: " << services::reprocessAllQuarantined(rt.ctx) << " item(s) queued again\n";
        }
    } catch (const services::NotFound& e) {
        throw UsageError{std::string("reprocess: ") + e.what()};
    } catch (const services::InputError& e) {
        throw UsageError{std::string("reprocess: ") + e.what()};
    } catch (const std::invalid_argument&) {
        throw UsageError{"reprocess: --item: expected a number"};
    }
    if (args.flag("now")) {
        const auto stats = services::processPending(rt.ctx, 1000);
        io.err << "duegate: reprocess: applied " << stats.applied << ", quarantined " << stats.quarantined << "\n";
    }
    return 0;
}

}  // namespace duegate::cli
