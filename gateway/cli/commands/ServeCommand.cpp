#include "gateway/cli/commands/Commands.h"

namespace duegate::cli {

int runServe(const Args&, Io&) { throw UsageError{"not built yet"}; }

}  // namespace duegate::cli
