#include "parsers/bank/BankCurrency.h"

#include "parsers/common/Currency.h"

#include <array>
#include <utility>

namespace duegate::parsers::bank {

std::optional<int> bankCurrencyExponent(std::string_view code) {
    if (auto e = currencyExponent(code)) return e;
    static constexpr std::array<std::pair<std::string_view, int>, 14> kLegacy{{
        {"ATS", 2}, {"BEF", 0}, {"DEM", 2}, {"ESP", 0}, {"FIM", 2}, {"FRF", 2}, {"GRD", 0},
        {"IEP", 2}, {"ITL", 0}, {"LUF", 0}, {"NLG", 2}, {"PTE", 0}, {"HRK", 2}, {"LTL", 2},
    }};
    for (const auto& [c, e] : kLegacy)
        if (c == code) return e;
    return std::nullopt;
}

}  // namespace duegate::parsers::bank
