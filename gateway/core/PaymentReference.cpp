#include "gateway/core/PaymentReference.h"
#include "gateway/core/InputError.h"

#include "parsers/refs/Ogm.h"
#include "parsers/refs/Rf.h"

namespace duegate::core {

parsers::Result<std::string> ogmForNumber(std::uint64_t number) {
    if (number == 0 || number > 9999999999ULL)
        return inputError("number", "an OGM base must be between 1 and 9999999999");
    std::string base = std::to_string(number);
    base.insert(0, 10 - base.size(), '0');
    auto ogm = parsers::refs::ogmFromBase(base);
    if (!ogm) return inputError("number", "cannot build an OGM from " + base);
    return *ogm;
}

parsers::Result<std::string> rfForNumber(std::string_view prefix, std::uint64_t number) {
    const std::string ref = std::string(prefix) + std::to_string(number);
    auto rf = parsers::refs::rfFromReference(ref);
    if (!rf) return inputError("reference", "an RF reference needs 1 to 21 letters or digits; got " + ref);
    return *rf;
}

parsers::Result<DossierReferences> referencesForNumber(std::uint64_t number, std::string_view rfPrefix) {
    auto ogm = ogmForNumber(number);
    if (!ogm) return ogm.error();
    auto rf = rfForNumber(rfPrefix, number);
    if (!rf) return rf.error();
    DossierReferences r;
    r.ogm = *ogm;
    r.ogmDigits = *parsers::refs::parseOgm(*ogm);
    r.rf = *rf;
    return r;
}

std::string printRf(std::string_view rf) {
    std::string out;
    for (std::size_t i = 0; i < rf.size(); ++i) {
        if (i > 0 && i % 4 == 0) out += ' ';
        out += rf[i];
    }
    return out;
}

}  // namespace duegate::core
