#include "parsers/bank/BankFormats.h"

namespace duegate::parsers {

void registerBankFormats(FormatRegistry&) {}

}  // namespace duegate::parsers
