#include "gateway/cli/commands/Commands.h"

namespace duegate::cli {

int runReprocess(const Args&, Io&) { throw UsageError{"not built yet"}; }

}  // namespace duegate::cli
