#include "gateway/core/matching/Reversal.h"

#include "gateway/core/matching/ReferenceScan.h"

#include <algorithm>
#include <tuple>

namespace duegate::core::matching {

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

bool usableId(std::string_view id) {
    id = trimmed(id);
    return !id.empty() && id != "NOTPROVIDED";
}

std::string compactUpper(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != ' ') out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    return out;
}

// Every reference a line carries: its structured one and those in its text.
std::vector<std::string> referencesOf(std::string_view reference, std::string_view remittance) {
    std::vector<std::string> out;
    if (auto r = canonicalReference(reference)) out.push_back(*r);
    for (auto& f : findReferences(reference)) out.push_back(f.value);
    for (auto& f : findReferences(remittance)) out.push_back(f.value);
    return out;
}

}  // namespace

std::optional<ReversalPick> pickReversedLine(const PaymentLine& reversal, const std::vector<PriorMatch>& prior) {
    const std::int64_t amount = reversal.amountMinor < 0 ? -reversal.amountMinor : reversal.amountMinor;
    const std::vector<std::string> refs = referencesOf(reversal.reference, reversal.remittance);
    const std::string iban = compactUpper(reversal.counterpartyIban);

    // basis rank: 3 end-to-end id, 2 reference, 1 counterparty IBAN, 0 amount only.
    std::optional<std::tuple<int, std::int64_t, std::int64_t>> best;  // (basis, day, line id)
    for (const PriorMatch& m : prior) {
        if (m.currency != reversal.currency || m.amountMinor != amount || m.bookingDate > reversal.bookingDate) continue;
        int basis = 0;
        if (usableId(reversal.endToEndId) && trimmed(reversal.endToEndId) == trimmed(m.endToEndId)) {
            basis = 3;
        } else {
            std::vector<std::string> theirs = referencesOf(m.reference, m.remittance);
            bool shared = std::any_of(refs.begin(), refs.end(), [&](const std::string& r) {
                return std::find(theirs.begin(), theirs.end(), r) != theirs.end();
            });
            if (shared) basis = 2;
            else if (!iban.empty() && iban == compactUpper(m.counterpartyIban)) basis = 1;
        }
        std::tuple<int, std::int64_t, std::int64_t> key{basis, m.bookingDate.dayNumber(), m.lineId};
        if (!best || key > *best) best = key;
    }
    if (!best) return std::nullopt;
    static constexpr const char* kBasis[] = {"amount", "counterparty_iban", "reference", "end_to_end_id"};
    return ReversalPick{std::get<2>(*best), kBasis[std::get<0>(*best)]};
}

}  // namespace duegate::core::matching
