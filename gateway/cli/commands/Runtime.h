// What every command that touches the store needs: the config (from --config FILE plus the
// DUEGATE_* environment), the database (migrated), the blob store and a services::Context.
// A bad config or a missing --config is a UsageError (exit 2) with the config's one-line message.
#pragma once

#include "config/Config.h"
#include "gateway/cli/commands/Args.h"
#include "gateway/services/Context.h"

#include <optional>
#include <string>

namespace duegate::cli {

struct Runtime {
    config::Config config;
    services::Context ctx;
};

// The typed config from --config FILE and the environment; UsageError when missing or malformed.
config::Config configFromArgs(const Args& args);

Runtime openRuntime(const Args& args);

// The debtor-link key file ([portal] link_secret_file): its secret, or nothing when it is missing.
std::optional<std::string> readLinkSecretFile(const std::string& path);
// Writes the key file (mode 0600) unless another process already did.
void writeLinkSecretFile(const std::string& path, const std::string& secret);

}  // namespace duegate::cli
