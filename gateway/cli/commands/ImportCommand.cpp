// `duegate import --config FILE [--creditor ID] FILE...`: imports each file by its content through
// the file intake (gateway/services/FileIntake.h): bank statements for the account they are on,
// invoices for --creditor. Prints one JSON line per file (INTERFACES.md); a file rejected as a whole
// prints its located error on stderr, imports nothing, and makes the exit status 2.
#include "gateway/cli/commands/Commands.h"

#include "gateway/cli/commands/Runtime.h"
#include "gateway/services/FileIntake.h"

#include <filesystem>
#include <iostream>

namespace duegate::cli {

int runImport(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config", "creditor"}); !bad.empty())
        throw UsageError{"import: unknown option " + bad[0]};
    if (args.positional().empty()) throw UsageError{"import: give at least one FILE"};
    std::optional<std::int64_t> creditor;
    if (auto c = args.get("creditor")) {
        try {
            std::size_t used = 0;
            creditor = std::stoll(*c, &used);
            if (used != c->size() || *creditor <= 0) throw std::invalid_argument("");
        } catch (const std::exception&) {
            throw UsageError{"import: --creditor: expected a creditor id, got " + *c};
        }
    }
    for (const auto& f : args.positional()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(f, ec)) throw UsageError{"import: " + f + ": no such file"};
    }
    auto rt = openRuntime(args);
    int status = 0;
    for (const auto& f : args.positional()) {
        const auto name = std::filesystem::path(f).filename().string();
        const auto out = services::importFilePath(rt.ctx, creditor, "cli", name, f);
        if (out.quarantined) {
            io.err << "duegate: import: " << f << ": " << out.error << "\n";
            status = 2;
            continue;
        }
        io.out << out.json << std::endl;
    }
    return status;
}

}  // namespace duegate::cli
