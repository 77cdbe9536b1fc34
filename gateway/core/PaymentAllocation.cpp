#include "gateway/core/PaymentAllocation.h"

#include <algorithm>

namespace duegate::core {
namespace {

// Takes up to `owed` from `left`; returns what it took.
std::int64_t take(std::int64_t& left, std::int64_t owed) {
    const std::int64_t t = std::min(left, std::max<std::int64_t>(0, owed));
    left -= t;
    return t;
}

}  // namespace

Allocation allocatePayment(Country country, const Owed& owed, std::int64_t paymentMinor) {
    Allocation a;
    std::int64_t left = std::max<std::int64_t>(0, paymentMinor);
    switch (country) {
        case Country::NL:  // art. 6:44 BW: costs, then interest due, then principal
        case Country::BE:  // art. 5.215 BW (old 1254): interest before principal; costs with it, first
            a.costs = take(left, owed.costs);
            a.interest = take(left, owed.interest);
            a.principal = take(left, owed.principal);
            break;
    }
    a.surplus = left;
    return a;
}

std::string_view allocationBasis(Country country) {
    return country == Country::NL ? "art. 6:44 BW" : "art. 5.215 BW (old art. 1254 BW)";
}

}  // namespace duegate::core

namespace duegate::core {

std::optional<KeepMode> parseKeepMode(std::string_view text) {
    if (text == "none") return KeepMode::None;
    if (text == "costs") return KeepMode::Costs;
    if (text == "costs_and_interest") return KeepMode::CostsAndInterest;
    return std::nullopt;
}

std::string_view keepModeName(KeepMode k) {
    switch (k) {
        case KeepMode::Costs: return "costs";
        case KeepMode::CostsAndInterest: return "costs_and_interest";
        case KeepMode::None: break;
    }
    return "none";
}

std::int64_t keptPart(KeepMode k, std::int64_t costs, std::int64_t interest) {
    switch (k) {
        case KeepMode::Costs: return costs;
        case KeepMode::CostsAndInterest: return costs + interest;
        case KeepMode::None: break;
    }
    return 0;
}

}  // namespace duegate::core
