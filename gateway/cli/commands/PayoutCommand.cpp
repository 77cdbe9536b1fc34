// `duegate payout run --config FILE [--date YYYY-MM-DD]`: the weekly payout (the same code the
// serve job runs on its [payout] schedule). Prints {"file", "payouts": [...]}; a period already
// paid out pays nothing again. Skipped creditors are named on stderr.
#include "gateway/cli/commands/Commands.h"

#include "gateway/cli/commands/Runtime.h"
#include "gateway/services/payments/PayoutService.h"

#include <Poco/DateTime.h>

#include <iostream>

namespace duegate::cli {

int runPayoutRun(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config", "date"}); !bad.empty()) throw UsageError{"payout run: unknown option " + bad[0]};
    std::optional<parsers::CivilDate> date;
    if (auto d = args.get("date")) {
        date = parsers::CivilDate::parseIso(*d);
        if (!date) throw UsageError{"payout run: --date: expected YYYY-MM-DD, got " + *d};
    }
    auto rt = openRuntime(args);
    if (!date) {
        const Poco::DateTime now(rt.ctx.clock->now());
        date = parsers::CivilDate::fromYmd(now.year(), now.month(), now.day());
    }
    try {
        const auto run = services::payments::runPayout(rt.ctx, rt.config.payout.dir, *date);
        for (const auto& s : run.skipped) io.err << "duegate: payout: skipped " << s << "\n";
        io.out << services::payments::payoutJson(run) << std::endl;
    } catch (const services::InputError& e) {
        throw UsageError{std::string("payout run: ") + e.what()};
    }
    return 0;
}

}  // namespace duegate::cli
