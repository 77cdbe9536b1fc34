// `duegate parse FILE [--format F]`: prints the canonical JSON of what duegate reads in FILE.
// The format is sniffed from the content unless named. Bad input: exit 2, one located line.
#include "gateway/cli/commands/Commands.h"

#include "parsers/bank/BankFormats.h"
#include "parsers/common/FormatRegistry.h"
#include "parsers/invoice/InvoiceFormats.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace duegate::cli {

namespace {
constexpr std::size_t kHeadBytes = 1u << 20;
}  // namespace

int runParse(const Args& args, Io& io) {
    if (args.positional().size() != 1) throw UsageError{"parse: expected exactly one FILE"};
    if (auto bad = args.unknown({"format"}); !bad.empty()) throw UsageError{"parse: unknown option " + bad[0]};
    const std::string path = args.positional()[0];
    const std::string formatName = args.getOr("format", "auto");

    parsers::FormatRegistry registry;
    parsers::registerBankFormats(registry);
    parsers::registerInvoiceFormats(registry);

    std::ifstream file(path, std::ios::binary);
    if (!file) throw UsageError{"parse: cannot open " + path};

    // Statement formats are streamed: the first 1 MiB decides the format (sniffers look at the
    // start), then the file is read twice through a reused buffer, so a 200 MB statement is
    // printed in bounded memory. Everything else is read whole, as its parser needs it.
    std::string head(kHeadBytes, '\0');
    file.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(file.gcount()));
    const parsers::Format* format = nullptr;
    if (formatName == "auto") {
        format = registry.sniff(head);
    } else {
        format = registry.byName(formatName);
        if (!format) throw UsageError{"parse: unknown --format '" + formatName + "'"};
    }
    if (format && format->writeJson) {
        file.clear();
        file.seekg(0);
        if (auto e = format->writeJson(file, io.out)) {
            io.err << "duegate: " << path << ": " << format->name << ": " << e->toString() << "\n";
            return 2;
        }
        io.out << "\n";
        return 0;
    }

    std::string bytes = std::move(head);
    if (bytes.size() == kHeadBytes) {
        std::ostringstream rest;
        rest << file.rdbuf();
        bytes += std::move(rest).str();
    }
    if (formatName == "auto") {
        format = registry.sniff(bytes);
        if (!format) {
            io.err << "duegate: " << path << ": byte 0: field format: not a recognised format (tried";
            for (const auto& n : registry.names()) io.err << " " << n;
            io.err << ")\n";
            return 2;
        }
    }
    auto json = format->toJson(bytes);
    if (!json) {
        io.err << "duegate: " << path << ": " << format->name << ": " << json.error().toString() << "\n";
        return 2;
    }
    io.out << *json << "\n";
    return 0;
}

}  // namespace duegate::cli
