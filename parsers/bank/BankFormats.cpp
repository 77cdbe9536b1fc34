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

template <class ParseStream>
std::function<std::optional<Error>(std::istream&, std::ostream&)> streamedJsonOf(const char* format, ParseStream parseStream) {
    return [format, parseStream](std::istream& in, std::ostream& out) {
        return bank::writeStatementJson(in, parseStream, format, out);
    };
}

}  // namespace

void registerBankFormats(FormatRegistry& registry) {
    // Most specific first: ZIP by its magic, CODA by its fixed header record, CAMT by its
    // namespace, MT940 last (its sniff looks for tags in the first lines).
    registry.add({"zip", bank::sniffStatementZip, jsonOf([](std::string_view b) { return bank::parseStatementZip(b); })});
    // The line and XML formats can also be written while streaming (`duegate parse` on large files).
    registry.add({"coda", bank::sniffCoda, jsonOf([](std::string_view b) { return bank::parseCoda(b); }),
                  streamedJsonOf("coda", [](std::istream& in, const bank::StatementCallbacks& cb, const bank::Limits& l) {
                      return bank::parseCodaStream(in, cb, l);
                  })});
    registry.add({"camt", bank::sniffCamt, jsonOf([](std::string_view b) { return bank::parseCamt(b); }),
                  streamedJsonOf("camt", [](std::istream& in, const bank::StatementCallbacks& cb, const bank::Limits& l) {
                      return bank::parseCamtStream(in, cb, l);
                  })});
    registry.add({"mt940", bank::sniffMt940, jsonOf([](std::string_view b) { return bank::parseMt940(b); }),
                  streamedJsonOf("mt940", [](std::istream& in, const bank::StatementCallbacks& cb, const bank::Limits& l) {
                      return bank::parseMt940Stream(in, cb, l);
                  })});
}

}  // namespace duegate::parsers
