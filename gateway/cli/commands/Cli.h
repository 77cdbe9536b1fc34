// Entry point of the `duegate` binary: picks the command from the first words and runs it.
// Exit status (INTERFACES.md): 0 success, 2 bad input or bad usage (one line on stderr), 1 anything else.
#pragma once

#include <iosfwd>

namespace duegate::cli {

int run(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace duegate::cli
