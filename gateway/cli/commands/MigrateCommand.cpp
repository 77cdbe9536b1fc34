// `duegate migrate --config FILE`: applies pending migrations and exits.
#include "gateway/cli/commands/Commands.h"

#include "gateway/cli/commands/Runtime.h"
#include "store/Database.h"
#include "store/Migrations.h"

#include <iostream>

namespace duegate::cli {

int runMigrate(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config"}); !bad.empty()) throw UsageError{"migrate: unknown option " + bad[0]};
    const auto cfg = configFromArgs(args);
    auto db = store::Database::open(cfg.store.url, 1);
    const auto applied = store::migrate(*db);
    if (applied.empty()) io.err << "duegate: migrate: schema is up to date\n";
    for (const auto& name : applied) io.err << "duegate: migrate: applied " << name << "\n";
    return 0;
}

}  // namespace duegate::cli
