// The commands of the `duegate` binary, one file each (ParseCommand.cpp, CalcCommand.cpp, ...).
// A command reads its options from Args, writes its result to `out` and diagnostics to `err`,
// and returns the exit status. Bad usage or bad input: throw UsageError (exit 2) or return 2.
#pragma once

#include "gateway/cli/commands/Args.h"

#include <iosfwd>

namespace duegate::cli {

struct Io {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
};

int runParse(const Args& args, Io& io);
int runCalc(const Args& args, Io& io);
int runMigrate(const Args& args, Io& io);
int runServe(const Args& args, Io& io);
int runCreditorAdd(const Args& args, Io& io);
int runCreditorSet(const Args& args, Io& io);
int runUserAdd(const Args& args, Io& io);
int runReprocess(const Args& args, Io& io);
int runDunningRun(const Args& args, Io& io);
int runTaskList(const Args& args, Io& io);
int runMailboxAdd(const Args& args, Io& io);
int runMailboxList(const Args& args, Io& io);
int runMailboxPoll(const Args& args, Io& io);
int runImport(const Args& args, Io& io);
int runPayoutRun(const Args& args, Io& io);
int runOutboxList(const Args& args, Io& io);
int runOutboxRelease(const Args& args, Io& io);
int runOutboxMarkSent(const Args& args, Io& io);

}  // namespace duegate::cli
