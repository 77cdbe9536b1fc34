#include "parsers/bank/BankFormats.h"

#include "parsers/bank/CamtParser.h"
#include "parsers/bank/CodaParser.h"
#include "parsers/bank/Mt940Parser.h"
#include "parsers/bank/StatementJson.h"
#include "parsers/bank/StatementZip.h"

namespace duegate::parsers {

namespace {

template <class Parse>
std::function<Result<std::string>(std::string_view)> jsonOf(Parse parse) {
    return [parse](std::string_view bytes) -> Result<std::string> {
        auto file = parse(bytes);
        if (!file) return file.error();
        return bank::statementFileToJson(*file);
    };
}

}  // namespace

void registerBankFormats(FormatRegistry& registry) {
    // Most specific first: ZIP by its magic, CODA by its fixed header record, CAMT by its
    // namespace, MT940 last (its sniff looks for tags in the first lines).
    registry.add({"zip", bank::sniffStatementZip, jsonOf([](std::string_view b) { return bank::parseStatementZip(b); })});
    registry.add({"coda", bank::sniffCoda, jsonOf([](std::string_view b) { return bank::parseCoda(b); })});
    registry.add({"camt", bank::sniffCamt, jsonOf([](std::string_view b) { return bank::parseCamt(b); })});
    registry.add({"mt940", bank::sniffMt940, jsonOf([](std::string_view b) { return bank::parseMt940(b); })});
}

}  // namespace duegate::parsers
