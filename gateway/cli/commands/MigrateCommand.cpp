#include "gateway/cli/commands/Commands.h"

namespace duegate::cli {

int runMigrate(const Args&, Io&) { throw UsageError{"not built yet"}; }

}  // namespace duegate::cli
