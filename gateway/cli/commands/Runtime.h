// What every command that touches the store needs: the config (from --config FILE plus the
// DUEGATE_* environment), the database (migrated), the blob store and a services::Context.
// A bad config or a missing --config is a UsageError (exit 2) with the config's one-line message.
#pragma once

#include "config/Config.h"
#include "gateway/cli/commands/Args.h"
#include "gateway/services/Context.h"

namespace duegate::cli {

struct Runtime {
    config::Config config;
    services::Context ctx;
};

// The typed config from --config FILE and the environment; UsageError when missing or malformed.
config::Config configFromArgs(const Args& args);

Runtime openRuntime(const Args& args);

// Reads the debtor-link HMAC key, creating it (32 random bytes, hex, mode 0600) when missing.
std::string loadOrCreateLinkSecret(const std::string& path);

}  // namespace duegate::cli
