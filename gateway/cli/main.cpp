// duegate: one binary, many commands (see gateway/cli/commands/Cli.h and INTERFACES.md).
#include "gateway/cli/commands/Cli.h"

#include <iostream>

int main(int argc, char** argv) {
    return duegate::cli::run(argc, argv, std::cin, std::cout, std::cerr);
}
