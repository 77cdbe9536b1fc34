// E.164 normalisation of the phone numbers debtors and creditors write ("0470 12 34 56",
// "+32 (0)470/12.34.56", "0032470123456"), so an inbound SMS finds its debtor and Twilio gets "+32470123456".
//
// Rules: spaces, dots, dashes, slashes and parentheses are dropped; "(0)" after a country code is
// dropped; "00" starts an international number; a leading single "0" is a national number of
// `defaultCountry` (ISO 3166 alpha-2: BE, NL, FR, DE, LU; others give nothing); the result is "+"
// and 8 to 15 digits. Anything else (letters, too short, too long) gives std::nullopt.
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace duegate::core {

std::optional<std::string> normalizePhone(std::string_view text, std::string_view defaultCountry = "BE");

}  // namespace duegate::core
